"""The entity panel beside the reader (object name ``entityPanel``): the article's entities.

It shows the legend on top, then the entities of the article in the reader grouped
by type, each type with how many entities it has and each entity with how many
times it is mentioned. Clicking an entity (or Enter on it) steps through its mentions (the
panel asks for each through ``mention_requested``); double-clicking opens its page; its
context menu (also the Menu key) filters by it, opens its page and merges it into another
(``merge_requested``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLabel, QMenu, QTreeView, QVBoxLayout, QWidget

from .entity_legend import EntityLegend, ordered_labels, style_of, swatch_icon
from .theme import LIGHT, Theme

ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1
LABEL_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass
class ArticleEntity:
    """One entity of the article: its mentions as (start, end), in reading order."""

    entity_id: int
    label: str
    name: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


def group_mentions(mentions: Sequence[dict[str, Any]]) -> dict[str, list[ArticleEntity]]:
    """The rows of ``document_entities`` as entities per type (types in legend order, entities
    by most mentions, then name)."""
    entities: dict[int, ArticleEntity] = {}
    for row in mentions:
        entity = entities.setdefault(
            row["entity_id"], ArticleEntity(row["entity_id"], row["label"], row["name"]))
        entity.mentions.append((row["start"], row["end"]))
    grouped: dict[str, list[ArticleEntity]] = {
        label: [] for label in ordered_labels(e.label for e in entities.values())}
    for entity in entities.values():
        grouped[entity.label].append(entity)
    for members in grouped.values():
        members.sort(key=lambda e: (-len(e.mentions), e.name.casefold()))
    return grouped


class EntityPanel(QWidget):
    """The legend and the article's entities; reports what the person asks for through signals."""

    mention_requested = Signal(int, int)
    page_requested = Signal(int)
    filter_requested = Signal(str, str)
    merge_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entityPanel")
        self.legend = EntityLegend()
        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Entity", "Mentions"])
        self.tree = QTreeView()
        self.tree.setObjectName("entityTree")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QTreeView.EditTrigger.NoEditTriggers)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.clicked.connect(self._clicked)
        self.tree.doubleClicked.connect(self._double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._menu)
        self.tree.installEventFilter(self)  # Enter steps through the mentions as a click does
        self.heading = QLabel()
        self.heading.setObjectName("entityPanelHeading")
        self.heading.setWordWrap(True)
        self.position = QLabel()
        self.position.setObjectName("entityPanelPosition")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.legend)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.position)
        self._doc_id: int | None = None
        self._rows: list[dict[str, Any]] = []
        self._entities: dict[int, ArticleEntity] = {}
        self._steps: dict[int, int] = {}
        self._theme = LIGHT
        self.set_article(None, [])

    def set_theme(self, theme: Theme) -> None:
        """Draw the legend's and the groups' swatches as the reader draws mentions on ``theme``."""
        self._theme = theme
        self.legend.set_theme(theme)
        for row in range(self.model.rowCount()):
            head = self.model.item(row, 0)
            head.setIcon(swatch_icon(head.data(LABEL_ROLE), theme=theme))

    def set_article(self, doc_id: int | None, mentions: Sequence[dict[str, Any]]) -> None:
        """Show the entities of article ``doc_id`` from its ``document_entities`` rows."""
        rows = list(mentions)
        if doc_id == self._doc_id and rows == self._rows:
            return
        if doc_id != self._doc_id:
            self._steps.clear()
            self.position.clear()
        self._doc_id, self._rows = doc_id, rows
        grouped = group_mentions(rows)
        self._entities = {e.entity_id: e for members in grouped.values() for e in members}
        self.model.removeRows(0, self.model.rowCount())
        for label, members in grouped.items():
            self.model.appendRow(self._group_row(label, members))
        self.tree.expandAll()
        count = len(self._entities)
        self.heading.setText(
            "No article open." if doc_id is None
            else "No entities found in this article." if not count
            else f"{count} {'entity' if count == 1 else 'entities'} in this article — "
                 "click one to step through its mentions.")

    def _group_row(self, label: str, members: list[ArticleEntity]) -> list[QStandardItem]:
        style = style_of(label)
        head = QStandardItem(swatch_icon(label, theme=self._theme), f"{style.plural} ({len(members)})")
        head.setData(label, LABEL_ROLE)
        head.setSelectable(False)
        total = QStandardItem(str(sum(len(e.mentions) for e in members)))
        total.setSelectable(False)
        for entity in members:
            name = QStandardItem(entity.name)
            name.setData(entity.entity_id, ENTITY_ROLE)
            name.setToolTip(f"{style.title}: {entity.name}")
            mentions = QStandardItem(str(len(entity.mentions)))
            mentions.setData(entity.entity_id, ENTITY_ROLE)
            head.appendRow([name, mentions])
        return [head, total]

    def entity_names(self, label: str) -> list[str]:
        """The names listed under ``label``, in order."""
        return [e.name for e in self._entities.values() if e.label == label]

    def index_of(self, entity_id: int) -> QModelIndex:
        """The tree's index of entity ``entity_id`` (invalid when the article has no such entity)."""
        found = self.model.match(self.model.index(0, 0), ENTITY_ROLE, entity_id, 1,
                                 Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
        return found[0] if found else QModelIndex()

    def step(self, entity_id: int, *, backward: bool = False) -> tuple[int, int] | None:
        """Go to the next (or previous) mention of ``entity_id``, wrapping around; emits
        ``mention_requested`` and returns its (start, end), or None for an unknown entity."""
        entity = self._entities.get(entity_id)
        if entity is None:
            return None
        before = self._steps.get(entity_id)
        if before is None:
            number = len(entity.mentions) - 1 if backward else 0
        else:
            number = (before + (-1 if backward else 1)) % len(entity.mentions)
        self._steps[entity_id] = number
        self.position.setText(f"{entity.name}: mention {number + 1} of {len(entity.mentions)}")
        start, end = entity.mentions[number]
        self.mention_requested.emit(start, end)
        return start, end

    def _entity_at(self, index: QModelIndex) -> ArticleEntity | None:
        entity_id = index.data(ENTITY_ROLE) if index.isValid() else None
        return self._entities.get(entity_id) if entity_id is not None else None

    def _clicked(self, index: QModelIndex) -> None:
        entity = self._entity_at(index)
        if entity is not None:
            self.step(entity.entity_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._clicked(self.tree.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _double_clicked(self, index: QModelIndex) -> None:
        entity = self._entity_at(index)
        if entity is not None:
            self.page_requested.emit(entity.entity_id)

    def context_menu(self, entity_id: int) -> QMenu:
        """The menu of one listed entity: show the articles mentioning it, open its page, merge it
        into another entity."""
        entity = self._entities[entity_id]
        menu = QMenu(self)
        menu.addAction(f"Show articles mentioning “{entity.name}”",
                       lambda: self.filter_requested.emit(entity.label, entity.name))
        menu.addAction("Open entity page", lambda: self.page_requested.emit(entity.entity_id))
        menu.addAction(f"Merge “{entity.name}” into…", lambda: self.merge_requested.emit(entity.entity_id))
        return menu

    def _menu(self, point: QPoint) -> None:
        entity = self._entity_at(self.tree.indexAt(point))
        if entity is not None:
            menu = self.context_menu(entity.entity_id)
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.tree.viewport().mapToGlobal(point))
