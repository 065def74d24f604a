#!/usr/bin/env bash
# The viewer browser test (ViewerBrowserTest, browser-test/) drives Debian's chromium headless
# through playwright-core: install chromium when missing (root only), then browser-test/'s locked
# packages. Idempotent and quiet.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-chromium: /usr/bin/chromium is missing and installing it needs root; ViewerBrowserTest will skip (or fail when CI=true)" >&2
    exit 0
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi

command -v npm >/dev/null 2>&1 || { echo "setup-chromium: npm is missing (setup-interop.sh installs it)" >&2; exit 0; }
cd "$root/browser-test"
# the stamp records which lock file node_modules was installed from
if ! cmp -s package-lock.json node_modules/.installed-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json node_modules/.installed-lock
fi
