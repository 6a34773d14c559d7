"""The main window's actions, menus and toolbar, and the Edit ▸ Undo/Redo and Help entries.

``MenusMixin`` builds every ``QAction`` of the window (object names such as
``actionExport`` are what tests and features find them by), lays them out in
the File, Edit, View and Help menus and the one-row toolbar, and runs the
actions that belong to no other part of the window: Undo/Redo through
``operations``, File ▸ New library…, Open library… and Open recent (each switching with the
window's ``open_library_file``) and the two Help dialogs.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMessageBox

from desktop import __app_name__, __version__
from desktop.core.errors import DossierError

from .errors import report_error
from .shortcuts import SHORTCUTS, ShortcutsDialog
from .theme import THEME_MODES, icon
from .window_pickers import Pickers

TOOLBAR_TEXTS = {
    "actionToggleSidebar": "Filters", "actionExport": "Export", "actionTogglePanels": "Panels",
}


class MenusMixin:
    """The ``MainWindow`` part that builds its actions, menus and toolbar."""

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
        self.action_next_name = a("actionNextName", "Next &name",
                                  lambda: self._step_name(backward=False), shortcut="next_name")
        self.action_previous_name = a("actionPreviousName", "Previous name",
                                      lambda: self._step_name(backward=True), shortcut="previous_name")
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
        self.action_caret = a("actionCaretBrowsing", "&Caret browsing", self._caret_browsing_chosen,
                              shortcut="caret_browsing")
        self.action_caret.setCheckable(True)
        self.action_caret.toggled.connect(self.reader.set_caret_browsing)
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
        self.action_next_pane = a("actionNextPane", "Ne&xt pane", lambda: self.focus_pane(step=1),
                                  shortcut="next_pane")
        self.action_previous_pane = a("actionPreviousPane", "Previous pane",
                                      lambda: self.focus_pane(step=-1), shortcut="previous_pane")
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
        edit_menu.addActions([self.action_find, self.action_next_hit, self.action_previous_hit,
                              self.action_next_name, self.action_previous_name])
        self.view_menu = view_menu = bar.addMenu("&View")
        theme_menu = view_menu.addMenu(icon("theme"), "&Theme")
        theme_menu.addActions(self.theme_actions.actions())
        view_menu.addAction(self.action_font)
        view_menu.addActions([self.action_zoom_in, self.action_zoom_out, self.action_zoom_reset])
        view_menu.addAction(self.action_caret)
        view_menu.addSeparator()
        view_menu.addActions([self.action_sidebar, self.action_panels])
        view_menu.addActions([self.action_next_pane, self.action_previous_pane])
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

    def update_undo_actions(self) -> None:
        """Enable Undo / Redo and name what they would do (both wait while an edit runs on the writer)."""
        log, free = self.operations.log, not self.operations.busy
        self.action_undo.setEnabled(log.can_undo and free)
        self.action_redo.setEnabled(log.can_redo and free)
        self.action_undo.setText(log.undo_text)
        self.action_redo.setText(log.redo_text)

    def undo(self) -> None:
        """Edit ▸ Undo: take back the latest change and say so."""
        self._run_undo(backwards=True, verb="Undone")

    def redo(self) -> None:
        """Edit ▸ Redo: apply the latest undone change again and say so."""
        self._run_undo(backwards=False, verb="Redone")

    def _run_undo(self, *, backwards: bool, verb: str) -> None:
        if self.operations.busy:
            return
        try:
            self.operations.step_edit(backwards=backwards, then=functools.partial(self._report_undo, verb))
        except DossierError as err:
            self._tell_undo(report_error(err), 10_000)

    def _report_undo(self, verb: str, change: Any) -> None:
        stepped = getattr(change, "last_step", None)
        told = stepped.message if stepped is not None else None
        self._tell_undo(told or f"{verb}: {change.label}.", 10_000 if told else 6000)

    def _tell_undo(self, message: str, shown_ms: int) -> None:
        self.statusBar().showMessage(message, shown_ms)
        self.undo_reported.emit(message)
        self.update_undo_actions()

    def _step_name(self, *, backward: bool) -> None:
        """Edit ▸ Next name (E) / Previous name (Shift+E): the reader takes the keyboard on the name."""
        if not self.reader.next_link(backward=backward):
            self.statusBar().showMessage("This article has no highlighted names or links.", 6000)

    def _caret_browsing_chosen(self, on: bool) -> None:
        """View ▸ Caret browsing (F7) turned on or off: on, the keys go to the reader's caret."""
        if on:
            self.reader.setFocus()
            self.statusBar().showMessage(
                "Caret browsing on: arrows move the caret in the article, Shift+arrows select, "
                "H highlights the selection. F7 turns it off.", 10_000)
        else:
            self.statusBar().showMessage("Caret browsing off: the arrow keys scroll the article.", 6000)

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self, f"About {__app_name__}",
            f"<h3>{__app_name__} {__version__}</h3>"
            "<p>An offline reader for research corpora of news articles.</p>"
            f"<p>Library: {self.library.path}</p>",
        )
