-- wrk script: GET /products/{id} where every request names a product read by no request before,
-- so that none is in the cache: thread i of this run reads the ids from
-- $BENCH_FIRST_ID + i * $BENCH_IDS_PER_THREAD upwards, one after the other.
local first = tonumber(os.getenv("BENCH_FIRST_ID"))
local per_thread = tonumber(os.getenv("BENCH_IDS_PER_THREAD"))
local token = os.getenv("BENCH_TOKEN")
local threads = 0
local next_id

setup = function(thread)
  thread:set("thread_index", threads)
  threads = threads + 1
end

init = function(args)
  wrk.headers["Authorization"] = "Bearer " .. token
  next_id = first + thread_index * per_thread
end

request = function()
  local id = next_id
  next_id = next_id + 1
  return wrk.format("GET", "/products/" .. id)
end

done = dofile(os.getenv("BENCH_DIR") .. "/summary.lua")
