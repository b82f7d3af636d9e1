#!/usr/bin/env bash
# Sets up everything and runs Ecomap (ecomap_app.py: the pages behind the Host allow-list) on the
# embedded SQLite database (data/ecomap.db).
# Extra arguments go to `streamlit run`, e.g. scripts/app.sh --server.port 8600
# --visit (first) runs a home visit from this laptop (ECOMAP_VISIT=1): served on every address of the
# laptop unless --server.address says otherwise, so that a tablet on its hotspot can pair (README, Visit mode).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

ensure_venv requirements.txt

# The fonts the pictures and the attachment embed: DejaVu Sans for every letter, Symbola for emoji.
missing=()
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ -e "$EMOJI_FONT" ] || missing+=(fonts-symbola)
if [ ${#missing[@]} -gt 0 ]; then
    echo "ecomap: installing ${missing[*]} from Debian" >&2
    apt_install "${missing[@]}" || echo "ecomap: ${missing[*]} could not be installed: the pictures and the attachment may lack letters or emoji" >&2
fi
if [ "${1:-}" = "--visit" ]; then
    shift
    export ECOMAP_VISIT=1
    case " $* " in
        *" --server.address"*) ;;
        *) set -- --server.address 0.0.0.0 "$@" ;;
    esac
fi
exec .venv/bin/python -m streamlit run ecomap_app.py "$@"
