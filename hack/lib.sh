# Shared settings for the hack/ scripts. Source it; it changes nothing by itself.
HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HACK_DIR/.." && pwd)"
# shellcheck source=versions.env
. "$HACK_DIR/versions.env"
BLUESHIFT_CACHE="${BLUESHIFT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/blueshift}"
BLUESHIFT_CLUSTER="${BLUESHIFT_CLUSTER:-blueshift}"
BLUESHIFT_STATE="${BLUESHIFT_STATE:-$BLUESHIFT_CACHE/state}"
BLUESHIFT_KUBECONFIG="${BLUESHIFT_KUBECONFIG:-$BLUESHIFT_STATE/kubeconfig}"
KUBE_BIN="$BLUESHIFT_CACHE/bin/kubernetes-$KUBE_VERSION"
ETCD_BIN="$BLUESHIFT_CACHE/bin/etcd-$ETCD_VERSION"
KWOK_BIN="$BLUESHIFT_CACHE/bin/kwok-$KWOK_VERSION"
HELM_BIN="$BLUESHIFT_CACHE/bin/helm-$HELM_VERSION"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:--buildvcs=false}"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
