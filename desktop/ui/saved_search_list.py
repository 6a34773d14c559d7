"""The sidebar's list of saved searches, with its context menu to rename or delete one and the keys
that do the same without a mouse (Enter opens, F2 renames). A name too long for the sidebar is cut
at its end (the tooltip holds it whole) rather than scrolled sideways."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from desktop.core.saved_searches import SavedSearch

from .theme import icon


class _ViewWide(QStyledItemDelegate):
    """Items no wider than the list's viewport, so a long name is cut with "…" where it ends."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        view = self.parent()
        if isinstance(view, QListView):
            hint.setWidth(min(hint.width(), view.viewport().width()))
        return hint


class SavedSearchList(QListWidget):
    """The saved searches: click or Enter to reopen, right-click (or the Menu key) to rename or
    delete, F2 to rename."""

    open_requested = Signal(int)
    rename_requested = Signal(int)
    delete_requested = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("savedSearches")
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.itemClicked.connect(lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole)))
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setItemDelegate(_ViewWide(self))

    def set_searches(self, searches: Sequence[SavedSearch]) -> None:
        """List ``searches`` by name."""
        self.clear()
        for search in searches:
            item = QListWidgetItem(icon("saved-search"), search.name)
            item.setData(Qt.ItemDataRole.UserRole, search.id)
            item.setToolTip(f"{search.name}\n{search.query or '(no query, filters only)'}")
            self.addItem(item)
        self.setFixedHeight(max(1, self.count()) * (self.sizeHintForRow(0) if self.count() else 22) + 4)
        self.setVisible(self.count() > 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        signal = {Qt.Key.Key_Return: self.open_requested, Qt.Key.Key_Enter: self.open_requested,
                  Qt.Key.Key_F2: self.rename_requested}.get(Qt.Key(event.key()))
        if item is not None and signal is not None:
            signal.emit(item.data(Qt.ItemDataRole.UserRole))
            return
        super().keyPressEvent(event)

    def menu_for(self, item: QListWidgetItem) -> QMenu:
        """The context menu of the saved search ``item``: Open, Rename…, Delete."""
        search_id = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        menu.addAction("Open", lambda: self.open_requested.emit(search_id))
        menu.addAction("Rename…", lambda: self.rename_requested.emit(search_id))
        menu.addAction("Delete", lambda: self.delete_requested.emit(search_id))
        return menu

    def _menu(self, point: QPoint) -> None:
        item = self.itemAt(point)
        if item is not None:
            self.menu_for(item).exec(self.viewport().mapToGlobal(point))
