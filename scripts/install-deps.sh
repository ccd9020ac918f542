#!/usr/bin/env bash
# Installs the Debian 12 packages padan builds and tests with, skipping those already present.
# Runs apt-get only when something is missing (as root, or through sudo).
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config ccache
  libabsl-dev libre2-dev libsimdjson-dev libxapian-dev libboost-dev libutf8proc-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libssl-dev libtcmalloc-minimal4 wrk curl python3
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "installing: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
