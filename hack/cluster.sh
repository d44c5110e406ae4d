#!/usr/bin/env bash
# The local control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
# kwok's fake nodes, built from Go modules and run by kwokctl's binary runtime.
#
#   hack/cluster.sh up          build what is missing, start the cluster unless it runs; idempotent
#   hack/cluster.sh down        stop the cluster and remove its state
#   hack/cluster.sh status      say whether it runs
#   hack/cluster.sh kubeconfig  print the kubeconfig path the tests and targets use
#   hack/cluster.sh kubectl     print the kubectl binary to use (ours, else the one on PATH; fails naming
#                               what is missing when there is neither)
#
# With KUBECONFIG set in the environment, the cluster it points at (kind, EKS, ...) is used
# as it is: nothing is built or started, and `down` leaves it alone.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KWOKCTL="$KWOK_BIN/kwokctl"
export KWOK_WORKDIR="$BLUESHIFT_STATE/kwok" KWOK_KUBE_VERSION="$KUBE_VERSION" KWOK_KUBECTL_BINARY="$KUBE_BIN/kubectl"

running() {
  [ -f "$BLUESHIFT_KUBECONFIG" ] && [ -x "$KUBE_BIN/kubectl" ] \
    && kubectl get --raw /readyz >/dev/null 2>&1
}

up() {
  if [ -n "${KUBECONFIG:-}" ]; then
    local kubectl_path
    kubectl_path="$(tool_path kubectl "$KUBE_BIN")" || exit 1
    log "KUBECONFIG is set: using that cluster, starting nothing (kubectl: $kubectl_path)"
    return 0
  fi
  if running; then
    log "cluster '$BLUESHIFT_CLUSTER' is already running (kubeconfig: $BLUESHIFT_KUBECONFIG)"
    return 0
  fi
  "$HACK_DIR/build-binaries.sh" all
  # A stale cluster (e.g. after a reboot) is removed before a fresh start.
  "$KWOKCTL" --name "$BLUESHIFT_CLUSTER" delete cluster >/dev/null 2>&1 || true
  mkdir -p "$BLUESHIFT_STATE"
  rm -f "$BLUESHIFT_KUBECONFIG"
  log "starting cluster '$BLUESHIFT_CLUSTER' (Kubernetes $KUBE_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION)"
  local start=$SECONDS
  "$KWOKCTL" --name "$BLUESHIFT_CLUSTER" create cluster \
    --runtime binary \
    --etcd-binary "$ETCD_BIN/etcd" \
    --kube-apiserver-binary "$KUBE_BIN/kube-apiserver" \
    --kube-controller-manager-binary "$KUBE_BIN/kube-controller-manager" \
    --kube-scheduler-binary "$KUBE_BIN/kube-scheduler" \
    --kwok-controller-binary "$KWOK_BIN/kwok" \
    --kube-authorization=true \
    --extra-args "kube-apiserver=bind-address=127.0.0.1" \
    --extra-args "kube-controller-manager=bind-address=127.0.0.1" \
    --extra-args "kube-scheduler=bind-address=127.0.0.1" \
    --kubeconfig "$BLUESHIFT_KUBECONFIG" \
    --wait 120s \
    --quiet-pull 2>&1 | sed -un 's/.*"msg":"\([^"]*\)".*/  kwokctl: \1/p' >&2
  kubectl apply -f "$HACK_DIR/kwok-nodes.yaml" >/dev/null
  kubectl wait --for=condition=Ready node --all --timeout=60s >/dev/null
  # The default ServiceAccount appears a moment after a namespace; Pods need it.
  until kubectl -n default get serviceaccount default >/dev/null 2>&1; do sleep 1; done
  log "cluster '$BLUESHIFT_CLUSTER' is up in $((SECONDS - start))s; export KUBECONFIG=$BLUESHIFT_KUBECONFIG"
}

down() {
  if [ -n "${KUBECONFIG:-}" ]; then
    log "KUBECONFIG is set: not touching that cluster"
    return 0
  fi
  if [ -x "$KWOKCTL" ]; then
    "$KWOKCTL" --name "$BLUESHIFT_CLUSTER" delete cluster 2>&1 | sed -u 's/^/  kwokctl: /' >&2 || true
  fi
  rm -rf "$KWOK_WORKDIR/clusters/$BLUESHIFT_CLUSTER" "$BLUESHIFT_KUBECONFIG"
  log "cluster '$BLUESHIFT_CLUSTER' is down"
}

status() {
  if [ -n "${KUBECONFIG:-}" ]; then echo "external cluster (KUBECONFIG=$KUBECONFIG)"; return 0; fi
  if running; then echo "running (kubeconfig: $BLUESHIFT_KUBECONFIG)"; else echo "not running"; return 1; fi
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kubeconfig) kubeconfig ;;
  kubectl) tool_path kubectl "$KUBE_BIN" ;;
  *) echo "usage: $0 up|down|status|kubeconfig|kubectl" >&2; exit 2 ;;
esac
