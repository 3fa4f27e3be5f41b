#!/usr/bin/env bash
# Installs what the browser tests (chart drawing, lesson pictures) need: Debian's Chromium, with apt as root
# or through sudo. plotly.js is not installed: charts carry Plotly.NET's copy. Safe to run twice.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/bin/chromium ]; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
echo "browser tests ready: $(/usr/bin/chromium --version 2>/dev/null)"
