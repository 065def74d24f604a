#!/usr/bin/env bash
# The viewer in the engines of other phones (BrowserEnginesTest, src/test/browser/engines.mjs and
# webkit.mjs): Firefox ESR, WebKitGTK's MiniBrowser with its WebDriver, xvfb for their windows (Mesa
# draws WebGL in software) and GStreamer's H.264 decoder for WebKit's video. As root; idempotent and
# quiet. src/test/browser's packages (puppeteer-core) come with setup-chromium.sh.
set -euo pipefail

packages=(firefox-esr webkit2gtk-driver xvfb xauth gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  gstreamer1.0-libav gstreamer1.0-gl)
missing=()
for pkg in "${packages[@]}"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-engines: ${missing[*]} missing and not root; BrowserEnginesTest will skip (or fail when CI=true)" >&2
    exit 0
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
