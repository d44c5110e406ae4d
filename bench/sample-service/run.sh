#!/usr/bin/env bash
# Benchmark of the sample service's read path (not part of the tests): wrk against GET
# /products/{id}, over three paths, taking turns for a few rounds:
#   cache-hit  products that are in the Redis cache (a hot set read round robin);
#   database   products that are not: every request names a product no request read before, so
#              each one misses, takes the fill lease, reads PostgreSQL and fills the cache. This
#              is the service's database path, as it runs in production (the cache on);
#   cache-off  a second instance with the cache disabled reading the hot set from PostgreSQL, for
#              reference: a primary-key read of a table that is all in memory, on loopback.
# Prints throughput, p50, p99 and the cache hit ratio of each run, then the medians and the
# ratios. It uses a database and a Redis logical database of its own, emptied at the end.
#
#   bench/sample-service/run.sh            builds the service unless BENCH_SKIP_BUILD=1
#   BENCH_DURATION=15s BENCH_CONNECTIONS=32 BENCH_THREADS=2 BENCH_ROUNDS=3 BENCH_PRODUCTS=200 bench/sample-service/run.sh
#
# Needs: java, mvn, wrk, openssl, curl, redis-cli, and the servers of hack/sample-deps.sh
# (the service runs through hack/sample-service.sh).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench/sample-service"
DURATION="${BENCH_DURATION:-15s}"
WARMUP="${BENCH_WARMUP:-5s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PRODUCTS="${BENCH_PRODUCTS:-200}"
ROUNDS="${BENCH_ROUNDS:-3}"
# Products never read before, per wrk thread and database run: more than a thread reads in one run.
MISS_IDS_PER_THREAD="${BENCH_MISS_IDS_PER_THREAD:-120000}"
CACHED_PORT="${BENCH_PORT:-18080}"
UNCACHED_PORT="$((CACHED_PORT + 1))"
BENCH_DATABASE="${BENCH_DATABASE:-catalog_bench}"
BENCH_REDIS_DB="${BENCH_REDIS_DB:-1}"
WORK="$(mktemp -d -t blueshift-bench.XXXXXX)"
SAMPLE_SERVICE="$REPO_ROOT/hack/sample-service.sh"
export BENCH_DIR

eval "$("$REPO_ROOT/hack/sample-deps.sh" env)"
psql_bench() { "$REPO_ROOT/hack/sample-deps.sh" psql -d "$BENCH_DATABASE" -qtA "$@"; }
redis_bench() { redis-cli -h 127.0.0.1 -p "$SAMPLE_REDIS_PORT" -n "$BENCH_REDIS_DB" "$@"; }

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  stop_services
  redis_bench flushdb >/dev/null 2>&1 || true
  PGOPTIONS="-c client_min_messages=warning" "$REPO_ROOT/hack/sample-deps.sh" psql -d postgres -qc "DROP DATABASE IF EXISTS $BENCH_DATABASE" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# One instance of the service on the benchmark's databases; $1: cache enabled (true|false), $2: port.
start_service() {
  BLUESHIFT_CACHE_ENABLED="$1" \
  BLUESHIFT_DB_URL="jdbc:postgresql://127.0.0.1:$SAMPLE_PG_PORT/$BENCH_DATABASE" \
  BLUESHIFT_REDIS_URL="redis://127.0.0.1:$SAMPLE_REDIS_PORT/$BENCH_REDIS_DB" \
    "$SAMPLE_SERVICE" start "$2" bench
}

stop_services() {
  "$SAMPLE_SERVICE" stop "$CACHED_PORT"
  "$SAMPLE_SERVICE" stop "$UNCACHED_PORT"
}

create_products() {
  local ids=() id
  for i in $(seq 1 "$PRODUCTS"); do
    id="$(curl -fs -X POST "http://127.0.0.1:$CACHED_PORT/products" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"sku\":\"bench-$RUN_ID-$i\",\"name\":\"Benchmark product $i\",\"description\":\"A product for the read benchmark\",\"priceCents\":$((i * 100))}" \
      | sed -E 's/.*"id":([0-9]+).*/\1/')"
    ids+=("$id")
  done
  (IFS=,; echo "${ids[*]}")
}

cache_lookups() { # $1: port, $2: result label
  curl -fs "http://127.0.0.1:$1/q/metrics" | awk -v r="result=\"$2\"" '/^blueshift_cache_lookups_total/ && index($0, r) { s += $NF } END { printf "%d", s }'
}

run_wrk() { # $1: label, $2: port, $3: wrk script, $4: duration
  local base="http://127.0.0.1:$2" hits0 misses0 result hits misses ratio="n/a"
  hits0="$(cache_lookups "$2" hit)"; misses0="$(cache_lookups "$2" miss)"
  result="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4" -s "$BENCH_DIR/$3" "$base" | grep '^RESULT')"
  hits=$(( $(cache_lookups "$2" hit) - hits0 )); misses=$(( $(cache_lookups "$2" miss) - misses0 ))
  if (( hits + misses > 0 )); then ratio="$(awk -v h="$hits" -v m="$misses" 'BEGIN { printf "%.4f", h / (h + m) }')"; fi
  echo "$1 ${result#RESULT } hit_ratio=$ratio"
}

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

# Products that no request has read yet, for the next database run: a fresh block per wrk thread.
MISS_RUN=0
next_miss_range() {
  export BENCH_FIRST_ID=$((MISS_FIRST_ID + MISS_RUN * THREADS * MISS_IDS_PER_THREAD))
  export BENCH_IDS_PER_THREAD="$MISS_IDS_PER_THREAD"
  MISS_RUN=$((MISS_RUN + 1))
}

# One run of each path; $1: duration.
run_paths() {
  run_wrk cache-hit "$CACHED_PORT" reads.lua "$1"
  next_miss_range
  run_wrk database "$CACHED_PORT" misses.lua "$1"
  run_wrk cache-off "$UNCACHED_PORT" reads.lua "$1"
}

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

command -v wrk >/dev/null || { echo "wrk is not installed: hack/sample-deps.sh install" >&2; exit 1; }
"$REPO_ROOT/hack/sample-deps.sh" up
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building the sample service"
  "$SAMPLE_SERVICE" build
fi

log "database $BENCH_DATABASE and Redis database $BENCH_REDIS_DB, both empty"
PGOPTIONS="-c client_min_messages=warning" "$REPO_ROOT/hack/sample-deps.sh" psql -d postgres -qc "DROP DATABASE IF EXISTS $BENCH_DATABASE" -c "CREATE DATABASE $BENCH_DATABASE"
redis_bench flushdb >/dev/null

TOKEN="$("$SAMPLE_SERVICE" token)"
RUN_ID="$(date +%s)"
export BENCH_TOKEN="$TOKEN"

# Both instances run side by side and the paths take turns, so that other load on the machine
# weighs on all alike.
log "starting the service twice: cache on (:$CACHED_PORT), cache off (:$UNCACHED_PORT)"
start_service true "$CACHED_PORT"
start_service false "$UNCACHED_PORT"

log "creating $PRODUCTS hot products through the API and reading each once, which fills the cache"
BENCH_IDS="$(create_products)"
export BENCH_IDS
for id in ${BENCH_IDS//,/ }; do curl -fs -o /dev/null "http://127.0.0.1:$CACHED_PORT/products/$id" -H "Authorization: Bearer $TOKEN"; done

MISS_PRODUCTS=$(( (ROUNDS + 1) * THREADS * MISS_IDS_PER_THREAD ))
log "inserting $MISS_PRODUCTS products that no request has read, for the database path"
MISS_FIRST_ID="$(psql_bench -c "INSERT INTO products (sku, name, description, price_cents)
  SELECT 'cold-$RUN_ID-' || n, 'Catalogue product ' || n, 'A product read once, from the database', n * 100
  FROM generate_series(1, $MISS_PRODUCTS) AS n" -c "ANALYZE products" \
  -c "SELECT min(id) FROM products WHERE sku LIKE 'cold-$RUN_ID-%'")"

log "warming up each path for $WARMUP"
run_paths "$WARMUP" >/dev/null

for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  run_paths "$DURATION" >>"$WORK/results"
done
mapfile -t RESULTS <"$WORK/results"
stop_services

printf '\n%-10s %12s %10s %10s %10s %8s\n' path "requests/s" "p50 ms" "p99 ms" "hit ratio" non2xx
for line in "${RESULTS[@]}"; do
  printf '%-10s %12s %10s %10s %10s %8s\n' "${line%% *}" "$(field rps "$line")" "$(field p50_ms "$line")" \
    "$(field p99_ms "$line")" "$(field hit_ratio "$line")" "$(field non2xx "$line")"
done
# Medians over the rounds.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
of() { for line in "${RESULTS[@]}"; do if [[ "$line" == "$1 "* ]]; then field "$2" "$line"; fi; done | median; }
printf '\nmedians over %d rounds:\n' "$ROUNDS"
for path in cache-hit database cache-off; do
  printf '  %-10s %9s requests/s, p50 %s ms, p99 %s ms, hit ratio %s\n' "$path:" "$(of "$path" rps)" \
    "$(of "$path" p50_ms)" "$(of "$path" p99_ms)" "$(of "$path" hit_ratio)"
done
awk -v c="$(of cache-hit rps)" -v d="$(of database rps)" -v o="$(of cache-off rps)" -v p="$(of cache-hit p99_ms)" 'BEGIN {
  printf "  cache-hit throughput / database path throughput: %.2fx (target >= 3x)\n", c / d
  printf "  cache-hit throughput / cache-off throughput: %.2fx (reference)\n", c / o
  printf "  cache-hit p99: %s ms (target < 5 ms)\n", p
}'
echo "settings: wrk -t$THREADS -c$CONNECTIONS -d$DURATION per run (after $WARMUP warm-up each), $PRODUCTS hot products, $MISS_PRODUCTS cold ones, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
