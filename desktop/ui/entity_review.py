"""Entities ▸ Review entities… (``actionReviewEntities``): every entity of the library in one
window (``entityReview``), and the suggested corrections beside it.

The table (``entityTable``) lists each entity's name, type, articles, mentions, origin and other
spellings, read a page at a time from ``desktop.core.entities.review`` and sorted there (click a
header). Typing in ``entityReviewFilter`` narrows it at once (Down moves into the table), the type
box (``entityReviewType``) keeps one type. With rows selected, keys act on them: T changes their
type to the one in ``entityNewType``, M merges them into one entity chosen by typing in the merge
picker (the likeliest first), N makes them "never an entity", Delete removes their mentions.

The suggestions list (``suggestionList``, from ``desktop.core.entities.suggestions``) ranks
likely duplicates and likely mislabels: Enter (or A) accepts the selected one and moves to the
next, Space (or S) skips it for this session; after a correction made in the table, an Undo or
entities found meanwhile, the list is read again (in a process of its own) and keeps the
suggestion selected; the suggestions about the entities corrected are taken off at once, and
accepting one after another from the list takes each off without reading the list again. After
a correction the table is read again once the window has drawn the correction. Every
correction goes through the main window's ``operations``, so Ctrl+Z (the window's Undo, also
active here) takes it back.

The counts are never made on the window's thread: after another program or the background
extraction changed the library, the table shows the counts as they were ("counting…" beside
them) while ``entity_counts`` counts again; what this window corrects is counted at once.

This module owns the review window and its corrections; the table's model and
filter line are in ``entity_table``, the suggestions' rows and keys in ``suggestion_list``,
the counting in the background in ``entity_counts``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from desktop.core.changes import ChangeSet
from desktop.core.entities import candidate_pool, labels_in_use, merge_entities
from desktop.core.entities.review import delete_entities, never_entities, relabel_entities
from desktop.core.entities.suggestions import Suggestion, accept
from desktop.core.errors import DossierError
from desktop.core.undo import Change, plural

from .annotate_tagging import done_text
from .closing import close_on_keys
from .entity_counts import BackgroundCounts
from .entity_legend import STYLES, style_of, swatch_icon
from .entity_picker import MergePicker
from .entity_table import EntityTableModel, TableFilterLine
from .errors import report_error
from .operations import busy_pointer
from .shortcuts import KEY_GROUPS
from .sort_arrows import keep_sort_indicator
from .suggestion_list import SuggestionList, read_suggestions
from .window_state import size_on_screen
from .workers import Worker, WorkerPool

FILTER_MS = 150
ALL_TYPES = "All types"
# Sized for a laptop's 1366×768 as much as for a large screen: the suggestions' pane wide enough to
# read both names of a suggestion, the table's columns narrow enough to show the other spellings.
REVIEW_SIZE = QSize(1360, 760)
SPLIT = (700, 660)  # table : suggestions
TABLE_WIDTHS = (200, 140, 75, 75, 65)  # name, type, articles, mentions, origin; spellings take the rest
SHEET_KEYS: tuple[tuple[str, str], ...] = (  # listed under Help ▸ Keyboard shortcuts
    ("T", "Change the selected entities to the type beside the button"),
    ("M", "Merge the selected entities into one chosen by typing"),
    ("N", "Never treat the selected names as entities"),
    ("Del", "Remove the mentions of the selected entities"),
    ("Enter, A", "Accept the selected suggestion and go to the next"),
    ("Space, S", "Skip the selected suggestion"),
    ("Esc, Ctrl+W", "Close the window"),
)


class EntityReview(QWidget):
    """The Review entities window of one main window (see the module docstring)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window, Qt.WindowType.Window)
        self.setObjectName("entityReview")
        self.setWindowTitle("Review entities")
        self.resize(size_on_screen(window, REVIEW_SIZE))
        self.window_ = window
        self._skipped: set[str] = set()
        self._accepting = False  # a suggestion of the list is being carried out
        self._pool = WorkerPool(max_threads=1, parent=self)
        self._worker: Worker | None = None
        self.model = EntityTableModel(lambda: window.library.db, self)
        self.counts = BackgroundCounts(window, self)
        self.counts.counted.connect(self._reload_in_place)
        self.counts.settled.connect(self._show_count)
        self.counts.failed.connect(lambda err: self._say(report_error(err)))
        self._build()
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_MS)
        self._filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self._catch_up, self._reload_soon = QTimer(self), QTimer(self)  # several changes at once: one catching up
        for timer, slot in ((self._catch_up, self._count_and_reload), (self._reload_soon, self._reload_in_place)):
            timer.setSingleShot(True)
            timer.setInterval(0)
            timer.timeout.connect(slot)
        window.operations.changed.connect(self._library_changed)
        window.undo_reported.connect(self._say)  # Ctrl+Z here says what it took back, not the step before
        self.addActions([window.action_undo, window.action_redo])
        close_on_keys(self)
        window.installEventFilter(self)
        self.refresh()

    # building -----------------------------------------------------------------------------

    def _build(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("entityTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)
        keep_sort_indicator(self.table.horizontalHeader(), sortable=self.model.sortable)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate(TABLE_WIDTHS):  # the other spellings stay in sight
            self.table.setColumnWidth(column, width)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons and suggestions
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.filter = TableFilterLine(self.table)
        self.filter.setObjectName("entityReviewFilter")
        self.filter.setPlaceholderText("Type part of a name to narrow the table")
        self.filter.setClearButtonEnabled(True)
        self.type_box = QComboBox()
        self.type_box.setObjectName("entityReviewType")
        self.type_box.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.new_type = QComboBox()
        self.new_type.setObjectName("entityNewType")
        for label, style in STYLES.items():
            self.new_type.addItem(swatch_icon(label), style.title, label)
        self.count = QLabel()
        self.count.setObjectName("entityReviewCount")
        self.buttons = {
            "type": self._button("entityChangeType", "Change &type to", "T", self.change_type),
            "merge": self._button("entityMerge", "&Merge into one…", "M", self.merge_selected),
            "never": self._button("entityNever", "&Never an entity", "N", self.never_selected),
            "delete": self._button("entityDelete", "&Delete", QKeySequence.StandardKey.Delete, self.delete_selected),
        }
        self.suggestion_list = SuggestionList(accept=self.accept_current, skip=self.skip_current)
        self.suggestion_list.doubleClicked.connect(lambda _index: self.accept_current())
        self.suggestion_hint = QLabel()
        self.suggestion_hint.setObjectName("suggestionHint")
        self.suggestion_hint.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("entityReviewStatus")
        self._layout()

    def _button(self, name: str, text: str, key: QKeySequence.StandardKey | str,
                slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _checked=False: slot())
        action = QAction(text.replace("&", ""), self.table)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.table.addAction(action)
        button.setToolTip(f"{text.replace('&', '')} ({QKeySequence(key).toString()} in the table)")
        return button

    def _layout(self) -> None:
        top = QHBoxLayout()  # the count beside the filter, which gives it room: the buttons' row is full
        top.addWidget(self.filter, 1)
        top.addWidget(self.count)
        top.addWidget(self.type_box)
        actions = QHBoxLayout()
        actions.addWidget(self.buttons["type"])
        actions.addWidget(self.new_type)
        for key in ("merge", "never", "delete"):
            actions.addWidget(self.buttons[key])
        actions.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(actions)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("<b>Suggestions</b>"))
        right_layout.addWidget(self.suggestion_list, 1)
        right_layout.addWidget(self.suggestion_hint)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([SPLIT[0], SPLIT[1]])  # scaled to the window's width
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        chain = [self.filter, self.type_box, self.table, self.new_type, self.buttons["type"],
                 *(self.buttons[key] for key in ("merge", "never", "delete")), self.suggestion_list]
        for before, after in zip(chain, chain[1:]):
            QWidget.setTabOrder(before, after)

    # reading ------------------------------------------------------------------------------

    @property
    def db(self) -> Database:
        return self.window_.library.db

    def refresh(self) -> None:
        """Read the types, the table and the suggestions again."""
        self._fill_types()
        self.model.reload()
        self.counts.request()
        self._show_count()
        self.refresh_suggestions()

    def _fill_types(self) -> None:
        current = self.type_box.currentData()
        self.type_box.blockSignals(True)
        self.type_box.clear()
        self.type_box.addItem(ALL_TYPES, None)
        for label in labels_in_use(self.db):
            self.type_box.addItem(swatch_icon(label), style_of(label).plural, label)
        found = self.type_box.findData(current)
        self.type_box.setCurrentIndex(max(found, 0))
        self.type_box.blockSignals(False)

    def _apply_filter(self) -> None:
        self.model.set_filter(self.filter.text(), self.type_box.currentData())
        self._show_count()

    def _show_count(self) -> None:
        total, counting = self.model.total, self.counts.busy
        if counting and not total:
            self.count.setText("Counting mentions…")
        else:
            self.count.setText(plural(total, "entity", "entities") + (" (counting again…)" if counting else ""))
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = bool(self.table.selectionModel().hasSelection())
        for button in self.buttons.values():
            button.setEnabled(chosen)

    def selected_ids(self) -> list[int]:
        """The entities selected in the table, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row_at(row)["entity_id"] for row in rows]

    def names(self) -> list[str]:
        """The names the table shows, top to bottom."""
        return [self.model.row_at(row)["name"] for row in range(self.model.rowCount())]

    def refresh_suggestions(self, *, keep_place: bool = False) -> None:
        """Read the suggestions again in the background, then select the first one or, with
        ``keep_place``, the one selected now (when it is still suggested; else the one that
        took its row). A newer request replaces one still running."""
        if self._worker is not None:
            self._worker.cancel()
        current = self.current_suggestion() if keep_place else None
        row, key = (current[0], current[1].key) if current is not None else (0, None)
        self.suggestion_hint.setText("Looking for likely duplicates and mislabels…")
        self._worker = self._pool.start(
            functools.partial(read_suggestions, self.window_.library, skipped=frozenset(self._skipped)),
            on_finished=lambda found: self._suggestions_read(found, row=row, key=key),
            on_failed=lambda err: self._say(report_error(err)),
        )

    def _suggestions_read(self, found: list[Suggestion], *, row: int, key: str | None) -> None:
        self._worker = None
        if self._skipped:  # skipped while they were read
            found = [s for s in found if s.key not in self._skipped]
        self.suggestion_list.show_keeping(found, row=row, key=key)
        self._show_left()

    def suggestions_ready(self) -> bool:
        """True when no reading of the suggestions is under way."""
        return self._pool.active == 0

    def counts_ready(self) -> bool:
        """True when the table's counts are not being read again."""
        return not self.counts.busy

    def _show_left(self) -> None:
        left = len(self.suggestion_list.suggestions.listed)
        self.suggestion_hint.setText(
            f"{plural(left, 'suggestion')} — Enter accepts, Space skips, Ctrl+Z undoes."
            if left else "No suggestions left.")

    def suggestion_texts(self) -> list[str]:
        """The suggestions listed, top to bottom."""
        return self.suggestion_list.texts()

    # correcting ---------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _correct(self, operation: Callable[[Database], Change], *, articles: int = 0,
                 accepting: bool = False, touched: Collection[int] = ()) -> Change | None:
        """Run a correction of entities found in ``articles`` articles (thousands: in the
        background, ``Operations.apply_edit``; then None is returned, the status says when it
        is done); ``accepting``: it carries out a suggestion of the list, which takes it off
        itself instead of being read again. Once done, the suggestions about the entities
        ``touched`` are taken off at once (those still right come back with the next reading)."""
        self._accepting = accepting
        done: list[Change] = []
        title = f"Correcting entities in {plural(articles, 'article')}"
        try:
            with busy_pointer():
                self.window_.operations.apply_edit(
                    operation, size=articles, title=title,
                    then=lambda change: (done.append(change), self._say(done_text(change.label)),
                                         self._take_off(touched)))
        except DossierError as err:
            self._say(report_error(err))
        else:
            if not done:
                self._say(f"{title}… (Cancel in the main window's status bar)")
        finally:
            self._accepting = False
        return done[0] if done else None

    def _take_off(self, entity_ids: Collection[int]) -> None:
        if entity_ids:
            self.suggestion_list.take_off(frozenset(entity_ids))
            self._show_left()

    def _selected_articles(self) -> int:
        """How many articles the selected entities are found in (the table's counts)."""
        return sum(self.model.row_at(index.row())["documents"] or 0
                   for index in self.table.selectionModel().selectedRows())

    def change_type(self) -> None:
        """Give the selected entities the type chosen in ``entityNewType``."""
        ids, label = self.selected_ids(), self.new_type.currentData()
        if ids:
            self._correct(lambda db: relabel_entities(db, ids, label=label), articles=self._selected_articles(),
                          touched=ids)

    def never_selected(self) -> None:
        """Make the selected entities "never an entity"."""
        ids = self.selected_ids()
        if ids:
            self._correct(lambda db: never_entities(db, ids), articles=self._selected_articles(), touched=ids)

    def delete_selected(self) -> None:
        """Remove every mention of the selected entities."""
        ids = self.selected_ids()
        if ids:
            self._correct(lambda db: delete_entities(db, ids), articles=self._selected_articles(), touched=ids)

    def merge_selected(self) -> None:
        """Ask which entity the selected ones are (typing narrows, the likeliest first) and merge.
        The candidates are ranked for the selected entity in the fewest articles, so the others
        selected are among them."""
        ids = self.selected_ids()
        if not ids:
            return
        rows = [self.model.row_at(index.row()) for index in self.table.selectionModel().selectedRows()]
        first = min(rows, key=lambda row: (row["documents"], len(row["name"])))  # the least likely target
        try:
            pool = candidate_pool(self.db, first["entity_id"])
        except DossierError as err:
            self._say(report_error(err))
            return
        what = f"“{first['name']}”" if len(ids) == 1 else f"these {len(ids)} entities"
        articles = self._selected_articles()
        MergePicker.ask(self, pool=pool, title="Merge entities",
                        question=f"Which entity are {what}? Their mentions and names go to the one you choose.",
                        then=lambda into: self._merge(ids, into, articles=articles))

    def _merge(self, ids: list[int], into: int, *, articles: int = 0) -> None:
        self._correct(lambda db: merge_entities(db, ids, into=into), articles=articles, touched={*ids, into})
        QTimer.singleShot(0, self._take_focus)

    def _take_focus(self) -> None:
        """Back in front with the table focused once the merge picker has closed."""
        self.activateWindow()
        self.table.setFocus()

    def current_suggestion(self) -> tuple[int, Suggestion] | None:
        return self.suggestion_list.current()

    def accept_current(self) -> None:
        """Carry out the selected suggestion and select the next one."""
        current = self.current_suggestion()
        if current is None:
            return
        chosen = current[1]
        if self._correct(lambda db: accept(db, chosen), accepting=True) is not None:
            self.suggestion_list.take_off({chosen.source.entity_id}, chosen=chosen)  # merged away
            self._show_left()
            if self._worker is not None:  # a reading begun before this correction would bring it back
                self.refresh_suggestions(keep_place=True)

    def skip_current(self) -> None:
        """Leave the selected suggestion out (until the window is opened again) and select the next."""
        current = self.current_suggestion()
        if current is None:
            return
        self._skipped.add(current[1].key)
        self.suggestion_list.take_off((), chosen=current[1])
        self._show_left()

    def _library_changed(self, changes: ChangeSet) -> None:
        if not (changes.entities or changes.entity_definitions or changes.unknown or changes.removed
                or changes.added):  # articles imported with their entities
            return
        self._catch_up.start()
        if not self._accepting:
            self.refresh_suggestions(keep_place=True)

    def _count_and_reload(self) -> None:
        """After a change: count again, then read the table again once the window has drawn
        what the change did (each a step of its own, so that neither holds the window long)."""
        self.counts.request()  # first: the count beside the table says it is counting again
        self._reload_soon.start()

    def _reload_in_place(self) -> None:
        """Read the table again keeping its place: the row where the selection began (or the
        current row) stays current and selected, now holding the entity that follows the ones
        corrected, and the table stays scrolled where it was."""
        rows = [index.row() for index in self.table.selectionModel().selectedRows()]
        place = min(rows) if rows else self.table.currentIndex().row()
        scrolled = self.table.verticalScrollBar().value()
        self.model.reload()
        self._show_count()
        if place >= 0 and self.model.rowCount():
            row = min(place, self.model.rowCount() - 1)
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.verticalScrollBar().setValue(scrolled)

    def stop(self) -> None:
        """Stop reading suggestions and counts and wait for the readers to return (the main
        window closes)."""
        self._catch_up.stop()
        self._reload_soon.stop()
        self.counts.stop()
        self._pool.cancel_all()
        self._pool.wait()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window_ and event.type() == QEvent.Type.Close:
            self.stop()
            self.close()
        return False

    def show_for_review(self) -> None:
        """Show the window in front with the filter focused."""
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.filter.setFocus()


def _open(window: Any) -> EntityReview:
    review = window.findChild(EntityReview)
    if not isinstance(review, EntityReview):
        review = EntityReview(window)
    review.show_for_review()
    return review


def install(window: Any) -> QAction:
    """Add Entities ▸ Review entities… to ``window`` (after the entity menu exists); returns the action."""
    KEY_GROUPS.setdefault("Entities ▸ Review entities…", SHEET_KEYS)
    action = QAction("Re&view entities…", window)
    action.setObjectName("actionReviewEntities")
    action.triggered.connect(lambda _checked=False: _open(window))
    window.addAction(action)
    menu = window.findChild(QMenu, "entitiesMenu")
    if menu is not None:
        menu.insertAction(menu.actions()[0] if menu.actions() else None, action)
    return action
