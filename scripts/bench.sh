#!/usr/bin/env bash
# Sets up everything and runs the benchmark harness: prints each figure beside its baseline and the
# ratio, and writes them to bench/results/ (latest.json and one file per run). Never fails on a figure.
# Extra arguments go to the harness, e.g. scripts/bench.sh --only exports save
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
    echo "ecomap: installing chromium from Debian" >&2
    apt_install chromium
fi
exec .venv/bin/python -m bench "$@"
