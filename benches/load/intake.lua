-- wrk script for benches/load/run.sh: POST /api/v1/intakes with the body of tests/api/helpers.rs
-- `intake_body()`, except that every request names a new contact address (at most 3 "intake
-- received" emails go to one address a day; a repeated address would skip that email and flatter
-- the figure) and the places take turns among 16 cities, so matching ranks different
-- neighbourhoods. The first script argument keeps addresses apart between wrk processes.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local places = {
  "Bergen op Zoom", "Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven", "Groningen",
  "Zwolle", "Maastricht", "Arnhem", "Nijmegen", "Leeuwarden", "Middelburg", "Tilburg", "Breda",
  "Enschede",
}

local template = [[{"incident_type":"ransomware","urgency":"acute",]]
  .. [["description":"Alle bestanden zijn versleuteld en er staat een losgeldbericht op het scherm.",]]
  .. [["location":{"place":"%s"},"needs_on_site":true,"language":"nl",]]
  .. [["contact":{"name":"Jan de Vries","email":"bench-%s-%d-%d@bakkerij-%d.nl","phone":"+31 6 8765 4321"},]]
  .. [["company":{"name":"Bakkerij De Vries","kvk_number":"87654321","employees":12,"sector":"bakkerij"},]]
  .. [["consent_to_share":true,"disclaimer_accepted":true}]]

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

-- setup runs in the main state once per thread; thread_no becomes a global of that thread.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

local run = "run"
function init(args)
  run = args[1] or run
end

local counter = 0
function request()
  counter = counter + 1
  local place = places[(counter + (thread_no or 0)) % #places + 1]
  local body = string.format(template, place, run, thread_no or 0, counter, counter % 1000)
  return wrk.format(nil, nil, nil, body)
end
