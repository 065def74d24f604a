#!/usr/bin/env bash
# Installs what the MindAR interop check (MindArInteropTest, src/test/interop/check.mjs) needs on a fresh
# Debian machine, as root: Node.js and npm from apt when `node` is missing, then src/test/interop/'s locked
# packages. Idempotent and quiet. `--ignore-scripts` because mind-ar depends on `canvas`, whose
# native build fails without its system libraries and which the check never loads.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "interop-setup: node/npm missing and not root; MindArInteropTest will skip (or fail when CI=true)" >&2
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "interop-setup: node $(node --version) is too old, need >= 18" >&2
  exit 1
fi

cd "$root/src/test/interop"
# the stamp records which lock file node_modules was installed from
if ! cmp -s package-lock.json node_modules/.installed-lock 2>/dev/null; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
  cp package-lock.json node_modules/.installed-lock
fi
