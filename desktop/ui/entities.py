"""Named entities in the main window, plugged in through the window's public seams.

``install(window)`` adds, and returns the ``EntityHighlighter`` that owns:

- every mention painted in the reader (a span provider): a tint of its type's
  colour and its type's underline style, a tooltip with the type and canonical
  name; clicking a mention filters the corpus by that entity, double-clicking
  opens the entity's page;
- the entity panel beside the reader, with the legend (``entityLegend``) whose
  boxes turn a type's highlighting off and on;
- the reader's context menu: mark the selection as a type, change a mention's
  type or remove it, "always treat 'X' as TYPE" / "never treat 'X' as an
  entity", rename, merge and split entities. Each correction runs through
  the window's ``operations``, which records it for Undo and announces it;
- the entity page (``entityPage``) with the mentions in context, the articles
  by month, the co-occurring entities, aliases and the CSV export;
- Entities ▸ Extract entities for the whole library (``actionExtractEntities``),
  on the window's writer with progress and Cancel in the status bar, and
  Entities ▸ Remove an entity rule… (``actionRemoveEntityRule``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QContextMenuEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QMenu
from sqlite_utils import Database

from desktop.core.changes import ChangeSet
from desktop.core.facets import entity_facet_name
from desktop.core.documents import Document
from desktop.core.entities import (
    ExtractionReport,
    always_treat,
    candidate_pool,
    document_entities,
    entity_details,
    extract_entities,
    labels_in_use,
    list_rules,
    mark_mention,
    merge_entities,
    never_treat,
    relabel_mention,
    remove_mention,
    remove_rule,
    rename_entity,
    split_alias,
)
from desktop.core.errors import DossierError, NotFound
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.search import Filters
from desktop.core.undo import Change

from . import annotate
from .annotate_tagging import done_text
from .entity_legend import STYLES, css_class, entity_css, style_of
from .entity_page import EntityDialogs, EntityPage
from .entity_panel import EntityPanel
from .entity_picker import MergePicker
from .errors import report_error
from .reader import ReaderSpan
from .theme import Theme

ENTITY_KIND = "entity"
PROVIDER_NAME = "entities"
STATUS_MS = 8000
MENU_TEXT = 40


@dataclass(frozen=True)
class MentionRef:
    """What a highlighted mention carries: the mention, its entity and how it is written."""

    mention_id: int
    entity_id: int
    label: str
    name: str
    text: str


def filters_for_both(filters: Filters, first: tuple[str, str], second: tuple[str, str]) -> Filters:
    """``filters`` narrowed to the articles mentioning both (label, name) entities, of one type
    or of two (the entities chosen in a facet must all be mentioned)."""
    return filters.including(entity_facet_name(first[0]), first[1]).including(entity_facet_name(second[0]), second[1])


def extract_library(library: Library, *, progress: ProgressCallback, cancel: CancelToken) -> ExtractionReport:
    """Entity extraction over every article of the library again, as a writer job (corrections stay)."""
    return extract_entities(library, redo=True, progress=progress, cancel=cancel)


def record_name_links(operations: Any, report: ExtractionReport | None) -> None:
    """Put the merges of names written in other scripts that followed an extraction on the
    Undo history, as one step (Edit ▸ Undo takes them back)."""
    if report is not None and report.names_linked is not None:
        operations.push(report.names_linked)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MENU_TEXT else text[: MENU_TEXT - 1] + "…"


class EntityHighlighter(QObject):
    """Entities in the reader, the panel, the page and the corrections of one main window."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.reader = window.reader
        self.annotator = annotate.install(window)
        self.panel = EntityPanel()
        self.legend = self.panel.legend
        self.page: EntityPage | None = None
        self._library = window.library
        self._styled: set[str] = set(STYLES)
        self._pending: MentionRef | None = None
        self._double_clicked_at = 0.0
        self._click_timer = QTimer(self)
        self._click_timer.setSingleShot(True)
        self._click_timer.setInterval(QApplication.doubleClickInterval())
        self._click_timer.timeout.connect(self._single_click)
        self._connect()
        self._build_actions()
        window.add_reader_panel(self.panel, "Entities")
        self.reader.add_css(lambda theme: entity_css(self._styled, theme=theme))
        self._set_theme(self.reader.theme)
        self._refresh_labels()
        self.reader.add_span_provider(PROVIDER_NAME, self._spans)
        self.reader.add_menu_section(self._menu_entries)

    # wiring -------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.legend.visibility_changed.connect(self.reader.rerender)
        self.panel.mention_requested.connect(self.reader.select_range)
        self.panel.page_requested.connect(self.open_page)
        self.panel.filter_requested.connect(self.filter_by)
        self.panel.merge_requested.connect(self.ask_merge)
        self.reader.span_clicked.connect(self._span_clicked)
        self.reader.theme_changed.connect(self._set_theme)
        self._viewport = self.reader.viewport()
        self._viewport.installEventFilter(self)
        self.reader.installEventFilter(self)  # the Menu key (Shift+F10) comes to the reader itself
        self.window.installEventFilter(self)
        self.window.library_changed.connect(self._library_changed)
        self.window.results_ready.connect(self._results_ready)

    def _build_actions(self) -> None:
        self.action_extract = QAction("E&xtract entities for the whole library", self.window)
        self.action_extract.setObjectName("actionExtractEntities")
        self.action_extract.triggered.connect(lambda _checked=False: self.extract_all())
        self.action_rules = QAction("&Remove an entity rule…", self.window)
        self.action_rules.setObjectName("actionRemoveEntityRule")
        self.action_rules.triggered.connect(lambda _checked=False: self.ask_remove_rule())
        for action in (self.action_extract, self.action_rules):
            self.window.addAction(action)
        bar = self.window.menuBar()
        menu = QMenu("E&ntities", bar)
        menu.setObjectName("entitiesMenu")
        menu.addActions([self.action_extract, self.action_rules])
        help_action = next((action for action in bar.actions() if action.text() == "&Help"), None)
        if help_action is not None:
            bar.insertMenu(help_action, menu)
        else:
            bar.addMenu(menu)

    @property
    def db(self) -> Database:
        """The window's library."""
        return self.window.library.db

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    # highlighting -----------------------------------------------------------------------------

    def _spans(self, document: Document) -> list[ReaderSpan]:
        rows = document_entities(self.db, document.id)
        self.panel.set_article(document.id, rows)
        hidden = self.legend.hidden_labels()
        return [
            ReaderSpan(
                row["start"], row["end"], ENTITY_KIND, css_class(row["label"]),
                tooltip=f"{style_of(row['label']).title}: {row['name']}",
                payload=MentionRef(row["mention_id"], row["entity_id"], row["label"], row["name"], row["text"]),
            )
            for row in rows
            if row["label"] not in hidden
        ]

    def _set_theme(self, theme: Theme) -> None:
        self.panel.set_theme(theme)
        if self.page is not None:
            self.page.set_theme(theme)

    def _refresh_labels(self) -> None:
        """Offer in the legend the entity types that have mentions in the library."""
        labels = labels_in_use(self.db)
        unstyled = [label for label in labels if label not in self._styled]
        if unstyled:
            self._styled.update(unstyled)
            self.reader.rerender()
        self.legend.set_labels(labels)

    def _sync_panel(self) -> None:
        if self.reader.current_document is None:
            self.panel.set_article(None, [])

    def _results_ready(self) -> None:
        if self.window.library is not self._library:
            self._library = self.window.library
            self._refresh_labels()
            if self.page is not None:
                self.page.close()
        self._sync_panel()

    def _library_changed(self, changes: ChangeSet) -> None:
        self._refresh_labels()
        current = self.window.current_id()
        corrected = changes.entities or changes.entity_definitions
        if corrected and current is not None and current not in changes.documents \
                and not changes.membership:
            self.reader.rerender()  # a rule or merge made elsewhere may change this article's marks
        self._sync_panel()
        if self.page is not None and self.page.isVisible():
            self.page.refresh()

    def mention_at(self, offset: int) -> MentionRef | None:
        """The innermost highlighted mention covering text ``offset`` of the article, or None."""
        refs = [span.payload for span in self.reader.spans_at(offset) if span.kind == ENTITY_KIND]
        return refs[-1] if refs else None

    def _offset_at(self, point: QPoint) -> int | None:
        return self.reader.offset_at(self.reader.cursorForPosition(point).position())

    # clicks ------------------------------------------------------------------------------------

    def _span_clicked(self, kind: str, payload: Any) -> None:
        recent = time.monotonic() - self._double_clicked_at < QApplication.doubleClickInterval() / 1000
        if kind == ENTITY_KIND and isinstance(payload, MentionRef) and not recent:
            self._pending = payload
            self._click_timer.start()

    def _single_click(self) -> None:
        if self._pending is not None:
            self.filter_by(self._pending.label, self._pending.name)
            self._pending = None

    def _double_click(self, event: QMouseEvent) -> bool:
        offset = self._offset_at(event.position().toPoint())
        ref = self.mention_at(offset) if offset is not None else None
        if ref is None:
            return False
        self._click_timer.stop()
        self._pending = None
        self._double_clicked_at = time.monotonic()
        self.open_page(ref.entity_id)
        return True

    def filter_by(self, label: str, name: str) -> None:
        """Narrow the article list to the articles mentioning the entity (label, name)."""
        self.window.set_filters(self.window.filters.including(entity_facet_name(label), name))
        self._status(f"Showing the articles mentioning {style_of(label).title.lower()} “{name}”.")

    def show_both(self, first_id: int, second_id: int) -> bool:
        """Narrow the list to the articles mentioning both entities, of one type or of two; False
        when either entity is no longer in the library."""
        first, second = (self._entity(first_id), self._entity(second_id))
        if first is None or second is None:
            return False
        self.window.set_filters(filters_for_both(self.window.filters, first, second))
        self._status(f"Showing the articles mentioning both “{first[1]}” and “{second[1]}”.")
        return True

    def _entity(self, entity_id: int) -> tuple[str, str] | None:
        try:
            entity = entity_details(self.db, entity_id)
        except NotFound:
            return None
        return entity["label"], entity["name"]

    # the entity page -----------------------------------------------------------------------------

    def open_page(self, entity_id: int) -> EntityPage:
        """Show the page of ``entity_id`` (one page per window, reused)."""
        if self.page is None:
            self.page = EntityPage(lambda: self.db, self.window)
            self.page.set_theme(self.reader.theme)
            self.page.open_requested.connect(self.open_at)
            self.page.filter_requested.connect(self.filter_by)
            self.page.both_requested.connect(self.show_both)
            self.page.rename_requested.connect(
                lambda entity_id, name: self.correct(lambda db: rename_entity(db, entity_id, name=name)))
            self.page.merge_requested.connect(
                lambda source, into: self.correct(lambda db: merge_entities(db, [source], into=into)))
            self.page.split_requested.connect(
                lambda entity_id, name: self.correct(lambda db: split_alias(db, entity_id, name=name)))
            self.page.export_finished.connect(
                lambda path, count: self._status(f"Exported {count} mentions to {path}."))
        self.page.show_entity(entity_id)
        self.page.show()
        self.page.raise_()
        return self.page

    def open_at(self, doc_id: int, start: int, end: int) -> None:
        """Read article ``doc_id`` with the mention ``[start, end)`` selected."""
        self.annotator.open_at(doc_id, start)
        document = self.reader.current_document
        if document is not None and document.id == doc_id:
            self.reader.select_range(start, end)

    # corrections -------------------------------------------------------------------------------

    def correct(self, operation: Callable[[Database], Change]) -> Change | None:
        """Run a correction, record it in the window's undo history and show what it did."""
        try:
            change = self.window.operations.apply(operation)
        except DossierError as err:
            self._status(report_error(err))
            return None
        self._status(done_text(change.label))
        return change

    def reader_menu(self, offset: int | None) -> QMenu:
        """The reader's context menu at text ``offset`` (with the corrections of ``_menu_entries``)."""
        return self.reader.context_menu(offset)

    def _menu_entries(self, menu: QMenu, offset: int | None) -> None:
        """The corrections for the selected text and for the mention at text ``offset``."""
        document = self.reader.current_document
        if document is None:
            return
        selected = self.reader.selected_range()
        ref = self.mention_at(offset) if offset is not None else None
        if selected is not None:
            self._selection_entries(menu, document, selected)
        if ref is not None:
            self._mention_entries(menu, ref, rules=selected is None)

    def _type_menu(self, parent: QMenu, title: str, act: Callable[[str], Any], *, skip: str = "") -> QMenu:
        submenu = parent.addMenu(title)
        for label, style in STYLES.items():
            if label != skip:
                submenu.addAction(style.title, lambda chosen=label: act(chosen))
        return submenu

    def _rule_entries(self, menu: QMenu, text: str) -> None:
        quoted = f"“{_short(text)}”"
        self._type_menu(menu, f"Always treat {quoted} as",
                        lambda label: self.correct(lambda db: always_treat(db, text, label=label)))
        menu.addAction(f"Never treat {quoted} as an entity",
                       lambda: self.correct(lambda db: never_treat(db, text)))

    def _selection_entries(self, menu: QMenu, document: Document, selected: tuple[int, int]) -> None:
        start, end = selected
        text = document.text[start:end].strip()
        if not text:
            return
        menu.addSeparator()
        self._type_menu(menu, f"Mark “{_short(text)}” as", lambda label: self.correct(
            lambda db: mark_mention(db, document.id, start=start, end=end, label=label)))
        self._rule_entries(menu, text)

    def _mention_entries(self, menu: QMenu, ref: MentionRef, *, rules: bool) -> None:
        menu.addSection(f"{style_of(ref.label).title} “{_short(ref.text)}”")
        title = style_of(ref.label).title.lower()
        self._type_menu(menu, f"Change “{_short(ref.text)}” from {title} to", lambda label: self.correct(
            lambda db: relabel_mention(db, ref.mention_id, label=label)), skip=ref.label)
        menu.addAction(f"Unmark “{_short(ref.text)}” here",
                       lambda: self.correct(lambda db: remove_mention(db, ref.mention_id)))
        if rules:
            self._rule_entries(menu, ref.text)
        menu.addSeparator()
        menu.addAction(f"Rename “{_short(ref.name)}”…", lambda: self.ask_rename(ref))
        menu.addAction(f"Merge “{_short(ref.name)}” into…", lambda: self.ask_merge(ref.entity_id))
        if ref.text != ref.name:
            menu.addAction(f"Split “{_short(ref.text)}” from “{_short(ref.name)}”", lambda: self.correct(
                lambda db: split_alias(db, ref.entity_id, name=ref.text)))
        menu.addSeparator()
        menu.addAction(f"Show articles mentioning “{_short(ref.name)}”",
                       lambda: self.filter_by(ref.label, ref.name))
        menu.addAction("Open entity page", lambda: self.open_page(ref.entity_id))

    def ask_rename(self, ref: MentionRef) -> None:
        """Ask for a new canonical name of the mention's entity and rename it."""
        name = EntityDialogs.ask_text(self.window, title="Rename entity", label="Canonical name:", text=ref.name)
        if name is not None and name != ref.name:
            self.correct(lambda db: rename_entity(db, ref.entity_id, name=name))

    def ask_merge(self, entity_id: int) -> None:
        """Open the merge picker for entity ``entity_id``; merge it into the entity chosen."""
        try:
            entity = entity_details(self.db, entity_id)
            pool = candidate_pool(self.db, entity_id)
        except DossierError as err:
            self._status(report_error(err))
            return
        if not len(pool):
            self._status(f"There is no other entity to merge “{entity['name']}” into.")
            return
        MergePicker.ask(
            self.window, pool=pool, title="Merge entities", theme=self.reader.theme,
            question=f"Which entity is the {style_of(entity['label']).title.lower()} “{entity['name']}”? "
                     "Its mentions and names go to the one you choose.",
            then=lambda into: self.correct(lambda db: merge_entities(db, [entity_id], into=into)))

    def ask_remove_rule(self) -> None:
        """Ask which "always" / "never" rule to delete, and delete it."""
        rules = {
            (f"Always treat “{rule.text}” as {style_of(rule.label).title}" if rule.label
             else f"Never treat “{rule.text}” as an entity"): rule.id
            for rule in list_rules(self.db)
        }
        if not rules:
            self._status("There are no entity rules.")
            return
        chosen = EntityDialogs.ask_choice(self.window, title="Remove an entity rule",
                                          label="Which rule should go?", choices=list(rules))
        if chosen is not None:
            self.correct(lambda db: remove_rule(db, rules[chosen]))

    # extraction ----------------------------------------------------------------------------------

    def extract_all(self) -> None:
        """Find the entities of every article again in the background (progress and Cancel in the
        status bar); corrections and rules apply to the new results."""
        self.window.submit_write(extract_library, on_finished=self._extracted,
                                 title="Finding entities in the whole library", show_progress=True)

    def _extracted(self, report: ExtractionReport) -> None:
        self._status(f"Entities found in {report.documents} articles ({report.mentions} mentions).")
        record_name_links(self.window.operations, report)
        self.window.operations.announce(ChangeSet(entity_definitions=True))

    # events --------------------------------------------------------------------------------------

    def _popup_menu(self, offset: int | None, where: QPoint) -> None:
        """Show the reader's menu for text ``offset`` at screen point ``where``: at the pointer
        after a right-click, at the caret or the name E reached after the Menu key."""
        menu = self.reader_menu(offset)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._viewport and event.type() == QEvent.Type.MouseButtonDblClick \
                and isinstance(event, QMouseEvent):
            return self._double_click(event)
        if watched is self._viewport and isinstance(event, QContextMenuEvent):
            self._popup_menu(self._offset_at(event.pos()), event.globalPos())
            return True
        if watched is self.reader and isinstance(event, QContextMenuEvent) \
                and event.reason() == QContextMenuEvent.Reason.Keyboard:
            cursor = self.reader.textCursor()
            caret = self.reader.cursorRect(cursor).bottomLeft()
            self._popup_menu(self.reader.offset_at(cursor.selectionStart()),
                             self._viewport.mapToGlobal(caret))
            return True
        if watched is self.window and event.type() == QEvent.Type.Close and self.page is not None:
            self.page.close()
        return False


def install(window: Any) -> EntityHighlighter:
    """Plug entity highlighting, the entity panel and page, corrections and library-wide extraction
    into ``window`` (a ``MainWindow``); installs annotating first when it is not there (its undo
    history records the corrections). Installing again returns the one already there."""
    installed = window.findChild(EntityHighlighter)
    return installed if isinstance(installed, EntityHighlighter) else EntityHighlighter(window)
