#!/usr/bin/env bash
# Debian's chromium (and libkrb5-dev, which code-server's native modules build against): the computer-use
# process tests drive it, and so do the end-to-end tests. apt-get needs root or sudo; skipped when installed.
set -euo pipefail
apt_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
if apt_installed chromium && apt_installed libkrb5-dev && [ -x /usr/bin/chromium ]; then
  echo "[chromium] chromium and libkrb5-dev already installed"
else
  echo "[chromium] apt: installing chromium libkrb5-dev"
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi
