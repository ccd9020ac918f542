#!/usr/bin/env bash
# Configures (once) and builds padan in Release into build/. Extra arguments go to ninja
# (e.g. a target name).
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${PADAN_BUILD_DIR:-build}
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
jobs=$(nproc)
ninja -C "$build_dir" -j "$jobs" "$@"
