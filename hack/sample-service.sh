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
#   hack/sample-service.sh image-check         run the sample service's image (hack/images.sh) as a container
#                                              (runc, as root: read-only root, uid 10001, the host's network
#                                              to reach Redis and PostgreSQL on 127.0.0.1), wait for its
#                                              readiness probe, read a product with a token, stop it (SIGTERM)
#
# Needs java, openssl, curl, and the servers of hack/sample-deps.sh. State (key, pids, logs):
# $BLUESHIFT_CACHE/sample-service.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_NAME=sample-service

STATE="$BLUESHIFT_CACHE/sample-service"
APP="$REPO_ROOT/sample-service/target/quarkus-app/quarkus-run.jar"
ISSUER="https://cognito-idp.local/blueshift"
CLIENT_ID="blueshift-local"

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

ready() { curl -fs "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1; }

start() { # $1: port, $2: revision
  local port="$1" revision="$2"
  [[ -f "$APP" ]] || die "the service is not built: $0 build"
  stop "$port"
  key
  BLUESHIFT_REVISION="$revision" \
  BLUESHIFT_JWKS_URL="file:$STATE/public.pem" \
  BLUESHIFT_JWT_ISSUER="$ISSUER" \
  BLUESHIFT_JWT_CLIENT_IDS="$CLIENT_ID" \
  BLUESHIFT_LOG_JSON="${BLUESHIFT_LOG_JSON:-false}" \
  PORT="$port" \
    bg_start "sample service $revision on 127.0.0.1:$port" "$STATE/service-$port.pid" "$STATE/service-$port.log" 60 \
      "ready $port" java -Xms256m -Xmx512m -jar "$APP"
}

stop() { bg_stop "sample service on port $1" "$STATE/service-$1.pid"; }

image_check() {
  local work port cid pid status=0 start=$SECONDS
  if [[ "$(id -u)" != 0 ]] || ! command -v runc >/dev/null; then
    log "NOT checking the sample service image: runc needs root here (uid $(id -u)) and runc installed (hack/images.sh install)"
    return 0
  fi
  "$HACK_DIR/images.sh" ensure
  "$HACK_DIR/sample-deps.sh" up
  key
  work="$(mktemp -d)"; chmod 755 "$work"
  mkdir "$work/jwks"; cp "$STATE/public.pem" "$work/jwks/"; chmod -R a+rX "$work/jwks"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  cid="sample-image-check-$port"
  "$HACK_DIR/images.sh" bundle blueshift-sample-service "$work/bundle" --memory 512 --hostname sample-service \
    --mount "$work/jwks:/etc/jwks" --env "PORT=$port" --env BLUESHIFT_REVISION=image-check \
    --env BLUESHIFT_JWKS_URL=file:/etc/jwks/public.pem --env "BLUESHIFT_JWT_ISSUER=$ISSUER" \
    --env "BLUESHIFT_JWT_CLIENT_IDS=$CLIENT_ID" --env BLUESHIFT_LOG_JSON=true
  runc run --bundle "$work/bundle" "$cid" >"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    ready "$port" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if ! ready "$port"; then
    runc kill "$cid" KILL 2>/dev/null || true; wait "$pid" || true
    tail -n 30 "$work/service.log" >&2; rm -rf "$work"
    die "the sample service image did not answer its readiness probe"
  fi
  log "sample service image ready in $((SECONDS - start)) s (runc, uid $(awk '/^Uid:/ {print $2}' "/proc/$(runc state "$cid" | jq -r .pid)/status"), read-only root)"
  # An authenticated read: 200 or 404 (no such product) both prove JWT, Redis and PostgreSQL answered.
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(token)" "http://127.0.0.1:$port/products/1")"
  runc kill "$cid" TERM
  wait "$pid" || status=$?
  [[ "$code" == 200 || "$code" == 404 ]] || { tail -n 20 "$work/service.log" >&2; rm -rf "$work"; die "GET /products/1 with a token answered $code"; }
  [[ "$status" == 143 || "$status" == 0 ]] || { tail -n 20 "$work/service.log" >&2; rm -rf "$work"; die "the container exited $status on SIGTERM"; }
  rm -rf "$work"
  log "sample service image OK: readiness, GET /products/1 with a token ($code), exit $status on SIGTERM"
}

case "${1:-}" in
  image-check) image_check ;;
  build) (cd "$REPO_ROOT" && mvn -B -q -pl sample-service -am package -DskipTests) ;;
  start) [[ $# == 3 ]] || die "usage: $0 start PORT REVISION"; start "$2" "$3" ;;
  stop) [[ $# == 2 ]] || die "usage: $0 stop PORT"; stop "$2" ;;
  token) token ;;
  *) echo "usage: $0 build|start PORT REVISION|stop PORT|token|image-check" >&2; exit 2 ;;
esac
