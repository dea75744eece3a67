-- wrk script: requests the paths listed in a file, in turn, from a given offset.
--   wrk … -s bench/paths.lua <url> -- <paths file> [offset]
-- A line is `path` or `path<TAB>seed` (the seed is sent as X-Mock-Seed). done() prints one JSON
-- line starting with BENCH_RESULT for bench/run.mjs.
local paths, count, cursor = {}, 0, 0
local prebuilt = nil

function init(args)
  for line in io.lines(args[1]) do
    count = count + 1
    paths[count] = line
  end
  cursor = tonumber(args[2] or "0")
  if count == 1 and not paths[1]:find("\t") then prebuilt = wrk.format(nil, paths[1]) end
end

function request()
  if prebuilt then return prebuilt end
  local line = paths[(cursor % count) + 1]
  cursor = cursor + 1
  local path, seed = line:match("^([^\t]*)\t?(.*)$")
  if seed == "" then return wrk.format(nil, path) end
  local headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["X-Mock-Seed"] = seed
  return wrk.format(nil, path, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"p50_us":%d,"p99_us":%d,"errors":%d,"status_errors":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
