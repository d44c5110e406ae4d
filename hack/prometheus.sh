#!/usr/bin/env bash
# A real Prometheus server (Debian's package) for the analysis tests and the rollback benchmark,
# on 127.0.0.1 and a fixed non-default port, scraping every second the targets that tests
# register by writing file_sd JSON files into its targets directory.
#
#   hack/prometheus.sh install       apt-get installs prometheus when missing
#   hack/prometheus.sh missing       prints the Debian package to install, if it is missing
#   hack/prometheus.sh up            starts it (no-op when it already answers)
#   hack/prometheus.sh down          stops it and removes its state
#   hack/prometheus.sh status        says whether it answers
#   hack/prometheus.sh address       prints its base URL
#   hack/prometheus.sh targets-dir   prints the directory of file_sd target files (*.json)
#
# Settings (environment): BLUESHIFT_PROMETHEUS_PORT (19090), BLUESHIFT_CACHE.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_NAME=prometheus

PORT="${BLUESHIFT_PROMETHEUS_PORT:-19090}"
STATE="$BLUESHIFT_CACHE/prometheus-$PORT"
ADDRESS="http://127.0.0.1:$PORT"

binary() {
  if command -v prometheus >/dev/null; then command -v prometheus; return; fi
  [[ -x /usr/bin/prometheus ]] && { echo /usr/bin/prometheus; return; }
  return 1
}

answers() { curl -fsS --max-time 2 "$ADDRESS/-/ready" >/dev/null 2>&1; }

cmd_missing() { binary >/dev/null || echo prometheus; }

cmd_install() {
  if binary >/dev/null; then log "prometheus is installed: $(binary)"; return; fi
  apt_install prometheus
}

cmd_up() {
  if answers; then log "already answers on $ADDRESS"; return; fi
  local bin
  bin="$(binary)" || die "prometheus is not installed: run hack/prometheus.sh install"
  mkdir -p "$STATE/targets" "$STATE/data"
  cat > "$STATE/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
scrape_configs:
  - job_name: blueshift-tests
    file_sd_configs:
      - files: ['$STATE/targets/*.json']
        refresh_interval: 1s
YAML
  bg_start "prometheus on $ADDRESS (state in $STATE)" "$STATE/prometheus.pid" "$STATE/prometheus.log" 20 answers \
    "$bin" --config.file="$STATE/prometheus.yml" --storage.tsdb.path="$STATE/data" \
    --storage.tsdb.retention.time=2h --web.listen-address="127.0.0.1:$PORT"
}

cmd_down() {
  bg_stop prometheus "$STATE/prometheus.pid" 5
  rm -rf "$STATE"
}

case "${1:-}" in
  install) cmd_install ;;
  missing) cmd_missing ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) if answers; then echo "prometheus answers on $ADDRESS"; else echo "prometheus is down"; exit 1; fi ;;
  address) echo "$ADDRESS" ;;
  targets-dir) echo "$STATE/targets" ;;
  *) echo "usage: $0 install|missing|up|down|status|address|targets-dir" >&2; exit 2 ;;
esac
