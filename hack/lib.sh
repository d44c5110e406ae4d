# Shared settings and helpers for the hack/ scripts. Source it; it changes nothing by itself.
# A script sets LOG_NAME after sourcing to prefix its log lines (e.g. [moto 12:00:00]).
HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HACK_DIR/.." && pwd)"
# shellcheck source=versions.env
. "$HACK_DIR/versions.env"
BLUESHIFT_CACHE="${BLUESHIFT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/blueshift}"
BLUESHIFT_CLUSTER="${BLUESHIFT_CLUSTER:-blueshift}"
BLUESHIFT_STATE="${BLUESHIFT_STATE:-$BLUESHIFT_CACHE/state}"
BLUESHIFT_KUBECONFIG="${BLUESHIFT_KUBECONFIG:-$BLUESHIFT_STATE/kubeconfig}"
# The image of test workloads: small and public, so that a real cluster's nodes can pull and run it
# (the Java tests read the same setting: support/TestImage).
BLUESHIFT_TEST_IMAGE="${BLUESHIFT_TEST_IMAGE:-registry.k8s.io/pause:3.10}"
KUBE_BIN="$BLUESHIFT_CACHE/bin/kubernetes-$KUBE_VERSION"
KUBE_NODE_BIN="$BLUESHIFT_CACHE/bin/kubernetes-node-$KUBE_VERSION"
ETCD_BIN="$BLUESHIFT_CACHE/bin/etcd-$ETCD_VERSION"
KWOK_BIN="$BLUESHIFT_CACHE/bin/kwok-$KWOK_VERSION"
HELM_BIN="$BLUESHIFT_CACHE/bin/helm-$HELM_VERSION"
PROMETHEUS_BIN="$BLUESHIFT_CACHE/bin/prometheus-$PROMETHEUS_VERSION"
# The real node (hack/node.sh): its name, and its bridge's address (its Pods' gateway, where they
# reach this machine).
REAL_NODE_NAME="${BLUESHIFT_NODE_NAME:-blueshift-real-0}"
NODE_BRIDGE_IP=10.244.0.1
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false}"

log() { printf '[%s%s] %s\n' "${LOG_NAME:+$LOG_NAME }" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --- Tools and the cluster -------------------------------------------------------------------------

# The kubeconfig every script uses: KUBECONFIG's cluster (kind, EKS, ...) when set, else the local one.
kubeconfig() { echo "${KUBECONFIG:-$BLUESHIFT_KUBECONFIG}"; }

# Prints the path of tool $1 (kubectl, helm): the one built here (in $2) when there is one, else the
# one on PATH; without either it says what is missing and how to get it, and fails.
tool_path() {
  local name=$1 built=$2
  if [ -x "$built/$name" ]; then echo "$built/$name"; return; fi
  if type -P "$name"; then return; fi  # PATH only: kubectl and helm are also this file's functions
  if [ -n "${KUBECONFIG:-}" ]; then
    log "error: $name not found: with KUBECONFIG set nothing is built here, so put $name on PATH" \
      "(or unset KUBECONFIG to use the local control plane, which builds it: make binaries)"
  else
    log "error: $name not found: build it with make binaries (hack/build-binaries.sh all)"
  fi
  return 1
}

# kubectl on the scripts' cluster. The one wrapper every script uses.
kubectl() {
  [ -n "${_BLUESHIFT_KUBECTL:-}" ] || _BLUESHIFT_KUBECTL="$(tool_path kubectl "$KUBE_BIN")" || exit 1
  "$_BLUESHIFT_KUBECTL" --kubeconfig "$(kubeconfig)" "$@"
}

# helm on the scripts' cluster.
helm() {
  [ -n "${_BLUESHIFT_HELM:-}" ] || _BLUESHIFT_HELM="$(tool_path helm "$HELM_BIN")" || exit 1
  "$_BLUESHIFT_HELM" --kubeconfig "$(kubeconfig)" "$@"
}

# --- Background processes --------------------------------------------------------------------------

# bg_start NAME PIDFILE LOGFILE TIMEOUT READY COMMAND...
# Starts COMMAND in the background (its output to LOGFILE, its pid in PIDFILE) and waits up to
# TIMEOUT seconds until READY (a command: a function name and plain arguments, word-split) succeeds.
# Dies with the log's last lines when the process exits first or READY never succeeds. Environment
# assignments before the call reach COMMAND.
bg_start() {
  local name=$1 pidfile=$2 logfile=$3 timeout=$4 ready=$5 pid deadline
  shift 5
  mkdir -p "$(dirname "$pidfile")" "$(dirname "$logfile")"
  nohup "$@" >"$logfile" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"
  deadline=$((SECONDS + timeout))
  until $ready >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$logfile" >&2; rm -f "$pidfile"
      die "$name exited before it was ready; its log: $logfile"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 30 "$logfile" >&2
      die "$name was not ready within $timeout s; its log: $logfile"
    fi
    sleep 0.2
  done
  log "$name is ready (pid $pid, log $logfile)"
}

# bg_stop NAME PIDFILE [GRACE]: SIGTERM to the process in PIDFILE, SIGKILL if it still runs after
# GRACE seconds (10); removes PIDFILE. A no-op when there is no such process.
bg_stop() {
  local name=$1 pidfile=$2 grace=${3:-10} pid i
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then log "$name did not stop within $grace s: killing it"; kill -9 "$pid" 2>/dev/null || true; fi
    log "$name stopped"
  fi
  rm -f "$pidfile"
}

# operator_test_classpath FILE: compiles the operator's test classes and prints the classpath that
# runs a main class of them with java -cp (its dependencies' list is kept in FILE).
operator_test_classpath() {
  local file=$1 target="$REPO_ROOT/operator/target"
  mkdir -p "$(dirname "$file")"
  (cd "$REPO_ROOT" && mvn -B -q -pl operator test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$file") >&2
  echo "$target/test-classes:$target/classes:$(cat "$file")"
}

# --- Debian packages --------------------------------------------------------------------------------

# The exact command that installs Debian packages $@ (sudo when not root).
apt_command() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo "
  echo "${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends $*"
}

# Installs Debian packages $@ (sudo when not root).
apt_install() {
  log "installing $*"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@"
}
