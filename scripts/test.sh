#!/usr/bin/env bash
# Sets up everything and runs the whole test suite: linters, type checks, the unit, store, page and
# end-to-end tests. Installs what the tests need (PostgreSQL, Chromium, fonts, poppler-utils) from Debian if missing,
# starts a throw-away PostgreSQL server on loopback, and stops and removes it afterwards.
# Extra arguments go to pytest, e.g. scripts/test.sh -k store
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements-dev.txt

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -e "$EMOJI_FONT" ] || missing+=(fonts-symbola)  # emoji in the pictures and the attachment
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)  # the tests read PDFs as a reader would
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)  # the README's proxy, in front of two app servers
if [ ${#missing[@]} -gt 0 ]; then
    echo "ecomap: installing ${missing[*]} from Debian" >&2
    apt_install "${missing[@]}"
fi

# A PostgreSQL server of our own, on loopback, for this run only.
start_postgres
export ECOMAP_TEST_POSTGRES_URL="$ECOMAP_POSTGRES_URL"
export ECOMAP_CHROMIUM=/usr/bin/chromium
# axe-core for the accessibility audit (tests/e2e/test_axe.py): from the npm registry, pinned and verified.
.venv/bin/python scripts/fetch_axe.py >/dev/null

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
