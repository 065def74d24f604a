#!/usr/bin/env bash
# The CMYK photo tests make print files with ImageMagick's convert and compare against its rendering;
# Ghostscript's ICC profiles (libgs-common) give them a SWOP CMYK profile to embed. Some machines have
# a stand-in /usr/local/bin/convert that is not ImageMagick: check the real one is there.
set -euo pipefail
if /usr/bin/convert -version 2>/dev/null | grep -q ImageMagick \
  && [ -f /usr/share/color/icc/ghostscript/default_cmyk.icc ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-imagemagick: ImageMagick or libgs-common is missing and installing them needs root" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends imagemagick libgs-common >/dev/null
