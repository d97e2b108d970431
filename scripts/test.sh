#!/usr/bin/env bash
# The project's test command (README "make test", and .ci/run). Lint first, then the whole suite.
# pytest exits 5 when it collected no tests: that is a failure here, never a silent pass.
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

"$VENV/bin/ruff" check . || exit 1
"$VENV/bin/ruff" format --check . || exit 1

# Two workers (pytest-xdist): most tests wait on servers and sockets, so the 2-core CI machine runs the
# suite in about 60 % of the serial time. PHIGATE_TEST_WORKERS=0 runs it in this process.
"$VENV/bin/python" -m pytest -n "${PHIGATE_TEST_WORKERS:-2}" "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing on purpose" >&2
  exit 1
fi
exit "$status"
