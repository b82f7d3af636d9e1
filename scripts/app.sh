#!/usr/bin/env bash
# Sets up everything and runs Ecomap (ecomap_app.py: the pages behind the Host allow-list) on the
# embedded SQLite database (data/ecomap.db).
# Extra arguments go to `streamlit run`, e.g. scripts/app.sh --server.port 8600
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements.txt
exec .venv/bin/python -m streamlit run ecomap_app.py "$@"
