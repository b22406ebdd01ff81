#!/usr/bin/env bash
# One command for the demo: install, then `floor demo` (SQLite, sample data, simulated devices).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/floor demo "$@"
