-- wrk script for bench/http/run.sh: cycles through a file of queries, one per line, and prints
-- one summary line (requests/s, latency percentiles, error counts) that run.sh collects.
-- Environment: QUERIES (file), MODE ("nik": GET /v1/nik/<line>, "search": GET /v1/search?q=<line>,
-- "match": POST /v1/match with the line as body, "healthz": GET /healthz, no file), API_KEY, PIPELINE (requests sent at once on a
-- connection; default 1).
local queries = {}
local mode = os.getenv("MODE")
local key = os.getenv("API_KEY")
local counter = 0

if mode ~= "healthz" then
  for line in io.lines(os.getenv("QUERIES")) do
    if #line > 0 then queries[#queries + 1] = line end
  end
end

function setup(thread)
  -- Each wrk thread starts at its own offset so threads do not send the same query at once.
  thread:set("start", counter * 7919)
  counter = counter + 1
end

function init(args)
  index = start or 0
end

-- One request, the next query of the file.
local function next_request()
  if mode == "healthz" then return wrk.format("GET", "/healthz") end
  index = index % #queries + 1
  local q = queries[index]
  local headers = { ["X-API-Key"] = key }
  if mode == "nik" then
    return wrk.format("GET", "/v1/nik/" .. q, headers)
  elseif mode == "search" then
    return wrk.format("GET", "/v1/search?limit=10&q=" .. q, headers)
  end
  headers["Content-Type"] = "application/json"
  return wrk.format("POST", "/v1/match", headers, q)
end

-- PIPELINE=n sends n requests at once on each connection (HTTP/1.1 pipelining), so that the
-- loopback transport's system calls are shared by n requests; wrk counts each response.
local pipeline = tonumber(os.getenv("PIPELINE") or "1")

function request()
  if pipeline <= 1 then return next_request() end
  local batch = {}
  for i = 1, pipeline do batch[i] = next_request() end
  return table.concat(batch)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT mode=%s requests=%d rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "non2xx=%d socket_errors=%d\n",
    mode, summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.errors.status,
    errors.connect + errors.read + errors.write + errors.timeout))
end
