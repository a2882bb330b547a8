#!/usr/bin/env bash
# Run the test suite on a fresh checkout: creates .venv if needed, installs cbam-calc with its test
# dependencies, then runs ruff, lint-imports and pytest. Exits non-zero when anything fails.
#   ./scripts/test.sh              all tests
#   ./scripts/test.sh -k art9      pytest arguments pass through
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
.venv/bin/python -m ruff check .
.venv/bin/lint-imports --no-cache --no-logo  # the import contracts of pyproject.toml
exec .venv/bin/python -m pytest -q "$@"
