#!/bin/sh
# What the console's browser tests (tests/console) need: Debian's Chromium, its packaged
# chromedriver and a CJK font, so that Chinese renders as Chinese in the screenshots.
# As root (CI), installs what is missing with apt-get; otherwise says what to install and
# fails. Nothing here downloads a browser from anywhere else.
set -eu

PACKAGES="chromium chromium-driver fonts-noto-cjk"

has_font() {
    if command -v fc-list >/dev/null 2>&1; then
        fc-list :lang=zh family | grep -qi "Noto Sans CJK"
    else
        dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed"
    fi
}

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && has_font; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "The browser tests need Chromium, its driver and a CJK font. Install them with:" >&2
    echo "    sudo apt-get install chromium chromium-driver fonts-noto-cjk" >&2
    exit 1
fi

echo "Installing $PACKAGES for the browser tests (apt-get)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $PACKAGES
