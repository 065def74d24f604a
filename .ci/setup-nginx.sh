#!/usr/bin/env bash
# The nginx test runs docker/nginx.conf with Debian's nginx in front of the service: install it when missing.
# Only the binary is needed; the test starts its own unprivileged instance, so the system service is not used.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup-nginx: nginx is missing and installing it needs root" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
# Debian starts the packaged service on port 80 where it can; the tests do not want it running.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
  systemctl stop nginx || true
fi
