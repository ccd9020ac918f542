#!/usr/bin/env python3
"""Drives POST /v1/ingest for bench/http/ingest.sh and prints one RESULT line per case.

usage: ingest_load.py URL API_KEY HOUSEHOLDS SECONDS [SERVER_PID] < registry.csv

Reads HOUSEHOLDS registry households back through GET /v1/households/{id}, for the ids
("ID Keluarga") of the generator's CSV on stdin, then for each case sends NDJSON bodies of
BATCH households on CONNECTIONS keep-alive connections for SECONDS:
  update  the households as read, with another address and today's updated_at: a replace,
          which tombstones the old version and indexes the new one (NIK, No KK, blocking
          keys, name cache, text index) after the log's fsync;
  new     the same households under new ids (id_keluarga and id_art prefixed): inserts.
Each case's RESULT line: households/s and persons/s written, request latency p50/p99, errors,
and with SERVER_PID the server's CPU time (user + system, /proc) per household written. Every
answer is checked (status 200 and the count it reports).
"""
import csv, datetime, http.client, json, os, sys, threading, time, urllib.parse

url, key, wanted, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
server_pid = sys.argv[5] if len(sys.argv) > 5 else None
CASES = ((1, 1), (1, 8), (100, 1), (1000, 1), (1000, 4))  # (households per body, connections)
if wanted < max(connections for _, connections in CASES):
    sys.exit("ingest_load: HOUSEHOLDS must cover one household per connection at least")
parsed = urllib.parse.urlparse(url)
today = datetime.date.today().isoformat()
# Fields GET returns that a write does not take.
READ_ONLY_PERSON = {"id_keluarga", "nik_valid"}


def connect():
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)


def request(conn, method, path, body=None, ndjson=False):
    headers = {"X-API-Key": key}
    if body is not None:
        headers["Content-Type"] = "application/x-ndjson" if ndjson else "application/json"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


def server_cpu_seconds():
    if server_pid is None: return 0.0
    with open(f"/proc/{server_pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def writable(household):
    """A GET /v1/households body as a write takes it: no empty or read-only fields."""
    out = {k: v for k, v in household.items() if k != "anggota" and v != ""}
    out["anggota"] = [{k: v for k, v in m.items() if k not in READ_ONLY_PERSON and v != ""}
                      for m in household["anggota"]]
    return out


ids = []
for row in csv.DictReader(sys.stdin):
    if row["ID Keluarga"] not in ids[-1:]:
        ids.append(row["ID Keluarga"])
    if len(ids) >= wanted * 2:
        break
conn = connect()
households = []
for id_keluarga in ids:
    status, body = request(conn, "GET", "/v1/households/" + urllib.parse.quote(id_keluarga))
    if status == 200:
        households.append(writable(json.loads(body)))
    if len(households) >= wanted:
        break
conn.close()
if len(households) < wanted:
    sys.exit(f"ingest_load: only {len(households)} of {wanted} households readable")


def updated(h, round_):
    h = dict(h)
    h["alamat"] = f"JL. BENCH {round_} NO {len(h['anggota'])}"
    h["updated_at"] = today
    return h


def renamed(h, round_):
    h = dict(h)
    prefix = f"B{round_}-"
    h["id_keluarga"] = prefix + h["id_keluarga"]
    h["updated_at"] = today
    h["anggota"] = [dict(m, id_art=prefix + m["id_art"]) for m in h["anggota"]]
    return h


def run_case(kind, batch, connections):
    make = updated if kind == "update" else renamed
    lock = threading.Lock()
    latencies, errors = [], []
    totals = {"households": 0, "persons": 0}
    deadline = time.monotonic() + seconds
    # Each connection takes its own slice of households, so that no two concurrent bodies
    # touch one household (the server would order them anyway, but the rounds would clash).
    per_connection = len(households) // connections

    def worker(c):
        mine = households[c * per_connection:(c + 1) * per_connection]
        conn = connect()
        round_, at = 0, 0
        while time.monotonic() < deadline:
            if at + batch > len(mine):
                round_, at = round_ + 1, 0
            chunk = [make(h, f"{c}.{round_}") for h in mine[at:at + batch]]
            at += batch
            body = "\n".join(json.dumps(h, separators=(",", ":")) for h in chunk) + "\n"
            start = time.monotonic()
            status, answer = request(conn, "POST", "/v1/ingest", body.encode(), ndjson=True)
            took = time.monotonic() - start
            with lock:
                if status != 200 or json.loads(answer).get("upserted") != len(chunk):
                    errors.append(f"{status} {answer[:200]!r}")
                    continue
                latencies.append(took)
                totals["households"] += len(chunk)
                totals["persons"] += sum(len(h["anggota"]) for h in chunk)
        conn.close()

    threads = [threading.Thread(target=worker, args=(c,)) for c in range(connections)]
    began, cpu_before = time.monotonic(), server_cpu_seconds()
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.monotonic() - began
    cpu_us = 1e6 * (server_cpu_seconds() - cpu_before) / max(1, totals["households"])
    latencies.sort()
    pct = lambda p: 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0
    print(f"RESULT ingest={kind} batch={batch} connections={connections} "
          f"requests={len(latencies)} households_per_s={totals['households'] / elapsed:.0f} "
          f"persons_per_s={totals['persons'] / elapsed:.0f} p50_ms={pct(0.5):.1f} "
          f"p99_ms={pct(0.99):.1f} errors={len(errors)}" +
          (f" server_cpu_us_per_household={cpu_us:.0f}" if server_pid else ""), flush=True)
    for e in errors[:3]:
        print(f"  error: {e}", file=sys.stderr)


for kind in ("update", "new"):
    for batch, connections in CASES:
        run_case(kind, batch, connections)
