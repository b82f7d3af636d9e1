#!/usr/bin/env bash
# Sets up everything and runs the benchmark harness: prints each figure beside its baseline and the
# ratio, and writes them to bench/results/ (latest.json and one file per run). Never fails on a figure.
# Starts a throw-away PostgreSQL server on loopback for the PostgreSQL figures, as the tests do.
# Extra arguments go to the harness, e.g. scripts/bench.sh --only exports save
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
    echo "ecomap: installing chromium from Debian" >&2
    apt_install chromium
fi
start_postgres
export ECOMAP_BENCH_POSTGRES_URL="$ECOMAP_POSTGRES_URL"
.venv/bin/python -m bench "$@"
