"""Names in other scripts in the window: the suggestions dialog and the search toggle.

``install(window)`` adds

- Entities ▸ Names in other scripts… (``actionScriptNames``): the dialog ``scriptNames``
  lists the pairs of entities that may be one name written in several scripts
  (``desktop.core.entities.name_links.name_suggestions``) in ``scriptNameSuggestions``. One key
  decides the selected pair: **A** (or Enter) merges it, **R** (or Delete) keeps the two apart
  for good; either runs through the window's ``operations`` (Edit ▸ Undo reverses it), the row
  leaves the list and the next one is selected.
- the keys of a library migrated without them (more than ``MIGRATION_LIMIT`` entities), made
  on the window's writer when it opens the library, with progress and Cancel when there are many;
- Edit ▸ Follow names across scripts (``actionFollowNames``, checkable, remembered in the
  settings): when on, a search for a name also lists the articles mentioning the same entity
  in other scripts and the status line says so ("also: Путин, 普京").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.entities.name_keys import BATCH, key_library, refresh_keys, stale_keys
from desktop.core.entities.name_links import (
    Suggestion,
    accept_suggestion,
    name_suggestions,
    refuse_suggestion,
)
from desktop.core.errors import DossierError

from .annotate_tagging import done_text
from .entity_legend import style_of
from .errors import report_error
from .shortcuts import KEY_GROUPS
from .main_window import FOLLOW_NAMES_KEY

PAIR_ROLE = Qt.ItemDataRole.UserRole + 1
HELP = ("These entities may be one name written in several scripts. "
        "A (or Enter) merges the selected pair, R (or Delete) keeps it apart; Edit ▸ Undo reverses either.")
_ACCEPT_KEYS = frozenset({Qt.Key.Key_A, Qt.Key.Key_Return, Qt.Key.Key_Enter})
_REFUSE_KEYS = frozenset({Qt.Key.Key_R, Qt.Key.Key_Delete})
SHEET_KEYS: tuple[tuple[str, str], ...] = (  # listed under Help ▸ Keyboard shortcuts
    ("A, Enter", "Merge the selected pair"),
    ("R, Del", "Keep the selected pair apart"),
)


class _SuggestionList(QTreeWidget):
    """The suggestions; A / Enter and R / Delete decide the selected one."""

    decided = Signal(bool)  # True: merge, False: keep apart

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
        elif event.key() in _ACCEPT_KEYS:
            self.decided.emit(True)
        elif event.key() in _REFUSE_KEYS:
            self.decided.emit(False)
        else:
            super().keyPressEvent(event)


class ScriptNamesDialog(QDialog):
    """Accept or refuse the suggested cross-script merges, one key each (see the module docstring)."""

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.setObjectName("scriptNames")
        self.setWindowTitle("Names in other scripts")
        self.resize(720, 420)
        self.help = QLabel(HELP)
        self.help.setWordWrap(True)
        self.list = _SuggestionList()
        self.list.setObjectName("scriptNameSuggestions")
        self.list.setHeaderLabels(["Name", "Also written", "Types", "Articles", "Why"])
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setAllColumnsShowFocus(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.decided.connect(self.decide)
        self.list.itemDoubleClicked.connect(lambda _item, _column: self.decide(True))
        self.empty = QLabel("No names to review: every name written in several scripts is merged or kept apart.")
        self.empty.setObjectName("scriptNamesEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)  # at the top
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.merge_button = QPushButton("&Merge (A)")
        self.merge_button.setObjectName("acceptScriptName")
        self.refuse_button = QPushButton("&Keep apart (R)")
        self.refuse_button.setObjectName("refuseScriptName")
        for button in (self.merge_button, self.refuse_button):
            button.setAutoDefault(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button.clicked.connect(lambda _checked=False: self.decide(True))
        self.refuse_button.clicked.connect(lambda _checked=False: self.decide(False))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.help, self.list, self.empty, buttons):
            layout.addWidget(widget)
        self.fill()

    def fill(self) -> None:
        """List the current suggestions and select the first."""
        db = self.window.library.db
        refresh_keys(db)
        self.list.clear()
        for suggestion in name_suggestions(db):
            self.list.addTopLevelItem(self._item(suggestion))
        widest = self.width() // 3  # whole names, and room left for "Why"
        for column in range(self.list.columnCount() - 1):
            self.list.resizeColumnToContents(column)
            self.list.setColumnWidth(column, min(self.list.columnWidth(column), widest))
        self._settle(0)

    @staticmethod
    def _item(s: Suggestion) -> QTreeWidgetItem:
        first, second = style_of(s.first.label).title, style_of(s.second.label).title
        types = first if first == second else f"{first} / {second}"
        item = QTreeWidgetItem([s.first.name, s.second.name, types,
                                f"{s.first.documents} + {s.second.documents}", s.reason])
        item.setData(0, PAIR_ROLE, (s.first.id, s.second.id))
        return item

    def _settle(self, row: int) -> None:
        count = self.list.topLevelItemCount()
        self.list.setVisible(count > 0)
        self.help.setVisible(count > 0)  # the keys say nothing with no pair to decide
        self.empty.setVisible(count == 0)
        for button in (self.merge_button, self.refuse_button):
            button.setEnabled(count > 0)
        if count:
            self.list.setCurrentItem(self.list.topLevelItem(min(row, count - 1)))
            self.list.setFocus()

    def pairs(self) -> list[tuple[str, str]]:
        """The names of the listed pairs, in order (what a person reads)."""
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [(item.text(0), item.text(1)) for item in items]

    def decide(self, merge: bool) -> None:
        """Merge (``merge``) or keep apart the selected pair, then select the next one."""
        item = self.list.currentItem()
        if item is None:
            return
        first, second = item.data(0, PAIR_ROLE)
        operation = accept_suggestion if merge else refuse_suggestion
        try:
            change = self.window.operations.apply(lambda db: operation(db, first, second))
        except DossierError as err:
            self.window.statusBar().showMessage(report_error(err), 10_000)
            self.fill()
            return
        self.window.statusBar().showMessage(done_text(change.label), 10_000)
        row = self.list.indexOfTopLevelItem(item)
        self.list.takeTopLevelItem(row)
        self._settle(row)


class ScriptNames:
    """The actions of one main window (see the module docstring)."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.dialog: ScriptNamesDialog | None = None
        self.action_review = QAction("Names in other &scripts…", window)
        self.action_review.setObjectName("actionScriptNames")
        self.action_review.triggered.connect(lambda _checked=False: self.open_dialog())
        self.action_follow = QAction("Follow &names across scripts", window)
        self.action_follow.setObjectName("actionFollowNames")
        self.action_follow.setCheckable(True)
        self.action_follow.setChecked(window.follow_names)
        self.action_follow.setToolTip("A search for a name also finds it written in other scripts "
                                      "(Putin: Путин, 普京)")
        self.action_follow.toggled.connect(self.set_follow_names)
        for action in (self.action_review, self.action_follow):
            window.addAction(action)
        entities = window.findChild(QMenu, "entitiesMenu")
        if entities is not None:
            entities.addSeparator()
            entities.addAction(self.action_review)
        edit = next((a.menu() for a in window.menuBar().actions() if a.text() == "&Edit"), None)
        (edit or entities or window.menuBar()).addAction(self.action_follow)
        self._library = None
        window.results_ready.connect(self.key_names)
        self.key_names()

    def key_names(self) -> None:
        """Once per library: make in the background the keys its entities lack."""
        library = self.window.library
        if library is self._library:
            return
        self._library = library
        stale = [] if library.read_only else stale_keys(library.db)
        if stale:
            self.window.when_quiet(lambda: library is self.window.library and self.window.submit_write(
                key_library, on_finished=self._keyed, show_progress=len(stale) > BATCH,
                title="Reading names in other scripts"))

    def _keyed(self, count: int) -> None:
        if count:
            self.window.reload()

    def open_dialog(self) -> ScriptNamesDialog:
        """Show the suggestions dialog (window-modal, returns at once)."""
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = ScriptNamesDialog(self.window)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.open()
        return self.dialog

    def set_follow_names(self, on: bool) -> None:
        """Search follows names across scripts (``on``) or only the words typed; remembered."""
        self.window.follow_names = on
        self.window.settings.set(FOLLOW_NAMES_KEY, on)
        self.window.reload()


def install(window: Any) -> ScriptNames:
    """Add the suggestions dialog and the search toggle to ``window``."""
    KEY_GROUPS.setdefault("Entities ▸ Names in other scripts…", SHEET_KEYS)
    window.script_names = ScriptNames(window)
    return window.script_names
