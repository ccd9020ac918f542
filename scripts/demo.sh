#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, makes the demo data on first
# use (a fixed-seed synthetic registry of 200,000 persons, never committed) and runs padan on it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh padan

# The demo registry is `padan gen --demo` (200,000 persons, fixed seed, duplicates and a
# verivali pair); gen.json marks a complete run.
demo_dir=demo-data
if [ ! -f "$demo_dir/gen.json" ]; then
  rm -rf "$demo_dir"
  build/padan gen --demo --out "$demo_dir"
fi

build/padan import --input "$demo_dir/dtks.csv"
