#!/usr/bin/env bash
# Real Redis and PostgreSQL servers for the sample service's tests and benchmark,
# on 127.0.0.1 and fixed non-default ports, so they never clash with a system install.
#
#   hack/sample-deps.sh install   apt-get installs what is missing (redis-server, postgresql, wrk)
#   hack/sample-deps.sh missing   prints the Debian packages the servers need, if missing
#   hack/sample-deps.sh up        starts both servers (no-op for one already answering)
#   hack/sample-deps.sh down      stops both servers
#   hack/sample-deps.sh status    says which are answering
#   hack/sample-deps.sh env       prints the settings as shell assignments
#   hack/sample-deps.sh psql ARGS  runs psql as the servers' user (pass -d DATABASE)
#
# Settings (environment): SAMPLE_REDIS_PORT (16379), SAMPLE_PG_PORT (15432),
# SAMPLE_PG_USER / SAMPLE_PG_DATABASE (blueshift / catalog), BLUESHIFT_CACHE.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LOG_NAME=sample-deps

DEPS_DIR="$BLUESHIFT_CACHE/sample-deps"
REDIS_PORT="${SAMPLE_REDIS_PORT:-16379}"
PG_PORT="${SAMPLE_PG_PORT:-15432}"
PG_USER="${SAMPLE_PG_USER:-blueshift}"
PG_DATABASE="${SAMPLE_PG_DATABASE:-catalog}"
# PostgreSQL refuses to run as root; as root the server runs as this account.
PG_OS_USER="${SAMPLE_PG_OS_USER:-postgres}"

pg_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [[ -n "$dir" && -x "$dir/pg_ctl" ]]; then echo "$dir"; return; fi
  if command -v pg_ctl >/dev/null; then dirname "$(command -v pg_ctl)"; return; fi
  return 1
}

# Runs a PostgreSQL program as the non-root account when we are root.
as_pg_user() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

# The data directory must be reachable by the server's account. As root, $HOME is
# usually closed to other accounts, so the data then lives in a directory of its own
# whose place is remembered in $DEPS_DIR/postgres.location.
pg_data_dir() {
  local default="$DEPS_DIR/postgres" record="$DEPS_DIR/postgres.location"
  if [[ "$(id -u)" != 0 ]]; then echo "$default"; return; fi
  if [[ -f "$record" && -d "$(cat "$record")" ]]; then cat "$record"; return; fi
  mkdir -p "$default"
  chown "$PG_OS_USER" "$default"
  if runuser -u "$PG_OS_USER" -- test -w "$default"; then
    echo "$default" > "$record"
  else
    rmdir "$default"
    mktemp -d -t blueshift-sample-postgres.XXXXXX > "$record"
  fi
  cat "$record"
}

redis_up() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }
pg_up() { "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

# The Debian packages the servers need (wrk, for the benchmark, only when $1 is --all), when missing.
cmd_missing() {
  command -v redis-server >/dev/null || echo redis-server
  pg_bindir >/dev/null || echo postgresql
  [[ "${1:-}" != --all ]] || command -v wrk >/dev/null || echo wrk
}

cmd_install() {
  local missing
  missing="$(cmd_missing --all)"
  if [[ -z "$missing" ]]; then log "redis-server, postgresql and wrk are installed"; return; fi
  # Debian's packages may try to start system-wide servers; ours run on their own ports.
  apt_install $missing
}

start_redis() {
  if redis_up; then log "redis already answers on 127.0.0.1:$REDIS_PORT"; return; fi
  command -v redis-server >/dev/null || die "redis-server is not installed: run $0 install"
  local dir="$DEPS_DIR/redis"
  mkdir -p "$dir"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --save '' --appendonly no
  for _ in $(seq 1 50); do redis_up && break; sleep 0.1; done
  redis_up || die "redis did not answer on 127.0.0.1:$REDIS_PORT; see $dir/redis.log"
  log "redis answers on 127.0.0.1:$REDIS_PORT"
}

start_postgres() {
  local bin data
  bin="$(pg_bindir)" || die "postgresql is not installed: run $0 install"
  if pg_up; then log "postgresql already answers on 127.0.0.1:$PG_PORT"; return; fi
  data="$(pg_data_dir)"
  mkdir -p "$data"
  [[ "$(id -u)" != 0 ]] || chown "$PG_OS_USER" "$data"
  chmod 700 "$data"
  if [[ ! -f "$data/PG_VERSION" ]]; then
    log "initialising a PostgreSQL cluster in $data"
    as_pg_user "$bin/initdb" -D "$data" -U "$PG_USER" --auth=trust -E UTF8 >"$DEPS_DIR/initdb.log"
  fi
  as_pg_user "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='' -c max_connections=100 -c fsync=off" \
    start >/dev/null || die "postgresql did not start; see $data/server.log"
  if ! "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" "$PG_DATABASE"
  fi
  log "postgresql answers on 127.0.0.1:$PG_PORT (database $PG_DATABASE, user $PG_USER)"
}

cmd_up() {
  mkdir -p "$DEPS_DIR"
  start_redis
  start_postgres
}

cmd_down() {
  if redis_up; then redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; log "redis stopped"; fi
  local bin record="$DEPS_DIR/postgres.location" data="$DEPS_DIR/postgres"
  [[ -f "$record" ]] && data="$(cat "$record")"
  if bin="$(pg_bindir)" && [[ -f "$data/postmaster.pid" ]]; then
    as_pg_user "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null && log "postgresql stopped"
  fi
}

cmd_status() {
  redis_up && log "redis: up on 127.0.0.1:$REDIS_PORT" || log "redis: down"
  pg_up 2>/dev/null && log "postgresql: up on 127.0.0.1:$PG_PORT" || log "postgresql: down"
}

cmd_env() {
  echo "SAMPLE_REDIS_PORT=$REDIS_PORT"
  echo "SAMPLE_PG_PORT=$PG_PORT"
  echo "SAMPLE_PG_USER=$PG_USER"
  echo "SAMPLE_PG_DATABASE=$PG_DATABASE"
}

cmd_psql() {
  local bin
  bin="$(pg_bindir)" || die "postgresql is not installed: run $0 install"
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -v ON_ERROR_STOP=1 "$@"
}

case "${1:-}" in
  install) cmd_install ;;
  missing) cmd_missing ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  env) cmd_env ;;
  psql) shift; cmd_psql "$@" ;;
  *) echo "usage: $0 install|missing|up|down|status|env|psql" >&2; exit 2 ;;
esac
