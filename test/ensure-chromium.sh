#!/usr/bin/env bash
# Browser tests drive Debian's chromium through playwright-core (Playwright's own browser
# download cannot work here), with a CJK font so screenshots of Chinese text (kept under
# test-artifacts/) are readable. Installs what is missing; `npm test` runs this first.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then need+=(fonts-wqy-microhei); fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "ensure-chromium: ${need[*]} missing and we are not root; install them, or the browser tests fail (chromium) or show boxes for Chinese (font)" >&2
  exit 0
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "ensure-chromium: installing ${need[*]} for the browser tests" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
