#!/usr/bin/env bash
# Facet Companion developer entry point.
#
#   bash dev.sh app [args]          set everything up, then open the app (python main.py args)
#   bash dev.sh test [pytest args]  set everything up, then run the gates (ruff check and
#                                   format, mypy, lint-imports; see run_gates) and the test
#                                   suite (under Xvfb if there is no usable display), in
#                                   parallel processes (FACET_TEST_WORKERS, default: cores + 1;
#                                   1 runs it in one)
#   bash dev.sh build [--check]     set everything up, then make the desktop builds with
#                                   PyInstaller in dist/ (with --check: start each under Xvfb
#                                   and check that it draws and answers a verb)
#
# Setup, on Debian/Ubuntu with Python 3.11+:
#   - system packages Kivy's PyPI wheel needs under X (libgl1 libegl1 libgl1-mesa-dri libmtdev1
#     xclip), plus xvfb, xauth and poppler-utils (pdftoppm) for the tests, dunst, dbus-x11 and
#     libnotify-bin for the desktop notification test, espeak-ng for the read-aloud test, and
#     python3-venv if `python3 -m venv` fails.
#     As root they are installed with apt-get; otherwise the exact command is printed.
#   - .venv with `pip install -e ".[test]"`, redone only when what it installs changes
#     (pyproject.toml's [project] and [build-system]).
#   - the translations compiled (installers/catalog.py), redone when a data/locale .po changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

VENV="$ROOT/.venv"
VENV_PY="$VENV/bin/python"
STAMP="$VENV/.dev-sh-installed"
APP_PACKAGES=(libgl1 libegl1 libgl1-mesa-dri libmtdev1 xclip)
TEST_PACKAGES=(xvfb xauth poppler-utils)  # poppler-utils: pdftoppm renders the PDF report
# The desktop notification test: a private D-Bus session (dbus-daemon, from dbus-x11), the
# dunst notification daemon, and notify-send (libnotify-bin), which plyer uses without
# python dbus.
TEST_PACKAGES+=(dunst dbus-x11 libnotify-bin)
# The read-aloud tests: espeak-ng speaks into a WAV file (Debian's voice; plyer looks only for
# the old `espeak` name).
TEST_PACKAGES+=(espeak-ng)
# PyInstaller reads the libraries a program needs with objdump (binutils).
BUILD_PACKAGES=(binutils)
XVFB_SCREEN="1280x800x24"

say() { printf 'dev.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    cat >&2 <<'EOF'
usage: bash dev.sh app [args]          open the app (args go to main.py, e.g. --demo)
       bash dev.sh test [pytest args]  run the tests (e.g. -q, tests/domain, -k score)
       bash dev.sh build [--check]     make the desktop builds in dist/ (--check: start them)
EOF
    exit 2
}

# --- Python ---------------------------------------------------------------------------------

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [[ -n "$candidate" ]] || continue
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

venv_healthy() {
    [[ -x "$VENV_PY" ]] && "$VENV_PY" -c 'import sys, pip; sys.exit(sys.version_info < (3, 11))' \
        >/dev/null 2>&1
}

# Creates .venv; returns non-zero, with the reason in VENV_ERROR, when that fails.
create_venv() {
    local python="$1" log
    log="$(mktemp)"
    if [[ -e "$VENV" ]]; then
        say "recreating .venv (its Python does not run)"
        rm -rf "$VENV"
    fi
    if "$python" -m venv "$VENV" >"$log" 2>&1; then
        rm -f "$log"
        return 0
    fi
    rm -rf "$VENV"
    VENV_ERROR="$(cat "$log")"
    rm -f "$log"
    return 1
}

# Can this Python make a virtual environment at all? (Debian/Ubuntu: not without python3-venv.)
venv_works() {
    local probe status=0
    probe="$(mktemp -d)"
    "$1" -m venv "$probe/venv" >/dev/null 2>&1 || status=$?
    rm -rf "$probe"
    return "$status"
}

# --- System packages --------------------------------------------------------------------------

package_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

install_system_packages() {
    # $@: packages that are missing.
    (($# > 0)) || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        die "missing system packages: $*; install them with your package manager and rerun."
    fi
    if [[ "$(id -u)" != 0 ]]; then
        say "missing system packages: $*"
        say "install them with:"
        printf '    sudo apt-get update && sudo apt-get install -y --no-install-recommends %s\n' \
            "$*" >&2
        say "then rerun: bash dev.sh $COMMAND"
        exit 1
    fi
    say "installing system packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q </dev/null
    apt-get install -y -q --no-install-recommends "$@" </dev/null
}

setup() {
    local -a wanted=("$@") missing=()
    local python package venv_needs_package=0

    # Two runs at once (the app and the tests) take turns setting up.
    if command -v flock >/dev/null 2>&1; then
        exec 9<"$ROOT/dev.sh"
        flock 9
    fi

    python="$(find_python)" || die "Python 3.11 or newer is needed (python3 --version says:" \
        "$(python3 --version 2>&1 || echo 'not found'))."

    if ! venv_healthy; then
        if ! create_venv "$python"; then
            venv_works "$python" && die "could not create .venv:"$'\n'"$VENV_ERROR"
            venv_needs_package=1
            missing+=(python3-venv)
        fi
    fi

    if command -v dpkg-query >/dev/null 2>&1; then
        for package in "${wanted[@]}"; do
            package_installed "$package" || missing+=("$package")
        done
    else
        say "not a Debian/Ubuntu system: make sure these (or their equivalents) are installed:" \
            "${wanted[*]}"
    fi

    if ((venv_needs_package)) && ! command -v apt-get >/dev/null 2>&1; then
        die "'$python -m venv' failed:"$'\n'"$VENV_ERROR"
    fi
    install_system_packages "${missing[@]}"

    if ((venv_needs_package)); then
        create_venv "$python" || die "'$python -m venv' still fails:"$'\n'"$VENV_ERROR"
    fi

    local want_hash
    # Only what pip installs counts: editing a tool's settings ([tool.ruff]...) reinstalls nothing.
    want_hash="$("$VENV_PY" -c 'import json, sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))
tool = project.get("tool", {})
print(json.dumps([project.get("build-system"), project.get("project"),
                  tool.get("setuptools")], sort_keys=True), sys.version)' | sha256sum | cut -d' ' -f1)"
    if [[ ! -f "$STAMP" || "$(cat "$STAMP")" != "$want_hash" ]]; then
        say "installing Python packages into .venv (pip install -e \".[test]\")"
        rm -f "$STAMP"
        "$VENV_PY" -m pip install --quiet --disable-pip-version-check -e ".[test]" </dev/null
        printf '%s\n' "$want_hash" >"$STAMP"
    fi
    compile_catalogs
}

# The translations: each language's .po files (data/locale/<code>/*.po) merged into the one
# catalog the app reads, data/locale/<code>/LC_MESSAGES/facet.mo; redone when a .po file is newer
# than it (or was removed: the folder's time changes).
compile_catalogs() {
    local folder catalog stale=0
    for folder in data/locale/*/; do
        compgen -G "$folder*.po" >/dev/null || continue
        catalog="${folder}LC_MESSAGES/facet.mo"
        if [[ ! -f "$catalog" || -n "$(find "$folder" -maxdepth 1 \( -name '*.po' -o -type d \) \
                -newer "$catalog" -print -quit)" ]]; then
            stale=1
        fi
    done
    ((stale)) || return 0
    "$VENV_PY" installers/catalog.py compile >&2 || die "the translations did not compile (above)."
}

setup_done() {
    exec 9<&-  # (no redirection here: on `exec` it would stay for the whole script)
}

# --- Display for the tests -------------------------------------------------------------------

display_usable() {
    [[ -n "${DISPLAY:-}" ]] || return 1
    "$VENV_PY" - <<'EOF' >/dev/null 2>&1
import ctypes, ctypes.util, sys
lib = ctypes.util.find_library("X11") or "libX11.so.6"
x11 = ctypes.CDLL(lib)
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
display = x11.XOpenDisplay(None)
if not display:
    sys.exit(1)
x11.XCloseDisplay(display)
EOF
}

XVFB_PID=""
XVFB_DIR=""

stop_xvfb() {
    if [[ -n "$XVFB_PID" ]]; then
        kill "$XVFB_PID" 2>/dev/null || true
        wait "$XVFB_PID" 2>/dev/null || true
        XVFB_PID=""
    fi
    if [[ -n "$XVFB_DIR" ]]; then
        rm -rf "$XVFB_DIR"
        XVFB_DIR=""
    fi
}

start_xvfb() {
    command -v Xvfb >/dev/null 2>&1 || die "Xvfb is not installed (apt-get install xvfb)."
    XVFB_DIR="$(mktemp -d)"
    : >"$XVFB_DIR/display"
    trap stop_xvfb EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    # -displayfd: Xvfb picks a free display number itself and writes it once it is listening.
    Xvfb -displayfd 3 -screen 0 "$XVFB_SCREEN" -nolisten tcp \
        3>"$XVFB_DIR/display" >"$XVFB_DIR/log" 2>&1 </dev/null &
    XVFB_PID=$!
    local number="" line tries
    for ((tries = 0; tries < 200; tries++)); do
        # `read` succeeds only on a complete line, i.e. once Xvfb has written all of it.
        if IFS= read -r line <"$XVFB_DIR/display" && [[ "$line" =~ ^[0-9]+$ ]]; then
            number="$line"
            break
        fi
        if ! kill -0 "$XVFB_PID" 2>/dev/null; then
            cat "$XVFB_DIR/log" >&2
            die "Xvfb exited before it was ready."
        fi
        sleep 0.05
    done
    [[ -n "$number" ]] || { cat "$XVFB_DIR/log" >&2; die "Xvfb did not start within 10 s."; }
    export DISPLAY=":$number"
    for ((tries = 0; tries < 100; tries++)); do
        display_usable && return 0
        sleep 0.1
    done
    cat "$XVFB_DIR/log" >&2
    die "Xvfb on $DISPLAY does not accept connections."
}

# --- Tests in parallel -----------------------------------------------------------------------

# How many pytest-xdist worker processes run the tests: FACET_TEST_WORKERS, else one more than
# the machine has cores (a UI test's process waits on its window part of the time). Every
# worker opens its own Kivy window on the one display; tests share no fixed path.
test_workers() {
    local workers="${FACET_TEST_WORKERS:-}"
    if [[ -z "$workers" ]]; then
        workers=$(($(nproc 2>/dev/null || echo 1) + 1))
    fi
    [[ "$workers" =~ ^[0-9]+$ ]] || die "FACET_TEST_WORKERS must be a number (1: no workers)."
    printf '%s\n' "$workers"
}

# True unless the pytest arguments choose their own way to run: workers of their own (-n,
# --numprocesses, --dist), xdist switched off (-p no:xdist), or a debugger, which needs the
# terminal of the one process that runs the test (--pdb, --trace).
parallel_allowed() {
    local argument previous=""
    for argument in "$@"; do
        case "$argument" in
            -n | -n* | --numprocesses | --numprocesses=* | --dist | --dist=* | --pdb | --trace \
                | -pno:xdist)
                return 1
                ;;
            no:xdist)
                [[ "$previous" == "-p" ]] && return 1
                ;;
        esac
        previous="$argument"
    done
}

run_tests() {
    local workers
    workers="$(test_workers)"
    if ((workers > 1)) && parallel_allowed "$@"; then
        say "running the tests in $workers processes (FACET_TEST_WORKERS=1: in one)"
        # --dist loadgroup: tests are handed out one by one, except those marked
        # xdist_group(name), which all go to one worker, in order. A short --basetemp: each
        # worker adds a folder to every tmp_path, and the CLI's one-line errors shorten an echoed
        # path past 80 characters, which the tests that read those errors would then not find.
        local basetemp status=0
        basetemp="$(mktemp -d "${TMPDIR:-/tmp}/ft.XXXXXX")"
        "$VENV_PY" -m pytest -n "$workers" --dist loadgroup --basetemp "$basetemp" "$@" \
            || status=$?
        ((status)) || rm -rf "$basetemp"  # kept after a failure, to look at
        return "$status"
    else
        "$VENV_PY" -m pytest "$@"
    fi
}

# --- Gates -----------------------------------------------------------------------------------

# The checks CI runs with the tests (settings in pyproject.toml's [tool.*] tables): lint, format,
# the types of the lower layers, and the layer contract of DESIGN.md. Each one runs even when
# another failed, so one run shows everything; a failure names its gate and the command that
# shows or fixes it. Returns non-zero if any gate failed.
run_gates() {
    local failed=0
    gate "lint (ruff check)" \
        "see: .venv/bin/ruff check . (the safe fixes: .venv/bin/ruff check --fix .)" \
        "$VENV/bin/ruff" check --output-format concise . || failed=1
    gate "format (ruff format --check)" \
        "see: .venv/bin/ruff format --diff . (fix: .venv/bin/ruff format .)" \
        "$VENV/bin/ruff" format --check --output-format concise . || failed=1
    gate "types (mypy: app/domain, app/store, app/services)" "see: .venv/bin/mypy" \
        "$VENV/bin/mypy" || failed=1
    gate "layers (import-linter)" "see: .venv/bin/lint-imports" \
        "$VENV/bin/lint-imports" --no-logo || failed=1
    return "$failed"
}

# gate NAME HINT COMMAND...: runs COMMAND; its output is shown only when it fails.
gate() {
    local name="$1" hint="$2" output
    shift 2
    if output="$("$@" 2>&1)"; then
        say "gate passed: $name"
        return 0
    fi
    printf '%s\n' "$output" >&2
    say "GATE FAILED: $name; $hint"
    return 1
}

# --- Commands ---------------------------------------------------------------------------------

COMMAND="${1:-}"
[[ $# -gt 0 ]] && shift
case "$COMMAND" in
    app)
        setup "${APP_PACKAGES[@]}"
        setup_done
        exec "$VENV_PY" main.py "$@"
        ;;
    test)
        setup "${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
        setup_done
        if display_usable; then
            say "using display $DISPLAY"
        else
            start_xvfb
            say "started Xvfb on $DISPLAY ($XVFB_SCREEN)"
        fi
        gates=0 status=0
        run_gates || gates=1
        run_tests "$@" || status=$?
        if ((gates)); then
            ((status)) || say "the tests passed, but a gate failed (see GATE FAILED above)."
            ((status)) || status=1
        fi
        exit "$status"
        ;;
    build)
        check=0
        [[ "${1:-}" == "--check" ]] && check=1
        if ((check)); then
            setup "${APP_PACKAGES[@]}" "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
        else
            setup "${APP_PACKAGES[@]}" "${BUILD_PACKAGES[@]}"
        fi
        setup_done
        "$VENV_PY" -m pip install --quiet --disable-pip-version-check \
            -r installers/build-requirements.txt </dev/null
        for variant in facet-companion facet-companion-kiosk; do
            started=$SECONDS
            FACET_KIOSK_BUILD=$([[ "$variant" == *kiosk ]] && echo 1 || echo 0) \
                "$VENV_PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist \
                --workpath "build/$variant" facet-companion.spec
            say "built dist/$variant in $((SECONDS - started)) s:" \
                "$(du -sh "dist/$variant" | cut -f1) on disk"
        done
        if ((check)); then
            display_usable || start_xvfb
            for variant in facet-companion facet-companion-kiosk; do
                "$VENV_PY" installers/check_build.py "dist/$variant"
            done
        fi
        ;;
    *)
        usage
        ;;
esac
