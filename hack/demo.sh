#!/usr/bin/env bash
# The local demo: the control plane, the operator running from its build, and a release.
#   hack/demo.sh up     start everything and release manifests/demo-rolling.yaml twice (1.0.0, then 1.1.0)
#   hack/demo.sh down   stop the operator and delete the demo namespace
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OPERATOR_PID="$BLUESHIFT_STATE/operator.pid"
OPERATOR_LOG="$BLUESHIFT_STATE/operator.log"
NS=blueshift-demo

kubectl() { "$KUBE_BIN/kubectl" --kubeconfig "$("$HACK_DIR/cluster.sh" kubeconfig)" "$@"; }

stop_operator() {
  if [ -f "$OPERATOR_PID" ] && kill -0 "$(cat "$OPERATOR_PID")" 2>/dev/null; then
    kill "$(cat "$OPERATOR_PID")"
    while kill -0 "$(cat "$OPERATOR_PID")" 2>/dev/null; do sleep 0.2; done
    log "operator stopped"
  fi
  rm -f "$OPERATOR_PID"
}

start_operator() {
  stop_operator
  log "building the operator"
  (cd "$REPO_ROOT" && mvn -B -q -pl operator package -DskipTests)
  mkdir -p "$BLUESHIFT_STATE"
  KUBECONFIG="$("$HACK_DIR/cluster.sh" kubeconfig)" BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE=default nohup java -jar "$REPO_ROOT/operator/target/quarkus-app/quarkus-run.jar" \
    >"$OPERATOR_LOG" 2>&1 &
  echo $! >"$OPERATOR_PID"
  until grep -q "started in" "$OPERATOR_LOG" 2>/dev/null; do
    kill -0 "$(cat "$OPERATOR_PID")" 2>/dev/null || { cat "$OPERATOR_LOG"; log "the operator exited"; exit 1; }
    sleep 0.5
  done
  log "operator running (pid $(cat "$OPERATOR_PID"), log: $OPERATOR_LOG)"
}

show() {
  echo
  kubectl -n "$NS" get msd,deployments,services,pods
  echo
}

wait_healthy() {
  local generation
  generation=$(kubectl -n "$NS" get msd catalogue -o jsonpath='{.metadata.generation}')
  kubectl -n "$NS" wait msd/catalogue --timeout=120s \
    --for=jsonpath='{.status.observedGeneration}'="$generation" >/dev/null
  kubectl -n "$NS" wait msd/catalogue --timeout=120s --for=jsonpath='{.status.phase}'=Healthy >/dev/null
}

up() {
  "$HACK_DIR/cluster.sh" up
  kubectl apply --server-side --force-conflicts -f "$REPO_ROOT/crds/" >/dev/null
  kubectl wait --for=condition=Established crd/microservicedeployments.blueshift.dev >/dev/null
  start_operator
  log "release 1.0.0: kubectl apply -f manifests/demo-rolling.yaml"
  kubectl apply -f "$REPO_ROOT/manifests/demo-rolling.yaml"
  wait_healthy
  show
  log "release 1.1.0: one field changes, the image tag"
  kubectl -n "$NS" patch msd catalogue --type=json \
    -p='[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"registry.example/blueshift/sample-service:1.1.0"}]'
  wait_healthy
  show
  kubectl -n "$NS" describe msd catalogue | sed -n '/^Status:/,$p'
  log "demo is up; the operator keeps running (hack/demo.sh down, or make demo-down, stops it)"
  log "try: export KUBECONFIG=$("$HACK_DIR/cluster.sh" kubeconfig); kubectl -n $NS get msd -w"
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
