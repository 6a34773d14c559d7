"""The look of the window: light and dark palettes, the stylesheet, icons and the reader's CSS.

``resources/style.qss`` is a template whose ``$names`` are filled from the
active ``Theme``; icons are the SVG files in ``resources/icons``.
"""

from __future__ import annotations

import os
import string
import sys
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

THEME_MODES = ("system", "light", "dark")


@dataclass(frozen=True)
class Theme:
    """The colours of one theme, used by the palette, the stylesheet and the reader."""

    name: str
    window: str
    base: str
    alt_base: str
    paper: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    selection: str
    hit: str
    hit_current: str
    chip: str
    bar: str
    error: str


LIGHT = Theme(
    name="light", window="#f1efea", base="#ffffff", alt_base="#f7f6f2", paper="#fdfcf9",
    text="#1f2328", muted="#6a6f76", border="#d9d5cc", accent="#2d6cb5", accent_text="#ffffff",
    selection="#d4e3f5", hit="#ffe27a", hit_current="#ffb347", chip="#e3ecf7", bar="#8fb1d9",
    error="#b3261e",
)
DARK = Theme(
    name="dark", window="#1d1e21", base="#232428", alt_base="#27292d", paper="#1f2023",
    text="#e4e1da", muted="#9a9da3", border="#3a3c41", accent="#7fb0ea", accent_text="#10161f",
    selection="#2f4a6b", hit="#7a6520", hit_current="#a8621f", chip="#2c3a4d", bar="#4f78a8",
    error="#f2867e",
)


def resources_dir() -> Path:
    """The ``resources`` folder of a source checkout or of the frozen bundle."""
    bundle = os.environ.get("DOSSIER_BUNDLE_DIR") or getattr(sys, "_MEIPASS", None)
    if bundle and (Path(bundle) / "resources").is_dir():
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg``."""
    return QIcon(str(resources_dir() / "icons" / f"{name}.svg"))


def system_is_dark() -> bool:
    """Whether the desktop asks for a dark colour scheme."""
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def resolve(mode: str) -> Theme:
    """The theme for a mode of ``THEME_MODES``; unknown modes follow the system."""
    if mode == "light":
        return LIGHT
    if mode == "dark":
        return DARK
    return DARK if system_is_dark() else LIGHT


def _palette(theme: Theme) -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alt_base,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.window,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Highlight: theme.selection,
        QPalette.ColorRole.HighlightedText: theme.text,
        QPalette.ColorRole.Link: theme.accent,
        QPalette.ColorRole.BrightText: theme.error,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(theme.muted))
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(theme.muted)
    )
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(theme.muted)
    )
    return palette


@cache
def _stylesheet_template() -> string.Template:
    return string.Template((resources_dir() / "style.qss").read_text(encoding="utf-8"))


def apply_theme(app: QApplication, mode: str) -> Theme:
    """Give the whole application the theme for ``mode``; returns the theme applied."""
    theme = resolve(mode)
    if app.property("dossierTheme") == theme.name:
        return theme
    app.setStyle("Fusion")
    app.setPalette(_palette(theme))
    app.setStyleSheet(_stylesheet_template().substitute(asdict(theme)))
    app.setProperty("dossierTheme", theme.name)
    return theme


def reader_css(theme: Theme, *, point_size: int) -> str:
    """The reader's document stylesheet: typography, metadata line and span classes."""
    return f"""
    body {{ color: {theme.text}; }}
    h1 {{ font-size: {round(point_size * 1.55)}pt; font-weight: 600; margin-top: 4px; margin-bottom: 8px; }}
    p.meta {{ font-size: {max(8, point_size - 2)}pt; color: {theme.muted}; margin-bottom: 20px; }}
    p.meta a {{ color: {theme.accent}; text-decoration: none; }}
    p.body {{ margin-top: 0px; margin-bottom: {round(point_size * 0.9)}px; line-height: 145%; white-space: pre-wrap; }}
    p.empty {{ color: {theme.muted}; font-style: italic; }}
    span.search-hit {{ background-color: {theme.hit}; }}
    span.find-hit {{ background-color: {theme.hit_current}; }}
    a.span {{ color: {theme.text}; text-decoration: none; }}
    """
