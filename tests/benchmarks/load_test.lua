-- wrk script for tests/benchmarks/load_test.py (see its docstring).
--
-- wrk -t N -c N -s load_test.lua URL -- PLAN_FILE N
--
-- PLAN_FILE has one request per line: kind <TAB> path <TAB> Cookie header value. Each wrk
-- thread walks the plan from its own offset. With one connection per thread (-t = -c) a
-- thread has one request in flight, so request() and response() pair up and the time
-- between them is that request's latency; each thread keeps "kind status microseconds"
-- per request, and done() prints them all for the Python script to summarise.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } mrnavet_timespec;
  int clock_gettime(int clock_id, mrnavet_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("mrnavet_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local plan = {}
local position = 0
local current_kind = nil
local started_at = 0
samples = {}

function init(args)
  local path = args[1]
  for line in io.lines(path) do
    local kind, url, cookie = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
    if kind then
      table.insert(plan, { kind = kind, path = url, cookie = cookie })
    end
  end
  if #plan == 0 then
    error("empty plan file: " .. tostring(path))
  end
  -- Spread the threads over the plan so they do not all start on the same page.
  local threads_in_all = tonumber(args[2]) or 1
  position = math.floor(thread_index * #plan / threads_in_all) % #plan
end

function request()
  position = position % #plan + 1
  local item = plan[position]
  current_kind = item.kind
  started_at = now_us()
  return wrk.format("GET", item.path, { ["Cookie"] = item.cookie, ["Accept-Language"] = "sv" })
end

function response(status, headers, body)
  local elapsed = now_us() - started_at
  samples[#samples + 1] = string.format("%s %d %d", current_kind, status, elapsed)
end

function done(summary, latency, requests)
  io.write(string.format("WRK_SUMMARY duration_us=%d requests=%d bytes=%d connect=%d read=%d "
    .. "write=%d status=%d timeout=%d\n",
    summary.duration, summary.requests, summary.bytes, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  for _, p in ipairs({ 50, 95, 99 }) do
    io.write(string.format("WRK_LATENCY p%d_us=%d\n", p, latency:percentile(p)))
  end
  for _, thread in ipairs(threads) do
    local thread_samples = thread:get("samples")
    for _, sample in ipairs(thread_samples) do
      io.write("SAMPLE ", sample, "\n")
    end
  end
end
