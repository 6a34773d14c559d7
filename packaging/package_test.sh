#!/usr/bin/env bash
# The `make package-test` recipe: builds the bundle and the .deb (packaging/build.sh), installs
# the .deb on this machine with dpkg -i, runs the installed program the way a new user would
# (on a fresh, empty data folder) and removes it again with dpkg -r. Checks that:
#   - the menu entry, the icons and /usr/bin/dossier are installed,
#   - the installed program passes packaging/smoke.sh (version, window, bundled seeds and
#     spaCy model, CLI import and search), run in a clean environment,
#   - `dossier gui` keeps running on a virtual X display (Xvfb),
#   - the program wrote nothing inside /opt/dossier,
#   - dpkg -r removes the program and keeps the user's library.
# Also prints the bundle and .deb sizes and the smoke test's start-up time, installed vs from
# source. Needs root. SKIP_BUILD=1 reuses the .deb already in dist/; FRESH_SYSTEM=1 also runs
# the program in a minimal Debian that has only the package's Depends (fresh_system_checks).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$REPO/.venv/bin/python"
TIMING_RUNS="${TIMING_RUNS:-7}"
# shellcheck source=packaging/checks.sh
. "$REPO/packaging/checks.sh"

say() { printf '==> %s\n' "$*" >&2; }


# The installed program, run as a user would: clean environment, own home and data folder.
as_user() {
    env -i PATH=/usr/bin:/bin HOME="$WORK/home" DOSSIER_HOME="$WORK/data" \
        QT_QPA_PLATFORM=offscreen LANG=C.UTF-8 "$@"
}

# An X server of our own (Xvfb, no access control) for the checks that open the window.
start_x_server() {
    Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 3>"$WORK/x-display" 2>/dev/null &
    X_SERVER_PID=$!
    for _ in $(seq 50); do
        [ -s "$WORK/x-display" ] && break
        sleep 0.1
    done
    X_DISPLAY=":$(head -n 1 "$WORK/x-display")"
}

# `dossier gui` still running after a few seconds means Qt's xcb platform, the libraries it
# links and the fonts all loaded (a missing one aborts the start). Takes a plain command (not
# a shell function), so that the process stopped afterwards is the program itself.
stays_running() {
    "$@" &
    local pid=$!
    sleep 8
    kill -0 "$pid" || return 1
    kill "$pid"
    wait "$pid" 2>/dev/null
    return 0
}

library_in_user_data_dir() {
    mkdir -p "$WORK/new-user"
    env -i PATH=/usr/bin:/bin HOME="$WORK/new-user" LANG=C.UTF-8 dossier list --json >/dev/null \
        && test -s "$WORK/new-user/.local/share/Dossier/library.sqlite"
}

install_tree_listing() {
    find /opt/dossier -printf '%P %s %T@\n' | sort
}

seconds_since() {
    awk -v now="$EPOCHREALTIME" -v then="$1" 'BEGIN { print now - then }'
}

median() {
    sort -n | sed -n "$(((TIMING_RUNS + 1) / 2))p"
}

# Wall time of `gui --smoke-test` (start, window built, first article rendered, exit), the
# installed program and the source checkout taking turns so that both see the same load.
measure_startup() {
    local frozen_runs=() source_runs=() frozen source start
    local installed=(as_user env DOSSIER_HOME="$WORK/timing/frozen" dossier gui --smoke-test)
    local checkout=(env DOSSIER_HOME="$WORK/timing/source" QT_QPA_PLATFORM=offscreen "$REPO/.venv/bin/dossier" gui --smoke-test)
    rm -rf "$WORK/timing" && mkdir -p "$WORK/timing/frozen" "$WORK/timing/source"
    # A first run of each seeds its library and warms the file cache.
    "${installed[@]}" >/dev/null 2>&1 && "${checkout[@]}" >/dev/null 2>&1 || return 1
    for _ in $(seq "$TIMING_RUNS"); do
        start=$EPOCHREALTIME
        "${installed[@]}" >/dev/null 2>&1 || return 1
        frozen_runs+=("$(seconds_since "$start")")
        start=$EPOCHREALTIME
        "${checkout[@]}" >/dev/null 2>&1 || return 1
        source_runs+=("$(seconds_since "$start")")
    done
    frozen="$(printf '%s\n' "${frozen_runs[@]}" | median)"
    source="$(printf '%s\n' "${source_runs[@]}" | median)"
    printf 'start-up (gui --smoke-test, median of %s): installed %.2f s, from source %.2f s, ratio %.2f\n' \
        "$TIMING_RUNS" "$frozen" "$source" "$(awk -v a="$frozen" -v b="$source" 'BEGIN { print a / b }')"
}

preflight() {
    if [ "$(id -u)" -ne 0 ]; then
        say "the package test installs a .deb: run it as root"
        exit 1
    fi
    if dpkg-query --show --showformat='${Status}' dossier 2>/dev/null | grep -q "ok installed"; then
        say "a dossier package is already installed here; remove it first (dpkg -r dossier)"
        exit 1
    fi
    command -v desktop-file-validate >/dev/null && command -v xvfb-run >/dev/null && return
    say "installing the test tools desktop-file-utils, xvfb and xauth"
    DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends \
        desktop-file-utils xvfb xauth >/dev/null
}

install_package() {
    say "installing $DEB"
    dpkg -i "$DEB" >/dev/null 2>&1 \
        || DEBIAN_FRONTEND=noninteractive apt-get install --yes --fix-broken --no-install-recommends >/dev/null
}

# packaging/smoke.sh against the installed program; its checks count in the summary.
run_smoke_test() {
    local summary smoke_passed smoke_failed
    as_user PYTHON="$PY" packaging/smoke.sh dossier /opt/dossier/_internal/seeds >"$WORK/smoke.out"
    cat "$WORK/smoke.out"
    summary="$(tail -n 1 "$WORK/smoke.out")"
    if [[ "$summary" =~ ^smoke:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        smoke_passed="${BASH_REMATCH[1]}"
        smoke_failed="${BASH_REMATCH[2]}"
        passed=$((passed + smoke_passed))
        failed=$((failed + smoke_failed))
    else
        failed=$((failed + 1))
        printf 'FAIL  packaging/smoke.sh did not finish\n'
    fi
}

run_installed_checks() {
    mkdir -p "$WORK/home" "$WORK/data"
    install_tree_listing >"$WORK/opt-before"
    check "the package is installed" sh -c "dpkg-query --show --showformat='\${Status}' dossier | grep -q 'ok installed'"
    check "/usr/bin/dossier starts the bundle" test -x /usr/bin/dossier -a -x /opt/dossier/dossier
    check "the menu entry is valid" desktop-file-validate /usr/share/applications/dossier.desktop
    check "hicolor icons are installed from 16 to 256 px and scalable" sh -c \
        'for s in 16 22 24 32 48 64 128 256; do test -s /usr/share/icons/hicolor/${s}x${s}/apps/dossier.png || exit 1; done; test -s /usr/share/icons/hicolor/scalable/apps/dossier.svg'
    check "the package depends on a font with Chinese characters and fontconfig finds it" sh -c \
        "dpkg-query --show --showformat='\${Depends}' dossier | grep -q fonts-wqy-microhei && fc-list :lang=zh | grep -q ."
    run_smoke_test
    check "dossier gui opens its window on an X display" stays_running env -i PATH=/usr/bin:/bin \
        HOME="$WORK/home" DOSSIER_HOME="$WORK/x-data" DISPLAY="$X_DISPLAY" LANG=C.UTF-8 dossier gui
    install_tree_listing >"$WORK/opt-after"
    check "the program wrote nothing inside /opt/dossier" diff "$WORK/opt-before" "$WORK/opt-after"
    check "the library was written to the data folder" test -s "$WORK/data/library.sqlite"
    check "without DOSSIER_HOME the library goes to ~/.local/share/Dossier" library_in_user_data_dir
    measure_startup || { failed=$((failed + 1)); printf 'FAIL  start-up timing\n'; }
}

# The installed program in the minimal Debian of fresh_system_checks, run as a user would.
in_fresh_system() {
    "${FRESH_RUN[@]}" "$@"
}

languages_in_fresh_system() {
    in_fresh_system dossier --library /tmp/other.sqlite list --json | grep -q '"language": "en"' \
        && in_fresh_system fc-list :lang=zh | grep -q .
}

finds_places_in_fresh_system() {
    in_fresh_system dossier --library /tmp/other.sqlite import /opt/dossier/_internal/seeds \
        && in_fresh_system dossier --library /tmp/other.sqlite entities --json | grep -q '"GPE"'
}

# FRESH_SYSTEM=1: the .deb on a minimal Debian of this machine's release (debootstrap
# --variant=minbase, this machine's apt sources) that holds nothing but what Depends: brings
# in; proves those are all the program needs. Needs the Debian mirror and mount rights.
fresh_system_checks() {
    local codename
    codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
    FRESH_ROOT="$WORK/fresh"
    FRESH_RUN=(chroot "$FRESH_ROOT" env -i PATH=/usr/bin:/bin HOME=/tmp/home DOSSIER_HOME=/tmp/data LANG=C.UTF-8)
    say "installing the .deb into a minimal Debian $codename"
    command -v debootstrap >/dev/null \
        || DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends debootstrap >/dev/null
    debootstrap --variant=minbase "$codename" "$FRESH_ROOT" >"$WORK/debootstrap.log" 2>&1 || return 1
    rm -f "$FRESH_ROOT/etc/apt/sources.list"
    cp /etc/apt/sources.list.d/*.sources "$FRESH_ROOT/etc/apt/sources.list.d/" 2>/dev/null \
        || cp /etc/apt/sources.list "$FRESH_ROOT/etc/apt/"
    mkdir -p "$FRESH_ROOT/tmp/.X11-unix" "$FRESH_ROOT/tmp/home"
    mount -t proc proc "$FRESH_ROOT/proc" && mount --bind /dev "$FRESH_ROOT/dev" \
        && mount --bind /tmp/.X11-unix "$FRESH_ROOT/tmp/.X11-unix" || return 1
    cp "$DEB" "$FRESH_ROOT/tmp/dossier.deb"
    chroot "$FRESH_ROOT" apt-get update >/dev/null 2>&1
    chroot "$FRESH_ROOT" dpkg -i /tmp/dossier.deb >/dev/null 2>&1 \
        || chroot "$FRESH_ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install --yes \
            --fix-broken --no-install-recommends >/dev/null 2>&1
    check "minimal Debian: dossier gui --smoke-test" \
        in_fresh_system QT_QPA_PLATFORM=offscreen dossier gui --smoke-test
    check "minimal Debian: the bundled spaCy model finds places in the seeds" finds_places_in_fresh_system
    check "minimal Debian: the bundled language model names the seeds' language; a Chinese font is there" \
        languages_in_fresh_system
    check "minimal Debian: dossier gui opens its window on an X display" \
        stays_running "${FRESH_RUN[@]}" DISPLAY="$X_DISPLAY" dossier gui
    chroot "$FRESH_ROOT" dpkg -r dossier >/dev/null 2>&1
    check "minimal Debian: dpkg -r keeps the user's library" test -s "$FRESH_ROOT/tmp/data/library.sqlite"
    umount "$FRESH_ROOT/tmp/.X11-unix" "$FRESH_ROOT/dev" "$FRESH_ROOT/proc"
    rm -rf "$FRESH_ROOT"
}

remove_package() {
    say "removing the package"
    dpkg -r dossier >/dev/null
    check "dpkg -r removes the program, its menu entry and its icons" sh -c \
        '! test -e /opt/dossier && ! test -e /usr/bin/dossier && ! test -e /usr/share/applications/dossier.desktop && ! test -e /usr/share/icons/hicolor/256x256/apps/dossier.png'
    check "dpkg -r keeps the user's library" test -s "$WORK/data/library.sqlite"
}

main() {
    local started=$EPOCHREALTIME
    cd "$REPO" || exit 1
    preflight
    WORK="$(mktemp -d)"
    CHECK_LOG="$WORK/checks.log"
    if [ "${SKIP_BUILD:-0}" != 1 ]; then
        packaging/build.sh all || exit 1
    fi
    DEB="$(ls -t dist/dossier_*.deb | head -n 1)"
    install_package
    start_x_server
    trap 'dpkg -r dossier >/dev/null 2>&1; kill "$X_SERVER_PID"' EXIT
    run_installed_checks
    remove_package
    if [ "${FRESH_SYSTEM:-0}" = 1 ]; then
        fresh_system_checks || { failed=$((failed + 1)); printf 'FAIL  minimal Debian could not be set up\n'; }
    fi
    kill "$X_SERVER_PID"
    trap - EXIT
    printf 'sizes: bundle %s (dist/dossier), .deb %s (%s)\n' \
        "$(du -sh dist/dossier | cut -f1)" "$(du -h "$DEB" | cut -f1)" "$DEB"
    printf 'package-test took %.0f s\n' "$(seconds_since "$started")"
    printf 'package-test: %d passed, %d failed\n' "$passed" "$failed"
    [ "$failed" -eq 0 ] && rm -rf "$WORK"
}

main "$@"
