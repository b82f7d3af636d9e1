# Shared by scripts/app.sh and scripts/test.sh: root commands, Debian packages, the virtual environment.
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

ensure_venv() {
    # ensure_venv REQUIREMENTS_FILE: .venv exists and has REQUIREMENTS_FILE installed.
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
}
