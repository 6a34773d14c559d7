"""How entity types look in the reader, and the legend (object name ``entityLegend``) that toggles them.

Every type has a colour from Paul Tol's colour-blind-safe schemes (muted,
bright, vibrant and light), chosen so that the tints of the nine common types
stay apart from each other, from the highlight colours
(``desktop.core.annotations.PALETTE``) and from search hits, and its own
underline style, so colour is never the only cue: the reader tints a mention's
background with the colour and underlines it in that style (``entity_css``),
with a darker set of tints on dark paper. Inside a highlight only the
underline shows. Labels users define get a neutral grey with a dotted
underline. The legend is one column, to fit a narrow panel.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from desktop.core.entities.type_names import TYPE_NAMES, type_plural, type_title

from .theme import LIGHT, Theme, line_colour, tint

SWATCH = QSize(30, 16)

_PEN_STYLES = {
    "solid": Qt.PenStyle.SolidLine,
    "dashed": Qt.PenStyle.DashLine,
    "dotted": Qt.PenStyle.DotLine,
    "dot-dash": Qt.PenStyle.DashDotLine,
    "dot-dot-dash": Qt.PenStyle.DashDotDotLine,
}


@dataclass(frozen=True)
class EntityStyle:
    """How one entity type is named and drawn: ``title`` (singular) and ``plural``, a colour, an
    underline style (a Qt rich-text ``text-underline-style``: solid, dashed, dotted, dot-dash,
    dot-dot-dash, wave)."""

    title: str
    plural: str
    colour: str
    underline: str

    def tint(self, theme: Theme = LIGHT) -> str:
        """The background behind a mention on ``theme``'s paper."""
        return tint(self.colour, theme=theme)

    def line(self, theme: Theme = LIGHT) -> str:
        """The underline colour on ``theme``'s paper."""
        return line_colour(self.colour, theme=theme)


ROSE, INDIGO, GREEN, TEAL, BLUE, ORANGE, PALE_CYAN, PEAR, SAND, GREY = (
    "#CC6677", "#332288", "#117733", "#44AA99", "#4477AA", "#EE7733", "#99DDFF", "#BBCC33", "#DDCC77",
    "#888888",
)

_DRAWN = {  # colour and underline of each type; its names come from the core (``TYPE_NAMES``)
    "PERSON": (ROSE, "solid"),
    "ORG": (INDIGO, "dashed"),
    "GPE": (GREEN, "dotted"),
    "LOC": (TEAL, "dot-dash"),
    "FAC": (BLUE, "dot-dot-dash"),
    "NORP": (ORANGE, "dotted"),
    "EVENT": (PALE_CYAN, "dashed"),
    "DATE": (PEAR, "wave"),
    "MONEY": (SAND, "solid"),
    "PRODUCT": (BLUE, "dashed"),
    "WORK_OF_ART": (GREY, "dashed"),
    "LAW": (GREY, "dot-dash"),
    "LANGUAGE": (ORANGE, "dot-dash"),
}
STYLES: dict[str, EntityStyle] = {
    label: EntityStyle(type_title(label), type_plural(label), *_DRAWN[label]) for label in TYPE_NAMES
}
"""The types the reader offers for marking, in menu order."""


@cache
def style_of(label: str) -> EntityStyle:
    """The style of ``label``; a label users defined is grey, dotted, titled from its name."""
    return STYLES.get(label) or EntityStyle(type_title(label), type_plural(label), GREY, "dotted")


@cache
def css_class(label: str) -> str:
    """The reader's span class for mentions of ``label`` (labels users define may hold any text)."""
    return "ent-" + "".join(c if c.isalnum() else "_" for c in label)


def ordered_labels(labels: Iterable[str]) -> list[str]:
    """``labels`` in the order of ``STYLES``, labels users defined last, alphabetically."""
    known = list(STYLES)
    return sorted(set(labels), key=lambda label: (known.index(label) if label in known else len(known), label))


def entity_css(labels: Iterable[str], *, theme: Theme = LIGHT) -> str:
    """Reader stylesheet rules for the mentions of ``labels`` on ``theme``'s paper."""
    rules = []
    for label in labels:
        style = style_of(label)
        rules.append(
            f"span.{css_class(label)} {{ background-color: {style.tint(theme)}; color: {theme.text}; "
            f"text-underline-style: {style.underline}; text-decoration-color: {style.line(theme)}; }}\n"
        )
    return "".join(rules)


@cache
def swatch_icon(label: str, *, theme: Theme = LIGHT) -> QIcon:
    """A small sample of how ``label`` is drawn on ``theme``: its tint with its underline beneath
    (drawn once per label and theme: the review's suggestions show one per row, thousands)."""
    style = style_of(label)
    pixmap = QPixmap(SWATCH)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(0, 1, SWATCH.width(), SWATCH.height() - 5, QColor(style.tint(theme)))
    pen = QPen(QColor(style.line(theme)), 2)
    baseline = SWATCH.height() - 2.5
    if style.underline == "wave":
        path = QPainterPath(QPointF(0, baseline))
        for x in range(2, SWATCH.width() + 1, 2):
            path.lineTo(QPointF(x, baseline + (1.5 if (x // 2) % 2 else -1.5)))
        painter.setPen(pen)
        painter.drawPath(path)
    else:
        pen.setStyle(_PEN_STYLES[style.underline])
        painter.setPen(pen)
        painter.drawLine(QPointF(0, baseline), QPointF(SWATCH.width(), baseline))
    painter.end()
    return QIcon(pixmap)


class EntityLegend(QWidget):
    """One check box per entity type of the library, with its swatch; unchecked types are not
    highlighted. Emits ``visibility_changed`` when a box is toggled."""

    visibility_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityLegend")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._boxes: dict[str, QCheckBox] = {}
        self._hidden: set[str] = set()
        self._theme = LIGHT

    def set_theme(self, theme: Theme) -> None:
        """Draw the swatches as the reader draws mentions on ``theme``'s paper."""
        self._theme = theme
        for label, box in self._boxes.items():
            box.setIcon(swatch_icon(label, theme=theme))

    def set_labels(self, labels: Sequence[str]) -> None:
        """Show a box for each of ``labels`` (the types the library has); hidden types stay hidden."""
        wanted = ordered_labels(labels)
        if wanted == list(self._boxes):
            return
        for box in self._boxes.values():
            self._layout.removeWidget(box)
            box.deleteLater()
        self._boxes = {label: self._box(label) for label in wanted}
        for box in self._boxes.values():
            self._layout.addWidget(box)

    def _box(self, label: str) -> QCheckBox:
        box = QCheckBox(style_of(label).plural)
        box.setObjectName(f"legend-{label}")
        box.setIcon(swatch_icon(label, theme=self._theme))
        box.setIconSize(SWATCH)
        box.setChecked(label not in self._hidden)
        box.setToolTip(f"Highlight every {style_of(label).title.lower()} in the reader")
        box.toggled.connect(lambda on, chosen=label: self.set_shown(chosen, on))
        return box

    def labels(self) -> list[str]:
        """The types the legend shows, in order."""
        return list(self._boxes)

    def hidden_labels(self) -> frozenset[str]:
        """The types the reader should not highlight."""
        return frozenset(self._hidden)

    def set_shown(self, label: str, shown: bool) -> None:
        """Highlight (or stop highlighting) mentions of ``label``."""
        if shown == (label not in self._hidden):
            return
        if shown:
            self._hidden.discard(label)
        else:
            self._hidden.add(label)
        box = self._boxes.get(label)
        if box is not None and box.isChecked() != shown:
            box.setChecked(shown)
        self.visibility_changed.emit()
