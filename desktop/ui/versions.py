"""Stories in the main window, plugged in by ``install(window)``: the copies of one article
that many outlets carried.

``Versions`` owns:

- the *Versions* column of the article list (how many articles the story holds, and
  their outlets);
- the *Hide copies* check box beside the search box (object name ``hideCopies``): it
  excludes the *Copies* facet's one value, so the list keeps one article per story of the
  results (the pinned original, else the latest correction, else the original when it is
  found, else the earliest copy found: ``FacetIndex.one_per_story``); the chip and the
  facet say the same;
- the *Count stories* check box (``countStories``): the sidebar's counts count stories
  instead of articles; both boxes are also checkable items of the *Stories* menu;
- the *Versions* panel beside the reader (``versions_panel``) with its corrections, and
  *Same story* / *Not the same story* in the article list's context menu; every correction
  is a core operation run through ``window.operations`` (undoable);
- grouping an existing library in the background, with progress, when a window opens a
  library whose articles were imported before grouping existed, and *Stories ▸ Group
  copies again*;
- the export's question whether to keep one row per story (``StoryExport.ask``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QMenu, QMessageBox, QWidget

from desktop.core.changes import ChangeSet
from desktop.core.documents import get_document
from desktop.core.errors import DossierError
from desktop.core.facets import COPIES, COPY
from desktop.core.stories import group_library, needs_grouping, one_per_story, version_summaries, versions
from desktop.core.stories_corrections import join_story, pin_original, separate_story
from desktop.core.stories_diff import compare
from desktop.core.undo import plural

from .annotate_tagging import done_text
from .doc_model import Column, Row
from .errors import report_error
from .versions_panel import VersionsPanel

STATUS_MS = 10_000


def versions_text(row: Row) -> str:
    """The Versions cell: "3 · TASS, Xinhua" for an article whose story three articles hold."""
    summary = row.get("versions")
    if not summary:
        return ""
    count, outlets = summary
    return f"{count} · {', '.join(outlets)}" if outlets else str(count)


def _fetch_versions(db: Any, ids: list[int]) -> dict[int, Any]:
    return version_summaries(db.conn, ids)


VERSIONS_COLUMN = Column("versions", "Versions", None, versions_text, width=120, fetch=_fetch_versions)


class StoryExport:
    """Whether an export of a result holding copies keeps every article or one row per story."""

    @classmethod
    def ask(cls, parent: QWidget, *, articles: int, stories: int) -> bool | None:
        """True: one row per story; False: every article; None: cancelled."""
        box = QMessageBox(parent)
        box.setObjectName("exportStoriesQuestion")
        box.setWindowTitle("Export")
        box.setText(f"The result holds {articles:,} articles of {stories:,} stories "
                    "(the others are copies another outlet carried).")
        every = box.addButton(f"Every article ({articles:,})", QMessageBox.ButtonRole.AcceptRole)
        every.setObjectName("exportEveryArticle")
        once = box.addButton(f"One row per story ({stories:,})", QMessageBox.ButtonRole.AcceptRole)
        once.setObjectName("exportOnePerStory")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is once:
            return True
        return False if box.clickedButton() is every else None


class Versions(QObject):
    """Stories in one main window (see the module docstring)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.panel = VersionsPanel()
        window.add_reader_panel(self.panel, "Versions")
        window.model.add_column(VERSIONS_COLUMN)
        self.hide_copies = self._check_box("hideCopies", "Hide copies",
                                           "Keep one article per story: the original you pinned, else the "
                                           "latest correction, else the earliest",
                                           self._hide_copies_toggled)
        self.count_stories = self._check_box("countStories", "Count stories",
                                             "The sidebar counts stories, each story once whatever its copies",
                                             self._count_stories_toggled)
        self._build_actions()
        window.add_list_menu_section(self._fill_list_menu)
        window.ask_one_per_story = self.ask_one_per_story
        window.article_shown.connect(self._article_shown)
        window.library_changed.connect(self._library_changed)
        window.results_ready.connect(self._sync_hide_copies)
        window.library_opened.connect(self.group_if_needed)
        self.panel.version_chosen.connect(self._show_diff)
        self.panel.open_requested.connect(self._open_version)
        self.panel.pin_requested.connect(lambda doc_id: self._correct(lambda db: pin_original(db, doc_id)))
        self.panel.separate_requested.connect(lambda doc_id: self._correct(lambda db: separate_story(db, doc_id)))
        self.group_if_needed()

    def _check_box(self, name: str, text: str, tip: str, slot: Callable[[bool], None]) -> QCheckBox:
        box = QCheckBox(text)
        box.setObjectName(name)
        box.setToolTip(tip)
        box.toggled.connect(slot)
        self.window.search_bar.add_widget(box)
        return box

    def _build_actions(self) -> None:
        self.action_regroup = QAction("&Group copies of one story again", self.window)
        self.action_regroup.setObjectName("actionRegroupStories")
        self.action_regroup.triggered.connect(lambda _checked=False: self.group(rebuild=True))
        self.action_same = QAction("&Same story", self.window)
        self.action_same.setObjectName("actionSameStory")
        self.action_same.triggered.connect(lambda _checked=False: self.join_selected())
        self.action_separate = QAction("&Not the same story", self.window)
        self.action_separate.setObjectName("actionNotSameStory")
        self.action_separate.triggered.connect(lambda _checked=False: self.separate_selected())
        self.action_hide_copies = self._box_action("actionHideCopies", "&Hide copies", self.hide_copies)
        self.action_count_stories = self._box_action("actionCountStories", "&Count stories", self.count_stories)
        for action in (self.action_regroup, self.action_same, self.action_separate):
            self.window.addAction(action)
        bar = self.window.menuBar()
        menu = QMenu("&Stories", bar)
        menu.setObjectName("storiesMenu")
        menu.addActions([self.action_hide_copies, self.action_count_stories])
        menu.addSeparator()
        menu.addActions([self.action_same, self.action_separate, self.action_regroup])
        bar.insertMenu(bar.actions()[-1], menu)  # before Help, the last menu

    def _box_action(self, name: str, text: str, box: QCheckBox) -> QAction:
        """A checkable menu item doing what ``box`` does and checked as it is (from the keyboard: Alt+S)."""
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setCheckable(True)
        action.setToolTip(box.toolTip())
        action.triggered.connect(lambda _checked=False: box.setChecked(action.isChecked()))
        box.toggled.connect(action.setChecked)
        return action

    @property
    def db(self) -> Any:
        return self.window.library.db

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    # filtering and counting ---------------------------------------------------------------------

    def _hide_copies_toggled(self, hidden: bool) -> None:
        filters = self.window.filters
        self.window.set_filters(filters.excluding(COPIES, COPY) if hidden else filters.without(COPIES, COPY))

    def _sync_hide_copies(self) -> None:
        """The box says whether copies are hidden, however the filter was set (a chip, a saved search)."""
        hidden = COPY in self.window.filters.exclude.get(COPIES, frozenset())
        if self.hide_copies.isChecked() != hidden:
            self.hide_copies.blockSignals(True)
            self.hide_copies.setChecked(hidden)
            self.hide_copies.blockSignals(False)

    def _count_stories_toggled(self, by_story: bool) -> None:
        self.window.count_stories = by_story
        self.window.reload()

    # the panel -------------------------------------------------------------------------------------

    def _article_shown(self, doc_id: int) -> None:
        self.panel.set_versions(versions(self.db.conn, doc_id), current=doc_id)

    def _library_changed(self, changes: ChangeSet) -> None:
        current = self.window.current_id()
        if current is not None and (changes.membership or current in changes.documents
                                    or changes.documents & {v.id for v in self.panel.versions}):
            self._article_shown(current)

    def _show_diff(self, doc_id: int) -> None:
        original = self.panel.original()
        if original is None or original.id == doc_id:
            self.panel.show_diff(None)
            return
        try:
            first, copy = get_document(self.db, original.id), get_document(self.db, doc_id)
        except DossierError as err:
            self._status(report_error(err))
            return
        self.panel.show_diff(compare(first.title, first.text, copy.title, copy.text))

    def _open_version(self, doc_id: int) -> None:
        if not self.window.show_article(doc_id):
            self._status("That version is not in the list: a filter or Hide copies leaves it out.")

    # corrections -----------------------------------------------------------------------------------

    def _correct(self, operation: Callable[[Any], Any]) -> None:
        try:
            change = self.window.operations.apply(operation)
        except DossierError as err:
            self._status(report_error(err))
            return
        self._status(done_text(change.label))

    def join_selected(self) -> None:
        """"Same story": the selected articles (two or more) become one story."""
        ids = self.window.selected_ids()
        if len(ids) < 2:
            self._status("Select two or more articles to mark them as one story.")
            return
        self._correct(lambda db: join_story(db, ids[0], *ids[1:]))

    def separate_selected(self) -> None:
        """"Not the same story": the article selected leaves its story."""
        ids = self.window.selected_ids()
        if len(ids) == 1:
            self._correct(lambda db: separate_story(db, ids[0]))

    def _fill_list_menu(self, menu: QMenu, ids: list[int]) -> None:
        if len(ids) >= 2:
            menu.addAction(self.action_same)
        elif len(ids) == 1 and versions(self.db.conn, ids[0]):
            menu.addAction(self.action_separate)

    # grouping and exporting --------------------------------------------------------------------------

    def group_if_needed(self) -> None:
        """Group, in the background, a library whose articles were imported before grouping existed."""
        if not self.window.library.read_only and needs_grouping(self.db.conn):
            self.group(rebuild=False)

    def group(self, *, rebuild: bool) -> None:
        """Group the articles not grouped yet (``rebuild``: all of them again) with progress and cancel."""
        self.window.submit_write(
            lambda library, progress, cancel: group_library(library, rebuild=rebuild, progress=progress, cancel=cancel),
            on_finished=self._grouped, title="Grouping copies of one story", show_progress=True,
        )

    def _grouped(self, report: Any) -> None:
        self.window.operations.announce(ChangeSet.everything())
        said = f"{plural(report.stories, 'story', 'stories')} with copies"
        self._status(f"Grouping stopped; {said} so far." if report.cancelled else f"Grouped: {said}.")

    def ask_one_per_story(self, ids: list[int]) -> bool | None:
        """Asked by the export: keep one row per story? (False without asking when there are no copies.)"""
        stories = len(one_per_story(self.db.conn, ids))
        if stories == len(ids):
            return False
        return StoryExport.ask(self.window, articles=len(ids), stories=stories)


def install(window: Any) -> Versions:
    """Plug stories into ``window`` (see the module docstring)."""
    return Versions(window)
