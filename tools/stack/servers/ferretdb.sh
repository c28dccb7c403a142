# shellcheck shell=bash
# ferretdb (mongodb wire protocol) built from the go module proxy with the small main in
# tools/stack/ferretdb; sqlite backend, so it needs no other server. data in .stack/data/ferretdb
FERRETDB_PORT="${FERRETDB_PORT:-27017}"

ferretdb_src() { echo "$STACK_ROOT/ferretdb"; }
ferretdb_go() {
  local g
  for g in "${GO:-}" "$(command -v go 2>/dev/null)" /usr/local/go/bin/go; do
    [ -n "$g" ] && [ -x "$g" ] && { echo "$g"; return 0; }
  done
  return 1
}
# the binary path names the ferretdb version and a hash of the sources, so an edit rebuilds
ferretdb_bin() {
  local src ver sum; src=$(ferretdb_src)
  ver=$(awk '$1 == "require" && $2 == "github.com/FerretDB/FerretDB" {print $3}' "$src/go.mod")
  sum=$(cat "$src/main.go" "$src/go.mod" "$src/go.sum" | sha256sum | cut -c1-10)
  echo "$STACK_CACHE/ferretdb-$ver-$sum/ferretdb"
}
ferretdb_ports() { echo "$FERRETDB_PORT"; }
ferretdb_timeout() { echo 30; }

ferretdb_install() {
  local bin go; bin=$(ferretdb_bin)
  [ -x "$bin" ] && return 0
  # debian's golang-go is too old (go.mod needs 1.24), so there is no apt fallback
  go=$(ferretdb_go) || die "ferretdb: no go toolchain found (need go >= 1.24 on PATH, at /usr/local/go/bin/go, or in \$GO)"
  step "ferretdb: building $(basename "$(dirname "$bin")") with $("$go" version | awk '{print $3}') (first time only)"
  mkdir -p "$(dirname "$bin")"
  local log; log="$(dirname "$bin")/build.log"
  # module and build caches live in the shared cache, not in ~/go; go.sum is committed, so readonly;
  # cgo off: the sqlite driver is pure go
  (cd "$(ferretdb_src)" && env GOPATH="$STACK_CACHE/go" GOMODCACHE="$STACK_CACHE/go/mod" \
      GOCACHE="$STACK_CACHE/go/build" GOFLAGS=-mod=readonly GOTOOLCHAIN=local CGO_ENABLED=0 \
      "$go" build -trimpath -o "$bin.tmp" .) >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; die "ferretdb: go build failed; see $log (is the Go module proxy reachable?)"; }
  mv "$bin.tmp" "$bin"
  chmod -R a+rX "$(dirname "$bin")"
}

ferretdb_start() {
  local dir; dir=$(data_dir ferretdb)
  own_dir "$dir"
  # the sqlite url is a directory and must end with a slash; one .sqlite file per database.
  # the embedded package disables telemetry itself, and nothing here reports anywhere
  spawn ferretdb "$(ferretdb_bin)" -listen-addr="$STACK_HOST:$FERRETDB_PORT" \
    -handler=sqlite -sqlite-url="file:$dir/"
}
# the listener opens only after the backend is set up, so an open port means it serves
ferretdb_ready() { port_open "$FERRETDB_PORT"; }
