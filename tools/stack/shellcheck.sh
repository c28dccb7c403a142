#!/usr/bin/env bash
# lints the project's shell scripts with shellcheck (installed by tools/delivery-check/ensure-tools.sh
# into the tools cache, once): the native stack, the tool installers and CI's entry point. settings in
# .shellcheckrc. any finding fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

bin=$(bash tools/delivery-check/ensure-tools.sh --bin shellcheck)
mapfile -t scripts < <(git ls-files '*.sh' .ci/run 2>/dev/null || find tools .ci -name '*.sh' -o -path .ci/run)
echo "[shellcheck] ${#scripts[@]} scripts"
"$bin/shellcheck" "${scripts[@]}"
echo "[shellcheck] no findings"
