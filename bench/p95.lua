-- wrk script for the benchmark (bench/run.sh).
--
-- wrk's own --latency report has no 95th percentile, so done() prints one machine-readable
-- line that bench/zusammenfassen.py reads:
--   ERGEBNIS median_ms=… p95_ms=… p99_ms=… max_ms=… requests=… rps=… fehler=… status_fehler=… bytes=…
--
-- Optional: `wrk … -s bench/p95.lua URL -- PFADE.txt` requests the paths in that file (one per
-- line) in turn instead of the URL's path, e.g. to spread detail pages over several slugs so
-- no single row stays hot in every cache. Each wrk thread runs its own copy of this script.

local pfade = {}
local naechster = 0

-- Runs in the main state once per thread, before init(): gives each thread its number.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("nummer", threads)
end

function init(args)
  if args[1] then
    for zeile in io.lines(args[1]) do
      if zeile ~= "" then
        pfade[#pfade + 1] = zeile
      end
    end
  end
  -- Threads start at different paths so they do not hit the same row at the same moment.
  if #pfade > 0 then
    naechster = ((nummer or 1) - 1) * math.floor(#pfade / 2) % #pfade
  end
end

function request()
  if #pfade == 0 then
    return wrk.format()
  end
  naechster = naechster % #pfade + 1
  return wrk.format("GET", pfade[naechster])
end

function done(summary, latency, requests)
  local e = summary.errors
  local sekunden = summary.duration / 1e6
  -- e.status counts answers >= 400 (a fast 500 must not look like a fast page); run.sh checks
  -- beforehand with curl that every URL answers 200, which also rules out redirects.
  io.write(string.format(
    "ERGEBNIS median_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d rps=%.2f " ..
    "fehler=%d status_fehler=%d bytes=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests, summary.requests / sekunden,
    e.connect + e.read + e.write + e.timeout, e.status, summary.bytes
  ))
end
