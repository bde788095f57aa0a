-- Spreads requests over /api<N>/users/<id>, N in [0, routes), visiting every route in a
-- scrambled order, so a router cannot serve them all from one hot entry. The requests are
-- built once in init; request() only picks the next one.
-- usage: wrk -s bench/load/spread.lua URL -- ROUTES [API_KEY]
local requests = {}
local count = 0
local i = 0

function init(args)
  local routes = tonumber(args[1]) or 1
  local headers = {}
  if args[2] then headers["x-api-key"] = args[2] end
  count = math.max(routes, 1000)
  for k = 1, count do
    local n = ((k - 1) * 7919) % routes
    requests[k] = wrk.format("GET", "/api" .. n .. "/users/" .. k, headers)
  end
end

function request()
  i = i % count + 1
  return requests[i]
end
