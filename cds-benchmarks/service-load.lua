-- wrk script for the CDS Hooks service load benchmark: every request POSTs the same CDS Hooks
-- request with its own client token (a fresh jti), read from a file of pre-signed tokens (one per
-- line); thread i of n takes tokens i, i+n, i+2n, ... so no token is sent twice. Answers other
-- than 200 are counted per status and printed at the end.
-- Environment: LOAD_BODY (request file), LOAD_TOKENS (token file), LOAD_THREADS (wrk -t),
-- LOAD_OFFSET (tokens already used by earlier runs against the same server, default 0),
-- LOAD_RATE (calls a second over all connections; unset: each connection sends its next request
-- as soon as it has the answer) and LOAD_CONNECTIONS (wrk -c, needed with LOAD_RATE).
-- Answers 200 whose body differs from the thread's first 200 are counted as wrong.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local f = assert(io.open(os.getenv("LOAD_BODY"), "r"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  tokens = {}
  for line in io.lines(os.getenv("LOAD_TOKENS")) do
    tokens[#tokens + 1] = line
  end
  nthreads = tonumber(os.getenv("LOAD_THREADS"))
  next_token = id + tonumber(os.getenv("LOAD_OFFSET") or "0")
  statuses = {}
  exhausted = 0
  wrong = 0
  reference = nil
  local rate = tonumber(os.getenv("LOAD_RATE") or "0")
  if rate > 0 then
    -- Each connection waits this long before each request: together, about LOAD_RATE a second
    -- while the service keeps up.
    pause = math.floor(tonumber(os.getenv("LOAD_CONNECTIONS")) * 1000 / rate)
  end
end

function delay()
  return pause or 0
end

function request()
  local token = tokens[next_token]
  if token == nil then
    exhausted = exhausted + 1
    token = "exhausted"
  end
  next_token = next_token + nthreads
  wrk.headers["Authorization"] = "Bearer " .. token
  return wrk.format()
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 200 then
    if reference == nil then
      reference = body
    elseif body ~= reference then
      wrong = wrong + 1
    end
  end
end

function done(summary, latency, requests)
  local total = {}
  local wrongs, exhaust = 0, 0
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for k, v in pairs(s) do
      total[k] = (total[k] or 0) + v
    end
    wrongs = wrongs + thread:get("wrong")
    exhaust = exhaust + thread:get("exhausted")
  end
  for k, v in pairs(total) do
    io.write(string.format("status %d: %d\n", k, v))
  end
  io.write(string.format("wrong answers: %d, requests without a token: %d\n", wrongs, exhaust))
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %.0f answered/s, "
    .. "%.0f answered 200/s\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests / (summary.duration / 1e6),
    (total[200] or 0) / (summary.duration / 1e6)))
end
