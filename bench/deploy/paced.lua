-- A paced load for wrk (Debian's wrk 4.1, LuaJIT): run with as many connections as threads,
--   wrk -t16 -c16 -d120s --timeout 10s -s paced.lua http://127.0.0.1:8080 -- RATE 16 OUTDIR /path/a /path/b
-- Each thread's connection sends its next request at a fixed schedule (RATE across all threads, as
-- the demo's LoadGenerator paces), the paths in turn, and logs every answer to OUTDIR/wrk-<n>.log as
-- "<start ns> <latency ns> <status>", start on CLOCK_MONOTONIC (the clock of Java's System.nanoTime),
-- so the bench can cut the same windows as with its own load tool. Socket errors and timeouts are in
-- wrk's own summary; bench/deploy/DeployBench.java reads both.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } baton_timespec;
  int clock_gettime(int clk_id, baton_timespec *tp);
]]
local ts = ffi.new("baton_timespec")
local function now_ns()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e9 + tonumber(ts.tv_nsec)
end

local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local interval, next_at, started, requests, i, out
function init(args)
  local rate = tonumber(args[1])
  local count = tonumber(args[2])
  out = io.open(args[3] .. "/wrk-" .. id .. ".log", "w")
  out:setvbuf("line") -- wrk ends on SIGINT without closing it: nothing may wait in a buffer
  requests = {}
  for k = 4, #args do
    requests[#requests + 1] = wrk.format("GET", args[k])
  end
  interval = 1e9 * count / rate
  next_at = now_ns() + interval * id / count -- threads spread over one interval
  i = id
end

function delay()
  next_at = next_at + interval
  local wait = (next_at - now_ns()) / 1e6
  return wait > 0 and math.floor(wait) or 0
end

function request()
  started = now_ns()
  i = i + 1
  return requests[i % #requests + 1]
end

function response(status, headers, body)
  out:write(string.format("%.0f %.0f %d\n", started, now_ns() - started, status))
end
