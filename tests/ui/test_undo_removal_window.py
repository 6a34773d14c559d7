"""Undo in the window of removing an article whose file was imported again meanwhile: the
highlight comes back painted on its words in the copy, with its note, and the status line says
what happened."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core import workflows
from desktop.core.annotations import PALETTE, create_annotation, set_document_note
from desktop.core.entities.store import ExtractionReport
from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.core.tags import add_tag, tagged_documents
from desktop.ui import annotate
from desktop.ui.annotate import highlight_colour
from desktop.ui.annotation_panel import AnnotationPanel
from desktop.ui.import_dialog import ImportDialog
from tests.core.helpers import span, text_folder
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers
from tests.ui.test_annotate_window import painted_colour

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")

LAB = "Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday.\n"
FORUM = "Forum in Harbin\n\nA biomedicine forum gathered researchers from Moscow and Harbin.\n"
QUOTE = "joint laboratory"
WAIT_MS = 10_000


@pytest.fixture
def corpus(tmp_path, library_path, monkeypatch):
    """A folder of two articles imported into the library; the first has a sky-blue highlight
    with a note, an article note and a tag. Entities are not looked for."""
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    monkeypatch.setattr(workflows, "run_queue", lambda library, **_: ExtractionReport(
        documents=0, mentions=0, model="test", seconds=0.0))
    folder = text_folder(tmp_path / "corpus", {"lab.txt": LAB, "other.txt": FORUM})
    with open_library(library_path) as library:
        import_paths(library, [folder])
        lab = article_from(library.db, folder / "lab.txt")
        start, end = span(library.db, lab, QUOTE)
        create_annotation(library.db, lab, start, end, note="check the budget", colour="sky blue")
        set_document_note(library.db, lab, "ask Tomsk for figures")
        add_tag(library.db, [lab], "Labs")
    return folder


def article_from(db, path) -> int | None:
    row = db.conn.execute("SELECT id FROM documents WHERE path = ?", [str(path)]).fetchone()
    return row[0] if row else None


def click_row(qtbot, window, doc_id: int) -> None:
    view = window.list_view
    rect = view.visualRect(window.model.index(window.model.ids.index(doc_id), 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.current_id() == doc_id, timeout=WAIT_MS)


def settle(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.writer.active == 0 and window.settled(), timeout=WAIT_MS)
    finish_workers(window)


def test_undo_of_a_removal_after_its_folder_was_imported_again_shows_the_highlight_and_note(
        qtbot, open_window, library_path, corpus, monkeypatch):
    window = open_window(library_path)
    db = window.library.db
    lab = article_from(db, corpus / "lab.txt")
    click_row(qtbot, window, lab)
    qtbot.keyClick(window.list_view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: lab not in window.model.ids, timeout=WAIT_MS)

    monkeypatch.setattr(ImportDialog, "ask_folder", classmethod(lambda cls, parent: [corpus]))
    window.action_import_folder.trigger()
    dialog = window.findChild(ImportDialog, "importDialog")
    qtbot.waitUntil(dialog.start_button.isEnabled, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    copy = article_from(db, corpus / "lab.txt")
    qtbot.waitUntil(lambda: copy in window.model.ids, timeout=WAIT_MS)
    settle(qtbot, window)

    window.action_undo.trigger()
    assert window.statusBar().currentMessage() == (
        "Undone: Remove 1 article — 'Joint lab opens' had been imported again, so its highlight, "
        "note and tag were put on that copy.")
    settle(qtbot, window)
    assert sorted(window.model.ids) == sorted({copy, article_from(db, corpus / "other.txt")})
    click_row(qtbot, window, copy)
    start = window.reader.current_document.text.index(QUOTE)
    sky_blue = highlight_colour(PALETTE["sky blue"], theme=window.reader.theme)
    assert painted_colour(window, start) == painted_colour(window, start + len(QUOTE) - 1) == sky_blue
    assert painted_colour(window, start + len(QUOTE)) != sky_blue
    panel = window.findChild(AnnotationPanel, "annotationPanel")
    [card] = panel.cards.values()
    assert card.quote.text() == f"“{QUOTE}”" and card.editor.toPlainText() == "check the budget"
    assert panel.document_note.toPlainText() == "ask Tomsk for figures"
    assert tagged_documents(db, "Labs") == [copy]
    assert window.action_redo.isEnabled()
