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
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFontDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import __app_name__, __version__
from desktop.core.changes import ChangeSet, facet_area
from desktop.core.documents import get_document
from desktop.core.errors import DossierError
from desktop.core.export import export_results
from desktop.core.jobs import CancelToken, Progress, ProgressCallback
from desktop.core.library import Library, open_library
from desktop.core.query import (
    QuerySyntaxError,
    compile_query,
    prefix_terms,
    scoped_query,
    typing_query,
)
from desktop.core.saved_searches import (
    delete_saved_search,
    get_saved_search,
    list_saved_searches,
    rename_saved_search,
    save_search,
)
from desktop.core.search import Filters, count_documents

from .doc_model import DocumentListModel, DocumentListView, successor_of
from .operations import Operations
from .errors import report_error
from .file_dialogs import FileKind, ask_open_file, ask_save_file
from .reader import FindBar, Reader
from .results import ResultRequest, ResultSet, compute_results
from .search_box import SearchBar
from .settings import Settings
from .shortcuts import SHORTCUTS, ShortcutsDialog
from .sidebar import FilterSidebar, SidebarScroll
from .theme import THEME_MODES, apply_theme, icon
from .search_index import SearchIndexBuilder
from .workers import Worker, WorkerPool, run_now

ROW_HEIGHT = 26
SIDEBAR_WIDTH = 250
PANEL_WIDTH = 260
READER_MIN_WIDTH = 420
TITLE_MIN_CHARS = 30
HIDDEN_COLUMNS_KEY = "list/hidden_columns"
DEFAULT_HIDDEN_COLUMNS = "word_count"  # the reader's byline gives the count
FOLDED_SECTIONS_KEY = "sidebar/folded_sections"
FOLLOW_NAMES_KEY = "search/follow_names"
DEFAULT_SIZE = QSize(1440, 900)
FRAME_ROOM = QSize(8, 40)  # what a window manager's frame (borders, title bar) takes, roughly
TOOLBAR_TEXTS = {
    "actionToggleSidebar": "Filters", "actionExport": "Export", "actionTogglePanels": "Panels",
}


class Pickers:
    """The file choosers the window opens; tests replace these classmethods."""

    @classmethod
    def ask_export_file(cls, parent: QWidget) -> Path | None:
        return ask_save_file(
            parent, kind=FileKind.EXPORT, title="Export the result list", suggested="articles.csv",
            filters="CSV spreadsheet (*.csv);;JSON Lines (*.jsonl)",
        )

    @classmethod
    def ask_open_library(cls, parent: QWidget) -> Path | None:
        return ask_open_file(
            parent, kind=FileKind.LIBRARY, title="Open library",
            filters="Dossier library (*.sqlite *.db);;All files (*)",
        )

    @classmethod
    def ask_new_library(cls, parent: QWidget) -> Path | None:
        return ask_save_file(
            parent, kind=FileKind.LIBRARY, title="New library", suggested="library.sqlite",
            filters="Dossier library (*.sqlite)",
        )

    @classmethod
    def ask_name(cls, parent: QWidget, *, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return name if ok and name.strip() else None


class MainWindow(QMainWindow):
    """Dossier's main window over one open library, which it owns and closes when closed."""

    library_changed = Signal(object)  # ChangeSet
    results_ready = Signal()
    article_shown = Signal(int)
    library_opened = Signal()

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
        self._also = ""
        self._export_handler: Callable[[MainWindow], None] | None = None
        # asked by the export whether to keep one row per story (None: cancel); set by versions.install
        self.ask_one_per_story: Callable[[list[int]], bool | None] | None = None
        self.operations = Operations(library, self)
        self.operations.changed.connect(self.apply_changes)
        self.operations.history_changed.connect(self.update_undo_actions)
        self._job_worker: Worker | None = None
        self._closed = False
        self._build_widgets()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status()
        self._restore()
        self._open_current_library()

    # building ------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.search_bar = SearchBar()
        self.search_box = self.search_bar.box
        self.search_box.query_changed.connect(self.set_query)
        self.search_box.query_typed.connect(functools.partial(self.set_query, typing=True))

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
        header.sectionClicked.connect(self._header_clicked)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu_requested)
        self._empty_columns: set[str] = set()
        for number, column in enumerate(self.model.columns):
            header.resizeSection(number, column.width)
        self.model.columnsInserted.connect(self._columns_added)
        self.list_view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.list_view.open_requested.connect(lambda: self.reader.setFocus())

        self.reader = Reader()
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

    def _action(self, name: str, text: str, slot: Callable[..., Any], *,
                shortcut: str | None = None, icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcuts(SHORTCUTS[shortcut].sequences())
        if icon_name is not None:
            action.setIcon(icon(icon_name))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.action_new = a("actionNewLibrary", "&New library…", self.new_library,
                            shortcut="new_library")
        self.action_open = a("actionOpenLibrary", "&Open library…", self.choose_library,
                             shortcut="open_library", icon_name="open")
        self.action_import = a("actionImport", "&Import…", functools.partial(self._run_import, 0),
                               shortcut="import", icon_name="import")
        self.action_import_folder = a("actionImportFolder", "Import &folder…",
                                      functools.partial(self._run_import, 1))
        self.action_import.setEnabled(False)
        self.action_import_folder.setEnabled(False)
        self.action_export = a("actionExport", "&Export result list…", self.export_articles,
                               shortcut="export", icon_name="export")
        self.action_quit = a("actionQuit", "&Quit", self.close, shortcut="quit")
        self.action_undo = a("actionUndo", "&Undo", self.undo, shortcut="undo")
        self.action_redo = a("actionRedo", "&Redo", self.redo, shortcut="redo")
        self.action_undo.setEnabled(False)
        self.action_redo.setEnabled(False)
        self.action_focus_search = a("actionFocusSearch", "&Search", self.focus_search,
                                     shortcut="focus_search")
        self.action_save_search = a("actionSaveSearch", "Sa&ve search…", self.save_current_search,
                                    shortcut="save_search", icon_name="save")
        self.action_clear = a("actionClearSearch", "&Clear search and filters", self.clear_search,
                              shortcut="clear_filters")
        self.action_find = a("actionFind", "&Find in article…", self.find_bar.open_bar,
                             shortcut="find")
        self.action_next_hit = a("actionNextHit", "Next hit", lambda: self.reader.next_hit(),
                                 shortcut="next_hit")
        self.action_previous_hit = a("actionPreviousHit", "Previous hit",
                                     lambda: self.reader.next_hit(backward=True),
                                     shortcut="previous_hit")
        self.action_next = a("actionNextArticle", "Next article", lambda: self.step_article(1),
                             shortcut="next_article", icon_name="next")
        self.action_previous = a("actionPreviousArticle", "Previous article",
                                 lambda: self.step_article(-1), shortcut="previous_article",
                                 icon_name="previous")
        self.action_zoom_in = a("actionZoomIn", "Larger text", lambda: self.reader.zoom_by(1),
                                shortcut="zoom_in")
        self.action_zoom_out = a("actionZoomOut", "Smaller text", lambda: self.reader.zoom_by(-1),
                                 shortcut="zoom_out")
        self.action_zoom_reset = a("actionZoomReset", "Default text size",
                                   lambda: self.reader.set_point_size(12), shortcut="zoom_reset")
        self.action_font = a("actionReaderFont", "Reader &font…", self.choose_reader_font)
        self.action_relevance = a("actionSortRelevance", "Sort by &relevance",
                                  lambda: self._sort_requested("relevance", False))
        self.action_exact_relevance = a("actionSortExactRelevance", "Sort by &exact relevance",
                                        lambda: self._sort_requested("exact_relevance", False))
        self.action_exact_relevance.setToolTip(
            "Score every match (slower for common words; the usual order scores the likeliest)")
        self.action_sidebar = a("actionToggleSidebar", "Filter &sidebar",
                                lambda on: self.sidebar_scroll.setVisible(on),
                                shortcut="toggle_sidebar", icon_name="sidebar")
        self.action_sidebar.setCheckable(True)
        self.action_sidebar.setChecked(True)
        self.action_panels = a("actionTogglePanels", "Reader &panels", self._toggle_panels,
                               icon_name="panels")
        self.action_panels.setCheckable(True)
        self.action_panels.setToolTip("Reader panels: your notes and the entities beside the reader")
        self.action_shortcuts = a("actionShortcuts", "&Keyboard shortcuts", self.show_shortcuts,
                                  shortcut="shortcuts", icon_name="help")
        self.action_about = a("actionAbout", f"&About {__app_name__}", self.show_about)
        self.theme_actions = QActionGroup(self)
        for mode in THEME_MODES:
            action = QAction(mode.capitalize(), self.theme_actions)
            action.setObjectName(f"actionTheme{mode.capitalize()}")
            action.setCheckable(True)
            action.setData(mode)
            action.triggered.connect(functools.partial(self.set_theme, mode))
        self.reader.zoom_changed.connect(lambda size: self.settings.set("reader/point_size", size))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = file_menu = bar.addMenu("&File")
        file_menu.addActions([self.action_new, self.action_open])
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.action_import, self.action_import_folder, self.action_export])
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.aboutToShow.connect(self.update_undo_actions)
        edit_menu.addActions([self.action_undo, self.action_redo])
        edit_menu.addSeparator()
        edit_menu.addActions([self.action_focus_search, self.action_save_search, self.action_clear])
        edit_menu.addSeparator()
        edit_menu.addActions([self.action_find, self.action_next_hit, self.action_previous_hit])
        self.view_menu = view_menu = bar.addMenu("&View")
        theme_menu = view_menu.addMenu(icon("theme"), "&Theme")
        theme_menu.addActions(self.theme_actions.actions())
        view_menu.addAction(self.action_font)
        view_menu.addActions([self.action_zoom_in, self.action_zoom_out, self.action_zoom_reset])
        view_menu.addSeparator()
        view_menu.addActions([self.action_sidebar, self.action_panels])
        view_menu.addSeparator()
        view_menu.addActions([self.action_relevance, self.action_exact_relevance,
                              self.action_previous, self.action_next])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.action_shortcuts, self.action_about])

    def _build_toolbar(self) -> None:
        """One row that fits a 1366-pixel laptop screen: short button texts (the menus keep the
        long ones, the tooltips name the shortcut) around a search bar that takes the rest."""
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.action_sidebar)
        toolbar.addSeparator()
        toolbar.addWidget(self.search_bar)
        toolbar.addAction(self.action_save_search)
        toolbar.addSeparator()
        toolbar.addActions([self.action_import, self.action_export])
        toolbar.addSeparator()
        toolbar.addAction(self.action_panels)
        for action in toolbar.actions():
            if action.text():
                tip = action.toolTip().rstrip("…")  # the menu's words unless a tip was given
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{tip} ({keys})" if keys else tip)
                action.setIconText(TOOLBAR_TEXTS.get(action.objectName(), action.iconText()))
        self.view_toolbar = toolbar
        self.view_menu.addAction(toolbar.toggleViewAction())

    def _build_status(self) -> None:
        self.count_label = QLabel()
        self.count_label.setObjectName("resultCount")
        self.job_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setFixedWidth(180)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("cancelJob")
        self.cancel_button.setText("Cancel")
        self.cancel_button.clicked.connect(self.cancel_job)
        status = self.statusBar()
        status.addWidget(self.count_label)
        for widget in (self.job_label, self.progress, self.cancel_button):
            status.addPermanentWidget(widget)
        self._show_job(False)
        self.search_index = SearchIndexBuilder(status, self.submit_write, parent=self)
        self.search_index.finished.connect(self.reload)
        self.library_changed.connect(lambda _: self.search_index.start(self.library))

    # settings ------------------------------------------------------------------

    def _restore(self) -> None:
        s = self.settings
        geometry = s.blob("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self._fit_to_screen()
        state = s.blob("window/state")
        if state is not None:
            self.restoreState(state)
        for key, splitter in (("window/splitter", self.splitter),
                              ("window/reader_splitter", self.reader_splitter)):
            blob = s.blob(key)
            if blob is not None:
                splitter.restoreState(blob)
        header = s.blob("list/header")
        if header is not None:
            self.list_view.horizontalHeader().restoreState(header)
        self._apply_hidden_columns(range(len(self.model.columns)))
        self.sidebar.set_collapsed_sections(_json_list(s.text(FOLDED_SECTIONS_KEY, "[]")))
        self.action_sidebar.setChecked(s.flag("window/sidebar", True))
        self.sidebar_scroll.setVisible(self.action_sidebar.isChecked())
        self.action_panels.setChecked(s.flag("window/panels", False))
        family = s.text("reader/family")
        if family:
            self.reader.set_font_family(family)
        self.reader.set_point_size(int(s.number("reader/point_size", self.reader.point_size())))
        self.set_theme(s.text("view/theme", "system"))

    def _fit_to_screen(self) -> None:
        """First start: ``DEFAULT_SIZE``, or the whole screen (less a frame) when it is smaller,
        so a laptop's 1366×768 shows every toolbar button whatever the window manager does."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(DEFAULT_SIZE)
            return
        room = screen.availableGeometry()
        size = DEFAULT_SIZE.boundedTo(room.size() - FRAME_ROOM)
        self.resize(size)
        if size != DEFAULT_SIZE:
            self.move(room.topLeft())

    def _remember_folded_sections(self) -> None:
        folded = sorted(self.sidebar.collapsed_sections())
        self.settings.set(FOLDED_SECTIONS_KEY, json.dumps(folded))

    def save_settings(self) -> None:
        """Remember window layout, columns, panes and reading preferences for the next start."""
        s = self.settings
        s.set("window/geometry", self.saveGeometry())
        s.set("window/state", self.saveState())
        s.set("window/splitter", self.splitter.saveState())
        s.set("window/reader_splitter", self.reader_splitter.saveState())
        s.set("list/header", self.list_view.horizontalHeader().saveState())
        s.set("window/sidebar", self.action_sidebar.isChecked())
        s.set("window/panels", self.action_panels.isChecked())
        s.set("reader/family", self.reader.font_family())
        s.set("reader/point_size", self.reader.point_size())
        s.sync()

    def set_theme(self, mode: str) -> None:
        """Switch to the light, dark or system theme and remember the choice."""
        app = QApplication.instance()
        theme = apply_theme(app, mode) if isinstance(app, QApplication) else None
        for action in self.theme_actions.actions():
            action.setChecked(action.data() == mode)
        if theme is not None:
            self.reader.set_theme(theme)
            self.sidebar.set_theme(theme)
        self.settings.set("view/theme", mode)

    def choose_reader_font(self) -> None:
        """Ask for the reader's font family and size."""
        ok, font = QFontDialog.getFont(self.reader.document().defaultFont(), self, "Reader font")
        if ok:
            self.reader.set_font_family(font.family())
            self.reader.set_point_size(font.pointSize())
            self.settings.set("reader/family", font.family())

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
        self._start(self._request(facets=(), histogram=False), sync=True)
        self._start(self._request(list_ids=False), sync=False)
        self.search_index.start(self.library, opened=True)

    def open_library_file(self, path: Path) -> bool:
        """Switch to the library at ``path``; on failure show why and keep the current one."""
        try:
            library = open_library(path)
        except DossierError as err:
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

    def choose_library(self) -> None:
        """File ▸ Open library…"""
        path = Pickers.ask_open_library(self)
        if path is not None:
            self.open_library_file(path)

    def new_library(self) -> None:
        """File ▸ New library…: create an empty library and switch to it."""
        path = Pickers.ask_new_library(self)
        if path is not None:
            self.open_library_file(path)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_libraries():
            action = self.recent_menu.addAction(str(path))
            action.setEnabled(path != self.library.path.resolve())
            action.triggered.connect(functools.partial(self.open_library_file, path))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("No recent libraries").setEnabled(False)

    # search state ----------------------------------------------------------------

    def set_query(self, text: str, *, typing: bool = False) -> None:
        """Search for ``text``; with ``typing`` (a pause while typing) its last word is
        searched as a prefix, while ``query_text`` keeps the text as typed."""
        self.query_text = text
        self._typing = typing
        if self.search_box.text() != text:
            self.search_box.set_query(text)
        self.reload()

    def set_filters(self, filters: Filters) -> None:
        """Apply ``filters`` together with the current query."""
        self.filters = filters
        if not (filters.date_from or filters.date_to):
            self.sidebar.reset_year()
        self.reload()

    def set_query_scope(self, column: str | None) -> None:
        """Search only ``column`` of the query language (``"notes"``), or everywhere (None)."""
        if column != self.query_scope:
            self.query_scope = column
            self.reload()

    def search_query(self) -> str:
        """The query sent to the library: the typed text, limited to the scope if one is set.

        While typing, the last bare word is searched as a prefix. An empty
        query lists every article whatever the scope.
        """
        text = typing_query(self.query_text) if self._typing else self.query_text
        return scoped_query(text, self.query_scope)

    def clear_search(self) -> None:
        """Drop the query and every filter."""
        self.search_box.set_query("")
        self.query_text, self._typing = "", False
        self.set_filters(Filters())

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _sort_requested(self, key: str, descending: bool) -> None:
        self.sort_key, self.sort_descending = key, descending
        self.reload()

    def _header_clicked(self, section: int) -> None:
        column = self.model.columns[section]
        if column.sort_key is None:
            return
        if column.sort_key == self.sort_key:
            descending = not self.sort_descending
        else:
            descending = column.sort_key in ("published", "word_count", "imported_at")
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.model.sort(section, order)

    def _show_sort_indicator(self) -> None:
        header = self.list_view.horizontalHeader()
        column = self.model.column_of_sort_key(self.sort_key)
        header.setSortIndicatorShown(column >= 0)
        order = Qt.SortOrder.DescendingOrder if self.sort_descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)

    def _request(self, *, facets: Sequence[str] | None = None, list_ids: bool = True,
                 histogram: bool = True) -> ResultRequest:
        """A request for the current search; a new list of ids makes older answers stale.

        Until the sidebar has its facets, every request (but the first list) looks for them.
        """
        if list_ids:
            self._serial += 1
        discover_facets = not self._facets_known and facets is None
        names = tuple(self.sidebar.facet_names() if facets is None else facets)
        return ResultRequest(
            serial=self._serial, query=self.search_query(), filters=self.filters,
            sort=self.sort_key, descending=self.sort_descending, facets=names,
            contains=tuple((name, self.sidebar.contains_text(name)) for name in names),
            year=self.sidebar.year, list_ids=list_ids, histogram=histogram,
            discover_facets=discover_facets, follow_names=self.follow_names,
            count_stories=self.count_stories,
        )

    def reload(self, *, sync: bool = False) -> None:
        """Run the current search and recount the sidebar; ``sync`` waits for the answer."""
        try:
            compile_query(self.search_query())
        except QuerySyntaxError as err:
            self.search_bar.show_error(str(err))
            return
        self.search_bar.clear_error()
        self._start(self._request(), sync=sync)

    def _recount(self, facets: Sequence[str] | None) -> None:
        """Count ``facets`` again (None: every facet, and find those the sidebar lacks)."""
        self._start(self._request(facets=facets, list_ids=False, histogram=False), sync=False)

    def _start(self, request: ResultRequest, *, sync: bool) -> None:
        """Run ``request``; it replaces a pending recount, and a new search replaces everything."""
        replaced = [self._recount_worker]
        if request.list_ids:
            replaced.append(self._query_worker)
        for worker in replaced:
            if worker is not None:
                worker.cancel()
        if sync:
            self.queries.wait()
            self._apply_results(run_now(functools.partial(compute_results, self._read.db, request)))
            return
        worker = self.queries.start(
            functools.partial(compute_results, self._read.db, request),
            on_finished=self._apply_results,
            on_failed=self._query_failed,
            interrupt=self._read.db.conn.interrupt,
        )
        if request.list_ids:
            self._query_worker = worker
        else:
            self._recount_worker = worker

    def _query_failed(self, err: BaseException) -> None:
        if self._closed:
            return
        message = report_error(err)
        if isinstance(err, DossierError):
            self.search_bar.show_error(message)
        else:
            self.statusBar().showMessage(message, 10_000)

    def _apply_results(self, result: ResultSet) -> None:
        """Show a result: the list and reader at once, then the sidebar a piece per event-loop
        turn (chips and dates, then one facet at a time), so no single stall is long."""
        if self._closed or result.request.serial != self._serial:
            return
        if result.ids is not None:
            self._query_worker = None
            self._sidebar_steps.clear()
            self._apply_list(result)
            self.results_ready.emit()
        else:
            self._recount_worker = None
        steps = [functools.partial(self._apply_sidebar_head, result)]
        steps += [functools.partial(self._apply_facet, result, facet) for facet in result.facets]
        self._sidebar_steps.extend(steps)
        QTimer.singleShot(0, self, self._next_sidebar_step)

    def _next_sidebar_step(self) -> None:
        if self._sidebar_steps and not self._closed:
            self._sidebar_steps.pop(0)()
        if self._sidebar_steps:
            QTimer.singleShot(0, self, self._next_sidebar_step)

    def settled(self) -> bool:
        """True when no search runs and the sidebar shows the latest counts."""
        return self.queries.active == 0 and not self._sidebar_steps

    def _apply_sidebar_head(self, result: ResultSet) -> None:
        filters = result.request.filters
        if result.request.serial != self._serial:
            return
        if result.available is not None:
            self.sidebar.set_facets(result.available)
            self._facets_known = True
        if result.histogram is not None:
            dated = filters.date_from or filters.date_to
            selected = (filters.date_from or "0000", filters.date_to or "9999") if dated else None
            self.sidebar.set_histogram(result.histogram, selected=selected)
            self._ask_months(result)
        if result.ids is not None:
            self.sidebar.set_filters_chips(filters.chips())

    def _ask_months(self, result: ResultSet) -> None:
        """When every dated result falls in one year, show that year's months instead (counted
        at once: one histogram over the facet index the search has just built)."""
        histogram, request = result.histogram or [], result.request
        if request.year is None and len(histogram) == 1 and len(histogram[0][0]) == 4:
            self._start(replace(request, year=histogram[0][0], facets=(), contains=(), list_ids=False,
                                discover_facets=False), sync=True)

    def _apply_facet(self, result: ResultSet, facet: str) -> None:
        if result.request.serial == self._serial:
            included = result.request.filters.include.get(facet, frozenset())
            self.sidebar.set_facet_counts(facet, result.facets[facet], included=included)

    def _apply_list(self, result: ResultSet) -> None:
        """Show a new result list. The list keeps the person's selection and place by article
        id; a refresh of the same search neither scrolls nor takes the article being read away."""
        request = result.request
        assert result.ids is not None
        current = self.current_id()
        searched = (request.query, request.filters, request.sort, request.descending)
        same_search, self._searched = searched == self._searched, searched
        listed = self.model.id_at(self.list_view.currentIndex().row())
        successor = successor_of(listed, old=self.model.ids, new=result.ids) if same_search else None
        if result.ids == self.model.ids:
            self.model.invalidate()
        else:
            self.model.set_ids(result.ids)
        self._fit_empty_columns()
        self._show_sort_indicator()
        self._also = result.also
        self._show_count()
        terms_changed = self.reader.set_search_terms(
            compile_query(request.query).terms, prefixes=prefix_terms(request.query))
        if not self._restore_current(current, refresh=same_search, successor=successor) and terms_changed:
            self.reader.rerender()

    def _show_count(self) -> None:
        shown = len(self.model.ids)
        if self._total == 0:
            self.count_label.setText("No articles yet — use File ▸ Import to add some")
            self.reader.show_placeholder(
                "This library has no articles yet. Use File ▸ Import… to add some.")
        else:
            noun = "article" if self._total == 1 else "articles"
            also = f" · {self._also}" if self._also else ""
            self.count_label.setText(f"{shown:,} of {self._total:,} {noun}{also}")

    def _restore_current(self, current: int | None, *, refresh: bool = False,
                         successor: int | None = None) -> bool:
        """Keep reading ``current`` and make its row current if it is still listed.

        Otherwise, on a ``refresh`` of the same search, an article that left the list but is
        still in the reader stays there (marking it read in an "unread" list does not move
        on); else the first selected article still listed is read, or ``successor`` (the
        article that took the place of one removed), or the first article. Rows the list
        kept selected stay selected. The list scrolls to the current row unless a refresh
        kept it. True when another article (or the placeholder) replaced the reader's content.
        """
        selection = self.list_view.selectionModel()
        row = self.model.row_of(current) if current is not None else None
        if row is None and refresh and current is not None:
            return False
        if row is None:
            kept = sorted(index.row() for index in selection.selectedRows())
            row = kept[0] if kept else self.model.row_of(successor) if successor is not None else None
        if row is None:
            row = 0 if self.model.rowCount() else None
        if row is None:
            if self._total:
                self.reader.show_placeholder("No article matches this search.")
            return True
        index = self.model.index(row, 0)
        flag = selection.SelectionFlag
        selection.setCurrentIndex(
            index, flag.NoUpdate if selection.hasSelection() else flag.ClearAndSelect | flag.Rows)
        moved = self.model.id_at(row) != current
        if moved or not refresh:
            self.list_view.scrollTo(index)
        if not moved:
            return False
        self._show_article(self.model.id_at(row))
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

    def _columns_added(self, _parent: QModelIndex, first: int, last: int) -> None:
        """Size the new columns, hide those hidden last time, and select them in the current row."""
        header = self.list_view.horizontalHeader()
        for number in range(first, last + 1):
            header.resizeSection(number, self.model.columns[number].width)
        self._apply_hidden_columns(range(first, last + 1))
        self._fit_empty_columns()
        current = self.list_view.currentIndex()
        if current.isValid():
            selection = self.list_view.selectionModel()
            selection.select(current, selection.SelectionFlag.ClearAndSelect
                             | selection.SelectionFlag.Rows)

    def hidden_columns(self) -> set[str]:
        """The keys of the list columns the person hid (remembered in the settings)."""
        text = self.settings.text(HIDDEN_COLUMNS_KEY, DEFAULT_HIDDEN_COLUMNS)
        return {key for key in text.split(",") if key}

    def set_column_hidden(self, key: str, hidden: bool) -> None:
        """Hide or show the list column ``key`` and remember it for the next start."""
        number = self.model.column_of_key(key)
        if number <= 0:
            return
        self.list_view.set_column_hidden(number, hidden)
        keys = self.hidden_columns() - {key} | ({key} if hidden else set())
        self.settings.set(HIDDEN_COLUMNS_KEY, ",".join(sorted(keys)))

    def _apply_hidden_columns(self, numbers: range) -> None:
        hidden = self.hidden_columns()
        for number in numbers:
            if number > 0:
                self.list_view.set_column_hidden(number, self.model.columns[number].key in hidden)

    def column_menu(self) -> QMenu:
        """The list header's context menu (``columnMenu``): one check per column to show or hide
        it; a column the list is too narrow for says so."""
        menu = QMenu(self.list_view)
        menu.setObjectName("columnMenu")
        menu.setToolTipsVisible(True)
        header = self.list_view.horizontalHeader()
        for number, column in enumerate(self.model.columns[1:], start=1):
            gave_way = self.list_view.gave_way(number)
            action = menu.addAction(f"{column.header} (no room)" if gave_way else column.header)
            action.setCheckable(True)
            action.setChecked(gave_way or not header.isSectionHidden(number))
            if gave_way:
                action.setToolTip("The list is too narrow for this column: widen the list "
                                  "or hide another column")
            action.toggled.connect(functools.partial(self._column_toggled, column.key))
        return menu

    def _column_toggled(self, key: str, shown: bool) -> None:
        self.set_column_hidden(key, not shown)

    def _header_menu_requested(self, point: QPoint) -> None:
        header = self.list_view.horizontalHeader()
        self.column_menu().exec(header.mapToGlobal(point))

    def _fit_empty_columns(self) -> None:
        """Narrow the columns that hold nothing on the first page of the result to their
        header's width, and give them their width back once they hold something."""
        rows = [row for number in range(min(self.model.rowCount(), self.model.PAGE))
                if (row := self.model.row_data(number)) is not None]
        header = self.list_view.horizontalHeader()
        for number, column in enumerate(self.model.columns[1:], start=1):
            empty = bool(rows) and not any(column.display(row) for row in rows)
            if empty == (column.key in self._empty_columns):
                continue
            if empty:
                self._empty_columns.add(column.key)
                header.resizeSection(number, header.sectionSizeFromContents(number).width())
            else:
                self._empty_columns.discard(column.key)
                header.resizeSection(number, column.width)
        self.list_view.set_empty_columns({self.model.column_of_key(key) for key in self._empty_columns})

    def add_reader_panel(self, widget: QWidget, title: str) -> int:
        """Add ``widget`` as a tab titled ``title`` beside the reader; returns its tab index."""
        index = self.reader_panels.addTab(widget, title)
        self._show_panels(self.action_panels.isChecked())
        return index

    def show_reader_panel(self, widget: QWidget) -> None:
        """Bring the reader panel ``widget`` to the front, turning the panels on if they were off."""
        if not self.action_panels.isChecked():
            self.action_panels.setChecked(True)
            self._toggle_panels(True)
        self.reader_panels.setCurrentWidget(widget)

    def _toggle_panels(self, visible: bool) -> None:
        """View ▸ Reader panels: panels that appear take their room from the list (see
        ``_panel_room``); panels that go give it back to the list."""
        if self.reader_panels.count() and visible == self.reader_panels.isHidden():
            sidebar, listed, reading = self.splitter.sizes()
            if visible:
                from_sidebar, from_list = self._panel_room(sidebar=sidebar, listed=listed,
                                                           reading=reading)
                room = from_sidebar + from_list
                self._show_panels(True)
                self.splitter.setSizes([sidebar - from_sidebar, listed - from_list, reading + room])
                self.reader_splitter.setSizes([reading + room - PANEL_WIDTH, PANEL_WIDTH])
            else:
                panel = self.reader_splitter.sizes()[1] + self.reader_splitter.handleWidth()
                self._show_panels(False)
                self.splitter.setSizes([sidebar, listed + panel, reading - panel])
            return
        self._show_panels(visible)

    def _panel_room(self, *, sidebar: int, listed: int, reading: int) -> tuple[int, int]:
        """What the sidebar and the list give up for a panel ``PANEL_WIDTH`` wide.

        The list gives the panel's width while it keeps its title and one column beside it;
        when the reader would then be narrower than ``READER_MIN_WIDTH``, the list gives more,
        down to the title alone, and then the sidebar, down to its own minimum.
        """
        panel = PANEL_WIDTH + self.reader_splitter.handleWidth()
        title = self.list_view.title_min_width
        from_list = min(panel, max(0, listed - self.list_view.minimum_width()))
        short = max(0, READER_MIN_WIDTH + panel - reading - from_list)
        from_list += min(short, max(0, listed - title - from_list))
        short = max(0, READER_MIN_WIDTH + panel - reading - from_list)
        sidebar_min = self.sidebar_scroll.minimumSizeHint().width() if sidebar else 0
        return min(short, max(0, sidebar - sidebar_min)), from_list

    def _show_panels(self, visible: bool) -> None:
        shown = visible and self.reader_panels.count() > 0
        self.reader_panels.setVisible(shown)
        self.reader_pane.setMinimumWidth(READER_MIN_WIDTH if shown else 0)

    # changes -----------------------------------------------------------------------

    def apply_changes(self, changes: ChangeSet) -> None:
        """Show what ``changes`` changed (see the module docstring), then tell the features."""
        if self._closed:
            return
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

    # undo ----------------------------------------------------------------------------

    def update_undo_actions(self) -> None:
        """Enable Undo / Redo and name what they would do."""
        log = self.operations.log
        self.action_undo.setEnabled(log.can_undo)
        self.action_redo.setEnabled(log.can_redo)
        self.action_undo.setText(log.undo_text)
        self.action_redo.setText(log.redo_text)

    def undo(self) -> None:
        """Edit ▸ Undo: take back the latest change and say so."""
        self._run_undo(self.operations.undo, "Undone")

    def redo(self) -> None:
        """Edit ▸ Redo: apply the latest undone change again and say so."""
        self._run_undo(self.operations.redo, "Redone")

    def _run_undo(self, step: Callable[[], Any], verb: str) -> None:
        try:
            change = step()
        except DossierError as err:
            self.statusBar().showMessage(report_error(err), 10_000)
        else:
            self.statusBar().showMessage(f"{verb}: {change.label}.", 6000)
        self.update_undo_actions()

    # writes and jobs -----------------------------------------------------------------

    def submit_write(self, job: Callable[..., Any], *, on_finished: Callable[[Any], None],
                     title: str = "", show_progress: bool = False) -> None:
        """Run ``job(library, *, progress, cancel)`` on the single writer connection.

        ``on_finished(result)`` runs on the GUI thread; errors are shown in a
        dialog. With ``show_progress`` the status bar shows a progress bar and
        a cancel button while the job runs.
        """
        library = self._write
        worker = self.writer.start(
            lambda progress, cancel: job(library, progress=progress, cancel=cancel),
            on_finished=functools.partial(self._job_finished, on_finished),
            on_failed=functools.partial(self._job_failed, title or __app_name__),
            on_cancelled=self._job_cancelled,
            on_progress=self._job_progress if show_progress else None,
        )
        if show_progress:
            self._job_worker = worker
            self.job_label.setText(title)
            self.progress.setRange(0, 0)
            self._show_job(True)

    def _job_finished(self, on_finished: Callable[[Any], None], result: Any) -> None:
        if self._closed:
            return
        self._show_job(False)
        on_finished(result)

    def _job_failed(self, title: str, err: BaseException) -> None:
        if self._closed:
            return
        self._show_job(False)
        report_error(err, parent=self, title=title)

    def _job_cancelled(self) -> None:
        if self._closed:
            return
        self._show_job(False)
        self.statusBar().showMessage("Cancelled.", 5000)

    def _job_progress(self, progress: Progress) -> None:
        if self._closed:
            return
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.progress.setToolTip(progress.message)
        if progress.phase:
            self.job_label.setText(progress.phase.capitalize())

    def _show_job(self, visible: bool) -> None:
        for widget in (self.job_label, self.progress, self.cancel_button):
            widget.setVisible(visible)
        if not visible:
            self._job_worker = None

    def cancel_job(self) -> None:
        """Stop the import or export that shows its progress in the status bar."""
        if self._job_worker is not None:
            self._job_worker.cancel()

    def set_import_handler(self, *, files: Callable[[MainWindow], None],
                           folder: Callable[[MainWindow], None]) -> None:
        """Let ``files(window)`` run File ▸ Import… and ``folder(window)`` Import folder…"""
        self._import_handlers = (files, folder)
        self.action_import.setEnabled(True)
        self.action_import_folder.setEnabled(True)

    def set_export_handler(self, handler: Callable[[MainWindow], None]) -> None:
        """Let ``handler(window)`` run File ▸ Export… (the export dialog)."""
        self._export_handler = handler

    def _run_import(self, which: int) -> None:
        if self._import_handlers:
            self._import_handlers[which](self)

    def export_articles(self) -> None:
        """File ▸ Export…: the export handler, or write the result list as CSV / JSONL."""
        if self._export_handler is not None:
            self._export_handler(self)
            return
        path = Pickers.ask_export_file(self)
        if path is None:
            return
        fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".json") else "csv"
        ids = list(self.model.ids)
        once = self.ask_one_per_story(ids) if self.ask_one_per_story is not None else False
        if once is None:
            return
        self.submit_write(
            functools.partial(_export_job, ids, fmt, path, one_per_story=once),
            on_finished=lambda count: self.statusBar().showMessage(
                f"Exported {count:,} articles to {path}.", 10_000),
            title="Exporting", show_progress=True,
        )

    # saved searches --------------------------------------------------------------------

    def _refresh_saved_searches(self) -> None:
        self.sidebar.saved.set_searches(list_saved_searches(self.library.db))

    def _saved_search_write(self, job: Callable[..., Any]) -> None:
        self.submit_write(lambda library, progress, cancel: job(library.db),
                          on_finished=lambda _: self._refresh_saved_searches(),
                          title="Saved searches")

    def save_current_search(self) -> None:
        """Name the current query and filters and add them to the saved searches."""
        name = Pickers.ask_name(self, title="Save search", label="Name of this search:",
                                text=self.query_text.strip()[:40])
        if name is None:
            return
        query, filters = self.query_text, self.filters.to_json()
        self._saved_search_write(
            lambda db: save_search(db, name=name, query=query, filters=filters))

    def open_saved_search(self, search_id: int) -> None:
        """Show the results of a saved search."""
        try:
            saved = get_saved_search(self.library.db, search_id)
            filters = Filters.from_json(saved.filters)
        except DossierError as err:
            report_error(err, parent=self, title="Cannot open the saved search")
            return
        self.search_box.set_query(saved.query)
        self.query_text, self._typing = saved.query, False
        self.set_filters(filters)

    def rename_saved_search(self, search_id: int) -> None:
        """Ask for a new name for a saved search."""
        name = Pickers.ask_name(self, title="Rename saved search", label="New name:")
        if name is not None:
            self._saved_search_write(lambda db: rename_saved_search(db, search_id, name=name))

    def delete_saved_search(self, search_id: int) -> None:
        """Remove a saved search."""
        self._saved_search_write(lambda db: delete_saved_search(db, search_id))

    # help ------------------------------------------------------------------------------

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self, f"About {__app_name__}",
            f"<h3>{__app_name__} {__version__}</h3>"
            "<p>An offline reader for research corpora of news articles.</p>"
            f"<p>Library: {self.library.path}</p>",
        )


def _export_job(ids: list[int], fmt: str, path: Path, library: Library, *,
                progress: ProgressCallback, cancel: CancelToken, one_per_story: bool = False) -> int:
    return export_results(library.db, ids, fmt, path, progress=progress, cancel=cancel,
                          one_per_story=one_per_story)


def _json_list(text: str) -> list[str]:
    """The strings of a JSON list stored in the settings; [] when it is not one."""
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
