#!/usr/bin/env bash
# One command for the tests: install, make sure PostgreSQL runs, then the whole suite
# on SQLite and PostgreSQL (a missing PostgreSQL fails the run, it is never skipped).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
bash scripts/ensure-postgres.sh
export FLOOR_TEST_PG_URL=${FLOOR_TEST_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
mkdir -p test-artifacts
echo "== ruff (lint and format)"
.venv/bin/ruff check floor hardware_sim tests
.venv/bin/ruff format --check floor hardware_sim tests
echo "== import-linter (the rings, see docs/ARCHITECTURE.md)"
.venv/bin/lint-imports
echo "== mypy (strict for floor.core and floor.models)"
.venv/bin/mypy
# In parallel: one pytest-xdist worker per core (FLOOR_TEST_WORKERS=N to choose, 0 for one process), each
# with its own PostgreSQL database (tests/conftest.py); worksteal evens out files of very different lengths.
.venv/bin/python -m pytest -p no:cacheprovider -n "${FLOOR_TEST_WORKERS:-auto}" --dist worksteal "$@"
# The whole suite (no arguments): also the time-dependent tests under a machine clock shifted a
# year ahead and a year back (libfaketime), proving no rule reads the machine clock behind the
# one clock's back. FLOOR_SHIFTED_CLOCK=0 skips it, =1 forces it with arguments too.
if [ "${FLOOR_SHIFTED_CLOCK:-$([ "$#" -eq 0 ] && echo 1 || echo 0)}" = 1 ]; then
  bash scripts/test-shifted-clock.sh
fi
