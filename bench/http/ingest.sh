#!/usr/bin/env bash
# Write throughput of POST /v1/ingest: starts `padan serve` on a copy of a generated registry's
# data folder (the writes change it; the cached folder of bench/http/run.sh stays as it was),
# reads HOUSEHOLDS households back through the API and writes them again for DURATION per case
# (bench/http/ingest_load.py): replaced with another address, and inserted under new ids; one
# household per body on 1 and 8 connections, 100 and 1,000 per body on 1 connection and 1,000
# on 4. Each write is fsynced before it is answered (DESIGN.md §5), and indexed at once.
#
#   bench/http/ingest.sh                       # 1 M persons
#   PERSONS=200000 DURATION=5s bench/http/ingest.sh
#
# Environment: PERSONS (default 1000000), DURATION (seconds per case, default 10), HOUSEHOLDS
# (default 8000), SERVER_THREADS (default 2), PORT (default 18183), PADAN (default
# build/padan), BENCH_DIR (default bench-data/http-$PERSONS, shared with run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

persons=${PERSONS:-1000000}
duration=${DURATION:-10}
duration=${duration%s}
households=${HOUSEHOLDS:-8000}
server_threads=${SERVER_THREADS:-2}
port=${PORT:-18183}
padan=${PADAN:-build/padan}
dir=${BENCH_DIR:-bench-data/http-$persons}
key=demo-pusat-key

source bench/http/common.sh
prepare_bench_data

copy=$(mktemp -d "${TMPDIR:-/tmp}/padan-ingest.XXXXXX")
cp -r "$dir/data/." "$copy/"
"$padan" serve --data "$copy" --keys server/demo/keys.json --port "$port" \
  --threads "$server_threads" --audit-log "$copy/audit.ndjson" 2>"$copy/serve.log" &
server=$!
cleanup() {
  kill -TERM $server 2>/dev/null || true
  wait $server 2>/dev/null || true
  rm -rf "$copy"
}
trap cleanup EXIT

url="http://127.0.0.1:$port"
wait_until_ready "$url" "$copy/serve.log" $server
echo "padan ingest: $persons persons, $households households read back, ${duration}s per case," \
     "$server_threads server threads, $(nproc) cores shared by client and server," \
     "data on $(df --output=source "$copy" | tail -1)"
python3 bench/http/ingest_load.py "$url" "$key" "$households" "$duration" "$server" \
  <"$dir/gen/dtks.csv"
rss_kb=$(ps -o rss= -p $server)
echo "RESULT server_rss_mib=$((rss_kb / 1024))"
curl -s "$url/metrics" | grep -E '^padan_(persons|log_bytes|http_request_duration_seconds_count\{method="POST",route="/v1/ingest")' || true
