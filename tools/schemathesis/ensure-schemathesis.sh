#!/usr/bin/env bash
# installs the Schemathesis CLI the end-to-end suite fuzzes the services' OpenAPI documents with, once,
# into a virtualenv in the tools cache outside the repo (tools/scripts/lib/pip-tool.sh says where and how).
# prints the path of the `st` executable as its last line.
set -euo pipefail
# shellcheck source=../scripts/lib/pip-tool.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/pip-tool.sh"

pip_tool schemathesis 4.32.5 st 9
