#!/usr/bin/env bash
# Wraps dist/Dossier.app (built on macOS from packaging/dossier.spec, the same spec as the
# Linux and Windows builds) in a compressed disk image with a link to /Applications:
# dist/dossier-<version>-macos-<arch>.dmg. Runs on macOS only (hdiutil).
# Usage: packaging/macos/build_dmg.sh   (PYTHON=... to pick the interpreter reading the version)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
APP="$REPO/dist/Dossier.app"

if ! command -v hdiutil >/dev/null; then
    echo "build_dmg.sh: hdiutil is part of macOS; this recipe cannot run elsewhere" >&2
    exit 1
fi
if [ ! -d "$APP" ]; then
    echo "build_dmg.sh: no $APP; build it first: python -m PyInstaller packaging/dossier.spec" >&2
    exit 1
fi

version="$("$PYTHON" -c "import ast, sys; tree = ast.parse(open(sys.argv[1]).read()); \
print(next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == '__version__'))" \
    "$REPO/desktop/__init__.py")"
dmg="$REPO/dist/dossier-$version-macos-$(uname -m).dmg"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -R "$APP" "$stage/"
ln -s /Applications "$stage/Applications"
hdiutil create -volname "Dossier $version" -srcfolder "$stage" -fs HFS+ \
    -format UDZO -imagekey zlib-level=9 -ov "$dmg"
echo "built $dmg ($(du -h "$dmg" | cut -f1))"
