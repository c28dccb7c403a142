#!/usr/bin/env bash
# installs Locust, the load-test runner of load-tests/ (docs/adr/0013-locust-for-load-tests.md), once,
# into a virtualenv in the tools cache outside the repo (tools/scripts/lib/pip-tool.sh says where and how).
# prints the path of the `locust` executable as its last line.
set -euo pipefail
# shellcheck source=../tools/scripts/lib/pip-tool.sh
. "$(dirname "${BASH_SOURCE[0]}")/../tools/scripts/lib/pip-tool.sh"

# locust 2.47 needs python 3.11+
pip_tool locust 2.47.0 locust 11
