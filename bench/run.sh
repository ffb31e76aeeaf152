#!/usr/bin/env bash
# Run a benchmark scenario with enough file descriptors for 10,000 streams on
# both sides (the servers inherit the limit). Arguments go to bench/run.py:
#   bench/run.sh idle --runs 3
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec .venv/bin/python -m bench.run "$@"
