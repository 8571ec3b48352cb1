-- The queue benchmark's wrk script (bench.lua has no response() callback, so that its endpoints do not pay
-- for one). Arguments (after wrk's "--"):
--   alive                                              GET /alive, the baseline, through this same script
--   cycle <key> <file of "robot job" lines> <queue>    a robot's work loop: task/next, then task/update Status 2
--   createBatch <key> <queue>                          a producer: POST /api/task/createBatch of 1,000 tasks
-- done() prints one machine-readable line the driver parses, with the cycle mode's own counts.

local requests = {}
local next_index = 0
local threads = {}
local cycle = false
local json

-- Taken task GUIDs wait here until a connection of this thread asks for its next request, which then
-- completes one. wrk asks for a connection's next request right after its answer, so a thread holds at most
-- as many taken tasks as it has connections; at the end of a run those few are left InProgress.
local taken = {}
takes, completes, empties = 0, 0, 0

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

local function lines_of(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then
      table.insert(lines, line)
    end
  end
  return lines
end

local function batch_body(queue)
  local tasks = {}
  for i = 1, 1000 do
    tasks[i] = string.format(
      '{"Name": "invoice-%d", "QueueGuid": "%s", "Priority": 1, "Parameters": {"invoice": %d, "amount": "%d.50"}}', i, queue, i, i * 7)
  end
  return "[" .. table.concat(tasks, ",") .. "]"
end

function init(args)
  local endpoint, key = args[1], args[2]
  if endpoint == "alive" then
    table.insert(requests, wrk.format("GET", "/alive"))
    return
  end
  json = { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }
  if endpoint == "cycle" then
    cycle = true
    for _, line in ipairs(lines_of(args[3])) do
      local robot, job = line:match("^(%S+) (%S+)$")
      local body = string.format('{"QueueGuid": "%s", "RobotGuid": "%s", "JobGuid": "%s"}', args[4], robot, job)
      table.insert(requests, wrk.format("POST", "/api/task/next", json, body))
    end
    -- Threads start at different consumers.
    next_index = ((thread_number or 0) * math.floor(#requests / 2)) % #requests
  elseif endpoint == "createBatch" then
    table.insert(requests, wrk.format("POST", "/api/task/createBatch", json, batch_body(args[3])))
  else
    error("unknown endpoint " .. endpoint)
  end
end

function request()
  if #taken > 0 then
    local guid = table.remove(taken)
    return wrk.format("PUT", "/api/task/update", json, '{"Guid": "' .. guid .. '", "Status": 2, "Result": {"ok": true}}')
  end
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function response(status, _, body)
  if not cycle then
    return
  end
  if status == 200 then
    local guid = body:match('"guid":"([%x%-]+)"')
    if guid then
      takes = takes + 1
      table.insert(taken, guid)
    else
      completes = completes + 1
    end
  elseif status == 204 then
    empties = empties + 1
  end
end

function done(summary, latency, _)
  local t, c, e = 0, 0, 0
  for _, thread in ipairs(threads) do
    t = t + (thread:get("takes") or 0)
    c = c + (thread:get("completes") or 0)
    e = e + (thread:get("empties") or 0)
  end
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d takes=%d completes=%d empties=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout, t, c, e))
end
