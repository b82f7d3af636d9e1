# Shared by the scripts: root commands, Debian packages, the virtual environment, a throw-away PostgreSQL.
# shellcheck shell=bash

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "ecomap: '$*' needs root (or sudo) to install what is missing" >&2
        return 1
    fi
}

_apt_updated=""
apt_install() {
    # Installs the Debian packages given, updating the package lists once per run.
    if [ -z "$_apt_updated" ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        _apt_updated=yes
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# The font the pictures and the attachment draw emoji and symbols from (Debian's fonts-symbola; see
# ecomap/render/fonts.py): without it, each emoji is drawn as U+FFFD, the replacement character.
EMOJI_FONT=/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf

ensure_venv() {
    # ensure_venv REQUIREMENTS_FILE: .venv exists and has REQUIREMENTS_FILE installed; Ecomap's modules compiled.
    local requirements=$1 python=${PYTHON:-python3}
    if [ ! -x .venv/bin/python ]; then
        if ! "$python" -m venv .venv >/dev/null 2>&1; then
            rm -rf .venv
            echo "ecomap: installing python3-venv" >&2
            apt_install python3-venv
            "$python" -m venv .venv
        fi
    fi
    local stamp=".venv/.installed-$(basename "$requirements")" wanted
    wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        echo "ecomap: installing Python packages from $requirements" >&2
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
        echo "$wanted" >"$stamp"
    fi
    compile_ecomap
}

compile_ecomap() {
    # Ecomap's own modules as bytecode, ahead of the server's start: where Python writes none itself
    # (PYTHONDONTWRITEBYTECODE) every start would compile them again, about a quarter of a second before
    # the first page. Only what changed is compiled again; a checkout that cannot be written to is
    # left as it is (each start then compiles them).
    .venv/bin/python -m compileall -q ecomap ui pages bench streamlit_app.py ecomap_app.py >/dev/null 2>&1 ||
        echo "ecomap: Ecomap's modules could not be compiled ahead; each start will compile them" >&2
}

start_postgres() {
    # Starts a throw-away PostgreSQL server on loopback for this run (installing it if missing),
    # removes it when the script exits, and sets ECOMAP_POSTGRES_URL to reach it.
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || apt_install postgresql
    local pg_port
    _pg_bin=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -n 1)")
    _pg_dir=$(mktemp -d /tmp/ecomap-pg.XXXXXX)
    pg_port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    _as_postgres=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$_pg_dir"
        _as_postgres=(runuser -u postgres --)
    fi
    trap stop_postgres EXIT
    "${_as_postgres[@]}" "$_pg_bin/initdb" -D "$_pg_dir/data" -U ecomap --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    "${_as_postgres[@]}" "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -l "$_pg_dir/server.log" -w start \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $_pg_dir -c fsync=off -c full_page_writes=off" >/dev/null
    export ECOMAP_POSTGRES_URL="postgresql+psycopg://ecomap@127.0.0.1:$pg_port/postgres"
}

stop_postgres() {
    "${_as_postgres[@]}" "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$_pg_dir"
}
