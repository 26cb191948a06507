#!/usr/bin/env bash
# Browser tests drive Debian's chromium through playwright-core (Playwright's own browser
# download cannot work here). Installs it when missing; `npm test` runs this first.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "ensure-chromium: chromium is missing and we are not root; install Debian's chromium, or the browser tests fail" >&2
  exit 0
fi
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
echo "ensure-chromium: installing Debian's chromium for the browser tests" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
