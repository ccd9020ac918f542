# Shared by the HTTP benchmarks (sourced, not run): the generated registry and its queries,
# cached under $dir, and waiting for a started server to be ready with its text index.
# Expects: padan, persons, dir, key.

command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
[ -x "$padan" ] || scripts/build.sh padan

# The registry export, its data folder and the query files, made once per size.
prepare_bench_data() {
  if [ ! -f "$dir/gen/gen.json" ]; then
    rm -rf "$dir"
    "$padan" gen --persons "$persons" --dup-rate 0.1 --out "$dir/gen"
  fi
  if [ ! -d "$dir/data" ]; then
    "$padan" import --input "$dir/gen/dtks.csv" --data "$dir/data"
  fi
  mkdir -p "$dir/queries"
  if [ ! -f "$dir/queries/match.ndjson" ]; then
    python3 bench/http/make_queries.py "$dir/gen" "$dir/queries" 100000
  fi
}

# Waits for /readyz at $1, then for the Xapian index's first build (search is measured on it,
# not on the in-memory fallback). $2: the server's log, shown when it does not come up.
wait_until_ready() {
  local url=$1 log=$2
  for _ in $(seq 1 600); do
    if curl -sf "$url/readyz" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  curl -sf "$url/readyz" >/dev/null || { echo "server did not become ready" >&2; cat "$log" >&2; exit 1; }
  for _ in $(seq 1 1200); do
    if curl -sf -H "X-API-Key: $key" "$url/v1/stats" | grep -q '"state":"ready"'; then break; fi
    sleep 0.5
  done
}
