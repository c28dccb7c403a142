# shellcheck shell=bash
# postgresql from debian's packages; one cluster per checkout under .stack/data/postgres
POSTGRES_PORT="${POSTGRES_PORT:-5432}"
POSTGRES_USER="${POSTGRES_USER:-ecom}"
POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-ecom}"
POSTGRES_DB="${POSTGRES_DB:-ecom}"

postgres_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return 0; }; done
  return 1
}
postgres_ports() { echo "$POSTGRES_PORT"; }
postgres_env() {
  printf '%s\n' "POSTGRES_PORT=$POSTGRES_PORT" "POSTGRES_USER=$POSTGRES_USER" "POSTGRES_PASSWORD=$POSTGRES_PASSWORD" \
    "POSTGRES_BIN=$(postgres_bin)"
}
postgres_install() {
  postgres_bin >/dev/null || ensure_apt /usr/lib/postgresql/15/bin/initdb postgresql
  postgres_bin >/dev/null || die "postgres: no initdb found under /usr/lib/postgresql/*/bin"
}
postgres_start() {
  local bin dir; bin=$(postgres_bin); dir=$(data_dir postgres)
  if [ ! -f "$dir/PG_VERSION" ]; then
    step "postgres: initialising a cluster in $dir"
    own_dir "$dir" "$dir.sock"
    printf '%s\n' "$POSTGRES_PASSWORD" >"$dir.pw"; is_root && chown "$STACK_USER" "$dir.pw"
    as_stack_user "$bin/initdb" -D "$dir" -U "$POSTGRES_USER" --pwfile="$dir.pw" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >>"$(log_file postgres)" 2>&1 \
      || die "postgres: initdb failed; see $(log_file postgres)"
    rm -f "$dir.pw"
  fi
  # durable defaults (fsync, synchronous_commit, full_page_writes on): a committed transaction
  # survives a crash of the server or the machine, as in production
  spawn postgres "$bin/postgres" -D "$dir" -h "$STACK_HOST" -p "$POSTGRES_PORT" \
    -k "$dir.sock" -c max_connections=200
}
postgres_ready() { "$(postgres_bin)/pg_isready" -q -h "$STACK_HOST" -p "$POSTGRES_PORT"; }
postgres_post_start() {
  local psql; psql="$(postgres_bin)/psql"
  PGPASSWORD="$POSTGRES_PASSWORD" "$psql" -h "$STACK_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -tAc \
    "select 1 from pg_database where datname = '$POSTGRES_DB'" | grep -q 1 \
    || PGPASSWORD="$POSTGRES_PASSWORD" "$psql" -h "$STACK_HOST" -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d postgres -qc \
      "create database \"$POSTGRES_DB\"" || die "postgres: could not create database $POSTGRES_DB"
}
