# shellcheck shell=bash
# shared helpers for the native stack. sourced by stack.sh and by every servers/<name>.sh.
#
# layout
#   STACK_HOME   data, logs and pid files of this checkout (gitignored .stack/)
#   STACK_CACHE  downloads and builds, shared by every checkout on the machine
#
# a server module servers/<name>.sh defines four functions:
#   <name>_install   idempotent; downloads into $STACK_CACHE, prints progress with `step`
#   <name>_start     prepares $STACK_HOME/data/<name> and launches with `spawn <name> cmd...`
#   <name>_ready     exit 0 once the server answers its own protocol
#   <name>_ports     prints the tcp ports it listens on (checked before start)
# and may define <name>_timeout (seconds to wait for ready, default 60) and <name>_env (its settings as
# NAME=value lines, for stack.sh env).

set -o pipefail

STACK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$STACK_ROOT/../.." && pwd)"
STACK_HOME="${STACK_HOME:-$REPO_ROOT/.stack}"
if [ "$(id -u)" = 0 ]; then
  # root's home is private; the unprivileged stack user must read the cache
  STACK_CACHE="${STACK_CACHE:-/var/cache/ecom-stack}"
else
  STACK_CACHE="${STACK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ecom-stack}"
fi
STACK_USER="${STACK_USER:-ecomstack}"
STACK_HOST="127.0.0.1"
export STACK_HOME STACK_CACHE

# every server in start order; the order matters only for speed (slow jvms first). read by stack.sh
# shellcheck disable=SC2034
STACK_SERVERS=(postgres redis kafka cassandra elasticsearch mongodb gateway)

if [ -t 1 ]; then c_dim=$'\e[2m'; c_red=$'\e[31m'; c_grn=$'\e[32m'; c_off=$'\e[0m'; else c_dim=; c_red=; c_grn=; c_off=; fi

step() { printf '%s[stack]%s %s\n' "$c_dim" "$c_off" "$*"; }
ok() { printf '%s[stack]%s %s%s%s\n' "$c_dim" "$c_off" "$c_grn" "$*" "$c_off"; }
die() { printf '%s[stack] error:%s %s\n' "$c_red" "$c_off" "$*" >&2; exit 1; }

data_dir() { echo "$STACK_HOME/data/$1"; }
log_file() { echo "$STACK_HOME/logs/$1.log"; }
pid_file() { echo "$STACK_HOME/run/$1.pid"; }

# servers refuse to run as root (postgres, elasticsearch); drop to a system user then.
is_root() { [ "$(id -u)" = 0 ]; }
ensure_stack_user() {
  is_root || return 0
  id -u "$STACK_USER" >/dev/null 2>&1 && return 0
  step "creating system user $STACK_USER to run the servers"
  useradd --system --no-create-home --shell /usr/sbin/nologin "$STACK_USER" \
    || die "could not create system user $STACK_USER"
}
# prefix that runs a command as the stack user (nothing when not root); execs, no extra process
stack_user_prefix() {
  if is_root; then
    printf '%s\0' setpriv --reuid="$STACK_USER" --regid="$STACK_USER" --init-groups --reset-env -- \
      env HOME="$STACK_HOME" PATH="$PATH" JAVA_HOME="${JAVA_HOME:-}" LANG=C.UTF-8
  fi
}
as_stack_user() {
  local prefix=()
  mapfile -d '' prefix < <(stack_user_prefix)
  "${prefix[@]}" "$@"
}
# make a directory owned by whoever runs the servers
own_dir() {
  mkdir -p "$@"
  if is_root; then chown -R "$STACK_USER:$STACK_USER" "$@"; fi
}

ensure_layout() {
  ensure_stack_user
  mkdir -p "$STACK_CACHE" "$STACK_HOME"
  own_dir "$STACK_HOME/data" "$STACK_HOME/logs" "$STACK_HOME/run"
  chmod 755 "$STACK_CACHE"
}

# ---- tools ---------------------------------------------------------------------------------------

apt_updated=
ensure_apt() { # ensure_apt <command-to-check> <package>...
  local cmd=$1; shift
  command -v "$cmd" >/dev/null 2>&1 && return 0
  [ -x "$cmd" ] && return 0
  is_root || die "missing $cmd; install the Debian packages '$*' (sudo apt-get install $*) and run again"
  if [ -z "$apt_updated" ]; then
    step "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    apt_updated=1
  fi
  step "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "apt-get install $* failed"
}

java_home() {
  # the servers need a JDK 17 (cassandra 5 supports 11 and 17 only)
  local j
  for j in "${STACK_JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/java-17-openjdk-arm64 /usr/lib/jvm/temurin-17*; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] && { echo "$j"; return 0; }
  done
  return 1
}
ensure_java() {
  JAVA_HOME=$(java_home) || { ensure_apt /usr/lib/jvm/java-17-openjdk-amd64/bin/java openjdk-17-jdk-headless; JAVA_HOME=$(java_home); } \
    || die "no JDK 17 found; install openjdk-17-jdk-headless or set STACK_JAVA_HOME"
  export JAVA_HOME
}
ensure_mvn() { ensure_apt mvn maven; }

# install_once <server> <home> <fn>: runs `fn <dir>` to fill a temp dir, then renames it to home.
# a half download or a failed build is never used, and a finished one is never redone. the cache
# is shared by every checkout, so two installs at once (two clones testing) take turns on a lock.
install_once() {
  local name=$1 home=$2 fn=$3
  [ -f "$home/.complete" ] && return 0
  (
    exec 9>"$home.lock"
    flock 9 || die "$name: could not lock $home.lock"
    [ -f "$home/.complete" ] && exit 0 # the other install finished it meanwhile
    rm -rf "$home.tmp"
    mkdir -p "$home.tmp"
    "$fn" "$home.tmp"
    touch "$home.tmp/.complete"
    rm -rf "$home"
    mv "$home.tmp" "$home" || die "$name: could not move the download to $home"
    chmod -R a+rX "$home"
  ) || exit 1
}

mvn_fetch_deps() { # mvn_fetch_deps <dest-dir> <coords>...; jars and their runtime dependencies
  local dest=$1; shift
  ensure_mvn
  local tmp; tmp=$(mktemp -d)
  {
    echo '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>'
    echo '<groupId>local</groupId><artifactId>stack-fetch</artifactId><version>1</version><dependencies>'
    local c g a v
    for c in "$@"; do
      IFS=: read -r g a v <<<"$c"
      echo "<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
    done
    echo '</dependencies></project>'
  } >"$tmp/pom.xml"
  mkdir -p "$dest"
  (cd "$tmp" && mvn -B -q -Dmaven.repo.local="$STACK_CACHE/m2" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$dest") >"$tmp/mvn.log" 2>&1 \
    || { cat "$tmp/mvn.log" >&2; die "download from Maven Central failed: $*"; }
  rm -rf "$tmp"
}
mvn_fetch_file() { # mvn_fetch_file <g:a:v:packaging[:classifier]> <dest-dir>; a single artifact, no deps
  local coords=$1 dest=$2
  ensure_mvn
  mkdir -p "$dest"
  mvn -B -q -Dmaven.repo.local="$STACK_CACHE/m2" dependency:copy -Dartifact="$coords" \
    -DoutputDirectory="$dest" >"$dest/.mvn.log" 2>&1 \
    || { cat "$dest/.mvn.log" >&2; die "download from Maven Central failed: $coords"; }
}

# ---- ports and processes -------------------------------------------------------------------------

port_open() { (exec 3<>"/dev/tcp/$STACK_HOST/$1") 2>/dev/null; }

# spawn <name> <cmd>... : start detached, in its own process group, as the stack user
spawn() {
  local name=$1; shift
  local log prefix=(); log=$(log_file "$name")
  touch "$log"; is_root && chown "$STACK_USER:$STACK_USER" "$log"
  mapfile -d '' prefix < <(stack_user_prefix)
  # setsid puts the server in a new session, so `down` can signal the whole group
  setsid "${prefix[@]}" "$@" >>"$log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid $(proc_start "$pid")" >"$(pid_file "$name")"
}
proc_start() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }

# prints the pid if the recorded process is still the one we started
running_pid() {
  local f; f=$(pid_file "$1")
  [ -f "$f" ] || return 1
  local pid start
  read -r pid start <"$f"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(proc_start "$pid")" = "$start" ] || return 1
  echo "$pid"
}

stop_server() {
  local name=$1 pid
  pid=$(running_pid "$name") || { rm -f "$(pid_file "$name")"; return 0; }
  step "stopping $name (pid $pid)"
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 60); do
    [ -d "/proc/$pid" ] || break
    sleep 0.5
  done
  if [ -d "/proc/$pid" ]; then
    step "$name did not stop in 30 s; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$(pid_file "$name")"
}

# wait_ready <name> <seconds>: polls <name>_ready, fails fast if the process died
wait_ready() {
  local name=$1 timeout=$2 waited=0
  while ! "${name}_ready" >/dev/null 2>&1; do
    if ! running_pid "$name" >/dev/null; then
      tail -n 30 "$(log_file "$name")" >&2
      die "$name exited during start-up; see $(log_file "$name")"
    fi
    if [ "$waited" -ge "$timeout" ]; then
      tail -n 30 "$(log_file "$name")" >&2
      die "$name did not become ready in ${timeout}s; see $(log_file "$name")"
    fi
    sleep 1; waited=$((waited + 1))
    if [ $((waited % 15)) = 0 ]; then step "  still waiting for $name (${waited}s)"; fi
  done
}
