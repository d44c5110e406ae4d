-- wrk script: GET /products/{id} over the ids in $BENCH_IDS (comma-separated), round robin, with
-- $BENCH_TOKEN. The requests are built once, in init, so that wrk spends its time sending them.
local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS") or "", "[^,]+") do
  ids[#ids + 1] = id
end
local token = os.getenv("BENCH_TOKEN")
local requests = {}
local counter = 0

init = function(args)
  for i, id in ipairs(ids) do
    requests[i] = wrk.format("GET", "/products/" .. id, { ["Authorization"] = "Bearer " .. token })
  end
end

request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end

done = dofile(os.getenv("BENCH_DIR") .. "/summary.lua")
