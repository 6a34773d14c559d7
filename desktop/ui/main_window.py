"""The main window: search box, filter sidebar, article list and reader over one library.

The window owns the state of the search (query text, scope, ``Filters``, sort
order) and asks the library for results through ``compute_results`` on a
worker; the newest request cancels the one before it, so typing never waits
for a slow query.

Connections and writes. The window holds three connections to the library
file (WAL journal, each with a 10 s busy timeout): ``library`` for the GUI
thread, ``_read`` for the query worker and ``_write`` for the writer worker.
Long writes (import, entity extraction, re-import, export, saved searches) run
one at a time on the writer (``submit_write``). Small edits made by a person
(a highlight, a tag, a note, a reading state) are written at once on the GUI
thread through ``library`` so the reader repaints with them; each is one short
transaction. The two writers never interleave inside a transaction: SQLite
lets one connection write at a time, and a long job commits in batches, so an
edit made during an import waits at most one batch for the write lock (well
inside the busy timeout) instead of failing with "database is locked".

Once the window starts closing it ignores every worker result and every
``submit_write`` callback, so nothing reaches a connection being closed.

This module owns the window's widgets, its connections and library, the
article being read and how changes are shown. The other parts of the window
are mixins, each in its own module: the search and its result sets
(``window_search``), the list's columns (``window_columns``), the reader
panels (``window_panels``), long writes and their progress (``window_jobs``),
saved searches (``window_saved``), what is remembered between runs
(``window_state``), actions, menus and toolbar (``window_menus``) and the
file choosers (``window_pickers``).

Seams for features that plug in later:

- ``set_import_handler(files=..., folder=...)`` wires File ▸ Import… and Import
  folder… (both disabled until set); ``set_export_handler(handler)``
  replaces the built-in export of the result list.
- ``operations`` (``desktop/ui/operations.py``) runs every edit, owns the one
  undo history behind Edit ▸ Undo/Redo and announces change sets, including
  those other processes make.
- ``add_reader_panel(widget, title)`` adds a tab beside the reader (the
  panels are off until View ▸ Reader panels or the toolbar's Panels button: on
  a laptop screen the list and a readable reader leave little room for them);
  ``show_reader_panel(widget)`` brings one to the front. Panels that appear
  take their room from the list (its titles keep ``TITLE_MIN_CHARS``
  characters, its other columns give way), never leave the reader narrower
  than ``READER_MIN_WIDTH``, and give the room back to the list when they go.
- The list header's context menu shows or hides columns (remembered in the
  settings; Words is hidden until asked for, the reader's byline gives the
  count); columns with no value in the results shrink to their header, and
  columns the list is too narrow for are out of sight until it widens.
- ``add_list_menu_section(fill)``: ``fill(menu, ids)`` adds actions for the
  selected articles to the article list's context menu.
- ``file_menu``: features put their File menu entries before Quit.
- ``set_query_scope(column)`` restricts the search to one column of the
  query language (``"notes"``); ``search_bar.add_widget(widget)`` puts a
  control beside the search box.
- ``sidebar.add_section(widget, title)``, ``reader.add_span_provider(...)``,
  ``model.add_column(...)``.
- Signals: ``article_shown(id)`` whenever the reader shows another article,
  ``library_opened()`` after switching to another library file,
  ``results_ready()`` after a new result list is shown.
- ``library_changed(changes)``: emitted with each ``ChangeSet`` the
  operations announce, after the window has refreshed what it names: the
  rows of the articles it touches, the reader when it shows one of them, the
  facets of the areas it touches; the whole list and total only when articles
  came or went (or the change cannot be named).
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import __app_name__
from desktop.core.changes import ChangeSet, facet_area
from desktop.core.documents import get_document
from desktop.core.errors import Cancelled, DossierError
from desktop.core.library import Library
from desktop.core.name_search import prepare as prepare_name_search
from desktop.core.query import scoped_query  # noqa: F401  (imported from here by callers)
from desktop.core.search import Filters, count_documents
from desktop.core.upgrade import upgrade_message

from .doc_list_view import DocumentListView
from .doc_model import DocumentListModel
from .operations import Operations
from .errors import report_error
from .find_bar import FindBar
from .job_progress import JobProgress
from .reader import Reader
from .search_box import SearchBar
from .settings import Settings
from .sidebar import FilterSidebar, SidebarScroll
from .status_bar import WindowStatusBar
from .upgrading import open_upgraded
from .search_index import SearchIndexBuilder
from .window_columns import ColumnsMixin
from .window_focus import FocusOrderMixin
from .window_jobs import JobsMixin
from .window_menus import MenusMixin
from .window_panels import READER_MIN_WIDTH, PanelsMixin  # noqa: F401  (READER_MIN_WIDTH: callers)
from .window_pickers import Pickers  # noqa: F401  (imported from here by callers)
from .window_saved import SavedSearchesMixin
from .window_search import SearchMixin
from .window_state import WindowStateMixin
from .workers import Worker, WorkerPool

ROW_HEIGHT = 26
SIDEBAR_WIDTH = 250
TITLE_MIN_CHARS = 30
FOLLOW_NAMES_KEY = "search/follow_names"


class MainWindow(SearchMixin, ColumnsMixin, PanelsMixin, JobsMixin, SavedSearchesMixin,
                 WindowStateMixin, MenusMixin, FocusOrderMixin, QMainWindow):
    """Dossier's main window over one open library, which it owns and closes when closed."""

    library_changed = Signal(object)  # ChangeSet
    _searching_prepared = False  # ``prepare_name_search`` ran in this process
    results_ready = Signal()
    article_shown = Signal(int)
    library_opened = Signal()
    undo_reported = Signal(str)  # what Undo / Redo just did (or why it could not), as the status bar says

    def __init__(self, library: Library, *, settings: Settings | None = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings or Settings()
        self.library = library
        self._read = library.connect()
        self._write = library.connect()
        self.queries = WorkerPool(max_threads=1, parent=self)
        self.writer = WorkerPool(max_threads=1, parent=self)
        self.query_text = ""
        self._typing = False
        self.filters = Filters()
        self.sort_key, self.sort_descending = "relevance", False
        self.count_stories = False  # the sidebar counts stories instead of articles
        self._serial = 0
        self._searched_at = 0.0  # when the newest search started (time.monotonic)
        self._query_worker: Worker | None = None
        self._recount_worker: Worker | None = None
        self._sidebar_steps: list[Callable[[], None]] = []
        self._facets_known = False
        self._total = 0
        self._searched: tuple[Any, ...] | None = None
        self._import_handlers: tuple[Callable[[MainWindow], None], ...] = ()
        self._list_menu_sections: list[Callable[[QMenu, list[int]], None]] = []
        self.query_scope: str | None = None
        self.follow_names = self.settings.flag(FOLLOW_NAMES_KEY, True)  # a name finds other scripts
        self._also = self._suggestion = ""
        self._export_handler: Callable[[MainWindow], None] | None = None
        # asked by the export whether to keep one row per story (None: cancel); set by versions.install
        self.ask_one_per_story: Callable[[list[int]], bool | None] | None = None
        self.operations = Operations(library, self)
        self.operations.changed.connect(self.apply_changes)
        self.operations.history_changed.connect(self.update_undo_actions)
        self._closed = False
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status()
        self._restore()
        self._open_current_library()
        self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)  # the keys move through the list at start

    # building ------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search_bar = SearchBar()
        self.search_box = self.search_bar.box
        self.search_box.query_changed.connect(self.set_query)
        self.search_box.query_typed.connect(functools.partial(self.set_query, typing=True))
        self.search_box.down_pressed.connect(self.focus_list)

        self.sidebar = FilterSidebar()
        self.sidebar.include_requested.connect(
            lambda facet, value: self.set_filters(self.filters.including(facet, value)))
        self.sidebar.exclude_requested.connect(
            lambda facet, value: self.set_filters(self.filters.excluding(facet, value)))
        self.sidebar.remove_requested.connect(
            lambda facet, value: self.set_filters(self.filters.without(facet, value)))
        self.sidebar.clear_requested.connect(lambda: self.set_filters(Filters()))
        self.sidebar.dates_requested.connect(
            lambda first, last: self.set_filters(self.filters.with_dates(first, last)))
        self.sidebar.contains_changed.connect(lambda facet, _: self._recount([facet]))
        self.sidebar.save_search_requested.connect(self.save_current_search)
        self.sidebar.collapsed_changed.connect(self._remember_folded_sections)
        self.sidebar.saved.open_requested.connect(self.open_saved_search)
        self.sidebar.saved.rename_requested.connect(self.rename_saved_search)
        self.sidebar.saved.delete_requested.connect(self.delete_saved_search)
        self.sidebar_scroll = SidebarScroll(self.sidebar)

        self.model = DocumentListModel(self.library.db)
        self.model.sort_requested.connect(self._sort_requested)
        self.list_view = DocumentListView(title_min_chars=TITLE_MIN_CHARS)
        self.list_view.setObjectName("documentList")
        self.list_view.setModel(self.model)
        self.list_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.list_view.setAlternatingRowColors(True)
        self.list_view.setDragEnabled(True)
        self.list_view.setDragDropMode(QTableView.DragDropMode.DragOnly)
        self.list_view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list_view.customContextMenuRequested.connect(self._list_menu_requested)
        self.list_view.setShowGrid(False)
        self.list_view.setWordWrap(False)
        self.list_view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list_view.verticalHeader().hide()
        self.list_view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.list_view.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)
        header = self.list_view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(False)
        header.setStretchLastSection(False)
        self._sort_on_clicks(header)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu_requested)
        self._empty_columns: set[str] = set()
        for number, column in enumerate(self.model.columns):
            header.resizeSection(number, column.width)
        self.model.columnsInserted.connect(self._columns_added)
        self.list_view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.list_view.open_requested.connect(lambda: self.reader.setFocus())

        self.reader = Reader()
        self.reader.query_suggested.connect(self.set_query)  # "Did you mean …?"
        self.find_bar = FindBar(self.reader)
        reader_pane = QWidget()
        reader_layout = QVBoxLayout(reader_pane)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.setSpacing(0)
        reader_layout.addWidget(self.reader)
        reader_layout.addWidget(self.find_bar)
        self.reader_pane = reader_pane
        self.reader_panels = QTabWidget()
        self.reader_panels.setObjectName("readerPanels")
        self.reader_panels.setDocumentMode(True)
        self.reader_panels.hide()

        self.reader_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.reader_splitter.setObjectName("readerSplitter")
        self.reader_splitter.addWidget(reader_pane)
        self.reader_splitter.addWidget(self.reader_panels)
        self.reader_splitter.setStretchFactor(0, 3)
        self.reader_splitter.setStretchFactor(1, 1)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.sidebar_scroll)
        self.splitter.addWidget(self.list_view)
        self.splitter.addWidget(self.reader_splitter)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([SIDEBAR_WIDTH, 680, 510])
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 1)
        self.setCentralWidget(self.splitter)

    def _build_status(self) -> None:
        status = WindowStatusBar(self)
        self.setStatusBar(status)
        self.count_label = status.count  # written by ``show_count`` alone
        self.job = JobProgress(self.writer, name="statusJob")
        self.operations.set_writer(self.submit_write)
        status.addPermanentWidget(self.job)
        self.search_index = SearchIndexBuilder(status, self.submit_write, parent=self)
        self.search_index.finished.connect(self.reload)
        self.library_changed.connect(lambda _: self.search_index.start(self.library))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop every worker, wait for them, and close the library's connections."""
        if self._closed:
            return
        self._closed = True
        self.operations.close()
        self._stop_workers()
        self.model.set_ids([])
        for library in (self._read, self._write, self.library):
            library.close()

    def _stop_workers(self) -> None:
        self._query_worker = self._recount_worker = None
        self.queries.cancel_all()
        self.writer.cancel_all()
        self.queries.wait()
        self.writer.wait()
        QApplication.processEvents()

    # library -------------------------------------------------------------------

    def _open_current_library(self) -> None:
        """List the library's articles at once; the sidebar fills in from a worker."""
        self.settings.remember_library(self.library.path)
        self.setWindowTitle(f"{self.library.path.stem} — {__app_name__}")
        self._total = count_documents(self.library.db)
        self._refresh_saved_searches()
        self._facets_known = False
        self._save_facet_index_when_quiet()
        self._start(self._request(facets=(), histogram=False), sync=True)
        self._start(self._request(list_ids=False), sync=False)
        self.search_index.start(self.library, opened=True)
        self.when_settled(self._prepare_searching)
        self.statusBar().show_note(upgrade_message(self.library))  # the backup from before an upgrade

    def _prepare_searching(self) -> None:
        """Once per process, on a thread of its own (not the query worker, which a search typed
        meanwhile must find free), once the first list and sidebar are shown: load what a
        search that names someone needs, so that the first search does not wait for it."""
        if not MainWindow._searching_prepared:
            MainWindow._searching_prepared = True
            threading.Thread(target=prepare_name_search, name="prepare-name-search", daemon=True).start()

    def open_library_file(self, path: Path) -> bool:
        """Switch to the library at ``path``; on failure show why and keep the current one."""
        try:
            library = open_upgraded(path, self)
        except DossierError as err:
            if not isinstance(err, Cancelled):
                self.settings.forget_library(path)
            report_error(err, parent=self, title="Cannot open library")
            return False
        self._stop_workers()
        old = (self.library, self._read, self._write)
        self.library, self._read, self._write = library, library.connect(), library.connect()
        for connection in old:
            connection.close()
        self.model.set_database(library.db)
        self.operations.set_library(library)
        self.query_text, self.filters, self.sort_key = "", Filters(), "relevance"
        self.search_box.set_query("")
        self.reader.show_placeholder("Select an article to read it.")
        self._open_current_library()
        self.library_opened.emit()
        return True

    # reading -----------------------------------------------------------------------

    def current_id(self) -> int | None:
        """The id of the article in the reader, or None."""
        document = self.reader.current_document
        return document.id if document is not None else None

    def selected_ids(self) -> list[int]:
        """The ids of the selected rows of the list, in list order."""
        return self.list_view.selected_ids()

    def _current_changed(self, current: QModelIndex, _: QModelIndex) -> None:
        doc_id = self.model.id_at(current.row()) if current.isValid() else None
        if doc_id is not None and doc_id != self.current_id():
            self._show_article(doc_id)

    def _show_article(self, doc_id: int | None) -> None:
        if doc_id is None:
            return
        try:
            document = get_document(self.library.db, doc_id)
        except DossierError as err:
            self.statusBar().showMessage(report_error(err), 10_000)
            return
        self.reader.show_document(document)
        if self.reader.hit_count:
            self.reader.next_hit()
        self.article_shown.emit(document.id)

    def show_article(self, doc_id: int) -> bool:
        """Select ``doc_id`` in the list and read it; False when it is not in the results."""
        row = self.model.row_of(doc_id)
        if row is None:
            return False
        self.list_view.setCurrentIndex(self.model.index(row, 0))
        return True

    def step_article(self, step: int) -> None:
        """Read the next (``step`` 1) or previous (-1) article of the list."""
        current = self.list_view.currentIndex()
        row = (current.row() if current.isValid() else -1) + step
        if 0 <= row < len(self.model.ids):
            self.model.reveal(row + 1)
            self.list_view.setCurrentIndex(self.model.index(row, 0))

    def add_list_menu_section(self, fill: Callable[[QMenu, list[int]], None]) -> None:
        """Let ``fill(menu, ids)`` add actions for the selected articles to the list's context menu.

        Sections appear in the order they were added, separated by a line.
        """
        self._list_menu_sections.append(fill)

    def list_menu(self) -> QMenu:
        """The article list's context menu for the selected articles (``documentListMenu``)."""
        menu = QMenu(self.list_view)
        menu.setObjectName("documentListMenu")
        ids = self.selected_ids()
        for fill in self._list_menu_sections:
            if not menu.isEmpty():
                menu.addSeparator()
            fill(menu, ids)
        return menu

    def _list_menu_requested(self, point: QPoint) -> None:
        menu = self.list_menu()
        if not menu.isEmpty():
            menu.exec(self.list_view.viewport().mapToGlobal(point))

    # changes -----------------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        """Show what ``changes`` changed (filters follow renamed tags), then tell the features."""
        if self._closed:
            return
        self.filters = self.filters.with_tags_renamed(changes.tag_renames)
        if changes.saved_searches or changes.unknown:
            self._refresh_saved_searches()
        if changes.membership:
            self.refresh()
        else:
            self._refresh_rows(changes)
        self.library_changed.emit(changes)

    def _refresh_rows(self, changes: ChangeSet) -> None:
        """Repaint the articles ``changes`` names and recount only the facets it touches; run
        the search again when the change can move articles in or out of the results."""
        touched = changes.documents
        self.model.invalidate(list(touched))
        if touched:
            self._fit_empty_columns(also=touched)  # a first tag widens the Tags column again
        current = self.current_id()
        if current is not None and current in touched:
            self._reread(current)
        areas = changes.facet_areas
        filters = self.filters
        filtered = {facet_area(facet) for facet in (*filters.include, *filters.exclude)}
        if filters.date_from or filters.date_to:
            filtered.add("documents")
        text_changed = bool(changes.edited or changes.annotated) and bool(self.search_query().strip())
        if text_changed or areas & filtered:
            self.reload()
        elif changes.entity_definitions:
            self._facets_known = False  # the first entity of a label brings its section
            self._recount(None)
        elif areas:
            self._recount([f for f in self.sidebar.facet_names() if facet_area(f) in areas])

    def refresh(self, changed_ids: Sequence[int] | None = None) -> None:
        """Show the library's current state: all of it (None) or only ``changed_ids``."""
        if changed_ids is not None:
            self.apply_changes(ChangeSet.of(edited=changed_ids, annotated=changed_ids))
            return
        self._facets_known = False
        self._total = count_documents(self.library.db)
        self.model.invalidate()
        current = self.current_id()
        if current is not None:
            self._reread(current)
        self.reload()

    def _reread(self, doc_id: int) -> None:
        try:
            self.reader.update_document(get_document(self.library.db, doc_id))
        except DossierError:
            self.reader.show_placeholder("This article is no longer in the library.")

