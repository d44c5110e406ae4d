#!/usr/bin/env bash
# moto's server: the local AWS API emulator (IAM, STS, CloudWatch) the operator's AWS tests use,
# on 127.0.0.1 only. The operator tests reach it through a small translating proxy of their own
# (operator/src/test/java/.../support/aws/), because the SDK's CloudWatch client speaks CBOR.
# moto and cfn-lint live in a Python virtual environment of their own, $BLUESHIFT_CACHE/venv (never
# in the system's Python, which Debian and Ubuntu keep to their own packages: PEP 668).
#
#   hack/moto.sh install   makes the virtual environment and pip-installs moto[server] into it when
#                          missing, and cfn-lint (the linter of manifests/aws/, `make cfn-lint`) when
#                          missing or not the pinned version
#   hack/moto.sh missing   prints the Debian package the virtual environment needs, if it is missing
#   hack/moto.sh up        starts it (no-op when it already answers)
#   hack/moto.sh down      stops the server this script started
#   hack/moto.sh status    says whether it answers
#   hack/moto.sh env       prints the settings as shell assignments
#   hack/moto.sh cfn-lint FILE...  runs the pinned cfn-lint on FILE...
#   hack/moto.sh proxy-up ISSUER   the tests' translating proxy as a process of its own on
#                          127.0.0.1:$BLUESHIFT_MOTO_PROXY_PORT, for an operator run outside the tests
#                          (the demo), with the cluster's OIDC provider ISSUER registered in IAM
#   hack/moto.sh proxy-down        stops it
#
# Settings (environment): BLUESHIFT_MOTO_PORT (15000), BLUESHIFT_MOTO_PROXY_PORT (15001), BLUESHIFT_CACHE.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_NAME=moto

MOTO_DIR="$BLUESHIFT_CACHE/moto"
VENV="$BLUESHIFT_CACHE/venv"
PYTHON="$VENV/bin/python"
PORT="${BLUESHIFT_MOTO_PORT:-15000}"
PROXY_PORT="${BLUESHIFT_MOTO_PROXY_PORT:-15001}"
# The range the project was tested with (5.2.1 .. 5.2.x).
MOTO_REQUIREMENT='moto[server]>=5.2.1,<5.3'
# cfn-lint's rules and AWS resource schemas change between releases: one version for everyone.
CFN_LINT_VERSION='1.58.0'

answers() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$1/moto-api/" 2>/dev/null; }
moto_up() { answers "$PORT"; }
proxy_up() { answers "$PROXY_PORT"; }

# Whether python3 can make a virtual environment with pip (Debian and Ubuntu ship that apart, as
# python3-venv): tried in a throwaway folder, the only sure test.
venv_possible() {
  local dir rc=0
  dir="$(mktemp -d)"
  python3 -m venv "$dir/venv" >/dev/null 2>&1 || rc=$?
  rm -rf "$dir"
  return "$rc"
}

cmd_missing() { [ -x "$PYTHON" ] || venv_possible || echo python3-venv; }

cmd_install() {
  # What the last install put there, so that a run with nothing to do costs no Python start.
  local stamp="$VENV/blueshift-installed" want="$MOTO_REQUIREMENT cfn-lint==$CFN_LINT_VERSION"
  if [ -x "$PYTHON" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then log "moto and cfn-lint are installed in $VENV"; return; fi
  if [ ! -x "$PYTHON" ]; then
    venv_possible || apt_install python3-venv
    log "making the virtual environment $VENV"
    python3 -m venv "$VENV" || { rm -rf "$VENV"; die "python3 -m venv $VENV failed"; }
  fi
  if "$PYTHON" -c 'import moto.server, flask' 2>/dev/null; then
    log "moto is installed ($("$PYTHON" -c 'import moto; print(moto.__version__)'))"
  else
    log "installing $MOTO_REQUIREMENT into $VENV"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "$MOTO_REQUIREMENT"
  fi
  local cfn_lint
  cfn_lint="$("$PYTHON" -c 'import importlib.metadata as m; print(m.version("cfn-lint"))' 2>/dev/null || true)"
  if [[ "$cfn_lint" == "$CFN_LINT_VERSION" ]]; then
    log "cfn-lint is installed ($cfn_lint)"
  else
    log "installing cfn-lint==$CFN_LINT_VERSION${cfn_lint:+ (found $cfn_lint)} into $VENV"
    "$PYTHON" -m pip install --quiet --disable-pip-version-check "cfn-lint==$CFN_LINT_VERSION"
  fi
  echo "$want" >"$stamp"
}

cmd_up() {
  if moto_up; then log "moto already answers on 127.0.0.1:$PORT"; return; fi
  "$PYTHON" -c 'import moto.server' 2>/dev/null || die "moto is not installed: run $0 install"
  # AWS-managed policy ARNs (arn:aws:iam::aws:policy/...) exist in moto only with this setting.
  MOTO_IAM_LOAD_MANAGED_POLICIES=true bg_start "moto on 127.0.0.1:$PORT" "$MOTO_DIR/moto-$PORT.pid" \
    "$MOTO_DIR/moto-$PORT.log" 20 moto_up "$PYTHON" -m moto.server -H 127.0.0.1 -p "$PORT"
}

cmd_down() {
  cmd_proxy_down
  bg_stop moto "$MOTO_DIR/moto-$PORT.pid"
}

cmd_cfn_lint() {
  "$PYTHON" -c 'import cfnlint' 2>/dev/null || die "cfn-lint is not installed: run $0 install"
  "$PYTHON" -c 'import sys; from cfnlint.runner import main; sys.exit(main())' "$@"
}

cmd_proxy_up() { # $1: the OIDC issuer to register
  [[ -n "${1:-}" ]] || die "usage: $0 proxy-up OIDC_ISSUER"
  cmd_up
  if proxy_up; then log "the proxy already answers on 127.0.0.1:$PROXY_PORT"; return; fi
  log "building the proxy (the operator's test classes) and its classpath"
  local classpath
  classpath=$(operator_test_classpath "$MOTO_DIR/proxy-classpath.txt")
  bg_start "the proxy on 127.0.0.1:$PROXY_PORT, in front of moto" "$MOTO_DIR/proxy-$PROXY_PORT.pid" \
    "$MOTO_DIR/proxy-$PROXY_PORT.log" 40 proxy_up \
    java -cp "$classpath" dev.blueshift.operator.support.aws.AwsEmulatorMain "$PROXY_PORT" "http://127.0.0.1:$PORT" "$1"
}

cmd_proxy_down() { bg_stop "the proxy" "$MOTO_DIR/proxy-$PROXY_PORT.pid"; }

cmd_status() { moto_up && log "moto: up on 127.0.0.1:$PORT" || log "moto: down"; }

case "${1:-}" in
  install) cmd_install ;;
  missing) cmd_missing ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) echo "BLUESHIFT_MOTO_PORT=$PORT"; echo "BLUESHIFT_MOTO_PROXY_PORT=$PROXY_PORT" ;;
  cfn-lint) shift; cmd_cfn_lint "$@" ;;
  proxy-up) cmd_proxy_up "${2:-}" ;;
  proxy-down) cmd_proxy_down ;;
  *) echo "usage: $0 install|missing|up|down|status|env|cfn-lint FILE...|proxy-up ISSUER|proxy-down" >&2; exit 2 ;;
esac
