-- One wrk script for every endpoint of the benchmark. Arguments (after wrk's "--"):
--   <endpoint> <key> [file of robot GUIDs, or of request paths (byname), or of JSON bodies (logcreate, logbatch)]
-- endpoint: alive | heartbeat | read | list | unauthorized | byname | logcreate | logbatch
-- Requests are formatted once per thread in init(); request() only hands the next one over, so the
-- generator spends as little as it can per request and the same for every endpoint.
-- (wrk runs LuaJIT, Lua 5.1: no integer division operator.)
-- done() prints one machine-readable line the driver parses.

local requests = {}
local next_index = 0
local threads = {}

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

local function lines_from(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then
      table.insert(lines, line)
    end
  end
  return lines
end

function init(args)
  local endpoint, key, robots_path = args[1], args[2], args[3]
  local auth = { ["Authorization"] = "Bearer " .. key }
  local json = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
  if endpoint == "alive" then
    table.insert(requests, wrk.format("GET", "/alive"))
  elseif endpoint == "list" then
    table.insert(requests, wrk.format("GET", "/api/robot/read", auth))
  elseif endpoint == "unauthorized" then
    -- A well-formed key that belongs to no account: hashed, looked up in the key cache, refused.
    table.insert(requests, wrk.format("GET", "/api/robot/read", { ["Authorization"] = "Bearer " .. string.rep("x", 43) }))
  elseif endpoint == "byname" then
    for _, path in ipairs(lines_from(robots_path)) do
      table.insert(requests, wrk.format("GET", path, auth))
    end
  elseif endpoint == "logcreate" or endpoint == "logbatch" then
    local path = endpoint == "logcreate" and "/api/log/create" or "/api/log/createBatch"
    for _, body in ipairs(lines_from(robots_path)) do
      table.insert(requests, wrk.format("POST", path, json, body))
    end
  else
    for i, guid in ipairs(lines_from(robots_path)) do
      if endpoint == "heartbeat" then
        local body = string.format(
          '{"GUID": "%s", "Machine": "WS-%d", "IP": "10.0.%d.%d", "MAC": "00:00:00:00:%02x:%02x", "Version": "2.4.1"}',
          guid, i, math.floor(i / 256), i % 256, math.floor(i / 256), i % 256)
        table.insert(requests, wrk.format("POST", "/api/robot/heartbeat", json, body))
      elseif endpoint == "read" then
        table.insert(requests, wrk.format("GET", "/api/robot/read/" .. guid, auth))
      else
        error("unknown endpoint " .. endpoint)
      end
    end
  end
  -- Threads start at different robots so that they do not walk the same grains in step.
  next_index = ((thread_number or 0) * math.floor(#requests / 2)) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, _)
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
