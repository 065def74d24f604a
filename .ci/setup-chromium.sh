#!/usr/bin/env bash
# The viewer browser test (ViewerBrowserTest, src/test/browser/) drives Debian's chromium headless
# through playwright-core: installs chromium (and Node.js/npm when missing) as root, then
# src/test/browser/'s locked packages. Idempotent and quiet.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-chromium: ${missing[*]} missing and not root; ViewerBrowserTest will skip (or fail when CI=true)" >&2
    exit 0
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$root/src/test/browser"
# the stamp records which lock file node_modules was installed from
if ! cmp -s package-lock.json node_modules/.installed-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json node_modules/.installed-lock
fi
