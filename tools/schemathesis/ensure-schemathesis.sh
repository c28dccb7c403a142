#!/usr/bin/env bash
# installs the Schemathesis CLI the end-to-end suite fuzzes the services' OpenAPI documents with,
# once, into a virtualenv in a cache outside the repo. idempotent: a venv at the pinned version is
# left alone (a changed pin reinstalls). prints the path of the `st` executable as its last line.
#   ECOM_TOOLS_HOME overrides the cache (default /var/cache/ecom-tools as root, else
#   ${XDG_CACHE_HOME:-~/.cache}/ecom-tools), the same cache tools/delivery-check/ensure-tools.sh uses
# without python3's venv module it installs Debian's python3-venv when run as root, else says what to install.
set -euo pipefail

SCHEMATHESIS_VERSION=4.32.5

if [[ -n "${ECOM_TOOLS_HOME:-}" ]]; then home=$ECOM_TOOLS_HOME
elif [[ $(id -u) -eq 0 ]]; then home=/var/cache/ecom-tools
else home=${XDG_CACHE_HOME:-$HOME/.cache}/ecom-tools; fi
venv=$home/schemathesis-venv
st=$venv/bin/st
stamp=$home/stamps/schemathesis-$SCHEMATHESIS_VERSION

say() { echo "[schemathesis] $*" >&2; }
fail() { echo "[schemathesis] error: $*" >&2; exit 1; }

if [[ -x $st && -f $stamp ]]; then
  echo "$st"
  exit 0
fi

command -v python3 >/dev/null || fail "python3 is missing: install Python 3.9+ with its venv module (Debian: apt-get install python3 python3-venv) and run again"

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
say "installing schemathesis $SCHEMATHESIS_VERSION into $venv (pip, once)"
rm -rf "$venv"
python3 -m venv "$venv" || fail "python3 -m venv $venv failed (output above): install python3-venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" ||
  fail "pip install schemathesis==$SCHEMATHESIS_VERSION failed (output above)"
"$st" --version >/dev/null || fail "the installed schemathesis does not run: $st --version failed"
rm -f "$home/stamps/schemathesis-"*
touch "$stamp"
say "ready: $("$st" --version)"
echo "$st"
