#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, makes the demo data on first
# use (a fixed-seed synthetic registry of 200,000 persons, never committed), imports it into a
# data folder and serves it on http://127.0.0.1:8080 with the demo keys of server/demo/.
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

# The data folder (snapshot, log, model, text index) is made once; serve opens it in seconds.
if [ ! -f "$demo_dir/db/model.json" ]; then
  rm -rf "$demo_dir/db"
  build/padan import --input "$demo_dir/dtks.csv" --data "$demo_dir/db"
fi

cat >&2 <<'TEXT'

padan serves the demo registry on http://127.0.0.1:8080 (Ctrl-C stops it). Open that address in
a browser for the officers' search page, or try (keys: server/demo/README.md):

  curl -s -H 'X-API-Key: demo-pusat-key' 'http://127.0.0.1:8080/v1/search?q=siti+rahayu&limit=3'
  curl -s -H 'X-API-Key: demo-kabkota-bogor-key' -d '{"nama":"Siti Rahayu","tanggal_lahir":"1980"}' \
       http://127.0.0.1:8080/v1/match
  # a batch job: link the first 1,000 rows of the demo export to the registry, then fetch it
  head -1001 demo-data/dtks.csv > /tmp/daftar.csv
  curl -s -H 'X-API-Key: demo-pusat-key' -F 'job={"type":"link"};type=application/json' \
       -F input=@/tmp/daftar.csv http://127.0.0.1:8080/v1/jobs
  curl -s -H 'X-API-Key: demo-pusat-key' http://127.0.0.1:8080/v1/jobs/<id>/result

TEXT
exec build/padan serve --data "$demo_dir/db" --config server/demo/serve.json
