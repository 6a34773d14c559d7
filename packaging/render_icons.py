"""Renders the application icon (resources/dossier.svg, also the window icon) for the installers.

Produces, under the output folder: ``hicolor/<n>x<n>/apps/dossier.png`` for the freedesktop
icon theme, ``dossier.ico`` for Windows and ``dossier.icns`` for macOS. The PNGs are drawn by
Qt's SVG renderer on the offscreen platform; the .ico and .icns containers hold PNG images and
are written here directly. Nothing produced here is committed: the build recipes run it.

Usage: python packaging/render_icons.py [--out build/icons]
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "resources" / "dossier.svg"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's PNG-holding icon types and the pixel size each one carries.
ICNS_TYPES = ((b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512))


def render_png(*, source: Path, size: int) -> bytes:
    """The SVG drawn on a transparent square of ``size`` pixels, encoded as PNG."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise SystemExit(f"cannot read the icon {source}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_container(images: dict[int, bytes]) -> bytes:
    """A Windows .ico file holding one PNG image per size (a size of 256 is written as 0)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, png in sorted(images.items()):
        side = size % 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(payload))
        payload += png
    return header + entries + payload


def icns_container(images: dict[bytes, bytes]) -> bytes:
    """A macOS .icns file holding one PNG image per icon type."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in images.items())
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render_all(*, source: Path, out: Path) -> list[Path]:
    """Writes the theme PNGs, the .ico and the .icns under ``out``; returns the files written."""
    sizes = sorted(set(HICOLOR_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    pngs = {size: render_png(source=source, size=size) for size in sizes}
    written: list[Path] = []
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / "dossier.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
        written.append(target)
    containers = {
        "dossier.ico": ico_container({size: pngs[size] for size in ICO_SIZES}),
        "dossier.icns": icns_container({kind: pngs[size] for kind, size in ICNS_TYPES}),
    }
    for name, data in containers.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry: render every icon file into ``--out``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "build" / "icons")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    written = render_all(source=SOURCE, out=args.out)
    print(f"rendered {len(written)} icon files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
