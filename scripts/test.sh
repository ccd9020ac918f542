#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, builds everything
# (library, tests, benchmarks) and runs the whole test suite with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh
ctest --test-dir "${PADAN_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"
