#!/usr/bin/env bash
# what durable local stores cost: acknowledged-write throughput of PostgreSQL, the MongoDB-wire
# server and Cassandra, durable (the stack's settings) and with the earlier non-durable settings, one
# after the other on the same machine. private servers (a temporary STACK_HOME, spare ports), so the
# running stack is not touched; the stack's installs are used (and made on first use).
#   bash tools/stack/bench-durability.sh [seconds] [repeats] [stores]
# postgres: pgbench -c 8 -j 2 -T <seconds> (default 20) on a scale-10 database, with fsync,
# synchronous_commit and full_page_writes on, then off. mongodb: 5,000 single inserts from 8 clients
# (bench-mongo-writes.mjs), with a commit and fsync per write, then with the library's background
# commit. cassandra: 20,000 single-row prepared inserts, 32 in flight, into a table shaped like
# analytics' series_facts (bench-cassandra-writes.mjs), with commitlog_sync: batch (the commit log
# fsynced before each acknowledgement), then periodic (cassandra's default, fsync every 10 s). the
# pairs alternate <repeats> times (default 3), and the medians are printed at the end: other work on
# the machine moves single runs a lot. mongodb and cassandra start each run on an empty data dir.
# <stores> (or BENCH_ONLY) picks some of postgres, mongodb and cassandra, comma separated; all by
# default: `bash tools/stack/bench-durability.sh 20 3 cassandra`.
# ports: BENCH_POSTGRES_PORT (55432), BENCH_MONGODB_PORT (57017), BENCH_CASSANDRA_PORT (59042),
# BENCH_CASSANDRA_STORAGE_PORT (57000), BENCH_CASSANDRA_JMX_PORT (57199).
set -u
SECS=${1:-20}
REPEATS=${2:-3}
ONLY=${3:-${BENCH_ONLY:-postgres,mongodb,cassandra}}
STACK_HOME=$(mktemp -d)
chmod 755 "$STACK_HOME" # the servers run as the stack user when started by root
export STACK_HOME
export POSTGRES_PORT=${BENCH_POSTGRES_PORT:-55432} MONGODB_PORT=${BENCH_MONGODB_PORT:-57017}
export CASSANDRA_PORT=${BENCH_CASSANDRA_PORT:-59042} CASSANDRA_STORAGE_PORT=${BENCH_CASSANDRA_STORAGE_PORT:-57000}
export CASSANDRA_JMX_PORT=${BENCH_CASSANDRA_JMX_PORT:-57199}
# shellcheck source=./lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=./servers/postgres.sh
source "$STACK_ROOT/servers/postgres.sh"
# shellcheck source=./servers/mongodb.sh
source "$STACK_ROOT/servers/mongodb.sh"
# shellcheck source=./servers/cassandra.sh
source "$STACK_ROOT/servers/cassandra.sh"

cleanup() {
  stop_server postgres >/dev/null
  stop_server mongodb >/dev/null
  stop_server cassandra >/dev/null
  rm -rf "$STACK_HOME"
}
trap cleanup EXIT
STORES=()
for s in ${ONLY//,/ }; do
  case "$s" in
    postgres | mongodb | cassandra) STORES+=("$s") ;;
    *) die "unknown store \"$s\"; pick from postgres, mongodb, cassandra (comma separated)" ;;
  esac
done
[ "${#STORES[@]}" -gt 0 ] || die "no store to measure"
bench() { [[ " ${STORES[*]} " == *" $1 "* ]]; }

ports=()
bench postgres && ports+=("$POSTGRES_PORT")
bench mongodb && ports+=("$MONGODB_PORT")
bench cassandra && ports+=("$CASSANDRA_PORT" "$CASSANDRA_STORAGE_PORT" "$CASSANDRA_JMX_PORT")
for p in "${ports[@]}"; do
  port_open "$p" && die "port $p is taken; move it with the BENCH_*_PORT variables (see the header)"
done
ensure_layout
bench postgres && postgres_install
bench mongodb && mongodb_install
bench cassandra && cassandra_install

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
# record <server> <label> <what> <output of a bench-*-writes.mjs line>: keeps its rate for the medians
record() {
  local server=$1 label=$2 what=$3 out=$4 rate
  rate=$(sed -n 's|.*: \([0-9]*\)/s,.*|\1|p' <<<"$out")
  [ -n "$rate" ] || die "$server bench failed: $out"
  step "$server, $label: $out"
  runs["$server, $label: $what"]+="$rate "
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
  record mongodb "$label" "5,000 inserts from 8 clients, inserts/s" "$out"
}
cassandra_run() { # cassandra_run <label> <batch|periodic>
  local label=$1 mode=$2 dir out
  dir=$(data_dir cassandra)
  rm -rf "$dir"
  CASSANDRA_COMMITLOG_SYNC=$mode cassandra_start
  # the setting must have reached the node, or both halves would measure the same thing
  grep -qx "commitlog_sync: $mode" "$dir/conf/cassandra.yaml" \
    || die "cassandra.yaml has no 'commitlog_sync: $mode'; does servers/cassandra.sh read CASSANDRA_COMMITLOG_SYNC?"
  wait_ready cassandra "$(cassandra_timeout)"
  out=$(node "$STACK_ROOT/bench-cassandra-writes.mjs" --contact "$STACK_HOST:$CASSANDRA_PORT" --n 20000 --concurrency 32 2>&1)
  stop_server cassandra >/dev/null
  record cassandra "$label" "20,000 inserts, 32 in flight, inserts/s" "$out"
}

if bench postgres; then
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
fi
if bench mongodb; then
  for _ in $(seq 1 "$REPEATS"); do
    mongo_run "durable (commit and fsync per write)"
    mongo_run "background commit (mongodb.durable=false)" -Dmongodb.durable=false
  done
fi
if bench cassandra; then
  for _ in $(seq 1 "$REPEATS"); do
    cassandra_run "durable (commitlog_sync: batch)" batch
    cassandra_run "periodic commit log (commitlog_sync_period: 10000ms)" periodic
  done
fi

echo
for label in "${!runs[@]}"; do
  printf '%s: median %s (runs: %s)\n' "$label" "$(median <<<"${runs[$label]}")" "${runs[$label]% }"
done | sort
