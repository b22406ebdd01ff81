#!/usr/bin/env bash
# The time-dependent tests (pytest marker `clock`) again with the MACHINE clock shifted a year
# ahead and a year back by libfaketime (Debian package `faketime`, installed by setup.sh --test).
# Tests pin the one clock (floor.clock) at 2026-11-23T08:00Z; anything that reads the
# machine clock for a rule behind its back (datetime.now, date.today, time.time, SQLite's
# CURRENT_TIMESTAMP, in pytest or in a `floor serve` subprocess: LD_PRELOAD is inherited)
# then sees a date a year off and the test fails. SQLite only (a PostgreSQL server runs
# outside the shift) and no browser (Chromium is not ours to shift). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
lib=$(dpkg -L libfaketime 2>/dev/null | grep -m1 '/libfaketimeMT\.so\.1$' || true)
if [ -z "$lib" ]; then
  echo "libfaketime is missing: run scripts/setup.sh --test (installs the Debian package faketime)" >&2
  exit 1
fi
real_year=$(date -u +%Y)
for shift in +365d -365d; do
  # Monotonic time stays real: it measures timeouts and retries, not dates (and a year back
  # would make it negative on a machine up for less than a year).
  # scripts/shifted_clock/sitecustomize.py (on PYTHONPATH, so in subprocesses too) makes
  # time.sleep() work under that setting; see its docstring.
  export_env=(LD_PRELOAD="$lib" FAKETIME="$shift" FAKETIME_DONT_FAKE_MONOTONIC=1 FLOOR_TEST_DATABASES=sqlite
    PYTHONPATH="$PWD/scripts/shifted_clock${PYTHONPATH:+:$PYTHONPATH}")
  seen=$(env "${export_env[@]}" .venv/bin/python -c \
    'import datetime, subprocess, sys; print(datetime.date.today().year, subprocess.check_output([sys.executable, "-c", "import time; print(time.gmtime().tm_year)"], text=True).strip())')
  read -r py_year child_year <<<"$seen"
  if [ "$py_year" = "$real_year" ] || [ "$child_year" = "$real_year" ]; then
    echo "libfaketime did not shift the clock ($shift): python sees $py_year, a subprocess $child_year" >&2
    exit 1
  fi
  echo "== time-dependent tests with the machine clock at $shift (python and subprocesses see $py_year)"
  # A private basetemp: pytest prunes the numbered /tmp/pytest-of-* folders by their age, and a year
  # off, this run's folders (or another run's, seen from here) look stale and get deleted mid-run.
  env "${export_env[@]}" .venv/bin/python -m pytest -p no:cacheprovider -q -m "clock and not browser" --durations=5 \
    --basetemp="$PWD/test-artifacts/shifted-clock$shift" "$@"
done
