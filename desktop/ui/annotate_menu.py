"""The person's highlight under the pointer, for the ``Annotator``: its entries in the reader's context menu and the edits they share with its card in the Notes panel (colour, note, delete)."""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from desktop.core.annotations import delete_annotation, get_annotation, update_annotation
from desktop.core.errors import NotFound

from .highlight_bar import add_colour_actions

ANNOTATION_KIND = "annotation"
MENU_SECTION = "Your highlight"


class HighlightMenuMixin:
    """The ``Annotator`` part that edits one highlight, from its card or from the reader's menu."""

    def highlight_at(self, offset: int) -> int | None:
        """The id of the innermost highlight covering text ``offset`` of the article, or None."""
        ids = [span.payload for span in self.reader.spans_at(offset) if span.kind == ANNOTATION_KIND]
        return ids[-1] if ids else None

    def fill_reader_menu(self, menu: QMenu, offset: int | None) -> None:
        """Under the heading "Your highlight": its colours, "Add note…" or "Edit note…", "Delete highlight"."""
        annotation_id = self.highlight_at(offset) if offset is not None else None
        if annotation_id is None:
            return
        try:
            highlight = get_annotation(self.db, annotation_id)
        except NotFound:
            return
        menu.addSection(MENU_SECTION)
        colours = menu.addMenu("Highlight colour")
        colours.setObjectName("highlightColourMenu")
        add_colour_actions(colours, lambda colour: self.recolour_highlight(annotation_id, colour),
                           current=highlight["colour"])
        note = menu.addAction("Edit note…" if highlight["note"] else "Add note…",
                              lambda: self.edit_note(annotation_id))
        note.setObjectName("actionHighlightNote")
        delete = menu.addAction("Delete highlight", lambda: self.delete_highlight(annotation_id))
        delete.setObjectName("actionDeleteHighlight")

    def recolour_highlight(self, annotation_id: int, colour: str) -> None:
        """Give a highlight another colour (undoable)."""
        self._apply(lambda db: update_annotation(db, annotation_id, colour=colour)[1])

    def delete_highlight(self, annotation_id: int) -> None:
        """Delete a highlight and its note (undoable)."""
        self._apply(lambda db: delete_annotation(db, annotation_id))

    def edit_note(self, annotation_id: int) -> None:
        """Open the Notes panel with the cursor in the highlight's note."""
        self._show_panel()
        self.panel.focus_note(annotation_id)
