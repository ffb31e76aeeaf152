#!/usr/bin/env bash
# Run a benchmark with enough file descriptors for 20,000 streams on both
# sides (the servers inherit the limit). Sets up .venv with the bench tools
# (py-spy, matplotlib) first. Arguments go to bench/run.py, or to
# bench/curve.py when the first one is `curve`:
#   bench/run.sh idle --runs 3
#   bench/run.sh curve --runs 1
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup
stamp=.venv/.leopard-bench-installed
if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test,bench]'
  touch "$stamp"
fi
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
if [ "${1:-}" = curve ]; then
  shift
  exec .venv/bin/python -m bench.curve "$@"
fi
exec .venv/bin/python -m bench.run "$@"
