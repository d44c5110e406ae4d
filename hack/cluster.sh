#!/usr/bin/env bash
# The local control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
# kwok's fake nodes, built from Go modules and run by kwokctl's binary runtime.
#
#   hack/cluster.sh up          build what is missing, start the cluster unless it runs; idempotent
#   hack/cluster.sh down        stop the cluster and remove its state
#   hack/cluster.sh status      say whether it runs
#   BLUESHIFT_CLUSTER_SIZE=bench hack/cluster.sh up
#                               sized for make bench: hack/cluster-bench.sh's Service range and nodes
#   hack/cluster.sh kubeconfig  print the kubeconfig path the tests and targets use
#   hack/cluster.sh kubectl     print the kubectl binary to use (ours, else the one on PATH; fails naming
#                               what is missing when there is neither)
#   hack/cluster.sh restart-apiserver [SECONDS]
#                               kill kube-apiserver (SIGKILL), keep it down SECONDS (0), start it
#                               again with the same flags, then kube-controller-manager; etcd, the
#                               scheduler and kwok keep running (the crash suites: a control plane
#                               restarted mid-release)
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
  kwokctl_config > "$BLUESHIFT_STATE/kwokctl.yaml"
  "$KWOKCTL" --name "$BLUESHIFT_CLUSTER" create cluster \
    --runtime binary \
    --etcd-binary "$ETCD_BIN/etcd" \
    --kube-apiserver-binary "$KUBE_BIN/kube-apiserver" \
    --kube-controller-manager-binary "$KUBE_BIN/kube-controller-manager" \
    --kube-scheduler-binary "$KUBE_BIN/kube-scheduler" \
    --kwok-controller-binary "$KWOK_BIN/kwok" \
    --kube-authorization=true \
    --config "$BLUESHIFT_STATE/kwokctl.yaml" \
    --kubeconfig "$BLUESHIFT_KUBECONFIG" \
    --wait 120s \
    --quiet-pull 2>&1 | sed -un 's/.*"msg":"\([^"]*\)".*/  kwokctl: \1/p' >&2
  kubectl apply -f "$HACK_DIR/kwok-nodes.yaml" >/dev/null
  if [ "${BLUESHIFT_CLUSTER_SIZE:-}" = bench ]; then kubectl apply -f "$HACK_DIR/kwok-nodes-bench.yaml" >/dev/null; fi
  kubectl wait --for=condition=Ready node --all --timeout=60s >/dev/null
  # The default ServiceAccount appears a moment after a namespace; Pods need it.
  until kubectl -n default get serviceaccount default >/dev/null 2>&1; do sleep 1; done
  log "cluster '$BLUESHIFT_CLUSTER' is up in $((SECONDS - start))s; export KUBECONFIG=$BLUESHIFT_KUBECONFIG"
}

# The components' flags, as a kwokctl configuration: kwokctl v0.8.0 panics (index out of range in
# mutationComponentPatches) when a component first appears in --extra-args after another component's
# second argument, so none are given as flags:
# - every component listens on 127.0.0.1 only;
# - one controller manager and one scheduler, with nothing to restart them: without leader election
#   they ride out an API server that restarts (with it, they exit when they cannot renew);
# - kwok plays the kubelet only for its fake nodes (annotated kwok.x-k8s.io/node=fake), never for a
#   real node (hack/node.sh);
# - sized for make bench: hack/cluster-bench.sh's Service range;
# - ready for the real node (hack/node.sh), whose Pods reach the API server as a Pod does, through
#   the `kubernetes` Service: the API server advertises the node's bridge address (node-relay relays
#   its port there to 127.0.0.1), its certificate names the Service's and the bridge's addresses,
#   and it reaches the kubelet (kubectl logs, exec) at the node's InternalIP with the admin
#   certificate, which the kubelet trusts (same CA). Without a real node nothing uses them.
kwokctl_config() {
  local range="" range_arg="" pki="$KWOK_WORKDIR/clusters/$BLUESHIFT_CLUSTER/pki"
  [ "${BLUESHIFT_CLUSTER_SIZE:-}" = bench ] && range="$("$HACK_DIR/cluster-bench.sh" service-range)"
  [ -n "$range" ] && range_arg="  - {key: service-cluster-ip-range, value: $range}"
  # The `kubernetes` Service's ClusterIP is the first address of the Service range.
  local service_ip
  service_ip="$(python3 -c 'import ipaddress, sys; print(next(ipaddress.ip_network(sys.argv[1]).hosts()))' "${range:-10.0.0.0/24}")"
  cat <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  kubeApiserverCertSANs: ["$service_ip", "$NODE_BRIDGE_IP"]
componentsPatches:
- name: kube-apiserver
  extraArgs:
  - {key: bind-address, value: 127.0.0.1}
  - {key: advertise-address, value: $NODE_BRIDGE_IP}
  - {key: kubelet-client-certificate, value: $pki/admin.crt}
  - {key: kubelet-client-key, value: $pki/admin.key}
  - {key: kubelet-preferred-address-types, value: InternalIP}
$range_arg
- name: kube-controller-manager
  extraArgs:
  - {key: bind-address, value: 127.0.0.1}
  - {key: leader-elect, value: "false"}
$range_arg
- name: kube-scheduler
  extraArgs:
  - {key: bind-address, value: 127.0.0.1}
  - {key: leader-elect, value: "false"}
- name: kwok-controller
  extraArgs:
  - {key: manage-all-nodes, value: "false"}
  - {key: manage-nodes-with-annotation-selector, value: kwok.x-k8s.io/node=fake}
EOF
}

down() {
  if [ -n "${KUBECONFIG:-}" ]; then
    log "KUBECONFIG is set: not touching that cluster"
    return 0
  fi
  # Its real node first (hack/node.sh): its Pods, bridge and firewall rules go with the cluster.
  if [ -d "$BLUESHIFT_STATE/node" ]; then "$HACK_DIR/node.sh" down || true; fi
  if [ -x "$KWOKCTL" ]; then
    "$KWOKCTL" --name "$BLUESHIFT_CLUSTER" delete cluster 2>&1 | sed -u 's/^/  kwokctl: /' >&2 || true
  fi
  # kwokctl stops only the processes it started: a component restart-apiserver started again would stay.
  pkill -9 -f "^$KWOK_WORKDIR/clusters/$BLUESHIFT_CLUSTER/bin/" 2>/dev/null || true
  rm -rf "$KWOK_WORKDIR/clusters/$BLUESHIFT_CLUSTER" "$BLUESHIFT_KUBECONFIG"
  log "cluster '$BLUESHIFT_CLUSTER' is down"
}

status() {
  if [ -n "${KUBECONFIG:-}" ]; then echo "external cluster (KUBECONFIG=$KUBECONFIG)"; return 0; fi
  if running; then echo "running (kubeconfig: $BLUESHIFT_KUBECONFIG)"; else echo "not running"; return 1; fi
}

# Kills control-plane component $1 (SIGKILL: a crash, its port free at once) and starts it again with
# the same flags after $2 seconds, as kwokctl starts it: from the cluster's directory, output to its
# log, its pid where kwokctl looks for it (so that `down` stops it).
restart_component() {
  local name=$1 down_for=$2 dir pids pid
  dir="$KWOK_WORKDIR/clusters/$BLUESHIFT_CLUSTER"
  pids="$dir/pids/$name.pid"
  # The pid file may be stale (a pid since reused by another process): trust only a pid that runs
  # this cluster's binary of that name.
  pid="$(cat "$pids" 2>/dev/null || true)"
  if [ -z "$pid" ] || [ "$(tr '\0' '\n' 2>/dev/null <"/proc/$pid/cmdline" | head -1)" != "$dir/bin/$name" ]; then
    pid="$(pgrep -f "^$dir/bin/$name " | head -1 || true)"
  fi
  [ -n "$pid" ] || die "no $name of '$BLUESHIFT_CLUSTER' runs"
  local -a command
  mapfile -d '' command <"/proc/$pid/cmdline"
  kill -9 "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  sleep "$down_for"
  (cd "$dir" && exec setsid "${command[@]}" >>"$dir/logs/$name.log" 2>&1 </dev/null) &  # exec: its own pid
  echo $! >"$pids"
}

restart_apiserver() {
  local down_for="${1:-0}" dir
  [ -z "${KUBECONFIG:-}" ] || die "restart-apiserver needs the local control plane (KUBECONFIG is set)"
  running || die "cluster '$BLUESHIFT_CLUSTER' is not running"
  dir="$KWOK_WORKDIR/clusters/$BLUESHIFT_CLUSTER"
  restart_component kube-apiserver "$down_for"
  local start=$SECONDS
  until kubectl get --raw /readyz >/dev/null 2>&1; do
    if [ $((SECONDS - start)) -ge 180 ] || ! kill -0 "$(cat "$dir/pids/kube-apiserver.pid")" 2>/dev/null; then
      # e.g. another cluster created meanwhile took its port (kwokctl picks free ports at creation)
      die "kube-apiserver did not come back: $(tail -1 "$dir/logs/kube-apiserver.log")"
    fi
    sleep 0.2
  done
  # The controller manager goes down with it, as on a control-plane node that restarts: after an API
  # server restart its informers can stay behind its own writes, and Kubernetes' ReplicaSet controller
  # then refuses to act ("read version ... is not as new as written version") for minutes.
  restart_component kube-controller-manager 0
  log "kube-apiserver (and kube-controller-manager) of '$BLUESHIFT_CLUSTER' restarted (down ${down_for}s, ready again in $((SECONDS - start))s)"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  kubeconfig) kubeconfig ;;
  kubectl) tool_path kubectl "$KUBE_BIN" ;;
  restart-apiserver) restart_apiserver "${2:-0}" ;;
  *) echo "usage: $0 up|down|status|kubeconfig|kubectl|restart-apiserver [SECONDS]" >&2; exit 2 ;;
esac
