"""The tag editor (``tagEditor``): the tags as a tree by their ``parent/child`` names, with their counts.

Create, rename, recolour, merge, delete and pin tags to the keys 1–9 from the
buttons or the context menu; drop articles dragged from the list onto a tag to
apply it; double-click a tag to show only its articles. The editor only shows
the tree and reports what the person asked for as signals; the owner runs the
core operation and calls ``set_tree`` with the new ``tag_tree``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.annotations import PALETTE
from desktop.core.tags import PIN_SLOTS, TagNode

from .doc_model import ARTICLE_MIME, article_ids
from .headers import FixedHeaders
from .highlight_bar import swatch_icon

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
TAG_ID_ROLE = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex

MAX_TREE_HEIGHT = 280
EMPTY_HINT = "No tags yet. Click New… or right-click articles in the list to tag them."


@dataclass(eq=False)
class _Item:
    node: TagNode
    parent: _Item | None
    row: int
    children: list[_Item] = field(default_factory=list)


def _items(nodes: Sequence[TagNode], parent: _Item | None) -> list[_Item]:
    items = []
    for row, node in enumerate(nodes):
        item = _Item(node, parent, row)
        item.children = _items(node.children, item)
        items.append(item)
    return items


class TagTreeModel(FixedHeaders, QAbstractItemModel):
    """The tag forest: name (with colour), pinned key, number of articles (with descendants)."""

    NAME, KEY, COUNT = range(3)
    HEADERS = ("Tag", "Key", "Articles")

    def __init__(self) -> None:
        super().__init__()
        self._roots: list[_Item] = []

    def set_tree(self, roots: Sequence[TagNode]) -> None:
        """Show this forest (``desktop.core.tags.tag_tree``)."""
        self.beginResetModel()
        self._roots = _items(roots, None)
        self.endResetModel()

    def _item(self, index: Index) -> _Item | None:
        return index.internalPointer() if index.isValid() else None

    def _children(self, parent: Index) -> list[_Item]:
        item = self._item(parent)
        return item.children if item is not None else self._roots

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        children = self._children(parent)
        if not (0 <= row < len(children) and 0 <= column < len(self.HEADERS)):
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt's signature
        item = self._item(index)
        if item is None or item.parent is None:
            return QModelIndex()
        return self.createIndex(item.parent.row, 0, item.parent)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(parent))

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._item(index)
        if item is None:
            return None
        node, column = item.node, index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NAME:
                return node.name
            if column == self.KEY:
                return f"key {node.pinned}" if node.pinned else ""
            return f"{node.total:,}"
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME and node.colour:
            return swatch_icon(node.colour, size=12)
        if role == Qt.ItemDataRole.ToolTipRole:
            articles = "article" if node.total == 1 else "articles"
            pinned = f" · key {node.pinned}" if node.pinned else ""
            return f"{node.path}: {node.total:,} {articles}{pinned}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
        if role == PATH_ROLE:
            return node.path
        if role == TAG_ID_ROLE:
            return node.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [ARTICLE_MIME]

    def _every_item(self) -> Iterator[_Item]:
        """Every item of the tree, parents before their children."""
        pending = list(self._roots)
        while pending:
            item = pending.pop()
            yield item
            pending.extend(item.children)

    def index_of(self, path: str) -> QModelIndex:
        """The index of the tag at ``path`` (any case), or an invalid index."""
        wanted = path.casefold()
        found = next((item for item in self._every_item() if item.node.path.casefold() == wanted), None)
        return self.createIndex(found.row, 0, found) if found is not None else QModelIndex()

    def any_pinned(self) -> bool:
        """Whether some tag is pinned to a key (else the Key column is empty)."""
        return any(item.node.pinned for item in self._every_item())


class TagTreeView(QTreeView):
    """The tree; articles dropped on a tag are reported as ``articles_dropped(path, ids)``."""

    articles_dropped = Signal(str, list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)

    def _target(self, event: QDropEvent | QDragMoveEvent) -> str | None:
        if not article_ids(event.mimeData()):
            return None
        index = self.indexAt(event.position().toPoint())
        return index.data(PATH_ROLE) if index.isValid() else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if article_ids(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._target(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._target(event)
        if path is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.articles_dropped.emit(path, article_ids(event.mimeData()))


def _add(menu: QMenu, text: str, slot: Callable[[], Any], *, icon: QIcon | None = None) -> QAction:
    """Add an action running ``slot()`` (whatever the signal passes) to ``menu``."""
    action = menu.addAction(icon, text) if icon is not None else menu.addAction(text)
    action.triggered.connect(lambda _checked=False: slot())
    return action


class TagDialogs:
    """The questions the editor asks; tests replace these classmethods."""

    @classmethod
    def ask_name(cls, parent: QWidget, *, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return name.strip() if ok and name.strip() else None

    @classmethod
    def ask_merge_target(cls, parent: QWidget, *, names: Sequence[str], sources: Sequence[str]) -> str | None:
        listed = ", ".join(f"'{name}'" for name in sources)
        target, ok = QInputDialog.getItem(
            parent, "Merge tags", f"Merge {listed} into:", list(names), 0, True)
        return target.strip() if ok and target.strip() else None


class TagEditor(QWidget):
    """The tag tree with buttons and a context menu for every tag operation."""

    create_requested = Signal(str)
    rename_requested = Signal(str, str)
    recolour_requested = Signal(int, object)
    merge_requested = Signal(list, str)
    delete_requested = Signal(int)
    pin_requested = Signal(int, object)
    articles_dropped = Signal(str, list)
    filter_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tagEditor")
        self.model = TagTreeModel()
        self.view = TagTreeView()
        self.view.setObjectName("tagTree")
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setUniformRowHeights(True)
        self.view.setHeaderHidden(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.articles_dropped.connect(self.articles_dropped)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TagTreeModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column in (TagTreeModel.KEY, TagTreeModel.COUNT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.view.setToolTip("Drop articles on a tag to tag them; double-click to show its articles.")
        self.new_button = self._tool("New…", "Create a tag (use / for a child: Region/Arctic)", self.create_tag)
        self.menu_button = self._tool("Edit", "Rename, recolour, merge, pin or delete the selected tags", None)
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.edit_menu = QMenu(self.menu_button)
        self.edit_menu.aboutToShow.connect(lambda: self._fill_menu(self.edit_menu))
        self.menu_button.setMenu(self.edit_menu)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.menu_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        self.empty_hint = QLabel(EMPTY_HINT)
        self.empty_hint.setObjectName("tagEditorHint")
        self.empty_hint.setProperty("class", "emptyNote")
        self.empty_hint.setWordWrap(True)
        layout.addWidget(self.empty_hint)
        self._fit()

    def _fit(self) -> None:
        """The tree as tall as its rows (up to a limit), or the hint in its place when there are no
        tags; the key and count columns as wide as what they show (their titles are never shown),
        the Key column only while a tag is pinned, and the names given the rest."""
        rows = self._visible_rows()
        self.view.setVisible(rows > 0)
        self.empty_hint.setVisible(rows == 0)
        row_height = (self.view.sizeHintForRow(0) if rows else 0) or 20
        self.view.setFixedHeight(min(row_height * rows + 6, MAX_TREE_HEIGHT))
        self.view.setColumnHidden(TagTreeModel.KEY, not self.model.any_pinned())
        header = self.view.header()
        for column in (TagTreeModel.KEY, TagTreeModel.COUNT):
            header.resizeSection(column, max(self.view.sizeHintForColumn(column), 0))

    def _visible_rows(self) -> int:
        count = 0
        index = self.model.index(0, 0) if self.model.rowCount() else QModelIndex()
        while index.isValid():
            count += 1
            index = self.view.indexBelow(index)
        return count

    def _tool(self, text: str, tooltip: str, slot: Any) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tooltip)
        button.setAutoRaise(True)
        if slot is not None:
            button.clicked.connect(slot)
        return button

    def set_tree(self, roots: Sequence[TagNode]) -> None:
        """Show ``roots``, keeping the selected tags selected and every branch open."""
        selected = self.selected_paths()
        self.model.set_tree(roots)
        self.view.expandAll()
        self._fit()
        selection = self.view.selectionModel()
        for path in selected:
            index = self.model.index_of(path)
            if index.isValid():
                selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)

    def selected_paths(self) -> list[str]:
        """The full names of the selected tags (implied parents included)."""
        return [index.data(PATH_ROLE) for index in self.view.selectionModel().selectedRows(TagTreeModel.NAME)]

    def _selected(self) -> list[tuple[str, int | None]]:
        return [(index.data(PATH_ROLE), index.data(TAG_ID_ROLE))
                for index in self.view.selectionModel().selectedRows(TagTreeModel.NAME)]

    def select_path(self, path: str) -> None:
        """Make the tag at ``path`` the only selected one."""
        index = self.model.index_of(path)
        if index.isValid():
            self.view.selectionModel().select(
                index, self.view.selectionModel().SelectionFlag.ClearAndSelect
                | self.view.selectionModel().SelectionFlag.Rows)

    # actions ---------------------------------------------------------------------

    def create_tag(self) -> None:
        """Ask for a name and request a new tag (under the selected tag when there is one)."""
        selected = self.selected_paths()
        prefix = f"{selected[0]}/" if len(selected) == 1 else ""
        name = TagDialogs.ask_name(self, title="New tag", label="Name (Parent/Child for a child tag):",
                                   text=prefix)
        if name is not None and name != prefix.strip():
            self.create_requested.emit(name)

    def rename_selected(self) -> None:
        """Ask for a new name for the selected tag (its children follow)."""
        selected = self.selected_paths()
        if len(selected) != 1:
            return
        name = TagDialogs.ask_name(self, title="Rename tag", label="New name:", text=selected[0])
        if name is not None and name != selected[0]:
            self.rename_requested.emit(selected[0], name)

    def merge_selected(self) -> None:
        """Ask which tag the selected tags go into."""
        chosen = [(path, tag_id) for path, tag_id in self._selected() if tag_id is not None]
        if not chosen:
            return
        names = [path for path, _ in chosen]
        target = TagDialogs.ask_merge_target(self, names=names, sources=names)
        if target is not None:
            self.merge_requested.emit([tag_id for _, tag_id in chosen], target)

    def _for_each_tag(self, signal: Signal, *args: Any) -> None:
        for _, tag_id in self._selected():
            if tag_id is not None:
                signal.emit(tag_id, *args)

    def _fill_menu(self, menu: QMenu) -> None:
        menu.clear()
        selected = self._selected()
        real = [tag_id for _, tag_id in selected if tag_id is not None]
        _add(menu, "New tag…", self.create_tag)
        _add(menu, "Rename…", self.rename_selected).setEnabled(len(selected) == 1)
        colours = menu.addMenu("Colour")
        colours.setEnabled(bool(real))
        for name, hex_colour in PALETTE.items():
            _add(colours, name.capitalize(),
                 functools.partial(self._for_each_tag, self.recolour_requested, hex_colour),
                 icon=swatch_icon(hex_colour))
        _add(colours, "No colour", functools.partial(self._for_each_tag, self.recolour_requested, None))
        pin = menu.addMenu("Pin to key")
        pin.setEnabled(len(real) == 1)
        for slot in PIN_SLOTS:
            _add(pin, f"Key {slot}", functools.partial(self._for_each_tag, self.pin_requested, slot))
        _add(pin, "Unpin", functools.partial(self._for_each_tag, self.pin_requested, None))
        _add(menu, "Merge into…", self.merge_selected).setEnabled(bool(real))
        menu.addSeparator()
        _add(menu, "Delete", functools.partial(self._for_each_tag, self.delete_requested)).setEnabled(bool(real))

    def _context_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        self._fill_menu(menu)
        menu.exec(self.view.viewport().mapToGlobal(point))

    def _double_clicked(self, index: QModelIndex) -> None:
        path = index.data(PATH_ROLE)
        if path:
            self.filter_requested.emit(path)
