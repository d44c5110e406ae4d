#!/usr/bin/env bash
# The local demo: the control plane, the operator running from its build, and a release.
#   hack/demo.sh up     start everything, release manifests/demo-bluegreen.yaml, promote, abort, undo,
#                       then a bad release that analysis rolls back
#   hack/demo.sh down   stop the operator and the local sample services, delete the demo namespace
# Its specs are in manifests/ (demo-bluegreen.yaml, and the patches of its acts in manifests/demo/).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_NAME=demo

OPERATOR_PID="$BLUESHIFT_STATE/operator.pid"
OPERATOR_LOG="$BLUESHIFT_STATE/operator.log"
NS=blueshift-demo
SAMPLE_SERVICE="$HACK_DIR/sample-service.sh"
# Local sample-service processes standing in for the Pods of two revisions (kwok's Pods run nothing).
STABLE_PORT=18090
BAD_PORT=18091
TRAFFIC_PIDS="$BLUESHIFT_STATE/demo-traffic.pids"
# The local AWS emulator (moto, behind the tests' translating proxy) stands in for AWS.
DEMO_OIDC_ISSUER="https://oidc.eks.us-east-1.amazonaws.com/id/BLUESHIFTDEMO"

stop_operator() { bg_stop operator "$OPERATOR_PID" 20; }

start_operator() {
  stop_operator
  log "building the operator"
  (cd "$REPO_ROOT" && mvn -B -q -pl operator package -DskipTests)
  # The demo's operator leaves alone the MSDs of test runs (make test may run beside the demo). Its
  # default Prometheus is the local one, the only address the demo's MSD may name (analysis queries
  # only the admin's addresses: the default and blueshift.analysis.allowed-prometheus-addresses).
  eval "$("$HACK_DIR/moto.sh" env)"
  AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1 \
    BLUESHIFT_AWS_ENDPOINT="http://127.0.0.1:$BLUESHIFT_MOTO_PROXY_PORT" BLUESHIFT_AWS_OIDC_ISSUER="$DEMO_OIDC_ISSUER" \
    BLUESHIFT_AWS_CLUSTER_NAME=demo BLUESHIFT_AWS_ALARM_POLL_INTERVAL=2s \
    BLUESHIFT_ANALYSIS_PROMETHEUS_ADDRESS="$("$HACK_DIR/prometheus.sh" address)" \
    KUBECONFIG="$(kubeconfig)" BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE=default \
    QUARKUS_OPERATOR_SDK_CONTROLLERS_BLUESHIFT_SELECTOR='!blueshift.dev/test-run' \
    bg_start operator "$OPERATOR_PID" "$OPERATOR_LOG" 120 operator_started java -jar "$REPO_ROOT/operator/target/quarkus-app/quarkus-run.jar"
}

operator_started() { grep -q "started in" "$OPERATOR_LOG"; }

NAME=catalogue
plugin() { KUBECTL="$(tool_path kubectl "$KUBE_BIN")" "$REPO_ROOT/plugin/kubectl-blueshift" --kubeconfig "$(kubeconfig)" -n "$NS" "$@"; }

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

set_image() { plugin set image "$NAME" "app=registry.example/blueshift/sample-service:$1" >/dev/null; }

# kwok's Pods run no process: the demo stands local processes in for them, which only works on the
# local control plane (or another cluster of kwok's nodes).
require_kwok_nodes() {
  [ -n "$(kubectl get nodes -l type=kwok -o name)" ] \
    || die "the demo needs the local control plane (kwok's nodes, whose Pods local processes stand in for);" \
      "KUBECONFIG's cluster ($(kubeconfig)) has none: unset KUBECONFIG"
}

up() {
  "$HACK_DIR/services.sh" need demo
  "$HACK_DIR/cluster.sh" up
  require_kwok_nodes
  "$HACK_DIR/moto.sh" proxy-up "$DEMO_OIDC_ISSUER"
  kubectl apply --server-side --force-conflicts -f "$REPO_ROOT/crds/" >/dev/null
  kubectl wait --for=condition=Established crd/microservicedeployments.blueshift.dev >/dev/null
  start_operator
  # From a clean slate: an MSD left by an earlier run would carry its analysis into the first acts.
  kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=120s >/dev/null
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
  aws_act
  rollback_act
  kubectl -n "$NS" describe msd "$NAME" | sed -n '/^Events:/,$p'
  log "demo is up; the operator keeps running (make demo-down stops it). Try:"
  log "  export KUBECONFIG=$(kubeconfig); plugin/kubectl-blueshift -n $NS status $NAME --watch"
}

# Prometheus scrapes the local instance on port $1 (its metrics carry its revision).
scrape() {
  printf '[{"targets":["127.0.0.1:%s"],"labels":{"__metrics_path__":"/q/metrics"}}]\n' "$1" \
    >"$("$HACK_DIR/prometheus.sh" targets-dir)/blueshift-demo-$1.json"
}

# A few requests a second to the local instance on port $1, reading product $2, until the demo stops it.
send_traffic() {
  (while :; do curl -s -o /dev/null "http://127.0.0.1:$1/products/$2" -H "Authorization: Bearer $TOKEN"; sleep 0.05; done) &
  echo $! >>"$TRAFFIC_PIDS"
}

stop_local_revisions() {
  if [ -f "$TRAFFIC_PIDS" ]; then xargs -r kill <"$TRAFFIC_PIDS" 2>/dev/null || true; fi
  rm -f "$TRAFFIC_PIDS"
  "$SAMPLE_SERVICE" stop "$STABLE_PORT"
  "$SAMPLE_SERVICE" stop "$BAD_PORT"
  if "$HACK_DIR/prometheus.sh" status >/dev/null 2>&1; then rm -f "$("$HACK_DIR/prometheus.sh" targets-dir)"/blueshift-demo-*.json; fi
}

aws_act() {
  log "spec.aws: an IAM role for the workload (IRSA) and a CloudWatch error-rate alarm per revision, made in the"
  log "local AWS emulator (moto). Pods that run as the role's ServiceAccount are a new revision: previewed, promoted"
  kubectl -n "$NS" patch msd "$NAME" --type=merge --patch-file "$REPO_ROOT/manifests/demo/aws.yaml" >/dev/null
  wait_for phase Paused
  plugin promote "$NAME"
  wait_for phase Healthy
  show
  log "status.aws: $(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.status.aws}')"
  log "ServiceAccount $NAME: $(kubectl -n "$NS" get serviceaccount "$NAME" -o jsonpath='{.metadata.annotations}')"
  log "Pods of the active revision run as: $(kubectl -n "$NS" get pods -l "blueshift.dev/revision=$(kubectl -n "$NS" get msd "$NAME" \
    -o jsonpath='{.status.activeRevision}')" -o jsonpath='{.items[0].spec.serviceAccountName}')"
}

rollback_act() {
  log "release 1.3.0 is bad: post-promotion analysis rolls it back. kwok's Pods run no process, so a local"
  log "sample-service process stands in for each revision, labelled with it, and Prometheus scrapes it"
  "$HACK_DIR/sample-deps.sh" up
  "$HACK_DIR/prometheus.sh" up
  log "building the sample service"
  "$SAMPLE_SERVICE" build
  stop_local_revisions
  TOKEN="$("$SAMPLE_SERVICE" token)"
  local stable bad product
  stable=$(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.status.stableRevision}')
  "$SAMPLE_SERVICE" start "$STABLE_PORT" "$stable"
  product=$(curl -fs -X POST "http://127.0.0.1:$STABLE_PORT/products" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"sku\":\"demo-$(date +%s)\",\"name\":\"Demo product\",\"priceCents\":1999}" | sed -E 's/.*"id":([0-9]+).*/\1/')
  scrape "$STABLE_PORT"
  send_traffic "$STABLE_PORT" "$product"
  log "the MSD gets a post-promotion analysis: error ratio < 0.05, measured every 2 s for 30 s"
  kubectl -n "$NS" patch msd "$NAME" --type=merge --patch-file "$REPO_ROOT/manifests/demo/analysis.yaml" >/dev/null
  set_image 1.3.0
  wait_for phase Paused
  bad=$(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.status.currentRevision}')
  log "revision $bad answers 30% of its requests with a 500 (BLUESHIFT_FAULT_ERROR_RATE=0.3)"
  BLUESHIFT_FAULT_ERROR_RATE=0.3 "$SAMPLE_SERVICE" start "$BAD_PORT" "$bad"
  scrape "$BAD_PORT"
  send_traffic "$BAD_PORT" "$product"
  log "kubectl blueshift promote $NAME: $bad takes the active Service; the analysis measures it"
  plugin promote "$NAME"
  wait_for phase RolledBack
  show
  plugin status "$NAME"
  log "status.lastRollback: $(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.status.lastRollback}')"
  stop_local_revisions
}

down() {
  # The namespace first, while the operator runs: its finalizer deletes the MSD's role and alarms.
  # An MSD left with the finalizer and no operator would hold the namespace in Terminating.
  if "$HACK_DIR/cluster.sh" status >/dev/null 2>&1; then
    if ! kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=60s >/dev/null 2>&1; then
      log "the namespace is still being deleted (no operator to run the finalizer?): dropping the finalizers"
      local msd
      for msd in $(kubectl -n "$NS" get msd -o name 2>/dev/null); do
        kubectl -n "$NS" patch "$msd" --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null || true
      done
    fi
  fi
  stop_local_revisions
  stop_operator
  "$HACK_DIR/moto.sh" proxy-down
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
