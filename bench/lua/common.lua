-- Shared by the scenarios: one signed-in learner per request, picked at random from the
-- sample the benchmark prepared (session cookie, CSRF token, API token per line).
local learners = {}

function load_learners(path)
  for line in io.lines(path) do
    local session, csrf, token = line:match("^(%S+) (%S+) (%S+)$")
    learners[#learners + 1] = { session = session, csrf = csrf, token = token }
  end
end

function pick()
  return learners[math.random(#learners)]
end

function report(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non_2xx_3xx": %d, '
      .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\n',
    summary.requests, summary.duration, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
