#!/usr/bin/env bash
# One real worker node beside kwok's fake ones (issue 16): containerd + runc, a CNI bridge,
# kubelet and kube-proxy (built from the same Kubernetes module as the control plane), registered
# with the local control plane. Pods on it run for real, from images imported out of OCI archives
# (nothing is pulled). Needs root, namespaces and cgroups; `check` says whether this machine can.
#
#   hack/node.sh check          exits 0 if this machine can run the node, else prints why
#   hack/node.sh missing        prints the Debian packages the node needs, if missing
#   hack/node.sh install        apt-get installs them (as root)
#   hack/node.sh up             builds what is missing, starts the node, waits until it is Ready
#   hack/node.sh import ARCHIVE imports an OCI archive (e.g. target/images/*.oci.tar) into its containerd
#   hack/node.sh import-images  imports the images of make images (hack/images.sh ensure builds missing ones)
#   hack/node.sh down           stops it and removes its state, its bridge and its firewall rules
#   hack/node.sh status         prints the node and its Pods
#   hack/node.sh ready          exits 0 if the node is up and Ready
#   hack/node.sh env            prints what tests need to run Pods there (shell assignments)
#
# With the node runs its own Prometheus (127.0.0.1:19091, built from its Go module, pinned in
# versions.env): it finds the node's Pods through Kubernetes service discovery and scrapes those
# annotated prometheus.io/scrape "true" every second (`env` prints its address).
#
# Pods reach the servers on this machine's loopback (Redis 16379, PostgreSQL 15432, the AWS
# emulator's proxy 15001, the API server through the `kubernetes` Service) at 10.244.0.1: node-relay
# (hack/node-relay, built here) relays exactly those ports and nothing else. kubectl logs and exec
# reach the kubelet there too.
#
# Addresses stay on this machine: Pods get 10.244.0.0/24 on the bridge blueshift0 and route
# everything through this machine (so that kube-proxy's rules here translate Service addresses),
# which goes no further: no masquerade, and the chain BLUESHIFT-NODE (in FORWARD) drops anything
# from the Pod network that would leave it, whether or not this machine forwards IP (it may: Docker
# and others turn net.ipv4.ip_forward on).
# The node is tainted blueshift.dev/real-node=true:NoSchedule: only Pods that ask for it run there.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE_NAME="$REAL_NODE_NAME"
NODE_DIR="$BLUESHIFT_STATE/node"
BRIDGE=blueshift0
POD_CIDR=10.244.0.0/24
POD_NETWORK=10.244.0.0/16
BRIDGE_IP=$NODE_BRIDGE_IP
SOCKET="$NODE_DIR/containerd.sock"
PAUSE_IMAGE=blueshift.local/pause:1
CNI_BIN=/usr/lib/cni
FIREWALL_CHAIN=BLUESHIFT-NODE
# Which cluster's state the machine's one real node belongs to.
OWNER_FILE="$BLUESHIFT_CACHE/real-node-owner"
# Servers on this machine's loopback that Pods reach at $BRIDGE_IP: the sample service's Redis and
# PostgreSQL, the AWS emulator's proxy (hack/moto.sh: the chart's operator Pods' AWS endpoint), and
# the API server (the `kubernetes` Service's endpoint, hack/cluster.sh).
MOTO_PROXY_PORT=$("$HACK_DIR/moto.sh" env | sed -n 's/^BLUESHIFT_MOTO_PROXY_PORT=//p')
RELAY_PORTS="${BLUESHIFT_NODE_RELAY_PORTS:-16379,15432,$MOTO_PROXY_PORT}"
PROMETHEUS_PORT=19091

# Debian packages of the node: containerd (with its runc shim), runc, the CNI plugins, conntrack
# and iptables for kube-proxy.
cmd_missing() {
  command -v containerd >/dev/null || echo containerd
  command -v runc >/dev/null || echo runc
  [ -x "$CNI_BIN/bridge" ] || echo containernetworking-plugins
  command -v conntrack >/dev/null || echo conntrack
  command -v iptables >/dev/null || echo iptables
}

cmd_install() {
  local missing
  missing="$(cmd_missing)"
  if [ -z "$missing" ]; then log "the node's packages are installed"; return; fi
  # shellcheck disable=SC2086 # package names have no spaces
  apt_install $missing
}

cmd_check() {
  local why=()
  [ "$(id -u)" = 0 ] || why+=("not root: containerd, runc and the bridge need root")
  [ -d /sys/fs/cgroup/memory ] || [ -f /sys/fs/cgroup/cgroup.controllers ] || why+=("no cgroup hierarchy at /sys/fs/cgroup")
  unshare --net --pid --fork true 2>/dev/null || why+=("cannot make network and PID namespaces (unshare failed)")
  local missing
  missing="$(cmd_missing | tr '\n' ' ')"
  [ -z "$missing" ] || why+=("missing Debian packages: $(apt_command $missing)")
  if [ ${#why[@]} -gt 0 ]; then
    printf 'this machine cannot run the real node (kwok nodes only):\n' >&2
    printf '  - %s\n' "${why[@]}" >&2
    return 1
  fi
}

# A sandbox ("pause") image made here: a static Go binary that waits for a signal, in a one-layer OCI image.
pause_archive() {
  local out="$NODE_DIR/pause.oci.tar"
  [ -f "$out" ] && { echo "$out"; return; }
  local work
  work=$(mktemp -d)
  mkdir -p "$work/src" "$work/root"
  cat > "$work/src/main.go" <<'EOF'
// pause holds a Pod's namespaces until it is told to stop.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	<-c
}
EOF
  printf 'module pause\n\ngo 1.22\n' > "$work/src/go.mod"
  (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/root/pause" .)
  umoci init --layout "$work/oci" >/dev/null
  umoci new --image "$work/oci:1" >/dev/null
  tar -C "$work/root" --owner=0 --group=0 --mtime=@0 -cf "$work/layer.tar" pause
  umoci raw add-layer --image "$work/oci:1" "$work/layer.tar" >/dev/null
  umoci config --image "$work/oci:1" --config.entrypoint /pause --config.user 65535 >/dev/null
  umoci gc --layout "$work/oci"
  jq --arg n "$PAUSE_IMAGE" '.manifests[0].annotations["io.containerd.image.name"] = $n' \
    "$work/oci/index.json" > "$work/index.json" && mv "$work/index.json" "$work/oci/index.json"
  mkdir -p "$NODE_DIR"
  tar -C "$work/oci" -cf "$out.tmp" . && mv "$out.tmp" "$out"
  rm -rf "$work"
  echo "$out"
}

# node-relay, built from its source once per source version.
relay_binary() {
  local src="$HACK_DIR/node-relay" key out
  key=$(cat "$src"/*.go "$src/go.mod" | sha256sum | cut -c1-12)
  out="$BLUESHIFT_CACHE/bin/node-relay-$key/node-relay"
  if [ ! -x "$out" ]; then
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$out.tmp" .) && mv "$out.tmp" "$out"
  fi
  echo "$out"
}

write_configs() {
  mkdir -p "$NODE_DIR"/{cni,containerd,kubelet,pki}
  cat > "$NODE_DIR/containerd.toml" <<EOF
version = 2
root = "$NODE_DIR/containerd/root"
state = "$NODE_DIR/containerd/state"
[grpc]
  address = "$SOCKET"
[ttrpc]
  address = "$SOCKET.ttrpc"
[debug]
  level = "warn"
[metrics]
  address = ""
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  enable_selinux = false
  # This machine refuses a negative oom_score_adj even to root (runc: "failed to update
  # /proc/self/oom_score_adj: Permission denied"): keep each container's at least containerd's own.
  restrict_oom_score_adj = true
  # Pod network namespaces under the node's state (not /var/run/netns): down removes them with it.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # runc's state of this node's containers only, so that down can remove every one of them.
        Root = "$NODE_DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$NODE_DIR/cni"
EOF
  cat > "$NODE_DIR/cni/10-blueshift.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "blueshift",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "isDefaultGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$BRIDGE_IP"}]],
               "dataDir": "$NODE_DIR/cni-ipam"}
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat > "$NODE_DIR/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
containerRuntimeEndpoint: unix://$SOCKET
# On the bridge, where the API server reaches it for logs and exec (its client certificate is signed
# by the cluster's CA, which the kubelet trusts); not on the machine's other interfaces.
address: $BRIDGE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: "$(cluster_pki)/ca.crt"}
authorization: {mode: AlwaysAllow}
failSwapOn: false
podCIDR: $POD_CIDR
resolvConf: ""
registerWithTaints:
  - {key: blueshift.dev/real-node, value: "true", effect: NoSchedule}
evictionHard: {memory.available: "1Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
localStorageCapacityIsolation: false
serializeImagePulls: false
maxPods: 30
# Containers' logs under the node's state (removed with it), not the machine's /var/log/pods.
podLogsDir: $NODE_DIR/pod-logs
EOF
  cat > "$NODE_DIR/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$BLUESHIFT_KUBECONFIG"}
mode: iptables
clusterCIDR: $POD_NETWORK
hostnameOverride: $NODE_NAME
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
}

# The API server's port on 127.0.0.1, from the kubeconfig (its `kubernetes` Service's endpoint port).
apiserver_port() { sed -n 's|^ *server: https://127.0.0.1:\([0-9]*\).*|\1|p' "$BLUESHIFT_KUBECONFIG" | head -1; }

cluster_pki() { dirname "$(sed -n 's/^ *certificate-authority: //p' "$BLUESHIFT_KUBECONFIG" | head -1)"; }

bridge_up() {
  ip link show "$BRIDGE" >/dev/null 2>&1 || ip link add "$BRIDGE" type bridge
  ip addr show dev "$BRIDGE" | grep -q "$BRIDGE_IP/" || ip addr add "$BRIDGE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Nothing from the Pod network leaves the machine: not forwarded anywhere but the Pod network.
  iptables -N "$FIREWALL_CHAIN" 2>/dev/null || iptables -F "$FIREWALL_CHAIN"
  iptables -A "$FIREWALL_CHAIN" -s "$POD_NETWORK" ! -d "$POD_NETWORK" -j DROP
  iptables -C FORWARD -j "$FIREWALL_CHAIN" 2>/dev/null || iptables -I FORWARD 1 -j "$FIREWALL_CHAIN"
}

# The kubelet's own chains (KUBE-FIREWALL, KUBE-KUBELET-CANARY, KUBE-IPTABLES-HINT); kube-proxy --cleanup removes kube-proxy's.
kubelet_rules_down() {
  local ipt table
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    while "$ipt" -D INPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
    while "$ipt" -D OUTPUT -j KUBE-FIREWALL 2>/dev/null; do :; done
    "$ipt" -F KUBE-FIREWALL 2>/dev/null && "$ipt" -X KUBE-FIREWALL 2>/dev/null || true
    for table in filter nat mangle; do "$ipt" -t "$table" -X KUBE-KUBELET-CANARY 2>/dev/null || true; done
    "$ipt" -t mangle -X KUBE-IPTABLES-HINT 2>/dev/null || true
  done
}

bridge_down() {
  iptables -D FORWARD -j "$FIREWALL_CHAIN" 2>/dev/null || true
  iptables -F "$FIREWALL_CHAIN" 2>/dev/null || true
  iptables -X "$FIREWALL_CHAIN" 2>/dev/null || true
  ip link del "$BRIDGE" 2>/dev/null || true
}

ctr_() { ctr --address "$SOCKET" -n k8s.io "$@"; }

cmd_import() {
  local archive=$1
  [ -f "$archive" ] || die "no archive $archive (make images builds them)"
  local name
  for name in $(ctr_ images import "$archive" | sed -n 's/^unpacking \([^ ]*\) .*/\1/p'); do
    # The kubelet asks for `name:tag` as docker.io/library/name:tag: a short name gets that one too.
    case "$name" in
      */*) ;;
      *) ctr_ images tag --force "$name" "docker.io/library/$name" >/dev/null ;;
    esac
    log "image $name imported into the node's containerd"
  done
}

cmd_up() {
  cmd_check || exit 1
  [ -f "$BLUESHIFT_KUBECONFIG" ] || die "no control plane: run hack/cluster.sh up first"
  if cmd_ready; then
    log "node $NODE_NAME is already up"
    prometheus_answers || prometheus_up  # a node started before it had its own Prometheus
    return 0
  fi
  # One real node per machine: its bridge, Pod range and kubelet port are the machine's.
  local owner
  owner=$(cat "$OWNER_FILE" 2>/dev/null || true)
  if [ -n "$owner" ] && [ "$owner" != "$BLUESHIFT_STATE" ] && [ -d "$owner/node" ]; then
    die "the real node already belongs to the cluster of $owner: stop it there first (BLUESHIFT_STATE=$owner hack/node.sh down)"
  fi
  "$HACK_DIR/build-binaries.sh" node
  local start=$SECONDS
  mkdir -p "$(dirname "$OWNER_FILE")" && echo "$BLUESHIFT_STATE" > "$OWNER_FILE"
  write_configs
  bridge_up
  bg_start containerd "$NODE_DIR/containerd.pid" "$NODE_DIR/containerd.log" 30 "ctr --address $SOCKET version" \
    containerd --config "$NODE_DIR/containerd.toml"
  cmd_import "$(pause_archive)"
  bg_start node-relay "$NODE_DIR/node-relay.pid" "$NODE_DIR/node-relay.log" 10 "grep -q relaying $NODE_DIR/node-relay.log" \
    "$(relay_binary)" -listen "$BRIDGE_IP" -ports "$RELAY_PORTS,$(apiserver_port)"
  bg_start kubelet "$NODE_DIR/kubelet.pid" "$NODE_DIR/kubelet.log" 60 "curl -sf http://127.0.0.1:10248/healthz" \
    "$KUBE_NODE_BIN/kubelet" \
    --config "$NODE_DIR/kubelet.yaml" --kubeconfig "$BLUESHIFT_KUBECONFIG" \
    --root-dir "$NODE_DIR/kubelet" --cert-dir "$NODE_DIR/pki" \
    --hostname-override "$NODE_NAME" --node-ip "$BRIDGE_IP" \
    --node-labels "blueshift.dev/node=real"
  bg_start kube-proxy "$NODE_DIR/kube-proxy.pid" "$NODE_DIR/kube-proxy.log" 60 "curl -sf http://127.0.0.1:10256/healthz" \
    "$KUBE_NODE_BIN/kube-proxy" --config "$NODE_DIR/kube-proxy.yaml"
  local waited=0
  until kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -q True; do
    sleep 1; waited=$((waited + 1))
    [ $waited -lt 120 ] || { tail -n 30 "$NODE_DIR/kubelet.log" >&2; die "node $NODE_NAME not Ready after 120 s (log: $NODE_DIR/kubelet.log)"; }
  done
  log "node $NODE_NAME is Ready in $((SECONDS - start))s (Pods on $POD_CIDR, bridge $BRIDGE; logs in $NODE_DIR)"
  prometheus_up
}

prometheus_answers() { curl -sf "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" >/dev/null; }

# The node's Prometheus: Kubernetes service discovery of the node's Pods (through the API server,
# with the cluster's kubeconfig); it scrapes those annotated prometheus.io/scrape "true" at their
# own address (this machine routes to the bridge), port prometheus.io/port (8080) and path
# prometheus.io/path (/metrics), every second, and labels their series with namespace and pod.
prometheus_up() {
  mkdir -p "$NODE_DIR/prometheus"
  cat > "$NODE_DIR/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: real-node-pods
    kubernetes_sd_configs:
      - role: pod
        kubeconfig_file: $BLUESHIFT_KUBECONFIG
        selectors:
          - role: pod
            field: spec.nodeName=$NODE_NAME
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
        regex: "true"
        action: keep
      - source_labels: [__meta_kubernetes_pod_phase]
        regex: Running
        action: keep
      - source_labels: [__meta_kubernetes_pod_ip, __meta_kubernetes_pod_annotation_prometheus_io_port]
        regex: '([^;]+);(\d*)'
        replacement: '\$1:\${2}'
        target_label: __address__
      - source_labels: [__address__]
        regex: '(.+):'
        replacement: '\${1}:8080'
        target_label: __address__
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
        regex: '(.+)'
        target_label: __metrics_path__
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
YAML
  bg_start "the node's Prometheus on 127.0.0.1:$PROMETHEUS_PORT (Kubernetes service discovery)" \
    "$NODE_DIR/prometheus.pid" "$NODE_DIR/prometheus.log" 30 prometheus_answers \
    "$PROMETHEUS_BIN/prometheus" --config.file="$NODE_DIR/prometheus.yml" --storage.tsdb.path="$NODE_DIR/prometheus" \
    --storage.tsdb.retention.time=2h --web.listen-address="127.0.0.1:$PROMETHEUS_PORT"
}

cmd_down() {
  local owner
  owner=$(cat "$OWNER_FILE" 2>/dev/null || true)
  if [ -n "$owner" ] && [ "$owner" != "$BLUESHIFT_STATE" ]; then
    log "the real node belongs to the cluster of $owner: leaving it; removing only $NODE_DIR"
    rm -rf "$NODE_DIR"
    return 0
  fi
  bg_stop "the node's Prometheus" "$NODE_DIR/prometheus.pid" 5
  bg_stop kube-proxy "$NODE_DIR/kube-proxy.pid"
  bg_stop kubelet "$NODE_DIR/kubelet.pid"
  # The Pods' containers and sandboxes (runc's state of this node only), their shims, then containerd.
  local id
  for id in $(runc --root "$NODE_DIR/runc" list -q 2>/dev/null); do
    runc --root "$NODE_DIR/runc" delete --force "$id" >/dev/null 2>&1 || true
  done
  pkill -KILL -f "containerd-shim-runc-v2 .*-address $SOCKET" 2>/dev/null || true  # shims ignore SIGTERM
  bg_stop containerd "$NODE_DIR/containerd.pid"
  bg_stop node-relay "$NODE_DIR/node-relay.pid"
  # kube-proxy's rules would point at Pods that are gone.
  "$KUBE_NODE_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
  kubelet_rules_down
  bridge_down
  if [ -d "$NODE_DIR" ]; then
    grep -o " $NODE_DIR/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$NODE_DIR"
  fi
  [ -f "$BLUESHIFT_KUBECONFIG" ] && kubectl delete node "$NODE_NAME" --ignore-not-found >/dev/null 2>&1 || true
  [ "$(cat "$OWNER_FILE" 2>/dev/null || true)" = "$BLUESHIFT_STATE" ] && rm -f "$OWNER_FILE"
  log "node $NODE_NAME is down"
}

cmd_env() {
  local tag
  tag=$(awk '/^appVersion:/ {gsub(/"/, "", $2); print $2}' "$REPO_ROOT/helm/blueshift/Chart.yaml")
  echo "BLUESHIFT_NODE_NAME=$NODE_NAME"
  echo "BLUESHIFT_NODE_HOST_IP=$BRIDGE_IP"
  echo "BLUESHIFT_NODE_SAMPLE_IMAGE=blueshift-sample-service:${BLUESHIFT_IMAGE_TAG:-$tag}"
  echo "BLUESHIFT_NODE_PROMETHEUS=http://127.0.0.1:$PROMETHEUS_PORT"
  echo "BLUESHIFT_NODE_AWS_ENDPOINT=http://$BRIDGE_IP:$MOTO_PROXY_PORT"
}

# Whether this cluster's real node is up: Ready, and its containerd here.
cmd_ready() {
  kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -q True \
    && [ -S "$SOCKET" ]
}

cmd_status() {
  kubectl get node "$NODE_NAME" -o wide
  kubectl get pods -A -o wide --field-selector "spec.nodeName=$NODE_NAME"
}

case "${1:-}" in
  check) cmd_check ;;
  missing) cmd_missing ;;
  install) cmd_install ;;
  up) cmd_up ;;
  import) shift; cmd_import "$@" ;;
  import-images)
    "$HACK_DIR/images.sh" ensure
    for image in blueshift-operator blueshift-sample-service; do cmd_import "$("$HACK_DIR/images.sh" archive "$image")"; done ;;
  down) cmd_down ;;
  status) cmd_status ;;
  ready) cmd_ready ;;
  env) cmd_env ;;
  *) sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2 ;;
esac
