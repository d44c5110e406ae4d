#!/usr/bin/env bash
# The local demo: the control plane, the operator running from its build, and a release.
#   hack/demo.sh up     start everything, release the demo's MSD, promote, abort, undo, add its AWS
#                       identity, then a bad release that analysis rolls back
#   hack/demo.sh down   stop the operator, the traffic and the local sample services, delete the demo namespace
# Where this machine can run the real node (hack/node.sh check), the MSD's Pods run the sample
# service's image there (manifests/demo-real-node.yaml), requests flow through the active Service
# the whole time, and the demo ends with their timeline and a plot (requests per second by revision).
# Elsewhere, or with BLUESHIFT_DEMO_NODE=kwok, kwok's Pods run nothing and local sample-service
# processes stand in for the bad release (manifests/demo-bluegreen.yaml).
# The patches of its acts are in manifests/demo/.
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
# On the real node: the load generator that records every request through the active Service.
TRAFFIC_WATCH_PID="$BLUESHIFT_STATE/demo-traffic-watch.pid"
TRAFFIC_WATCH_LOG="$BLUESHIFT_STATE/demo-traffic-watch.log"
DEMO_OUT="$REPO_ROOT/target/demo"
# The local AWS emulator (moto, behind the tests' translating proxy) stands in for AWS.
DEMO_OIDC_ISSUER="https://oidc.eks.us-east-1.amazonaws.com/id/BLUESHIFTDEMO"

stop_operator() { bg_stop operator "$OPERATOR_PID" 20; }

start_operator() {
  stop_operator
  log "building the operator"
  (cd "$REPO_ROOT" && mvn -B -q -pl operator package -DskipTests)
  # The demo's operator leaves alone the MSDs of test runs (make test may run beside the demo). Its
  # default Prometheus (demo_prometheus) is the only address the demo's MSD may name (analysis
  # queries only the admin's addresses: the default and blueshift.analysis.allowed-prometheus-addresses).
  eval "$("$HACK_DIR/moto.sh" env)"
  AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1 \
    BLUESHIFT_AWS_ENDPOINT="http://127.0.0.1:$BLUESHIFT_MOTO_PROXY_PORT" BLUESHIFT_AWS_OIDC_ISSUER="$DEMO_OIDC_ISSUER" \
    BLUESHIFT_AWS_CLUSTER_NAME=demo BLUESHIFT_AWS_ALARM_POLL_INTERVAL=2s \
    BLUESHIFT_ANALYSIS_PROMETHEUS_ADDRESS="$(demo_prometheus)" \
    KUBECONFIG="$(kubeconfig)" BLUESHIFT_LEADER_ELECTION_LEASE_NAMESPACE=default \
    QUARKUS_OPERATOR_SDK_CONTROLLERS_BLUESHIFT_SELECTOR='!blueshift.dev/test-run' \
    bg_start operator "$OPERATOR_PID" "$OPERATOR_LOG" 120 operator_started java -jar "$REPO_ROOT/operator/target/quarkus-app/quarkus-run.jar"
}

# The Prometheus the demo's analysis reads: the real node's (it discovers the Pods there), else the
# local one that scrapes the stand-ins.
demo_prometheus() {
  if [ "$MODE" = real ]; then
    "$HACK_DIR/node.sh" env | sed -n 's/^BLUESHIFT_NODE_PROMETHEUS=//p'
  else
    "$HACK_DIR/prometheus.sh" address
  fi
}

operator_started() { grep -q "started in" "$OPERATOR_LOG"; }

NAME=catalogue
MODE=kwok
plugin() { KUBECTL="$(tool_path kubectl "$KUBE_BIN")" "$REPO_ROOT/plugin/kubectl-blueshift" --kubeconfig "$(kubeconfig)" -n "$NS" "$@"; }

show() {
  echo
  kubectl -n "$NS" get msd
  kubectl -n "$NS" get services -o custom-columns='SERVICE:.metadata.name,SELECTS REVISION:.spec.selector.blueshift\.dev/revision'
  kubectl -n "$NS" get replicasets -L blueshift.dev/revision
  echo
}

# Waits until status.$1 equals $2 for the current generation (real Pods start a JVM each: minutes, not seconds).
wait_for() {
  local generation
  generation=$(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.metadata.generation}')
  kubectl -n "$NS" wait "msd/$NAME" --timeout=240s --for=jsonpath='{.status.observedGeneration}'="$generation" >/dev/null
  kubectl -n "$NS" wait "msd/$NAME" --timeout=240s --for=jsonpath="{.status.$1}=$2" >/dev/null
}

# A new revision: on kwok's nodes an image tag ($1, the images are never pulled); on the real node,
# which has the one image it imported, `kubectl blueshift restart` (same image, a new template).
new_revision() {
  if [ "$MODE" = real ]; then
    log "a new revision: kubectl blueshift restart $NAME ($2)"
    plugin restart "$NAME" >/dev/null
  else
    log "release $1: kubectl blueshift set image $NAME app=...:$1 ($2)"
    plugin set image "$NAME" "app=registry.example/blueshift/sample-service:$1" >/dev/null
  fi
}

# Where the MSD's Pods run: the real node when this machine can run it, else kwok's nodes.
choose_mode() {
  if [ "${BLUESHIFT_DEMO_NODE:-}" = kwok ]; then
    MODE=kwok; log "BLUESHIFT_DEMO_NODE=kwok: kwok's nodes only, local processes stand in for the bad release"
  elif [ -n "${KUBECONFIG:-}" ]; then
    MODE=kwok; log "KUBECONFIG names another cluster: no real node there (kwok's nodes only)"
  elif "$HACK_DIR/node.sh" check; then
    MODE=real; log "the MSD's Pods run on the real node (hack/node.sh); BLUESHIFT_DEMO_NODE=kwok runs the demo without it"
  else
    MODE=kwok; log "this machine cannot run the real node (above): kwok's nodes only, local processes stand in for the bad release"
  fi
}

# kwok's Pods run no process: the demo stands local processes in for them, which only works on the
# local control plane (or another cluster of kwok's nodes).
require_kwok_nodes() {
  [ -n "$(kubectl get nodes -l type=kwok -o name)" ] \
    || die "the demo needs the local control plane (kwok's nodes, whose Pods local processes stand in for);" \
      "KUBECONFIG's cluster ($(kubeconfig)) has none: unset KUBECONFIG"
}

up() {
  "$HACK_DIR/services.sh" need demo
  choose_mode
  "$HACK_DIR/cluster.sh" up
  if [ "$MODE" = real ]; then
    "$HACK_DIR/services.sh" up
    local start=$SECONDS
    "$HACK_DIR/node.sh" up
    "$HACK_DIR/node.sh" import-images
    log "the real node and its images: $((SECONDS - start)) s"
  else
    require_kwok_nodes
  fi
  "$HACK_DIR/moto.sh" proxy-up "$DEMO_OIDC_ISSUER"
  kubectl apply --server-side --force-conflicts -f "$REPO_ROOT/crds/" >/dev/null
  kubectl wait --for=condition=Established crd/microservicedeployments.blueshift.dev >/dev/null
  start_operator
  stop_traffic_watch >/dev/null 2>&1 || true
  # From a clean slate: an MSD left by an earlier run would carry its analysis into the first acts.
  kubectl delete namespace "$NS" --ignore-not-found --wait=true --timeout=120s >/dev/null
  if [ "$MODE" = real ]; then
    log "the first release: manifests/demo-real-node.yaml, the sample service's image on the real node (straight to active)"
    render_real_node_manifest | kubectl apply -f - >/dev/null
  else
    log "release 1.0.0: kubectl apply -f manifests/demo-bluegreen.yaml (first release: straight to active)"
    kubectl apply -f "$REPO_ROOT/manifests/demo-bluegreen.yaml" >/dev/null
  fi
  wait_for phase Healthy
  show
  [ "$MODE" = real ] && start_traffic_watch
  new_revision 1.1.0 "previewed on 1 Pod, it waits"
  wait_for phase Paused
  show
  log "kubectl blueshift promote $NAME: it scales up, then takes the active Service"
  plugin promote "$NAME"
  wait_for phase Healthy
  show
  new_revision 1.2.0 "then kubectl blueshift abort: the active Service never moves"
  wait_for phase Paused
  plugin abort "$NAME"
  wait_for phase Aborted
  plugin status "$NAME"
  local first
  first=$(kubectl -n "$NS" get replicasets -o jsonpath='{range .items[?(@.metadata.annotations.blueshift\.dev/revision-number=="1")]}{.metadata.labels.blueshift\.dev/revision}{end}')
  log "kubectl blueshift undo $NAME --to-revision $first: the first release is still warm, so it switches back at once"
  plugin undo "$NAME" --to-revision "$first"
  wait_for stableRevision "$first"
  wait_for phase Healthy
  show
  aws_act
  if [ "$MODE" = real ]; then real_node_rollback_act; else rollback_act; fi
  kubectl -n "$NS" describe msd "$NAME" | sed -n '/^Events:/,$p'
  [ "$MODE" = real ] && report_traffic
  log "demo is up; the operator keeps running (make demo-down stops it). Try:"
  log "  export KUBECONFIG=$(kubeconfig); plugin/kubectl-blueshift -n $NS status $NAME --watch"
}

# manifests/demo-real-node.yaml with the node's image and host address (hack/node.sh env).
render_real_node_manifest() {
  local env image host
  env=$("$HACK_DIR/node.sh" env)
  image=$(sed -n 's/^BLUESHIFT_NODE_SAMPLE_IMAGE=//p' <<<"$env")
  host=$(sed -n 's/^BLUESHIFT_NODE_HOST_IP=//p' <<<"$env")
  sed -e "s|\${BLUESHIFT_NODE_SAMPLE_IMAGE}|$image|g" -e "s|\${BLUESHIFT_NODE_HOST_IP}|$host|g" \
    "$REPO_ROOT/manifests/demo-real-node.yaml"
}

traffic_watch_started() { [ -f "$DEMO_OUT/started" ]; }

# Requests through the active Service's ClusterIP (kube-proxy's rules on this machine), two at a
# time, each recorded with the revision that answered, until report_traffic.
start_traffic_watch() {
  local classpath
  log "building the load generator (the operator's test classes: realnode/TrafficWatchMain)"
  classpath=$(operator_test_classpath "$BLUESHIFT_STATE/demo-classpath.txt")
  rm -rf "$DEMO_OUT"
  mkdir -p "$DEMO_OUT"
  KUBECONFIG="$(kubeconfig)" bg_start "requests through the active Service $NAME (recorded in $DEMO_OUT)" \
    "$TRAFFIC_WATCH_PID" "$TRAFFIC_WATCH_LOG" 90 traffic_watch_started \
    java -cp "$classpath" dev.blueshift.operator.realnode.TrafficWatchMain "$NS" "$NAME" "$DEMO_OUT"
}

# Stops the load generator, which writes and prints the timeline; its exit status says whether a
# request failed or an answer disagreed with the operator's Events.
report_traffic() {
  [ -f "$TRAFFIC_WATCH_PID" ] || return 0
  local pid status=0
  pid=$(cat "$TRAFFIC_WATCH_PID")
  # A few seconds more, so that the timeline shows the answers after the last move too.
  sleep 5
  touch "$DEMO_OUT/stop"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  rm -f "$TRAFFIC_WATCH_PID"
  log "what the clients of the active Service saw (the whole demo; $DEMO_OUT/timeline.txt):"
  sed -n '1,/^latency/p' "$DEMO_OUT/timeline.txt" >&2
  log "requests per second by revision, the switches marked: $DEMO_OUT/requests-per-second.png"
  log "every request: $DEMO_OUT/requests.csv"
  grep -q '^DISAGREES\|FAILED' "$DEMO_OUT/timeline.txt" && status=1
  [ -s "$DEMO_OUT/timeline.txt" ] || status=1
  [ "$status" = 0 ] || die "a request failed or an answer disagreed with the operator's Events: $DEMO_OUT/timeline.txt, $TRAFFIC_WATCH_LOG"
}

stop_traffic_watch() { bg_stop "the load generator" "$TRAFFIC_WATCH_PID" 5; }

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

# The bad release on the real node: its own Pods answer 30% of requests with a 500 (its fault
# injection), the node's Prometheus finds them (Kubernetes service discovery) and scrapes them, and its
# post-promotion analysis rolls it back.
real_node_rollback_act() {
  log "a bad release: its Pods answer 30% of their requests with a 500 (BLUESHIFT_FAULT_ERROR_RATE=0.3);"
  log "the MSD gets a post-promotion analysis: error ratio < 0.05, measured every 2 s for 30 s (manifests/demo/analysis.yaml)"
  kubectl -n "$NS" patch msd "$NAME" --type=merge --patch-file "$REPO_ROOT/manifests/demo/analysis.yaml" >/dev/null
  kubectl -n "$NS" patch msd "$NAME" --type=json \
    -p '[{"op":"add","path":"/spec/template/spec/containers/0/env/-","value":{"name":"BLUESHIFT_FAULT_ERROR_RATE","value":"0.3"}}]' >/dev/null
  wait_for phase Paused
  local bad
  bad=$(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.status.currentRevision}')
  log "kubectl blueshift promote $NAME: $bad takes the active Service; the analysis measures its Pods"
  plugin promote "$NAME"
  wait_for phase RolledBack
  show
  plugin status "$NAME"
  log "status.lastRollback: $(kubectl -n "$NS" get msd "$NAME" -o jsonpath='{.status.lastRollback}')"
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
  new_revision 1.3.0 "the bad one"
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
  stop_traffic_watch
  stop_local_revisions
  stop_operator
  "$HACK_DIR/moto.sh" proxy-down
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
