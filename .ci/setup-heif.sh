#!/usr/bin/env bash
# The photo tests decode HEIC/AVIF with libheif's heif-convert and make them with heif-enc, and
# make WebP with cwebp: install them when missing.
set -euo pipefail
if command -v heif-convert >/dev/null 2>&1 && command -v heif-enc >/dev/null 2>&1 \
  && command -v cwebp >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-heif: heif-convert/heif-enc/cwebp are missing and installing them needs root" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libheif-examples webp >/dev/null
