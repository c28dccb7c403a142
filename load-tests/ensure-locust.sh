#!/usr/bin/env bash
# installs Locust, the load-test runner of load-tests/ (docs/adr/0013-locust-for-load-tests.md),
# once, into a virtualenv in a cache outside the repo. idempotent: a venv at the pinned version is
# left alone (a changed pin reinstalls). prints the path of the `locust` executable as its last line.
#   ECOM_TOOLS_HOME overrides the cache (default /var/cache/ecom-tools as root, else
#   ${XDG_CACHE_HOME:-~/.cache}/ecom-tools), the same cache tools/schemathesis/ensure-schemathesis.sh uses
# without python3's venv module it installs Debian's python3-venv when run as root, else says what to install.
set -euo pipefail

LOCUST_VERSION=2.47.0

if [[ -n "${ECOM_TOOLS_HOME:-}" ]]; then home=$ECOM_TOOLS_HOME
elif [[ $(id -u) -eq 0 ]]; then home=/var/cache/ecom-tools
else home=${XDG_CACHE_HOME:-$HOME/.cache}/ecom-tools; fi
venv=$home/locust-venv
locust=$venv/bin/locust
stamp=$home/stamps/locust-$LOCUST_VERSION

say() { echo "[locust] $*" >&2; }
fail() { echo "[locust] error: $*" >&2; exit 1; }

if [[ -x $locust && -f $stamp ]]; then
  echo "$locust"
  exit 0
fi

command -v python3 >/dev/null || fail "python3 is missing: install Python 3.11+ with its venv module (Debian: apt-get install python3 python3-venv) and run again"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
  fail "locust $LOCUST_VERSION needs Python 3.11 or newer, python3 is $(python3 -V 2>&1): install a newer one and run again"

# Debian splits venv (and ensurepip, which venv needs for pip) into python3-venv
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    say "python3 has no venv module: apt-get install python3-venv"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || fail "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null ||
      fail "apt-get install python3-venv failed (output above)"
  else
    fail "python3 has no venv module: install it (Debian: sudo apt-get install python3-venv) and run again"
  fi
fi

mkdir -p "$home/stamps"
say "installing locust $LOCUST_VERSION into $venv (pip, once)"
rm -rf "$venv"
python3 -m venv "$venv" || fail "python3 -m venv $venv failed (output above): install python3-venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "locust==$LOCUST_VERSION" ||
  fail "pip install locust==$LOCUST_VERSION failed (output above)"
"$locust" --version >/dev/null || fail "the installed locust does not run: $locust --version failed"
rm -f "$home/stamps/locust-"*
touch "$stamp"
say "ready: $("$locust" --version)"
echo "$locust"
