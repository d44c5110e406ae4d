#!/usr/bin/env bash
# The sample service as local processes (from sample-service/target/quarkus-app), for the
# benchmark and the demo, each labelled with a release revision, with a Cognito-style signing key
# of their own so that callers can make access tokens they accept.
#
#   hack/sample-service.sh build               mvn package of the service
#   hack/sample-service.sh start PORT REVISION start an instance and wait until it is ready; any
#                                              BLUESHIFT_* or QUARKUS_* in the environment reaches it
#                                              (e.g. BLUESHIFT_FAULT_ERROR_RATE=0.3, BLUESHIFT_CACHE_ENABLED=false)
#   hack/sample-service.sh stop PORT           stop it (no-op when it is not running)
#   hack/sample-service.sh token               print an access token the instances accept (read and write, 12 h)
#
# Needs java, openssl, curl, and the servers of hack/sample-deps.sh. State (key, pids, logs):
# $BLUESHIFT_CACHE/sample-service.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

STATE="$BLUESHIFT_CACHE/sample-service"
APP="$REPO_ROOT/sample-service/target/quarkus-app/quarkus-run.jar"
ISSUER="https://cognito-idp.local/blueshift"
CLIENT_ID="blueshift-local"

die() { log "error: $*"; exit 1; }

key() {
  mkdir -p "$STATE"
  if [[ ! -f "$STATE/public.pem" ]]; then
    openssl genrsa -out "$STATE/key.pem" 2048 2>/dev/null
    openssl rsa -in "$STATE/key.pem" -pubout -out "$STATE/public.pem" 2>/dev/null
  fi
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

token() {
  key
  local now header payload signature
  now="$(date +%s)"
  header="$(printf '{"alg":"RS256","typ":"JWT","kid":"local"}' | b64url)"
  payload="$(printf '{"iss":"%s","sub":"local","client_id":"%s","token_use":"access","scope":"products/read products/write","iat":%d,"exp":%d}' \
    "$ISSUER" "$CLIENT_ID" "$now" "$((now + 12 * 3600))" | b64url)"
  signature="$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$STATE/key.pem" -binary | b64url)"
  printf '%s.%s.%s\n' "$header" "$payload" "$signature"
}

start() { # $1: port, $2: revision
  local port="$1" revision="$2" pid
  [[ -f "$APP" ]] || die "the service is not built: $0 build"
  stop "$port"
  key
  BLUESHIFT_REVISION="$revision" \
  BLUESHIFT_JWKS_URL="file:$STATE/public.pem" \
  BLUESHIFT_JWT_ISSUER="$ISSUER" \
  BLUESHIFT_JWT_CLIENT_IDS="$CLIENT_ID" \
  BLUESHIFT_LOG_JSON="${BLUESHIFT_LOG_JSON:-false}" \
  PORT="$port" \
    nohup java -Xms256m -Xmx512m -jar "$APP" >"$STATE/service-$port.log" 2>&1 &
  pid=$!
  echo "$pid" >"$STATE/service-$port.pid"
  for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then
      log "sample service $revision on 127.0.0.1:$port (pid $pid, log $STATE/service-$port.log)"
      return
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -n 30 "$STATE/service-$port.log" >&2
  die "the sample service on port $port did not become ready"
}

stop() { # $1: port
  local file="$STATE/service-$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$file"
}

case "${1:-}" in
  build) (cd "$REPO_ROOT" && mvn -B -q -pl sample-service -am package -DskipTests) ;;
  start) [[ $# == 3 ]] || die "usage: $0 start PORT REVISION"; start "$2" "$3" ;;
  stop) [[ $# == 2 ]] || die "usage: $0 stop PORT"; stop "$2" ;;
  token) token ;;
  *) echo "usage: $0 build|start PORT REVISION|stop PORT|token" >&2; exit 2 ;;
esac
