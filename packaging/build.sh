#!/usr/bin/env bash
# The `make package` recipe: the PyInstaller one-folder bundle (dist/dossier/) and the .deb
# built from it (dist/dossier_<version>_<arch>.deb). Installs what building needs and is
# missing: the `package` extra of pyproject.toml into .venv, and (as root, through apt-get)
# the Debian tools plus the X11 libraries Qt links, so that the .deb's Depends can be read
# off the system. Usage: packaging/build.sh [bundle|deb|all]   (default: all)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="$REPO/.venv/bin/python"
DIST="$REPO/dist"
BUILD="$REPO/build"
# Tools for the bundle (readelf and strip) and the .deb, and the libraries Qt's X11 platform
# plugin links (installed so that packaging/deb/depends.py can name the packages providing them).
SYSTEM_PACKAGES=(
    binutils dpkg-dev xz-utils
    libegl1 libgl1 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0 libxkbcommon0
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-render-util0 libxcb-shape0 libxcb-xkb1
)
# What the bundle needs beyond the libraries it links: without fontconfig and one font,
# every glyph is drawn as a box; the second font draws Chinese (the first draws Latin and
# Cyrillic). WenQuanYi Micro Hei is 1.6 MB to download, Noto Sans CJK 57 MB.
FONT_DEPENDS=("fontconfig" "fonts-dejavu-core | fonts-freefont-ttf | fonts-liberation2 | fonts-noto-core"
              "fonts-wqy-microhei | fonts-wqy-zenhei | fonts-noto-cjk")

say() { printf '==> %s\n' "$*" >&2; }

ensure_pyinstaller() {
    if "$PY" -c "import PyInstaller" 2>/dev/null; then
        return
    fi
    say "installing the 'package' extra of pyproject.toml into .venv"
    mapfile -t requirements < <("$PY" -c '
import tomllib
with open("pyproject.toml", "rb") as handle:
    print("\n".join(tomllib.load(handle)["project"]["optional-dependencies"]["package"]))')
    "$PY" -m pip install --quiet "${requirements[@]}"
}

ensure_system_packages() {
    local missing=()
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query --show --showformat='${Status}' "$package" 2>/dev/null | grep -q "ok installed" \
            || missing+=("$package")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return
    fi
    if [ "$(id -u)" -ne 0 ]; then
        say "missing Debian packages (install them as root): ${missing[*]}"
        exit 1
    fi
    say "installing Debian packages for the build: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install --yes --no-install-recommends "${missing[@]}" >/dev/null \
        || { apt-get update >/dev/null && apt-get install --yes --no-install-recommends "${missing[@]}" >/dev/null; }
}

product_field() {
    "$PY" -c "import ast, sys; tree = ast.parse(open('desktop/__init__.py').read()); \
print(next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == sys.argv[1]))" "$1"
}

build_bundle() {
    ensure_system_packages
    ensure_pyinstaller
    say "building the one-folder bundle with PyInstaller"
    "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$DIST" --workpath "$BUILD/pyinstaller" packaging/dossier.spec
    say "bundle: $(du -sh "$DIST/dossier" | cut -f1) in dist/dossier/"
}

stage_deb_tree() {
    local root="$1"
    rm -rf "$root"
    install -d "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
        "$root/usr/share/icons/hicolor/scalable/apps"
    cp -a "$DIST/dossier" "$root/opt/dossier"
    install -m 0755 packaging/deb/dossier "$root/usr/bin/dossier"
    install -m 0644 resources/dossier.desktop "$root/usr/share/applications/dossier.desktop"
    install -m 0644 resources/dossier.svg "$root/usr/share/icons/hicolor/scalable/apps/dossier.svg"
    cp -r "$BUILD/icons/hicolor/." "$root/usr/share/icons/hicolor/"
    find "$root/usr/share" -type f -exec chmod 0644 {} +
}

write_control() {
    local root="$1" version="$2" arch="$3" depends_args=() depends
    for entry in "${FONT_DEPENDS[@]}"; do
        depends_args+=(--also "$entry")
    done
    depends="$("$PY" packaging/deb/depends.py "$root/opt/dossier" "${depends_args[@]}")"
    sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" \
        -e "s/@INSTALLED_SIZE@/$(du -sk --exclude=DEBIAN "$root" | cut -f1)/" \
        -e "s/@DEPENDS@/$depends/" packaging/deb/control.in >"$root/DEBIAN/control"
}

build_deb() {
    ensure_system_packages
    [ -x "$DIST/dossier/dossier" ] || { say "no bundle in dist/dossier: run '$0 bundle' first"; exit 1; }
    local version arch root="$BUILD/deb/root"
    # A PEP 440 pre-release (1.0rc1) sorts before its release in Debian only with a tilde.
    version="$(product_field __version__ | sed -E 's/([0-9])(a|b|rc)([0-9])/\1~\2\3/')"
    arch="$(dpkg --print-architecture)"
    stage_deb_tree "$root"
    write_control "$root" "$version" "$arch"
    local deb="$DIST/dossier_${version}_${arch}.deb"
    say "packing $deb (xz)"
    dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
    say "deb: $(du -h "$deb" | cut -f1), Depends: $(sed -n 's/^Depends: //p' "$root/DEBIAN/control")"
}

cd "$REPO"
case "${1:-all}" in
    bundle) build_bundle ;;
    deb) build_deb ;;
    all) build_bundle && build_deb ;;
    *) say "usage: $0 [bundle|deb|all]"; exit 2 ;;
esac
