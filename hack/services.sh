#!/usr/bin/env bash
# The real servers the tests use besides Kubernetes, each on 127.0.0.1:
# Redis and PostgreSQL for the sample service (hack/sample-deps.sh); moto, the AWS API emulator,
# for the operator's AWS tests (hack/moto.sh); Prometheus for release analysis (hack/prometheus.sh).
#   hack/services.sh install   install what is missing (Debian packages, PyPI), and the image tools (hack/images.sh)
#   hack/services.sh up        start them (each is a no-op when already answering)
#   hack/services.sh down      stop them
set -euo pipefail
HACK_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

case "${1:-}" in
  install) "$HACK_DIR/sample-deps.sh" install; "$HACK_DIR/moto.sh" install; "$HACK_DIR/prometheus.sh" install; "$HACK_DIR/images.sh" install ;;
  up|down|status) "$HACK_DIR/sample-deps.sh" "$1"; "$HACK_DIR/moto.sh" "$1"; "$HACK_DIR/prometheus.sh" "$1" ;;
  *) echo "usage: $0 install|up|down|status" >&2; exit 2 ;;
esac
