#!/usr/bin/env bash
# The real servers the tests use besides Kubernetes, each on 127.0.0.1:
# Redis and PostgreSQL for the sample service (hack/sample-deps.sh); moto, the AWS API emulator,
# for the operator's AWS tests (hack/moto.sh); Prometheus for release analysis (hack/prometheus.sh).
#   hack/services.sh install     install what is missing (Debian packages, moto's virtual environment),
#                                the image tools (hack/images.sh), and as root the real node's (hack/node.sh)
#   hack/services.sh need WHAT   what `make WHAT` (test, demo) needs: makes moto's virtual environment
#                                under the cache when missing (nothing of the system's changes), and stops
#                                at once, with the exact command to run, when a Debian package or a
#                                toolchain is missing
#   hack/services.sh up          start them (each is a no-op when already answering)
#   hack/services.sh down        stop them
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_NAME=services

# Toolchains no script installs (Go 1.26 is not Debian's), then tools and their Debian packages.
need() {
  local what=$1 tool missing=() packages=()
  for tool in go java mvn; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} = 0 ] || die "missing ${missing[*]}: make $what needs Go 1.26, Java 17 and Maven 3.8 on PATH (README, \"What they need\")"
  for tool in curl:curl jq:jq openssl:openssl python3:python3; do
    command -v "${tool%%:*}" >/dev/null || packages+=("${tool#*:}")
  done
  # shellcheck disable=SC2207 # package names have no spaces
  packages+=($("$HACK_DIR/sample-deps.sh" missing) $("$HACK_DIR/prometheus.sh" missing) $("$HACK_DIR/moto.sh" missing))
  # As root, the tests run both images with runc; without root they say so and run the operator as a jar.
  # As root, the real node's suite runs too (hack/node.sh).
  if [ "$what" = test ] && [ "$(id -u)" = 0 ]; then packages+=($("$HACK_DIR/images.sh" missing) $("$HACK_DIR/node.sh" missing)); fi
  if [ ${#packages[@]} != 0 ]; then
    log "error: make $what needs Debian's ${packages[*]}, not installed here. Run:"
    log "  $(apt_command "${packages[@]}")"
    log "(or hack/services.sh install, which installs all that the tests and the demo use)"
    exit 1
  fi
  "$HACK_DIR/moto.sh" install
}

case "${1:-}" in
  install)
    "$HACK_DIR/sample-deps.sh" install; "$HACK_DIR/moto.sh" install; "$HACK_DIR/prometheus.sh" install; "$HACK_DIR/images.sh" install
    # The real node (make test-node) needs root; without it the tests say so and use kwok's nodes only.
    if [ "$(id -u)" = 0 ]; then "$HACK_DIR/node.sh" install; fi ;;
  need) [ $# = 2 ] || die "usage: $0 need test|demo"; need "$2" ;;
  up|down|status) "$HACK_DIR/sample-deps.sh" "$1"; "$HACK_DIR/moto.sh" "$1"; "$HACK_DIR/prometheus.sh" "$1" ;;
  *) echo "usage: $0 install|need WHAT|up|down|status" >&2; exit 2 ;;
esac
