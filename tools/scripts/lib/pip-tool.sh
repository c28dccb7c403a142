# shellcheck shell=bash
# installs a Python command-line tool from PyPI once, into a virtualenv of its own in the tools cache
# outside the repo, and prints the path of its executable as the last line. idempotent: a venv at the
# pinned version is left alone (a changed pin reinstalls).
#   pip_tool <package> <version> <executable> <minimum python 3 minor version>
# ECOM_TOOLS_HOME overrides the cache (default /var/cache/ecom-tools as root, else
# ${XDG_CACHE_HOME:-~/.cache}/ecom-tools), the cache tools/delivery-check/ensure-tools.sh uses too.
# without python3's venv module it installs Debian's python3-venv when run as root, else says what to install.
pip_tool() {
  local package=$1 version=$2 executable=$3 min_minor=$4 home
  if [[ -n "${ECOM_TOOLS_HOME:-}" ]]; then home=$ECOM_TOOLS_HOME
  elif [[ $(id -u) -eq 0 ]]; then home=/var/cache/ecom-tools
  else home=${XDG_CACHE_HOME:-$HOME/.cache}/ecom-tools; fi
  local venv=$home/$package-venv
  local exe=$venv/bin/$executable
  local stamp=$home/stamps/$package-$version
  say() { echo "[$package] $*" >&2; }
  fail() { echo "[$package] error: $*" >&2; exit 1; }

  if [[ -x $exe && -f $stamp ]]; then
    echo "$exe"
    return 0
  fi

  command -v python3 >/dev/null ||
    fail "python3 is missing: install Python 3.$min_minor+ with its venv module (Debian: apt-get install python3 python3-venv) and run again"
  python3 -c "import sys; sys.exit(sys.version_info < (3, $min_minor))" ||
    fail "$package $version needs Python 3.$min_minor or newer, python3 is $(python3 -V 2>&1): install a newer one and run again"

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
  say "installing $package $version into $venv (pip, once)"
  rm -rf "$venv"
  python3 -m venv "$venv" || fail "python3 -m venv $venv failed (output above): install python3-venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "$package==$version" ||
    fail "pip install $package==$version failed (output above)"
  "$exe" --version >/dev/null || fail "the installed $package does not run: $exe --version failed"
  rm -f "$home/stamps/$package-"*
  touch "$stamp"
  say "ready: $("$exe" --version 2>&1 | head -1)"
  echo "$exe"
}
