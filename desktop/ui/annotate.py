"""Annotating and tagging in the main window, plugged in through the window's public seams.

``install(window)`` adds, and returns the ``Annotator`` that owns:

- highlights painted in the reader (a span provider) and the floating
  ``HighlightBar`` over a text selected with the mouse (selections made by
  search-hit navigation do not offer it); clicking a highlight opens its note,
  right-clicking it offers its colour, note and deletion (``annotate_menu``);
- the ``annotationPanel`` beside the reader (notes saved as you type) and the
  library-wide ``annotationsView`` (Annotate ▸ Highlights and notes…);
- the ``tagEditor`` in the filter sidebar (articles dragged from the list
  are dropped on a tag), the Tags and State columns of the article list and
  its context-menu section for the selected articles;
- the "In my notes" toggle beside the search box (``notesScope``), which
  limits the search to the notes column;
- the keys: 1–9 apply (or take off) the pinned tags, S stars, R toggles read,
  T marks "to read", H highlights the selection, N highlights it with a note;
- marking an article read once it has stayed open ``READ_AFTER_MS`` (unless
  the person set its reading state by hand meanwhile);
- the status bar telling each edit as done, with how many articles it touched
  ("Added tag 'Biomed' to 3 articles."), for ``STATUS_MS``;
- its edits go through the window's ``operations`` (``desktop/ui/operations.py``),
  which records them for Edit ▸ Undo / Redo and announces their change sets;
  the saves of one note while it is typed undo as one step.

Where edits are written: on the GUI thread, through the window's own
connection (``window.library``), one short transaction each, so the reader
and list repaint with the edit at once. Long jobs write on the window's
writer connection (``submit_write``); SQLite serialises the two, and an edit
made while an import or extraction runs waits for that job's current batch
to commit (a batch takes well under a second). Undo and redo write the same way. An edit that
finds another program writing waits for it without freezing the window (``lock_wait``); when the
person gives up waiting, the edit is not made and the status bar says so.

The list's Tags and State columns live in ``annotate_columns``; tagging, stars,
reading states and removal of the selected articles in ``annotate_tagging``; the
Annotate menu and the keys in ``annotate_actions``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import QCheckBox
from sqlite_utils import Database

from desktop.core.annotations import (
    PALETTE,
    create_annotation,
    document_annotations,
    document_note,
    get_annotation,
    set_document_note,
    update_annotation,
)
from desktop.core.changes import ChangeSet
from desktop.core.documents import Document
from desktop.core.errors import DossierError, NotFound
from desktop.core.tags import (
    create_tag,
    delete_tag,
    list_tags,
    merge_tags,
    pin_tag,
    read_state,
    recolour_tag,
    rename_tag,
    set_read_state,
    tag_tree,
)
from desktop.core.undo import Change, plural

from .annotate_actions import ActionsMixin
from .annotate_columns import LIST_COLUMNS, TAGS_COLUMN, TagChipsDelegate, fit_chips  # noqa: F401  (fit_chips: imported from here)
from .annotate_menu import ANNOTATION_KIND, HighlightMenuMixin
from .annotate_tagging import TaggingMixin, done_text
from .annotation_panel import AnnotationPanel
from .annotations_view import AnnotationsView
from .doc_model import DocumentListModel
from .errors import report_error
from .highlight_bar import HighlightBar
from .reader import ReaderSpan
from .tag_editor import TagEditor
from .theme import Theme, mix

READ_AFTER_MS = 3000
PROVIDER_NAME = "annotations"
STATUS_MS = 6000
HIGHLIGHT_STRENGTH = 0.55


def _slug(colour: str) -> str:
    return colour.replace(" ", "-")


def highlight_colour(hex_colour: str, *, theme: Theme) -> str:
    """The background of a highlight of ``hex_colour`` on the theme's paper, dark text or light."""
    return mix(theme.paper, hex_colour, HIGHLIGHT_STRENGTH)


def highlight_css(theme: Theme) -> str:
    """Reader rules for the highlight classes ``hl-<colour>`` in ``theme``."""
    return "".join(
        f"span.hl-{_slug(name)} {{ background-color: {highlight_colour(hex_colour, theme=theme)}; "
        f"color: {theme.text}; }}\n"
        for name, hex_colour in PALETTE.items()
    )


class Annotator(ActionsMixin, TaggingMixin, HighlightMenuMixin, QObject):
    """Highlights, notes, tags, reading states and undo for one main window (see the module docstring)."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.reader = window.reader
        self.operations = window.operations
        self._closing = False
        self._read_candidate: int | None = None
        self._confirm_remove: Callable[[Sequence[int]], bool] = lambda ids: True
        self.panel = AnnotationPanel()
        self.tag_editor = TagEditor()
        self.bar = HighlightBar(self.reader.viewport())
        self.annotations_view: AnnotationsView | None = None
        self.delegate = TagChipsDelegate(window.list_view)
        self.read_timer = QTimer(self)
        self.read_timer.setSingleShot(True)
        self.read_timer.setInterval(READ_AFTER_MS)
        self.read_timer.timeout.connect(self._mark_read)
        self._add_list_columns()
        self._connect_reader()
        self._connect_panel()
        self._connect_tag_editor()
        self._connect_list()
        self._build_actions()
        self.notes_scope = self._build_notes_scope()
        window.add_reader_panel(self.panel, "Notes")
        window.sidebar.add_section(self.tag_editor, "Your tags")
        self.operations.about_to_undo.connect(self.panel.flush)
        window.library_changed.connect(self._library_changed)
        window.library_opened.connect(self._library_opened)
        window.installEventFilter(self)
        self.reader.add_css(highlight_css)
        self.reader.add_span_provider(PROVIDER_NAME, self._highlight_spans)
        self.refresh()
        current = window.current_id()
        if current is not None:
            self._article_shown(current)

    # wiring ---------------------------------------------------------------------------

    def _add_list_columns(self) -> None:
        model: DocumentListModel = self.window.model
        for column in LIST_COLUMNS:
            model.add_column(column)
        self.window.list_view.setItemDelegateForColumn(model.column_of_key(TAGS_COLUMN.key), self.delegate)

    def _connect_reader(self) -> None:
        self._reader_viewport = self.reader.viewport()
        self._reader_viewport.installEventFilter(self)
        self.reader.selection_changed.connect(self._selection_changed)
        self.reader.span_clicked.connect(self._span_clicked)
        self.bar.colour_chosen.connect(lambda colour: self.highlight_selection(colour=colour))
        self.bar.note_requested.connect(lambda: self.highlight_selection(with_note=True))
        self.reader.add_menu_section(self.fill_reader_menu)

    def _connect_panel(self) -> None:
        panel = self.panel
        panel.highlight_activated.connect(self._go_to_highlight)
        panel.note_left.connect(self._leave_note)
        panel.note_edited.connect(self.save_note)
        panel.document_note_edited.connect(self.save_document_note)
        panel.colour_changed.connect(self.recolour_highlight)
        panel.delete_requested.connect(self.delete_highlight)

    def _connect_tag_editor(self) -> None:
        editor = self.tag_editor
        editor.create_requested.connect(lambda name: self._apply(lambda db: create_tag(db, name)[1]))
        editor.rename_requested.connect(lambda old, new: self._apply(lambda db: rename_tag(db, old, new)))
        editor.recolour_requested.connect(
            lambda tag_id, colour: self._apply(lambda db: recolour_tag(db, tag_id, colour)))
        editor.merge_requested.connect(
            lambda ids, target: self._apply(lambda db: merge_tags(db, ids, target)))
        editor.delete_requested.connect(lambda tag_id: self._apply(lambda db: delete_tag(db, tag_id)))
        editor.pin_requested.connect(lambda tag_id, slot: self._apply(lambda db: pin_tag(db, tag_id, slot)))
        editor.articles_dropped.connect(lambda path, ids: self.add_tag(ids, path))
        editor.filter_requested.connect(
            lambda path: self.window.set_filters(self.window.filters.including("tag", path)))

    def _connect_list(self) -> None:
        self.window.add_list_menu_section(self.fill_list_menu)
        self.window.article_shown.connect(self._article_shown)

    def _build_notes_scope(self) -> QCheckBox:
        button = QCheckBox()
        button.setObjectName("notesScope")
        button.setText("In my notes")
        button.setToolTip("Search only your notes and the notes of your highlights")
        button.setCheckable(True)
        button.toggled.connect(lambda on: self.window.set_query_scope("notes" if on else None))
        self.window.search_bar.add_widget(button)
        self.window.results_ready.connect(self._sync_notes_scope)
        return button

    def _sync_notes_scope(self) -> None:
        """The toggle shows the window's scope (an opened saved search brings its own)."""
        on = self.window.query_scope == "notes"
        if self.notes_scope.isChecked() != on:
            self.notes_scope.blockSignals(True)
            self.notes_scope.setChecked(on)
            self.notes_scope.blockSignals(False)

    # the library ------------------------------------------------------------------------

    def _library_opened(self) -> None:
        """Another library is open in the window: show its tags."""
        self._read_candidate = None
        self.refresh()

    @property
    def db(self) -> Database:
        """The window's library, written on the GUI thread (see the module docstring)."""
        return self.window.library.db

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def _apply(self, operation: Callable[[Database], Change], *, size: int = 1) -> None:
        """Run a core operation on ``size`` articles and record its change (thousands of articles:
        in the background, ``Operations.apply_edit``); what it did or why it failed shows in the
        status bar."""
        try:
            self.operations.apply_edit(operation, size=size, title=f"Changing {plural(size, 'article')}",
                                       then=lambda change: self._status(done_text(change.label)))
        except DossierError as err:
            self._status(report_error(err))

    # refreshing --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the library's current tags, and the current article's highlights and notes."""
        if self._closing:
            return
        self._refresh_tags()
        self._refresh_panel()
        if self.annotations_view is not None and self.annotations_view.isVisible():
            self.annotations_view.refresh()

    def _library_changed(self, changes: ChangeSet) -> None:
        """Show what ``changes`` touched: the tags (their tree, colours and pins) only when
        tags or the set of articles changed — at 100,000 articles reading them is no longer
        free, and marking an article read must not redo it — and the current article's
        notes when it is among the articles changed."""
        if self._closing:
            return
        areas = changes.facet_areas
        if "tags" in areas:
            self._refresh_tags()
        current = self.reader.current_document
        if changes.unknown or current is None or current.id in changes.documents:
            self._refresh_panel()
        if (self.annotations_view is not None and self.annotations_view.isVisible()
                and (changes.annotated or changes.edited or "tags" in areas)):
            self.annotations_view.refresh()

    def _refresh_tags(self) -> None:
        tags = list_tags(self.db)
        self.tag_editor.set_tree(tag_tree(self.db, tags))
        self.delegate.set_tags(tags)
        pinned = {t["pinned"]: t for t in tags if t["pinned"] is not None}
        for slot, action in enumerate(self.pin_actions, start=1):
            tag = pinned.get(slot)
            action.setText(f"{slot}: {tag['name']}" if tag else f"{slot}: (no tag pinned)")

    def _refresh_panel(self) -> None:
        document = self.reader.current_document
        if document is None:
            self.panel.set_article(None, note=None, highlights=[])
            return
        try:
            note = document_note(self.db, document.id)
        except NotFound:
            self.panel.set_article(None, note=None, highlights=[])
            return
        self.panel.set_article(document.id, note=note, highlights=document_annotations(self.db, document.id))

    def _highlight_spans(self, document: Document) -> list[ReaderSpan]:
        if self._closing:
            return []
        return [
            ReaderSpan(row["start"], row["end"], ANNOTATION_KIND, f"hl-{_slug(row['colour'])}",
                       tooltip=row["note"] or "", payload=row["id"])
            for row in document_annotations(self.db, document.id)
            if not row["orphaned"]
        ]

    def _article_shown(self, doc_id: int) -> None:
        """The reader shows article ``doc_id``: list its notes and start the "read" timer."""
        if self._closing:
            return
        self.bar.hide()
        self._refresh_panel()
        if doc_id != self._read_candidate:
            self._read_candidate = doc_id
            self.read_timer.start()

    def _mark_read(self) -> None:
        """Mark the article read after it stayed open, unless the library takes no writes (read-only
        or found damaged: reading it is all the person can do, and that is not an error)."""
        doc_id = self._read_candidate
        if (self._closing or doc_id is None or doc_id != self.window.current_id()
                or not self.window.library.writable):
            return
        try:
            unread = read_state(self.db, doc_id) != "read"
        except NotFound:
            return
        if unread:
            try:
                self.operations.apply(lambda db: set_read_state(db, [doc_id], "read"), undoable=False)
            except DossierError:  # another program kept the library and the person gave up waiting
                return

    # highlights and notes -----------------------------------------------------------------

    def _selection_changed(self) -> None:
        if self.reader.selected_range() is None:
            self.bar.hide()

    def offer_bar(self) -> None:
        """Show the highlight bar over the reader's selection (after a mouse selection), if any."""
        if self.reader.selected_range() is None or self.reader.current_document is None:
            self.bar.hide()
            return
        cursor = self.reader.textCursor()
        start = self.reader.textCursor()
        start.setPosition(cursor.selectionStart())
        end = self.reader.textCursor()
        end.setPosition(cursor.selectionEnd())
        top, bottom = self.reader.cursorRect(start), self.reader.cursorRect(end)
        self.bar.show_near(QPoint(top.center().x(), top.top()), QPoint(bottom.center().x(), bottom.bottom()))

    def highlight_selection(self, *, colour: str | None = None, with_note: bool = False) -> int | None:
        """Highlight the reader's selection (default colour yellow); returns the new highlight's id.

        ``with_note`` then puts the cursor in the highlight's note in the panel.
        """
        selected = self.reader.selected_range()
        document = self.reader.current_document
        self.bar.hide()
        if selected is None or document is None:
            self._status("Select some text in the article first.")
            return None
        start, end = selected
        try:
            created, change = create_annotation(self.db, document.id, start, end, colour=colour)
        except DossierError as err:
            self._status(report_error(err))
            return None
        self.reader.clear_selection()  # the new highlight shows in its colour, not the selection's
        if not self._closing:
            self.operations.push(change)
            self._status(done_text(change.label))  # "Highlighted '…'.", not an earlier edit's line
        if with_note:
            self._show_panel()
            self.panel.focus_note(created["id"])
        return created["id"]

    def _show_panel(self) -> None:
        self.window.show_reader_panel(self.panel)

    def _span_clicked(self, kind: str, payload: Any) -> None:
        if kind == ANNOTATION_KIND and isinstance(payload, int):
            self.edit_note(payload)

    def _go_to_highlight(self, annotation_id: int) -> None:
        try:
            row = get_annotation(self.db, annotation_id)
        except NotFound:
            return
        if not row["orphaned"]:
            self.reader.scroll_to_offset(row["start"])

    def _leave_note(self, annotation_id: int | None) -> None:
        """Esc in a note box: back to the reader, at the highlight whose note it was."""
        if annotation_id is not None:
            self._go_to_highlight(annotation_id)
        self.reader.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_note(self, annotation_id: int, text: str) -> None:
        """Store a highlight's note as typed (consecutive saves undo as one change)."""
        try:
            _, change = update_annotation(self.db, annotation_id, note=text)
        except NotFound:
            return
        except DossierError as err:  # the note stays in its box, saved with the next key typed
            self._status(report_error(err))
            return
        self.operations.push(change, merge_key=("annotation", annotation_id))

    def save_document_note(self, doc_id: int, text: str) -> None:
        """Store an article's own note as typed (consecutive saves undo as one change)."""
        try:
            change = set_document_note(self.db, doc_id, text)
        except NotFound:
            return
        except DossierError as err:
            self._status(report_error(err))
            return
        self.operations.push(change, merge_key=("document", doc_id))

    # the annotations view -------------------------------------------------------------------

    def show_annotations_view(self) -> AnnotationsView:
        """Open (or raise) the library-wide list of highlights."""
        if self.annotations_view is None:
            self.annotations_view = AnnotationsView(lambda: self.window.library, self.window)
            self.annotations_view.open_requested.connect(self.open_at)
            self.annotations_view.imported.connect(self.operations.announce)
        self.annotations_view.refresh()
        self.annotations_view.show()
        self.annotations_view.raise_()
        return self.annotations_view

    def open_at(self, doc_id: int, offset: int) -> None:
        """Read article ``doc_id`` at text ``offset`` (clearing the search if it hides the article)."""
        if not self.window.show_article(doc_id):
            self.window.clear_search()
            self.window.reload(sync=True)
            if not self.window.show_article(doc_id):
                return
        self.reader.scroll_to_offset(offset)
        self.window.raise_()
        self.window.activateWindow()
        self.reader.setFocus()  # the keys go on in the article, as after Enter in the list

    # events -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.prepare_close()
        elif watched is self._reader_viewport and event.type() == QEvent.Type.MouseButtonRelease:
            QTimer.singleShot(0, self.offer_bar)
        return False

    def prepare_close(self) -> None:
        """Save every note still being typed, stop an export of highlights and stop reacting to
        changes: the window is closing."""
        self._closing = True
        self.read_timer.stop()
        self.panel.flush()
        if self.annotations_view is not None:
            self.annotations_view.stop()


def install(window: Any) -> Annotator:
    """Plug annotating, tagging, reading states and undo into ``window`` (a ``MainWindow``).

    Installing into the same window again returns the ``Annotator`` already there.
    """
    installed = window.findChild(Annotator)
    return installed if isinstance(installed, Annotator) else Annotator(window)
