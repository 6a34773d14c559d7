"""The size an article's headline is drawn at, on screen and on paper: ``headline_size`` of the
text's size, made smaller (down to the text's size) when its longest unbreakable word is wider
than the column it sits in, so a long Russian word is not cut in two ("сельскохозяйственн|ой")
or run past the page's edge."""

from __future__ import annotations

import re

from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPaintDevice,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from .theme import headline_size

UNBROKEN = re.compile(r"[^\s\-–—/\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]+[-–—/]?")
"""A stretch of a headline no line may break inside: up to a space, a dash, a slash or a CJK
character (each of which may end a line)."""

PRINT_MARGIN_CM = 2.0
"""The margin ``QTextDocument.print_`` keeps inside the printable area of a page."""

FALLBACK_DPI = 96.0
"""What Qt measures a document in when no screen is known."""

PAGE_SLACK = 0.95
"""The share of the width between the margins a headline's word may take on paper: ``print_``
wraps lines a little short of its margins (measured on A4: a word 3 % narrower was cut)."""


def fit_headline(document: QTextDocument, *, family: str, point_size: int, room: float) -> None:
    """Draw ``document``'s headline (its first block) at ``headline_size(point_size)`` in
    ``family``, smaller down to ``point_size`` when its widest word is wider than ``room``
    (in the screen's pixels)."""
    block = document.begin()
    if not block.isValid():
        return
    size = float(headline_size(point_size))
    font = QFont(family)
    font.setPointSizeF(size)
    font.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetricsF(font)
    widest = max((metrics.horizontalAdvance(word) for word in UNBROKEN.findall(block.text())), default=0.0)
    if widest > room > 0:
        size = max(float(point_size), size * room / widest)
    size_headline(document, size)


def fit_headline_to_page(document: QTextDocument, device: QPaintDevice) -> None:
    """``fit_headline`` for ``document`` as ``QTextDocument.print_`` lays it out on ``device``: in
    its default font, across the page less the margin kept on either side, both in the screen's
    pixels as ``print_`` measures them before scaling the page to the device."""
    font = document.defaultFont()
    screen = QGuiApplication.primaryScreen()
    dpi = screen.logicalDotsPerInchX() if screen is not None else FALLBACK_DPI
    margin = int(PRINT_MARGIN_CM / 2.54 * dpi)
    page_width = device.width() * dpi / device.logicalDpiX()
    fit_headline(document, family=font.family(), point_size=round(font.pointSizeF()),
                 room=(page_width - 2 * margin) * PAGE_SLACK)


def size_headline(document: QTextDocument, size: float) -> None:
    """Draw the headline (``document``'s first block) at ``size`` points: Qt draws an ``h1`` at
    twice the text size whatever its stylesheet says. Each piece of it keeps its other formats
    (search marks)."""
    block = document.begin()
    pieces = []
    fragments = block.begin()
    while not fragments.atEnd():
        fragment = fragments.fragment()
        pieces.append((fragment.position(), fragment.length(), fragment.charFormat()))
        fragments += 1
    for position, length, shown in pieces:
        adjusted = shown.hasProperty(QTextFormat.Property.FontSizeAdjustment)
        if adjusted or abs(shown.fontPointSize() - size) > 0.1:
            shown.clearProperty(QTextFormat.Property.FontSizeAdjustment)
            shown.setFontPointSize(size)
            cursor = QTextCursor(document)
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.setCharFormat(shown)
