#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to run and test the kiosk: the Debian packages
# (browser, serial/scanner/USB tools, CJK fonts, PDF tools; PostgreSQL and nginx, which the hall's
# multi-node tests start as throwaway servers of their own) and the npm dependencies.
#
# Electron's binary is downloaded from its release host, which offline build machines cannot reach,
# so by default it is skipped (ELECTRON_SKIP_BINARY_DOWNLOAD=1): everything but the Electron window
# still runs, and `npm start` serves the kiosk to Chromium instead. Pass --with-electron to fetch it.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--with-electron" ]; then
  unset ELECTRON_SKIP_BINARY_DOWNLOAD
else
  export ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}"
fi

APT_PACKAGES=(chromium socat sane-utils libusb-1.0-0 udev fonts-noto-cjk xvfb poppler-utils postgresql nginx)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The tests start their own PostgreSQL cluster and nginx (src/testing/): they need the binaries only.
# Where the packages' own services were started (a machine with an init system), they keep running;
# the tests never use them.
compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null ||
  echo "warning: no PostgreSQL server binaries in /usr/lib/postgresql/*/bin; the PostgreSQL tests will fail (set PG_BIN_DIR)" >&2
[ -x /usr/sbin/nginx ] || echo "warning: /usr/sbin/nginx is missing; the nginx tests will fail (set NGINX_BIN)" >&2

echo "Installing npm dependencies (ELECTRON_SKIP_BINARY_DOWNLOAD=${ELECTRON_SKIP_BINARY_DOWNLOAD:-unset})"
npm ci --no-audit --no-fund
