#!/usr/bin/env bash
# The project's test command (README "make test", and .ci/run). Lint first, then the whole suite.
# pytest exits 5 when it collected no tests: that is a failure here, never a silent pass.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

"$VENV/bin/ruff" check . || exit 1
"$VENV/bin/ruff" format --check . || exit 1

"$VENV/bin/python" -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$status"
