#!/usr/bin/env bash
# Builds the local control plane from its Go modules (versions in versions.env)
# into a cache outside the repository, keyed by version. A second run builds nothing.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Prints a progress line every 50 compiled packages instead of go build -v's flood.
progress() {
  local what=$1 n=0 start=$SECONDS
  while IFS= read -r line; do
    case "$line" in
      *" "*|"") printf '%s\n' "$line" >&2 ;;   # errors and warnings pass through
      *) n=$((n + 1)); [ $((n % 50)) -eq 0 ] && log "$what: $n packages compiled ($((SECONDS - start))s)" ;;
    esac
  done
  log "$what: $n packages compiled in $((SECONDS - start))s"
}

# A throwaway wrapper module that requires $1 at $2, with extra go.mod lines from stdin.
wrapper_module() {
  local dir=$1 module=$2 version=$3
  rm -rf "$dir"; mkdir -p "$dir"
  { printf 'module blueshift.local/build\n\ngo 1.26\n\nrequire %s %s\n' "$module" "$version"; cat; } > "$dir/go.mod"
}

# The version the Kubernetes binaries report (what a release build stamps), stripped.
kube_ldflags() {
  local minor=${KUBE_VERSION#v1.} pkg ldflags="-s -w"
  minor=${minor%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  echo "$ldflags"
}

build_kubernetes() {
  local out=$KUBE_BIN
  [ -x "$out/kube-apiserver" ] && [ -x "$out/kube-controller-manager" ] && [ -x "$out/kube-scheduler" ] && [ -x "$out/kubectl" ] && return 0
  log "building Kubernetes $KUBE_VERSION (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl); cold, about 4 minutes on 2 cores (measured; more under load)"
  local work=$BLUESHIFT_CACHE/build/kubernetes-$KUBE_VERSION
  local staging_version=v0.${KUBE_VERSION#v1.}
  # k8s.io/kubernetes replaces each staging module with ./staging/src/..., which the
  # module zip lacks: derive the list from this version's own go.mod and pin each
  # to its published v0.Y.Z.
  local gomod
  gomod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  local replaces
  replaces=$(sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/src/.*#\1#p' "$gomod")
  [ -n "$replaces" ] || { log "no staging replace directives found in $gomod"; exit 1; }
  for m in $replaces; do printf 'replace %s => %s %s\n' "$m" "$m" "$staging_version"; done \
    | wrapper_module "$work" k8s.io/kubernetes "$KUBE_VERSION"
  local ldflags
  ldflags=$(kube_ldflags)
  mkdir -p "$out.tmp"
  (cd "$work" && go build -mod=mod -v -trimpath -ldflags "$ldflags" -o "$out.tmp/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl) 2>&1 | progress kubernetes
  [ -x "$out.tmp/kube-apiserver" ] || { log "Kubernetes build failed"; exit 1; }
  rm -rf "$out"; mv "$out.tmp" "$out"
}

# The real node's kubelet and kube-proxy (issue 16), from the same wrapper module: only with `node`.
build_node() {
  local out=$KUBE_NODE_BIN
  [ -x "$out/kubelet" ] && [ -x "$out/kube-proxy" ] && return 0
  build_kubernetes
  log "building kubelet and kube-proxy $KUBE_VERSION; cold, a few minutes on 2 cores after the control plane"
  local ldflags
  ldflags=$(kube_ldflags)
  mkdir -p "$out.tmp"
  (cd "$BLUESHIFT_CACHE/build/kubernetes-$KUBE_VERSION" && go build -mod=mod -v -trimpath -ldflags "$ldflags" -o "$out.tmp/" \
      k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy) 2>&1 | progress kubelet
  [ -x "$out.tmp/kubelet" ] || { log "kubelet build failed"; exit 1; }
  rm -rf "$out"; mv "$out.tmp" "$out"
}

build_etcd() {
  [ -x "$ETCD_BIN/etcd" ] && return 0
  log "building etcd $ETCD_VERSION"
  local work=$BLUESHIFT_CACHE/build/etcd-$ETCD_VERSION
  wrapper_module "$work" go.etcd.io/etcd/server/v3 "$ETCD_VERSION" </dev/null
  mkdir -p "$ETCD_BIN.tmp"
  (cd "$work" && go build -mod=mod -v -trimpath -ldflags "-s -w" -o "$ETCD_BIN.tmp/etcd" go.etcd.io/etcd/server/v3) 2>&1 | progress etcd
  [ -x "$ETCD_BIN.tmp/etcd" ] || { log "etcd build failed"; exit 1; }
  rm -rf "$ETCD_BIN"; mv "$ETCD_BIN.tmp" "$ETCD_BIN"
}

# Modules without replace directives install directly.
go_install() {
  local dir=$1 name=$2 ldflags=$3; shift 3
  [ -x "$dir/$name" ] && return 0
  log "building $name"
  mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install -v -trimpath -ldflags "$ldflags" "$@" 2>&1 | progress "$name"
  [ -x "$dir.tmp/$name" ] || { log "$name build failed"; exit 1; }
  rm -rf "$dir"; mv "$dir.tmp" "$dir"
}

main() {
  local want=${1:-all}
  case "$want" in
    all|etcd) build_etcd ;;& 
    all|kubernetes) build_kubernetes ;;&
    all|kwok) go_install "$KWOK_BIN" kwokctl "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
                "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION" ;;&
    all|helm) go_install "$HELM_BIN" helm "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
                "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" ;;
    node) build_node
          go_install "$PROMETHEUS_BIN" prometheus "-s -w" "github.com/prometheus/prometheus/cmd/prometheus@$PROMETHEUS_VERSION" ;;
  esac
  log "binaries ready under $BLUESHIFT_CACHE/bin"
}
main "$@"
