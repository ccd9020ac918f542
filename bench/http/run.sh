#!/usr/bin/env bash
# Load benchmark of the HTTP API (issue 5): generates a registry of $PERSONS persons with
# duplicates (once, cached under bench-data/), imports it into a data folder, starts
# `padan serve` on loopback and drives it with wrk over keep-alive connections:
#   GET /v1/nik/{nik}      exact NIK lookups of registry persons
#   POST /v1/match         the generator's corrupted duplicates as queries (bench/http/queries.lua)
#   GET /v1/search?q=      their names, half with the kab/kota name
# Prints one line per route (requests/s, p50/p90/p99 latency) and the server's memory.
# Bounded in time: DURATION per route (default 15s) after a 3 s warm-up.
#
#   bench/http/run.sh                 # 1 M persons
#   PERSONS=10000000 bench/http/run.sh
#
# Environment: PERSONS, DURATION, CONNECTIONS (default 32), WRK_THREADS (default 1),
# SERVER_THREADS (default 2), PORT (default 18181), PADAN (default build/padan),
# BENCH_DIR (default bench-data/http-$PERSONS).
set -euo pipefail
cd "$(dirname "$0")/../.."

persons=${PERSONS:-1000000}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-32}
wrk_threads=${WRK_THREADS:-1}
server_threads=${SERVER_THREADS:-2}
port=${PORT:-18181}
padan=${PADAN:-build/padan}
dir=${BENCH_DIR:-bench-data/http-$persons}
key=demo-pusat-key  # national, PII, no rate limit (server/demo/keys.json)

command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh installs it" >&2; exit 1; }
[ -x "$padan" ] || scripts/build.sh padan

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

"$padan" serve --data "$dir/data" --keys server/demo/keys.json --port "$port" \
  --threads "$server_threads" --audit-log "$dir/audit.ndjson" 2>"$dir/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT

url="http://127.0.0.1:$port"
for _ in $(seq 1 600); do
  if curl -sf "$url/readyz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -sf "$url/readyz" >/dev/null || { echo "server did not become ready" >&2; cat "$dir/serve.log" >&2; exit 1; }
# Search is measured on the Xapian index, not the in-memory fallback: wait for its first build.
for _ in $(seq 1 1200); do
  if curl -sf -H "X-API-Key: $key" "$url/v1/stats" | grep -q '"state":"ready"'; then break; fi
  sleep 0.5
done

echo "padan HTTP load: $persons persons, $server_threads server threads, wrk -t$wrk_threads" \
     "-c$connections, $duration per route, $(nproc) cores shared by client and server"
for mode in nik match search; do
  case $mode in
    nik) file=nik.txt ;;
    match) file=match.ndjson ;;
    search) file=search.txt ;;
  esac
  export MODE=$mode QUERIES="$dir/queries/$file" API_KEY=$key
  wrk -t"$wrk_threads" -c"$connections" -d3s -s bench/http/queries.lua "$url" >/dev/null
  wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s bench/http/queries.lua "$url" |
    grep '^RESULT'
done
rss_kb=$(ps -o rss= -p $server)
echo "RESULT server_rss_mib=$((rss_kb / 1024))"
curl -s "$url/metrics" | grep -E '^padan_(persons|http_request_duration_seconds_count)' || true
