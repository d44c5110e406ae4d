#!/usr/bin/env bash
# Benchmark of the sample service's read path (not part of the tests): wrk against GET
# /products/{id} served from the Redis cache, then with the cache disabled (every read from
# PostgreSQL). Prints throughput, p50, p99 and the cache hit ratio of each run.
#
#   bench/sample-service/run.sh            builds the service unless BENCH_SKIP_BUILD=1
#   BENCH_DURATION=20s BENCH_CONNECTIONS=32 BENCH_THREADS=2 BENCH_PRODUCTS=200 bench/sample-service/run.sh
#
# Needs: java, mvn, wrk, openssl, curl, and the servers of hack/sample-deps.sh.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH_DIR="$REPO_ROOT/bench/sample-service"
DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-5s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PRODUCTS="${BENCH_PRODUCTS:-200}"
PORT="${BENCH_PORT:-18080}"
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d -t blueshift-bench.XXXXXX)"
APP_PID=""

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
cleanup() {
  stop_service
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

start_service() { # $1: cache enabled (true|false)
  BLUESHIFT_REVISION=bench \
  BLUESHIFT_CACHE_ENABLED="$1" \
  BLUESHIFT_JWKS_URL="file:$WORK/public.pem" \
  BLUESHIFT_JWT_ISSUER="https://cognito-idp.local/bench" \
  BLUESHIFT_JWT_CLIENT_IDS="bench-client" \
  BLUESHIFT_LOG_JSON=false \
  PORT="$PORT" \
  java -Xms256m -Xmx512m -jar "$REPO_ROOT/sample-service/target/quarkus-app/quarkus-run.jar" \
    >"$WORK/service-cache-$1.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 120); do
    if curl -fs "$BASE/q/health/ready" >/dev/null 2>&1; then return; fi
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 30 "$WORK/service-cache-$1.log" >&2
  echo "the service did not become ready" >&2
  exit 1
}

stop_service() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill "$APP_PID"
    wait "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
}

create_products() {
  local ids=() id
  for i in $(seq 1 "$PRODUCTS"); do
    id="$(curl -fs -X POST "$BASE/products" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"sku\":\"bench-$RUN_ID-$i\",\"name\":\"Benchmark product $i\",\"description\":\"A product for the read benchmark\",\"priceCents\":$((i * 100))}" \
      | sed -E 's/.*"id":([0-9]+).*/\1/')"
    ids+=("$id")
  done
  (IFS=,; echo "${ids[*]}")
}

cache_lookups() { # $1: result label
  curl -fs "$BASE/q/metrics" | awk -v r="result=\"$1\"" '/^blueshift_cache_lookups_total/ && index($0, r) { s += $NF } END { printf "%d", s }'
}

run_wrk() { # $1: label
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$BENCH_DIR/reads.lua" "$BASE" >/dev/null
  local hits0 misses0 result hits misses
  hits0="$(cache_lookups hit)"; misses0="$(cache_lookups miss)"
  result="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$BENCH_DIR/reads.lua" "$BASE" | grep '^RESULT')"
  hits=$(( $(cache_lookups hit) - hits0 )); misses=$(( $(cache_lookups miss) - misses0 ))
  local ratio="n/a"
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

log "cache-hit path: $PRODUCTS products, each read once to fill the cache"
start_service true
BENCH_IDS="$(create_products)"
export BENCH_IDS
for id in ${BENCH_IDS//,/ }; do curl -fs -o /dev/null "$BASE/products/$id" -H "Authorization: Bearer $TOKEN"; done
CACHED="$(run_wrk cache-hit)"
stop_service

log "database path: the same reads with the cache disabled"
start_service false
DATABASE="$(run_wrk database)"
stop_service

printf '\n%-10s %12s %10s %10s %10s %8s\n' path "requests/s" "p50 ms" "p99 ms" "hit ratio" non2xx
for line in "$CACHED" "$DATABASE"; do
  printf '%-10s %12s %10s %10s %10s %8s\n' "${line%% *}" "$(field rps "$line")" "$(field p50_ms "$line")" \
    "$(field p99_ms "$line")" "$(field hit_ratio "$line")" "$(field non2xx "$line")"
done
awk -v c="$(field rps "$CACHED")" -v d="$(field rps "$DATABASE")" -v p="$(field p99_ms "$CACHED")" 'BEGIN {
  printf "\ncache-hit throughput / database throughput: %.2fx (target >= 3x)\n", c / d
  printf "cache-hit p99: %s ms (target < 5 ms)\n", p
}'
echo "settings: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after $WARMUP warm-up), $PRODUCTS products, $(nproc) cores"
