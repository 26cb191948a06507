#!/usr/bin/env bash
# Draws the Teams app icons (Debian's imagemagick: apt-get install -y imagemagick). The PNGs are
# committed; run this only to change them. Teams wants a 192x192 full-colour icon and a 32x32
# outline icon that is white on a transparent background.
# The drawing is a speech bubble with three dots: kefu (客服) is a chat helper.
set -euo pipefail
cd "$(dirname "$0")"
ACCENT='#FF5000'

convert -size 192x192 "xc:$ACCENT" \
  -fill white -draw 'roundrectangle 36,44 156,128 22,22' \
  -draw 'polygon 62,124 62,154 94,124' \
  -fill "$ACCENT" -draw 'circle 66,86 66,96' -draw 'circle 96,86 96,96' -draw 'circle 126,86 126,96' \
  -strip PNG32:color.png

convert -size 32x32 xc:none \
  -fill none -stroke white -strokewidth 2 -draw 'roundrectangle 3,5 29,22 5,5' \
  -fill white -stroke none -draw 'polygon 9,21 9,28 16,21' \
  -draw 'circle 10,13.5 10,15' -draw 'circle 16,13.5 16,15' -draw 'circle 22,13.5 22,15' \
  -strip PNG32:outline.png
