#!/usr/bin/env bash
# The media tests run ffmpeg/ffprobe (video probing and encoding): install them when missing.
set -euo pipefail
if command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-ffmpeg: ffmpeg/ffprobe are missing and installing them needs root" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg >/dev/null
