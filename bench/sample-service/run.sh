#!/usr/bin/env bash
# Benchmark of the sample service's read path (not part of the tests): wrk against GET
# /products/{id} on two instances side by side, one serving from the Redis cache, one with the
# cache disabled (every read from PostgreSQL), taking turns for a few rounds. Prints throughput,
# p50, p99 and the cache hit ratio of each run, and the medians.
#
#   bench/sample-service/run.sh            builds the service unless BENCH_SKIP_BUILD=1
#   BENCH_DURATION=15s BENCH_CONNECTIONS=32 BENCH_THREADS=2 BENCH_ROUNDS=3 BENCH_PRODUCTS=200 bench/sample-service/run.sh
#
# Needs: java, mvn, wrk, openssl, curl, and the servers of hack/sample-deps.sh.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench/sample-service"
DURATION="${BENCH_DURATION:-15s}"
WARMUP="${BENCH_WARMUP:-5s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PRODUCTS="${BENCH_PRODUCTS:-200}"
ROUNDS="${BENCH_ROUNDS:-3}"
CACHED_PORT="${BENCH_PORT:-18080}"
DATABASE_PORT="$((CACHED_PORT + 1))"
WORK="$(mktemp -d -t blueshift-bench.XXXXXX)"
PIDS=""

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  stop_services
  rm -rf "$WORK"
}
trap cleanup EXIT

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A Cognito-style access token signed with a key made for this run; the service reads the public key as PEM.
make_token() {
  openssl genrsa -out "$WORK/key.pem" 2048 2>/dev/null
  openssl rsa -in "$WORK/key.pem" -pubout -out "$WORK/public.pem" 2>/dev/null
  local now header payload signature
  now="$(date +%s)"
  header="$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url)"
  payload="$(printf '{"iss":"%s","sub":"bench","client_id":"bench-client","token_use":"access","scope":"products/read products/write","iat":%d,"exp":%d}' \
    "https://cognito-idp.local/bench" "$now" "$((now + 3600))" | b64url)"
  signature="$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$WORK/key.pem" -binary | b64url)"
  printf '%s.%s.%s' "$header" "$payload" "$signature"
}

# Starts one instance of the service; $1: cache enabled (true|false), $2: port. Prints its pid.
start_service() {
  BLUESHIFT_REVISION=bench \
  BLUESHIFT_CACHE_ENABLED="$1" \
  BLUESHIFT_JWKS_URL="file:$WORK/public.pem" \
  BLUESHIFT_JWT_ISSUER="https://cognito-idp.local/bench" \
  BLUESHIFT_JWT_CLIENT_IDS="bench-client" \
  BLUESHIFT_LOG_JSON=false \
  PORT="$2" \
  java -Xms256m -Xmx512m -jar "$REPO_ROOT/sample-service/target/quarkus-app/quarkus-run.jar" \
    >"$WORK/service-$2.log" 2>&1 &
  echo $!
}

wait_ready() { # $1: pid, $2: port
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$2/q/health/ready" >/dev/null 2>&1; then return; fi
    kill -0 "$1" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 30 "$WORK/service-$2.log" >&2
  echo "the service on port $2 did not become ready" >&2
  exit 1
}

stop_services() {
  for pid in $PIDS; do
    if kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  done
  PIDS=""
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

run_wrk() { # $1: label, $2: port
  local base="http://127.0.0.1:$2" hits0 misses0 result hits misses ratio="n/a"
  hits0="$(cache_lookups "$2" hit)"; misses0="$(cache_lookups "$2" miss)"
  result="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$BENCH_DIR/reads.lua" "$base" | grep '^RESULT')"
  hits=$(( $(cache_lookups "$2" hit) - hits0 )); misses=$(( $(cache_lookups "$2" miss) - misses0 ))
  if (( hits + misses > 0 )); then ratio="$(awk -v h="$hits" -v m="$misses" 'BEGIN { printf "%.4f", h / (h + m) }')"; fi
  echo "$1 ${result#RESULT } hit_ratio=$ratio"
}

field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$2"; }

command -v wrk >/dev/null || { echo "wrk is not installed: hack/sample-deps.sh install" >&2; exit 1; }
"$REPO_ROOT/hack/sample-deps.sh" up
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  log "building the sample service"
  (cd "$REPO_ROOT" && mvn -B -q -pl sample-service -am package -DskipTests)
fi

TOKEN="$(make_token)"
RUN_ID="$(date +%s)"
export BENCH_TOKEN="$TOKEN"

# Both instances run side by side and the paths take turns, so that other load on the machine
# weighs on both alike.
log "starting the service twice: cache on (:$CACHED_PORT), cache off (:$DATABASE_PORT)"
CACHED_PID="$(start_service true "$CACHED_PORT")"
DATABASE_PID="$(start_service false "$DATABASE_PORT")"
PIDS="$CACHED_PID $DATABASE_PID"
wait_ready "$CACHED_PID" "$CACHED_PORT"
wait_ready "$DATABASE_PID" "$DATABASE_PORT"

log "creating $PRODUCTS products and reading each once, which fills the cache"
BENCH_IDS="$(create_products)"
export BENCH_IDS
for id in ${BENCH_IDS//,/ }; do curl -fs -o /dev/null "http://127.0.0.1:$CACHED_PORT/products/$id" -H "Authorization: Bearer $TOKEN"; done
for port in "$CACHED_PORT" "$DATABASE_PORT"; do
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$BENCH_DIR/reads.lua" "http://127.0.0.1:$port" >/dev/null
done

RESULTS=()
for round in $(seq 1 "$ROUNDS"); do
  log "round $round of $ROUNDS"
  RESULTS+=("$(run_wrk cache-hit "$CACHED_PORT")")
  RESULTS+=("$(run_wrk database "$DATABASE_PORT")")
done
stop_services

printf '\n%-10s %12s %10s %10s %10s %8s\n' path "requests/s" "p50 ms" "p99 ms" "hit ratio" non2xx
for line in "${RESULTS[@]}"; do
  printf '%-10s %12s %10s %10s %10s %8s\n' "${line%% *}" "$(field rps "$line")" "$(field p50_ms "$line")" \
    "$(field p99_ms "$line")" "$(field hit_ratio "$line")" "$(field non2xx "$line")"
done
# Medians over the rounds.
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
of() { for line in "${RESULTS[@]}"; do if [[ "$line" == "$1 "* ]]; then field "$2" "$line"; fi; done | median; }
CACHED_RPS="$(of cache-hit rps)"; DATABASE_RPS="$(of database rps)"
printf '\nmedians over %d rounds:\n' "$ROUNDS"
printf '  cache-hit: %s requests/s, p50 %s ms, p99 %s ms, hit ratio %s\n' "$CACHED_RPS" "$(of cache-hit p50_ms)" "$(of cache-hit p99_ms)" "$(of cache-hit hit_ratio)"
printf '  database:  %s requests/s, p50 %s ms, p99 %s ms\n' "$DATABASE_RPS" "$(of database p50_ms)" "$(of database p99_ms)"
awk -v c="$CACHED_RPS" -v d="$DATABASE_RPS" -v p="$(of cache-hit p99_ms)" 'BEGIN {
  printf "  cache-hit throughput / database throughput: %.2fx (target >= 3x)\n", c / d
  printf "  cache-hit p99: %s ms (target < 5 ms)\n", p
}'
echo "settings: wrk -t$THREADS -c$CONNECTIONS -d$DURATION per run (after $WARMUP warm-up each), $PRODUCTS products, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
