#!/usr/bin/env bash
# Installs what the chart browser test needs: Debian's Chromium and plotly.js from npm (into
# tests/browser/node_modules, git-ignored). Safe to run twice.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi
if [ ! -f "$here/browser/node_modules/plotly.js-dist-min/plotly.min.js" ]; then
  npm install --silent --no-audit --no-fund --prefix "$here/browser" plotly.js-dist-min@4.1.2 >/dev/null
fi
echo "browser test ready: $(command -v chromium), plotly.js $(node -p "require('$here/browser/node_modules/plotly.js-dist-min/package.json').version")"
