# shellcheck shell=bash
# redis from debian's packages
REDIS_PORT="${REDIS_PORT:-6379}"

redis_ports() { echo "$REDIS_PORT"; }
redis_install() { ensure_apt redis-server redis-server; }
redis_start() {
  local dir; dir=$(data_dir redis)
  own_dir "$dir"
  spawn redis "$(command -v redis-server)" --bind "$STACK_HOST" --port "$REDIS_PORT" \
    --dir "$dir" --appendonly yes --save '' --daemonize no --protected-mode yes
}
redis_ready() { [ "$(redis-cli -h "$STACK_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }
