-- wrk script for bench/load/run.sh: cycles through presigned request paths (one per line in
-- $WRK_PATHS); PUTs send the bytes of $WRK_BODY. done() prints one machine-readable line.
local method = os.getenv("WRK_METHOD") or "GET"
local paths_file = os.getenv("WRK_PATHS")
local body_file = os.getenv("WRK_BODY")
local object_size = tonumber(os.getenv("WRK_SIZE") or "0")

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local paths, body, next_index

function init(args)
  paths = {}
  for line in io.lines(paths_file) do
    table.insert(paths, line)
  end
  if method == "PUT" then
    local f = assert(io.open(body_file, "rb"))
    body = f:read("*a")
    f:close()
  end
  next_index = (id * 7919) % #paths
end

function request()
  next_index = next_index % #paths + 1
  return wrk.format(method, paths[next_index], nil, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.status + e.timeout
  io.write(string.format("RESULT %s %d %d %.1f %.1f %.3f %.3f %.3f %d\n",
    method, object_size, summary.requests, summary.requests / seconds,
    summary.requests * object_size / seconds / 1048576,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, errors))
end
