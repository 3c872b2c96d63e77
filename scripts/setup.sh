#!/usr/bin/env bash
# Install everything nianbao needs on a fresh Debian 12 machine (run as root): system packages
# via apt, then Python dependencies into ./.venv with uv. Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

APT_PACKAGES=(chromium postgresql redis-server libreoffice-writer-nogui libreoffice-calc-nogui
  fonts-wqy-zenhei poppler-utils antiword catdoc tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng
  tinyproxy)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v uv >/dev/null 2>&1 || python3 -m pip install -q uv
[ -x .venv/bin/python ] || uv venv -q .venv
VIRTUAL_ENV=$PWD/.venv uv pip install -q -e ".[dev]"
