#!/usr/bin/env bash
# Sets up everything and runs the whole test suite: linters, type checks, the unit, store, page and
# end-to-end tests. Installs what the tests need (PostgreSQL, Chromium, poppler-utils) from Debian if missing, starts a
# throw-away PostgreSQL server on loopback, and stops and removes it afterwards.
# Extra arguments go to pytest, e.g. scripts/test.sh -k store
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)  # the tests read PDFs as a reader would
if [ ${#missing[@]} -gt 0 ]; then
    echo "ecomap: installing ${missing[*]} from Debian" >&2
    apt_install "${missing[@]}"
fi

# A PostgreSQL server of our own, on loopback, for this run only.
pg_bin=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)")
pg_dir=$(mktemp -d /tmp/ecomap-pg.XXXXXX)
pg_port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_postgres=()
if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$pg_dir"
    as_postgres=(runuser -u postgres --)
fi
stop_postgres() {
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
}
trap stop_postgres EXIT
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U ecomap --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c full_page_writes=off" >/dev/null
export ECOMAP_TEST_POSTGRES_URL="postgresql+psycopg://ecomap@127.0.0.1:$pg_port/postgres"
export ECOMAP_CHROMIUM=/usr/bin/chromium

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
