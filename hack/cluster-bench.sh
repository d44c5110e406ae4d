#!/usr/bin/env bash
# The control plane sized for `make bench` (BLUESHIFT_CLUSTER_SIZE=bench hack/cluster.sh up):
# thousands of BlueGreen MSDs need two Services each and a Pod per revision.
#
#   hack/cluster-bench.sh args   print kwokctl's extra arguments, one a line: a /16 Service range
#                                (65k addresses, kwokctl's default holds about 250)
# The nodes: hack/kwok-nodes-bench.yaml (4 fake nodes of 1500 Pods each, beside the 2 usual ones).
set -euo pipefail

case "${1:-}" in
  args)
    printf '%s\n' \
      --extra-args "kube-apiserver=service-cluster-ip-range=10.96.0.0/16" \
      --extra-args "kube-controller-manager=service-cluster-ip-range=10.96.0.0/16"
    ;;
  *) echo "usage: $0 args" >&2; exit 2 ;;
esac
