-- One script for every scenario; BENCH_SCENARIO picks what each request does.
package.path = "bench/lua/?.lua;" .. package.path
require("common")

local scenario = os.getenv("BENCH_SCENARIO")
local items = {}
local kpis = {}
local lead_cookie = nil

function init(args)
  math.randomseed(os.time() + (args[1] and tonumber(args[1]) or 0))
  load_learners(os.getenv("BENCH_LEARNERS"))
  for key in io.lines(os.getenv("BENCH_ITEMS")) do items[#items + 1] = key end
  for slug in io.lines(os.getenv("BENCH_KPIS")) do kpis[#kpis + 1] = slug end
  for line in io.lines(os.getenv("BENCH_LEAD")) do lead_cookie = line end
end

local statuses = { "done", "in_progress", "skipped", "not_started" }

function request()
  local l = pick()
  local cookie = "sessionid=" .. l.session .. "; csrftoken=" .. l.csrf
  if scenario == "dashboard" then
    return wrk.format("GET", "/dashboard/", { Cookie = cookie })
  elseif scenario == "toggle" then
    local key = items[math.random(#items)]
    local body = "status=" .. statuses[math.random(#statuses)]
    return wrk.format("POST", "/progress/items/" .. key .. "/", {
      Cookie = cookie, ["X-CSRFToken"] = l.csrf, ["HX-Request"] = "true",
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
  elseif scenario == "api_summary" then
    return wrk.format("GET", "/api/v1/me/summary/", { Authorization = "Token " .. l.token })
  elseif scenario == "api_progress" then
    return wrk.format("GET", "/api/v1/me/progress/", { Authorization = "Token " .. l.token })
  elseif scenario == "kpi_log" then
    local body = string.format('{"kpi": "%s", "value": %d, "measured_on": "%s"}',
      kpis[math.random(#kpis)], math.random(1, 99), os.date("!%Y-%m-%d"))
    return wrk.format("POST", "/api/v1/me/kpi-measurements/", {
      Authorization = "Token " .. l.token, ["Content-Type"] = "application/json",
    }, body)
  elseif scenario == "practice" then
    return wrk.format("GET", "/practice/", { Cookie = cookie })
  elseif scenario == "team_overview" then
    return wrk.format("GET", "/teams/bench-team/overview/", { Cookie = lead_cookie })
  elseif scenario == "mentees" then
    return wrk.format("GET", "/mentees/", { Cookie = lead_cookie })
  end
  return wrk.format("GET", os.getenv("BENCH_PATH"))
end

function done(summary, latency, requests)
  report(summary, latency, requests)
end
