#!/usr/bin/env bash
# Installs what floor needs on Debian 12 (run as root): system packages, then a virtualenv
# in .venv with floor and, with --test, its test tools. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

# System packages: zbar for barcode decoding, a CJK font for Chinese label text,
# and for the tests Debian's Chromium (browser tests) and PostgreSQL.
pkgs=(libzbar0 fonts-droid-fallback python3-venv)
if [ "$want_test" = 1 ]; then
  # faketime: the time-dependent tests also run under a machine clock shifted a year either way.
  pkgs+=(chromium postgresql postgresql-client faketime)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "== installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "$want_test" = 1 ]; then
  echo "== installing floor with test tools into .venv"
  .venv/bin/python -m pip install -q -e '.[test]'
else
  echo "== installing floor into .venv"
  .venv/bin/python -m pip install -q -e .
fi
