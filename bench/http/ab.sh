#!/usr/bin/env bash
# A/B comparison of two padan builds under HTTP load, interleaved: both servers run at once on
# the same core(s) (SERVER_CPUS), each on its own copy of the data folder, and wrk (on
# CLIENT_CPUS) drives them in turn, ROUNDS times per route and connection count, DURATION
# each. On a VM whose speed moves by 20-40 % within minutes, runs of one build after the other
# can disagree in sign; rounds a few seconds apart cannot drift apart as much.
#
#   OLD=/tmp/padan-old PERSONS=10000000 bench/http/ab.sh
#
# The second data folder is a copy of the first (bench-data/http-$PERSONS/data-b, kept for
# the next comparison: two servers cannot open one folder). Environment: OLD (required), NEW
# (default build/padan), PERSONS (default 1000000), ROUTES (default "nik match"), CONNECTIONS
# (default "8"), ROUNDS (default 5), DURATION (seconds, default 6), SERVER_CPUS (default 0),
# CLIENT_CPUS (default 1), PORT (default 18190; the new build gets PORT + 1).
set -euo pipefail
cd "$(dirname "$0")/../.."

old=${OLD:?OLD=<the padan binary to compare with>}
new=${NEW:-build/padan}
persons=${PERSONS:-1000000}
rounds=${ROUNDS:-5}
duration=${DURATION:-6}
server_cpus=${SERVER_CPUS:-0}
client_cpus=${CLIENT_CPUS:-1}
port=${PORT:-18190}
padan=$new
dir=bench-data/http-$persons
key=demo-pusat-key

source bench/http/common.sh
prepare_bench_data
[ -d "$dir/data-b" ] || cp -r "$dir/data" "$dir/data-b"

taskset -c "$server_cpus" "$old" serve --data "$dir/data-b" --keys server/demo/keys.json \
  --port "$port" --threads 1 --audit-log "$dir/audit-a.ndjson" 2>"$dir/serve-a.log" &
server_old=$!
taskset -c "$server_cpus" "$new" serve --data "$dir/data" --keys server/demo/keys.json \
  --port $((port + 1)) --threads 1 --audit-log "$dir/audit-b.ndjson" 2>"$dir/serve-b.log" &
server_new=$!
trap 'kill -TERM $server_old $server_new 2>/dev/null || true; wait 2>/dev/null || true' EXIT
wait_until_ready "http://127.0.0.1:$port" "$dir/serve-a.log" $server_old
wait_until_ready "http://127.0.0.1:$((port + 1))" "$dir/serve-b.log" $server_new

echo "padan A/B: old $old, new $new, $persons persons, servers on cores $server_cpus," \
     "wrk on $client_cpus, $rounds rounds of ${duration}s"
for mode in ${ROUTES:-nik match}; do
  case $mode in
    nik) file=nik.txt ;;
    match) file=match.ndjson ;;
    search) file=search.txt ;;
  esac
  export MODE=$mode QUERIES="$dir/queries/$file" API_KEY=$key
  for c in ${CONNECTIONS:-8}; do
    for side in old new; do  # warm-up
      p=$port; [ $side = new ] && p=$((port + 1))
      taskset -c "$client_cpus" wrk -t1 -c"$c" -d2s -s bench/http/queries.lua "http://127.0.0.1:$p" >/dev/null
    done
    for round in $(seq 1 "$rounds"); do
      for side in old new; do
        if [ $side = old ]; then p=$port; pid=$server_old; else p=$((port + 1)); pid=$server_new; fi
        result=$(measured_wrk $pid taskset -c "$client_cpus" wrk -t1 -c"$c" -d"${duration}s" \
                   --latency -s bench/http/queries.lua "http://127.0.0.1:$p")
        echo "${result/#RESULT /RESULT build=$side round=$round connections=$c }"
      done
    done
  done
done
