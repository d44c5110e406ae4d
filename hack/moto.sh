#!/usr/bin/env bash
# moto's server: the local AWS API emulator (IAM, STS, CloudWatch) the operator's AWS tests use,
# on 127.0.0.1 only. The operator tests reach it through a small translating proxy of their own
# (operator/src/test/java/.../support/aws/), because the SDK's CloudWatch client speaks CBOR.
#
#   hack/moto.sh install   pip-installs moto[server] when it is missing, and cfn-lint (the linter of
#                          manifests/aws/, `make cfn-lint`) when it is missing or older than the pin
#   hack/moto.sh up        starts it (no-op when it already answers)
#   hack/moto.sh down      stops the server this script started
#   hack/moto.sh status    says whether it answers
#   hack/moto.sh env       prints the settings as shell assignments
#   hack/moto.sh proxy-up ISSUER   the tests' translating proxy as a process of its own on
#                          127.0.0.1:$BLUESHIFT_MOTO_PROXY_PORT, for an operator run outside the tests
#                          (the demo), with the cluster's OIDC provider ISSUER registered in IAM
#   hack/moto.sh proxy-down        stops it
#
# Settings (environment): BLUESHIFT_MOTO_PORT (15000), BLUESHIFT_MOTO_PROXY_PORT (15001), BLUESHIFT_CACHE.
set -euo pipefail

BLUESHIFT_CACHE="${BLUESHIFT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/blueshift}"
MOTO_DIR="$BLUESHIFT_CACHE/moto"
PORT="${BLUESHIFT_MOTO_PORT:-15000}"
PROXY_PORT="${BLUESHIFT_MOTO_PROXY_PORT:-15001}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The range the project was tested with (5.2.1 .. 5.2.x).
MOTO_REQUIREMENT='moto[server]>=5.2.1,<5.3'
# cfn-lint's rules and AWS resource schemas change between releases: one version for everyone.
CFN_LINT_VERSION='1.58.0'

log() { printf '[moto %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

moto_up() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/moto-api/" 2>/dev/null; }

cmd_install() {
  if python3 -c 'import moto.server, flask' 2>/dev/null; then
    log "moto is installed ($(python3 -c 'import moto; print(moto.__version__)'))"
  else
    log "installing $MOTO_REQUIREMENT"
    python3 -m pip install --quiet "$MOTO_REQUIREMENT"
  fi
  local cfn_lint
  cfn_lint="$(python3 -c 'import importlib.metadata as m; print(m.version("cfn-lint"))' 2>/dev/null || true)"
  if [[ "$cfn_lint" == "$CFN_LINT_VERSION" ]]; then
    log "cfn-lint is installed ($cfn_lint)"
  else
    log "installing cfn-lint==$CFN_LINT_VERSION${cfn_lint:+ (found $cfn_lint)}"
    python3 -m pip install --quiet "cfn-lint==$CFN_LINT_VERSION"
  fi
}

cmd_up() {
  if moto_up; then log "moto already answers on 127.0.0.1:$PORT"; return; fi
  python3 -c 'import moto.server' 2>/dev/null || die "moto is not installed: run $0 install"
  mkdir -p "$MOTO_DIR"
  # AWS-managed policy ARNs (arn:aws:iam::aws:policy/...) exist in moto only with this setting.
  # Through the module, not the moto_server script: a pip install does not always put it on PATH.
  MOTO_IAM_LOAD_MANAGED_POLICIES=true nohup python3 -m moto.server -H 127.0.0.1 -p "$PORT" \
    >"$MOTO_DIR/moto-$PORT.log" 2>&1 &
  echo $! >"$MOTO_DIR/moto-$PORT.pid"
  for _ in $(seq 1 100); do moto_up && break; sleep 0.1; done
  moto_up || die "moto did not answer on 127.0.0.1:$PORT; see $MOTO_DIR/moto-$PORT.log"
  log "moto answers on 127.0.0.1:$PORT"
}

cmd_down() {
  cmd_proxy_down
  local pidfile="$MOTO_DIR/moto-$PORT.pid"
  if [[ -f "$pidfile" ]]; then
    kill "$(cat "$pidfile")" 2>/dev/null && log "moto stopped" || true
    rm -f "$pidfile"
  fi
}

proxy_up() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$PROXY_PORT/moto-api/" 2>/dev/null; }

cmd_proxy_up() { # $1: the OIDC issuer to register
  [[ -n "${1:-}" ]] || die "usage: $0 proxy-up OIDC_ISSUER"
  cmd_up
  if proxy_up; then log "the proxy already answers on 127.0.0.1:$PROXY_PORT"; return; fi
  log "building the proxy (the operator's test classes) and its classpath"
  (cd "$REPO_ROOT" && mvn -B -q -pl operator test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$MOTO_DIR/proxy-classpath.txt")
  local operator="$REPO_ROOT/operator/target"
  nohup java -cp "$operator/test-classes:$operator/classes:$(cat "$MOTO_DIR/proxy-classpath.txt")" \
    dev.blueshift.operator.support.aws.AwsEmulatorMain "$PROXY_PORT" "http://127.0.0.1:$PORT" "$1" \
    >"$MOTO_DIR/proxy-$PROXY_PORT.log" 2>&1 &
  echo $! >"$MOTO_DIR/proxy-$PROXY_PORT.pid"
  for _ in $(seq 1 100); do proxy_up && break; sleep 0.2; done
  proxy_up || die "the proxy did not answer on 127.0.0.1:$PROXY_PORT; see $MOTO_DIR/proxy-$PROXY_PORT.log"
  log "the proxy answers on 127.0.0.1:$PROXY_PORT, in front of moto"
}

cmd_proxy_down() {
  local pidfile="$MOTO_DIR/proxy-$PROXY_PORT.pid"
  if [[ -f "$pidfile" ]]; then
    kill "$(cat "$pidfile")" 2>/dev/null && log "the proxy stopped" || true
    rm -f "$pidfile"
  fi
}

cmd_status() { moto_up && log "moto: up on 127.0.0.1:$PORT" || log "moto: down"; }

case "${1:-}" in
  install) cmd_install ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) echo "BLUESHIFT_MOTO_PORT=$PORT"; echo "BLUESHIFT_MOTO_PROXY_PORT=$PROXY_PORT" ;;
  proxy-up) cmd_proxy_up "${2:-}" ;;
  proxy-down) cmd_proxy_down ;;
  *) echo "usage: $0 install|up|down|status|env|proxy-up ISSUER|proxy-down" >&2; exit 2 ;;
esac
