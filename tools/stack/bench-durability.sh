#!/usr/bin/env bash
# what durable local stores cost: acknowledged-write throughput of PostgreSQL and the MongoDB-wire
# server, durable (the stack's settings) and with the earlier non-durable settings, one after the
# other on the same machine. private servers (a temporary STACK_HOME, spare ports), so the running
# stack is not touched; the stack's installs are used (and made on first use).
#   bash tools/stack/bench-durability.sh [seconds] [repeats]
# postgres: pgbench -c 8 -j 2 -T <seconds> (default 20) on a scale-10 database, with fsync,
# synchronous_commit and full_page_writes on, then off. mongodb: 5,000 single inserts from 8 clients
# (bench-mongo-writes.mjs), with a commit and fsync per write, then with the library's background
# commit. the pairs alternate <repeats> times (default 3), and the medians are printed at the end:
# other work on the machine moves single runs a lot.
set -u
SECS=${1:-20}
REPEATS=${2:-3}
STACK_HOME=$(mktemp -d)
chmod 755 "$STACK_HOME" # the servers run as the stack user when started by root
export STACK_HOME
export POSTGRES_PORT=${BENCH_POSTGRES_PORT:-55432} MONGODB_PORT=${BENCH_MONGODB_PORT:-57017}
# shellcheck source=./lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=./servers/postgres.sh
source "$STACK_ROOT/servers/postgres.sh"
# shellcheck source=./servers/mongodb.sh
source "$STACK_ROOT/servers/mongodb.sh"

cleanup() {
  stop_server postgres >/dev/null
  stop_server mongodb >/dev/null
  rm -rf "$STACK_HOME"
}
trap cleanup EXIT
for p in "$POSTGRES_PORT" "$MONGODB_PORT"; do
  port_open "$p" && die "port $p is taken; set BENCH_POSTGRES_PORT / BENCH_MONGODB_PORT"
done
ensure_layout
postgres_install
mongodb_install

declare -A runs=() # label -> the run's figures, space separated
median() { tr ' ' '\n' | grep . | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
pg_run() { # pg_run <label> [postgres -c flags...]
  local label=$1 bin dir; shift
  bin=$(postgres_bin); dir=$(data_dir postgres)
  spawn postgres "$bin/postgres" -D "$dir" -h "$STACK_HOST" -p "$POSTGRES_PORT" -k "$dir.sock" \
    -c max_connections=200 "$@"
  wait_ready postgres 60
  local tps
  tps=$(PGPASSWORD="$POSTGRES_PASSWORD" "$bin/pgbench" -h "$STACK_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" \
    -n -c 8 -j 2 -T "$SECS" "$POSTGRES_DB" 2>&1 | sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
  stop_server postgres >/dev/null
  [ -n "$tps" ] || die "pgbench failed; see $(log_file postgres)"
  tps=$(printf '%.0f' "$tps")
  step "postgres, $label: $tps tps"
  runs["postgres, $label: pgbench -c 8 -j 2 -T $SECS, tps"]+="$tps "
}
mongo_run() { # mongo_run <label> [java -D flags...]
  local label=$1 dir out; shift
  dir=$(data_dir mongodb)
  rm -rf "$dir"; own_dir "$dir"
  ensure_java
  spawn mongodb "$JAVA_HOME/bin/java" -Xms64m "-Xmx$MONGODB_HEAP" -XX:+UseSerialGC "$@" \
    -Dorg.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler=warn \
    -cp "$(mongodb_home)/classes:$(mongodb_home)/libs/*" MongoServerMain "$STACK_HOST" "$MONGODB_PORT" "$dir/mongodb.mv"
  wait_ready mongodb 60
  out=$(node "$STACK_ROOT/bench-mongo-writes.mjs" --uri "mongodb://$STACK_HOST:$MONGODB_PORT" --n 5000 --clients 8 2>&1)
  stop_server mongodb >/dev/null
  local rate; rate=$(sed -n 's|.*: \([0-9]*\)/s,.*|\1|p' <<<"$out")
  [ -n "$rate" ] || die "mongodb bench failed: $out"
  step "mongodb, $label: $out"
  runs["mongodb, $label: 5,000 inserts from 8 clients, inserts/s"]+="$rate "
}

step "postgres: a scale-10 pgbench database"
postgres_start
wait_ready postgres 60
postgres_post_start
PGPASSWORD="$POSTGRES_PASSWORD" "$(postgres_bin)/pgbench" -h "$STACK_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" \
  -i -q -s 10 "$POSTGRES_DB" >>"$(log_file postgres)" 2>&1 || die "pgbench -i failed; see $(log_file postgres)"
stop_server postgres >/dev/null

for _ in $(seq 1 "$REPEATS"); do
  pg_run "durable (defaults)"
  pg_run "fsync/synchronous_commit/full_page_writes off" -c fsync=off -c synchronous_commit=off -c full_page_writes=off
done
for _ in $(seq 1 "$REPEATS"); do
  mongo_run "durable (commit and fsync per write)"
  mongo_run "background commit (mongodb.durable=false)" -Dmongodb.durable=false
done

echo
for label in "${!runs[@]}"; do
  printf '%s: median %s (runs: %s)\n' "$label" "$(median <<<"${runs[$label]}")" "${runs[$label]% }"
done | sort
