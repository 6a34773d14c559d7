"""The look of the window: light and dark palettes, the stylesheet, icons and the reader's CSS.

``resources/style.qss`` is a template whose ``$names`` are filled from the
active ``Theme`` (and ``$icons``, the icons' folder, for the check boxes' marks); icons are the
SVG files in ``resources/icons``.
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

from .sort_arrows import SortArrowStyle

THEME_MODES = ("system", "light", "dark")
LINE_CONTRAST = 0.4


@dataclass(frozen=True)
class Theme:
    """The colours of one theme, used by the palette, the stylesheet and the reader.

    ``hit`` marks search hits and ``hit_current`` the one moved to (each with
    its text colour); both keep clear of the highlight colours and of the
    entity tints, which ``tint`` makes from ``tint_strength`` and
    ``tint_lift`` (how far a colour is lightened first, for dark paper).
    """

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
    hit_text: str
    hit_current: str
    hit_current_text: str
    tint_strength: float
    tint_lift: float
    chip: str
    bar: str
    error: str


LIGHT = Theme(
    name="light", window="#f1efea", base="#ffffff", alt_base="#f7f6f2", paper="#fdfcf9",
    text="#1f2328", muted="#6a6f76", border="#d9d5cc", accent="#2d6cb5", accent_text="#ffffff",
    selection="#d4e3f5", hit="#9be84f", hit_text="#1f2328", hit_current="#b0206a", hit_current_text="#ffffff",
    tint_strength=0.35, tint_lift=0.0, chip="#e3ecf7", bar="#8fb1d9", error="#b3261e",
)
DARK = Theme(
    name="dark", window="#1d1e21", base="#232428", alt_base="#27292d", paper="#1f2023",
    text="#e4e1da", muted="#9a9da3", border="#3a3c41", accent="#7fb0ea", accent_text="#10161f",
    selection="#2f4a6b", hit="#4a8c1c", hit_text="#ffffff", hit_current="#e0609f", hit_current_text="#10161f",
    tint_strength=0.45, tint_lift=0.2, chip="#2c3a4d", bar="#4f78a8", error="#f2867e",
)


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0 to 1) of the way towards ``other``, as ``#rrggbb``."""
    first, second = QColor(colour), QColor(other)
    channels = zip(first.getRgb()[:3], second.getRgb()[:3])
    return QColor(*(round(a + (b - a) * amount) for a, b in channels)).name()


def tint(colour: str, *, theme: Theme) -> str:
    """A quiet background of ``colour`` on the theme's paper (lifted first on dark paper)."""
    lifted = mix(colour, "#ffffff", theme.tint_lift)
    return mix(theme.paper, lifted, theme.tint_strength)


def line_colour(colour: str, *, theme: Theme) -> str:
    """``colour`` moved towards the theme's text colour, to stand out as a thin line on its paper."""
    return mix(colour, theme.text, LINE_CONTRAST)


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
        QPalette.ColorRole.Light: theme.border,
        QPalette.ColorRole.Midlight: theme.border,
        QPalette.ColorRole.Mid: theme.border,
        QPalette.ColorRole.Dark: theme.border,
        QPalette.ColorRole.Shadow: theme.window,
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
    app.setStyle(SortArrowStyle("Fusion"))
    app.setPalette(_palette(theme))
    icons = (resources_dir() / "icons").as_posix()
    app.setStyleSheet(_stylesheet_template().substitute(asdict(theme), icons=icons))
    app.setProperty("dossierTheme", theme.name)
    return theme


HEADLINE_SCALE = 1.55
"""The reader's headline size over its text size."""


def headline_size(point_size: int) -> int:
    """The point size of the reader's headline for text of ``point_size``."""
    return round(point_size * HEADLINE_SCALE)


def reader_css(theme: Theme, *, point_size: int) -> str:
    """The reader's document stylesheet: typography, metadata line and span classes."""
    return f"""
    body {{ color: {theme.text}; }}
    h1 {{ font-size: {headline_size(point_size)}pt; font-weight: 600; margin-top: 4px; margin-bottom: 8px; }}
    p.meta {{ font-size: {max(8, point_size - 2)}pt; color: {theme.muted}; margin-bottom: 20px; }}
    p.meta a {{ color: {theme.accent}; text-decoration: none; }}
    p.body {{ margin-top: 0px; margin-bottom: {round(point_size * 0.9)}px; line-height: 145%; white-space: pre-wrap; }}
    p.empty {{ color: {theme.muted}; font-style: italic; }}
    span.search-hit {{ background-color: {theme.hit}; color: {theme.hit_text}; font-weight: 700; }}
    a.span {{ color: {theme.text}; text-decoration: none; }}
    """
