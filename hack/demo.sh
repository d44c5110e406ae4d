#!/usr/bin/env bash
# The local demo: the control plane, the operator running from its build, and a release.
#   hack/demo.sh up     start everything, release manifests/demo-bluegreen.yaml, promote, abort, undo
#   hack/demo.sh down   stop the operator and delete the demo namespace
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OPERATOR_PID="$BLUESHIFT_STATE/operator.pid"
OPERATOR_LOG="$BLUESHIFT_STATE/operator.log"
NS=blueshift-demo

kubectl() { "$KUBE_BIN/kubectl" --kubeconfig "$("$HACK_DIR/cluster.sh" kubeconfig)" "$@"; }

stop_operator() {
  if [ -f "$OPERATOR_PID" ] && kill -0 "$(cat "$OPERATOR_PID")" 2>/dev/null; then
    local pid
    pid="$(cat "$OPERATOR_PID")"
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { log "the operator did not stop within 20 s: killing it"; kill -9 "$pid"; }
    log "operator stopped"
  fi
  rm -f "$OPERATOR_PID"
}

start_operator() {
  stop_operator
  log "building the operator"
  (cd "$REPO_ROOT" && mvn -B -q -pl operator package -DskipTests)
  mkdir -p "$BLUESHIFT_STATE"
  # The demo's operator leaves alone the MSDs of test runs (make test may run beside the demo).
  KUBECONFIG="$("$HACK_DIR/cluster.sh" kubeconfig)" BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE=default \
    QUARKUS_OPERATOR_SDK_CONTROLLERS_BLUESHIFT_SELECTOR='!blueshift.dev/test-run' nohup java -jar "$REPO_ROOT/operator/target/quarkus-app/quarkus-run.jar" \
    >"$OPERATOR_LOG" 2>&1 &
  echo $! >"$OPERATOR_PID"
  until grep -q "started in" "$OPERATOR_LOG" 2>/dev/null; do
    kill -0 "$(cat "$OPERATOR_PID")" 2>/dev/null || { cat "$OPERATOR_LOG"; log "the operator exited"; exit 1; }
    sleep 0.5
  done
  log "operator running (pid $(cat "$OPERATOR_PID"), log: $OPERATOR_LOG)"
}

NAME=catalogue
plugin() { KUBECTL="$KUBE_BIN/kubectl" "$REPO_ROOT/plugin/kubectl-blueshift" --kubeconfig "$("$HACK_DIR/cluster.sh" kubeconfig)" -n "$NS" "$@"; }

show() {
  echo
  kubectl -n "$NS" get msd
  kubectl -n "$NS" get services -o custom-columns='SERVICE:.metadata.name,SELECTS REVISION:.spec.selector.blueshift\.dev/revision'
  kubectl -n "$NS" get replicasets -L blueshift.dev/revision
  echo
}

# Waits until status.$1 equals $2 for the current generation.
wait_for() {
  local generation
  generation=$(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.metadata.generation}')
  kubectl -n "$NS" wait "msd/$NAME" --timeout=120s --for=jsonpath='{.status.observedGeneration}'="$generation" >/dev/null
  kubectl -n "$NS" wait "msd/$NAME" --timeout=120s --for=jsonpath="{.status.$1}=$2" >/dev/null
}

set_image() {
  kubectl -n "$NS" patch msd "$NAME" --type=json \
    -p="[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"registry.example/blueshift/sample-service:$1\"}]" >/dev/null
}

up() {
  "$HACK_DIR/cluster.sh" up
  kubectl apply --server-side --force-conflicts -f "$REPO_ROOT/crds/" >/dev/null
  kubectl wait --for=condition=Established crd/microservicedeployments.blueshift.dev >/dev/null
  start_operator
  log "release 1.0.0: kubectl apply -f manifests/demo-bluegreen.yaml (first release: straight to active)"
  kubectl apply -f "$REPO_ROOT/manifests/demo-bluegreen.yaml" >/dev/null
  wait_for phase Healthy
  show
  log "release 1.1.0: change the image tag; the new revision is previewed on 1 Pod and waits"
  set_image 1.1.0
  wait_for phase Paused
  show
  log "kubectl blueshift promote $NAME: it scales to 3 Pods, then takes the active Service"
  plugin promote "$NAME"
  wait_for phase Healthy
  show
  log "release 1.2.0, then kubectl blueshift abort: the active Service never moves"
  set_image 1.2.0
  wait_for phase Paused
  plugin abort "$NAME"
  wait_for phase Aborted
  plugin status "$NAME"
  local first
  first=$(kubectl -n "$NS" get replicasets -o jsonpath='{range .items[?(@.metadata.annotations.blueshift\.dev/revision-number=="1")]}{.metadata.labels.blueshift\.dev/revision}{end}')
  log "kubectl blueshift undo $NAME --to-revision $first: 1.0.0 is still warm, so it switches back at once"
  plugin undo "$NAME" --to-revision "$first"
  wait_for stableRevision "$first"
  wait_for phase Healthy
  show
  kubectl -n "$NS" describe msd "$NAME" | sed -n '/^Events:/,$p'
  log "demo is up; the operator keeps running (make demo-down stops it). Try:"
  log "  export KUBECONFIG=$("$HACK_DIR/cluster.sh" kubeconfig); plugin/kubectl-blueshift -n $NS status $NAME --watch"
}

down() {
  stop_operator
  if "$HACK_DIR/cluster.sh" status >/dev/null 2>&1; then
    kubectl delete namespace "$NS" --ignore-not-found --wait=false
  fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
