#!/usr/bin/env bash
# The control plane sized for `make bench` (BLUESHIFT_CLUSTER_SIZE=bench hack/cluster.sh up):
# thousands of BlueGreen MSDs need two Services each and a Pod per revision.
#
#   hack/cluster-bench.sh service-range   the Service range: a /16 (65k addresses; kwokctl's default
#                                         holds about 250), given to the API server and controller manager
# The nodes: hack/kwok-nodes-bench.yaml (4 fake nodes of 1500 Pods each, beside the 2 usual ones).
set -euo pipefail

case "${1:-}" in
  service-range) echo 10.96.0.0/16 ;;
  *) echo "usage: $0 service-range" >&2; exit 2 ;;
esac
