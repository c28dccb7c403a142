#!/usr/bin/env bash
# the local stack without docker: real servers, installed on first use, run on loopback.
#   stack.sh up [server...]      install (first time) and start, then wait until each answers
#   stack.sh down [server...]    stop what `up` started
#   stack.sh status              one line per server
#   stack.sh logs <server>       follow a server's log
#   stack.sh install [server...] download and build only
#   stack.sh env                 the settings in effect (ports, users, directories) as NAME=value lines
#   stack.sh nodetool <args>     cassandra's nodetool against the running node
set -u
# shellcheck source=./lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for s in "${STACK_SERVERS[@]}"; do
  # shellcheck source=/dev/null
  source "$STACK_ROOT/servers/$s.sh" || die "missing server module servers/$s.sh"
done

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

check_names() { # in the main shell, so die stops the command (pick runs in a subshell)
  local n
  for n in "$@"; do
    [[ " ${STACK_SERVERS[*]} " == *" $n "* ]] || die "unknown server '$n'; known: ${STACK_SERVERS[*]}"
  done
}
pick() { # the named servers, or all of them
  if [ $# = 0 ]; then printf '%s\n' "${STACK_SERVERS[@]}"; else printf '%s\n' "$@"; fi
}

check_ports() {
  local name=$1 port
  for port in $("${name}_ports"); do
    if port_open "$port"; then
      die "$name: port $port on $STACK_HOST is already taken by another process. Stop it, or pick another port (see README, 'Ports')."
    fi
  done
}

cmd_install() {
  ensure_layout
  local n
  for n in $(pick "$@"); do "${n}_install"; done
}

cmd_up() {
  local started=$SECONDS n names
  names=$(pick "$@")
  ensure_layout
  # the services' token-signing pair, generated once into .stack/keys (never committed)
  node "$REPO_ROOT/tools/scripts/lib/local-keys.cjs" || die "could not create the local key pair in $REPO_ROOT/.stack/keys"
  for n in $names; do "${n}_install"; done
  # launch everything first, then wait: the jvms start in parallel
  for n in $names; do
    if running_pid "$n" >/dev/null; then
      step "$n already running"
      continue
    fi
    check_ports "$n"
    step "starting $n (log: $(log_file "$n"))"
    "${n}_start"
  done
  for n in $names; do
    local t=60
    declare -F "${n}_timeout" >/dev/null && t=$("${n}_timeout")
    wait_ready "$n" "$t"
    if declare -F "${n}_post_start" >/dev/null; then "${n}_post_start"; fi
    ok "$n ready on $STACK_HOST:$("${n}_ports" | head -n1)"
  done
  ok "stack up in $((SECONDS - started))s"
}

cmd_down() {
  local n names
  names=$(pick "$@" | tac)
  for n in $names; do stop_server "$n"; done
  ok "stack down"
}

cmd_status() {
  local n pid state rc=0
  for n in $(pick "$@"); do
    if pid=$(running_pid "$n"); then
      if "${n}_ready" >/dev/null 2>&1; then state="${c_grn}ready${c_off}"; else state="${c_red}starting or unhealthy${c_off}"; rc=1; fi
      printf '%-14s %-26s pid %-7s port %-6s log %s\n' "$n" "$state" "$pid" "$("${n}_ports" | head -n1)" "$(log_file "$n")"
    else
      printf '%-14s %-26s\n' "$n" "stopped"; rc=1
    fi
  done
  return $rc
}

# what tools outside bash (npm run backup, restore) need to address this stack: each server module's
# <name>_env, with the defaults applied, so no other file repeats them
cmd_env() {
  local n
  echo "STACK_HOME=$STACK_HOME"
  echo "STACK_HOST=$STACK_HOST"
  if is_root; then echo "STACK_USER=$STACK_USER"; fi
  for n in "${STACK_SERVERS[@]}"; do
    if declare -F "${n}_env" >/dev/null; then "${n}_env"; fi
  done
}

cmd_logs() {
  [ $# -ge 1 ] || die "usage: stack.sh logs <server>"
  exec tail -n 100 -F "$(log_file "$1")"
}

cmd=${1:-}; shift || true
case "$cmd" in up|down|status|install) check_names "$@" ;; logs) if [ $# -ge 1 ]; then check_names "$1"; fi ;; esac
case "$cmd" in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status "$@" ;;
  logs) cmd_logs "$@" ;;
  install) cmd_install "$@" ;;
  env) cmd_env ;;
  nodetool) cassandra_nodetool "$@" ;;
  -h|--help|help) usage 0 ;;
  *) usage 2 ;;
esac
