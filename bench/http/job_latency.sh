#!/usr/bin/env bash
# Search and match latency while a batch job runs (issue 6): starts `padan serve` on a generated
# registry, measures GET /v1/search and POST /v1/match with a light officer-like load (wrk,
# CONNECTIONS keep-alive connections) on an idle server, then submits a link job of the whole
# registry export through POST /v1/jobs and measures the same load while the job runs, and
# prints the job's own rate. Bounded in time: DURATION per measurement; the job is cancelled at
# the end.
#
#   bench/http/job_latency.sh                       # 1 M persons, job threads at nice 10
#   PERSONS=200000 NICE=0 bench/http/job_latency.sh # the same without renicing the job
#
# Environment: PERSONS (default 1000000), DURATION (default 15s), CONNECTIONS (default 4),
# NICE (jobs.nice, default 10), SERVER_THREADS (default 2), PORT (default 18182),
# PADAN (default build/padan), BENCH_DIR (default bench-data/http-$PERSONS, shared with run.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

persons=${PERSONS:-1000000}
duration=${DURATION:-15s}
connections=${CONNECTIONS:-4}
nice=${NICE:-10}
server_threads=${SERVER_THREADS:-2}
port=${PORT:-18182}
padan=${PADAN:-build/padan}
dir=${BENCH_DIR:-bench-data/http-$persons}
key=demo-pusat-key

source bench/http/common.sh
prepare_bench_data

config="$dir/job_latency.json"
cat >"$config" <<EOF
{"keys": "server/demo/keys.json", "jobs": {"workers": 1, "nice": $nice}}
EOF

"$padan" serve --data "$dir/data" --config "$config" --port "$port" \
  --threads "$server_threads" --audit-log "$dir/audit.ndjson" 2>"$dir/serve-jobs.log" &
server=$!
job=""
url="http://127.0.0.1:$port"
cleanup() {
  if [ -n "$job" ]; then curl -s -X DELETE -H "X-API-Key: $key" "$url/v1/jobs/$job" >/dev/null || true; fi
  kill -TERM $server 2>/dev/null || true
  wait $server 2>/dev/null || true
}
trap cleanup EXIT

wait_until_ready "$url" "$dir/serve-jobs.log" $server

measure() {  # $1: label
  for mode in search match; do
    case $mode in
      match) file=match.ndjson ;;
      search) file=search.txt ;;
    esac
    export MODE=$mode QUERIES="$dir/queries/$file" API_KEY=$key
    wrk -t1 -c"$connections" -d2s -s bench/http/queries.lua "$url" >/dev/null
    wrk -t1 -c"$connections" -d"$duration" --latency -s bench/http/queries.lua "$url" |
      grep '^RESULT' | sed "s/^RESULT /RESULT load=$1 /"
  done
}

job_field() {  # $1: field of GET /v1/jobs/{id}
  curl -s -H "X-API-Key: $key" "$url/v1/jobs/$job" |
    python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"
}

echo "padan latency while a job runs: $persons persons, $server_threads server threads," \
     "wrk -c$connections, $duration per measurement, jobs.nice=$nice, $(nproc) cores"
measure idle
response=$(curl -s -H "X-API-Key: $key" \
  -F 'job={"type":"link","params":{"format":"csv"}};type=application/json' \
  -F "input=@$dir/gen/dtks.csv" "$url/v1/jobs")
job=$(echo "$response" | python3 -c "import json,sys; print(json.load(sys.stdin)['id'])")
for _ in $(seq 1 100); do
  [ "$(job_field "['state']")" = running ] && break
  sleep 0.2
done
echo "RESULT job=$job state=$(job_field "['state']")"
measure during_link_job
echo "RESULT job_state_after=$(job_field "['state']") job_progress=$(job_field "['progress']['fraction']")" \
     "job_rate_bytes_per_s=$(job_field "['progress']['rate_per_second']")"
