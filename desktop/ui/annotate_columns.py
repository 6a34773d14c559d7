"""The article list's Tags and State columns, and the delegate that draws tags as chips.

``LIST_COLUMNS`` are the two columns annotating adds to the list;
``TagChipsDelegate`` draws an article's tags in their colours (``fit_chips``
decides which fit, "+N" for the rest), each by as much of its path as tells it
from the library's other tags (``distinct_tag_labels``), with a tooltip naming
them all in full.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

from desktop.core.tags import distinct_tag_labels

from .doc_model import Column, DocumentListModel
from .errors import message_for

CHIP_TEXT = "#1f2328"
CHIP_DEFAULT = "#d8dde4"
_STATE_WORDS = {"to_read": "to read", "read": "read"}


def tint(hex_colour: str, *, strength: float = 0.55) -> str:
    """``hex_colour`` mixed with white, light enough to read dark text on."""
    colour = QColor(hex_colour)
    mix = [round(255 - (255 - value) * strength) for value in (colour.red(), colour.green(), colour.blue())]
    return QColor(*mix).name()


def _state_text(row: dict[str, Any]) -> str:
    star = "★" if row.get("starred") else ""
    word = _STATE_WORDS.get(str(row.get("read_state")), "")
    return " ".join(part for part in (star, word) if part)


TAGS_COLUMN = Column("tags", "Tags", None, lambda row: ", ".join(row.get("tags") or []), width=96)
STATE_COLUMN = Column("read_state", "State", "state", _state_text, width=68)
LIST_COLUMNS = (TAGS_COLUMN, STATE_COLUMN)


CHIP_GAP = 4
CHIP_PADDING = 12
CHIP_MIN_WIDTH = 24


def fit_chips(names: Sequence[str], *, room: int, advance: Callable[[str], int],
              labels: Mapping[str, str] | None = None) -> list[tuple[str, int, str]]:
    """The chips that fit in ``room`` pixels as (text, width, tag name): a chip per tag while
    they fit, then "+N" for the N tags left out (its tag name is ""). A chip reads as the tag's
    entry in ``labels`` (keyed by casefolded name, see ``distinct_tag_labels``), else its name."""
    chips: list[tuple[str, int, str]] = []
    x = 0
    for number, name in enumerate(names):
        label = (labels or {}).get(name.casefold(), name)
        rest = len(names) - number - 1
        more = advance(f"+{rest}") + CHIP_PADDING + CHIP_GAP if rest else 0
        natural = advance(label) + CHIP_PADDING
        width = min(natural, room - x - more)
        if width < min(natural, CHIP_MIN_WIDTH):
            count = f"+{rest + 1}"
            chips.append((count, min(advance(count) + CHIP_PADDING, max(room - x, 0)), ""))
            break
        chips.append((label, width, name))
        x += width + CHIP_GAP
    return chips


class TagChipsDelegate(QStyledItemDelegate):
    """Draws an article's tags as small coloured chips in the Tags column, "+N" for those
    that do not fit; the tooltip lists them all."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.colours: dict[str, str] = {}
        self.labels: dict[str, str] = {}

    def set_tags(self, tags: Sequence[dict[str, Any]]) -> None:
        """Take the library's tags (``list_tags``): their colours and the labels that tell them apart."""
        self.colours = {tag["name"].casefold(): tag["colour"] for tag in tags if tag["colour"]}
        self.labels = distinct_tag_labels(tag["name"] for tag in tags)

    @staticmethod
    def _tags(index: Any) -> list[str]:
        model = index.model()
        if not isinstance(model, DocumentListModel):
            return []
        try:
            row = model.row_data(index.row())
        except Exception as err:  # noqa: BLE001 - painting never raises; logged instead
            message_for(err)
            return []
        return list((row or {}).get("tags") or [])

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        names = self._tags(index)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = option.fontMetrics
        rect = option.rect.adjusted(3, 4, -3, -4)
        x = rect.left()
        for text, width, name in fit_chips(names, room=rect.width(), advance=metrics.horizontalAdvance,
                                           labels=self.labels):
            colour = self.colours.get(name.casefold()) if name else None
            self._draw_chip(painter, QRect(x, rect.top(), width, rect.height()), text,
                            colour=colour, metrics=metrics)
            x += width + CHIP_GAP
        painter.restore()

    @staticmethod
    def _draw_chip(painter: QPainter, chip: QRect, label: str, *, colour: str | None,
                   metrics: Any) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(tint(colour) if colour else CHIP_DEFAULT))
        painter.drawRoundedRect(chip, 6, 6)
        painter.setPen(QColor(CHIP_TEXT))
        painter.drawText(chip.adjusted(6, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(label, Qt.TextElideMode.ElideRight, chip.width() - 10))

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem,
                  index: Any) -> bool:
        names = self._tags(index)
        if event.type() != QEvent.Type.ToolTip or not names:
            return super().helpEvent(event, view, option, index)
        QToolTip.showText(event.globalPos(), ", ".join(names), view)
        return True
