# shellcheck shell=bash
# redis from debian's packages
REDIS_PORT="${REDIS_PORT:-6379}"
# every write goes to the append-only file, fsynced each second. a dump.rdb is only read with it off:
# npm run restore starts redis once with no, then turns it on at run time (CONFIG SET appendonly yes)
REDIS_APPENDONLY="${REDIS_APPENDONLY:-yes}"

redis_ports() { echo "$REDIS_PORT"; }
redis_env() { printf '%s\n' "REDIS_PORT=$REDIS_PORT" "REDIS_DIR=$(data_dir redis)"; }
redis_install() { ensure_apt redis-server redis-server; }
redis_start() {
  local dir; dir=$(data_dir redis)
  own_dir "$dir"
  spawn redis "$(command -v redis-server)" --bind "$STACK_HOST" --port "$REDIS_PORT" \
    --dir "$dir" --appendonly "$REDIS_APPENDONLY" --save '' --daemonize no --protected-mode yes
}
redis_ready() { [ "$(redis-cli -h "$STACK_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
