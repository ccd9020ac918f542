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
# not on the in-memory fallback). $2: the server's log, shown when it does not come up. $3: the
# server's pid, to stop waiting at once when it exits (another server holding the data
# folder's text-index lock, say) instead of after five minutes.
wait_until_ready() {
  local url=$1 log=$2 pid=${3:-}
  for _ in $(seq 1 600); do
    if curl -sf "$url/readyz" >/dev/null 2>&1; then break; fi
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.5
  done
  curl -sf "$url/readyz" >/dev/null || { echo "server did not become ready" >&2; cat "$log" >&2; exit 1; }
  for _ in $(seq 1 1200); do
    if curl -sf -H "X-API-Key: $key" "$url/v1/stats" | grep -q '"state":"ready"'; then break; fi
    sleep 0.5
  done
}

# User + system clock ticks of process $1 so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# Runs the command after $1 (a wrk run with bench/http/queries.lua) and prints its RESULT line
# with server_cpu_us appended: the CPU time process $1 (the server) spent over the run, per
# request wrk counted. That is what a route costs whatever share of the cores wrk takes.
measured_wrk() {
  local pid=$1
  shift
  local before result ticks requests
  before=$(cpu_ticks "$pid")
  result=$("$@" | grep '^RESULT')
  ticks=$(( $(cpu_ticks "$pid") - before ))
  requests=$(sed -n 's/.* requests=\([0-9]*\) .*/\1/p' <<<"$result")
  echo "$result server_cpu_us=$(( requests > 0 ? ticks * 1000000 / $(getconf CLK_TCK) / requests : 0 ))"
}
