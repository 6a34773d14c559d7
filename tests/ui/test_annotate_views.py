"""The tag editor, the annotation panel, the highlight bar and the library-wide annotations view, on their own."""

from __future__ import annotations

import errno
import json
import threading
import time

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QProgressBar, QPushButton

from desktop.core.annotations import (
    content_hash,
    create_annotation,
    delete_annotation,
    list_annotations,
    set_document_note,
)
from desktop.core.library import open_library
from desktop.core.tags import add_tag, create_tag, tag_tree
from desktop.core.webannotation import export_annotations
from desktop.ui.annotation_panel import NOTE_SAVE_MS, AnnotationPanel
from desktop.ui.annotations_view import AnnotationFiles, AnnotationsView, AnnotationTableModel
from desktop.ui.highlight_bar import HighlightBar
from desktop.ui.tag_editor import TagDialogs, TagEditor, TagTreeModel
from tests.ui.conftest import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


@pytest.fixture
def seeds_lib(seeds_library):
    with open_library(seeds_library) as library:
        yield library


@pytest.fixture
def seeds_db(seeds_lib):
    return seeds_lib.db


def doc_ids(db) -> list[int]:
    return [r[0] for r in db.conn.execute("SELECT id FROM documents ORDER BY id")]


def highlight(db, doc_id: int, *, colour: str = "yellow", note: str | None = None) -> dict:
    return create_annotation(db, doc_id, 10, 40, colour=colour, note=note)[0]


def highlight_row(n: int, *, orphaned: bool = False) -> dict:
    return {"id": n, "document_id": 1, "start": n * 10, "end": n * 10 + 5, "quote": f"quote {n}",
            "note": None, "colour": "yellow", "colour_hex": "#F0E442", "orphaned": orphaned,
            "title": "Title", "source": "Xinhua", "published": "2019-01-01"}


# the tag tree ------------------------------------------------------------------------------


def test_tag_tree_model_passes_the_model_tester_empty_filled_and_after_reset(qtmodeltester, seeds_db):
    model = TagTreeModel()
    qtmodeltester.check(model)
    ids = doc_ids(seeds_db)
    add_tag(seeds_db, ids[:2], "Biomed/Vaccines")
    add_tag(seeds_db, ids[1:3], "Biomed/Genomics")
    add_tag(seeds_db, ids[4:], "Arctic")
    model.set_tree(tag_tree(seeds_db))
    qtmodeltester.check(model)
    model.set_tree([])
    qtmodeltester.check(model)


def test_tag_tree_shows_children_under_their_parent_with_article_counts(qtbot, seeds_db):
    ids = doc_ids(seeds_db)
    add_tag(seeds_db, ids[:2], "Biomed/Vaccines")
    add_tag(seeds_db, ids[1:3], "Biomed/Genomics")
    editor = TagEditor()
    qtbot.addWidget(editor)
    editor.set_tree(tag_tree(seeds_db))
    model = editor.model
    parent = model.index_of("Biomed")
    children = [model.index(row, 0, parent).data() for row in range(model.rowCount(parent))]
    assert children == ["Genomics", "Vaccines"]
    assert model.index(parent.row(), TagTreeModel.COUNT).data() == "3"


def test_tag_editor_asks_a_name_and_requests_the_new_tag_under_the_selected_one(qtbot, seeds_db, monkeypatch):
    create_tag(seeds_db, "Region")
    editor = TagEditor()
    qtbot.addWidget(editor)
    editor.set_tree(tag_tree(seeds_db))
    editor.select_path("Region")
    offered = []
    monkeypatch.setattr(TagDialogs, "ask_name",
                        classmethod(lambda cls, parent, **kw: offered.append(kw["text"]) or "Region/Arctic"))
    with qtbot.waitSignal(editor.create_requested) as signal:
        qtbot.mouseClick(editor.new_button, Qt.MouseButton.LeftButton)
    assert offered == ["Region/"] and signal.args == ["Region/Arctic"]


def test_tag_editor_menu_requests_rename_merge_pin_and_delete_of_the_selection(qtbot, seeds_db, monkeypatch):
    first, _ = create_tag(seeds_db, "Vaccine")
    create_tag(seeds_db, "Vaccines")
    editor = TagEditor()
    qtbot.addWidget(editor)
    editor.set_tree(tag_tree(seeds_db))
    editor.select_path("Vaccine")
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Jabs"))
    monkeypatch.setattr(TagDialogs, "ask_merge_target", classmethod(lambda cls, parent, **kw: "Vaccines"))
    editor.edit_menu.aboutToShow.emit()
    actions = {a.text(): a for a in editor.edit_menu.actions()}
    with qtbot.waitSignal(editor.rename_requested) as renamed:
        actions["Rename…"].trigger()
    with qtbot.waitSignal(editor.merge_requested) as merged:
        actions["Merge into…"].trigger()
    pin = {a.text(): a for a in actions["Pin to key"].menu().actions()}
    with qtbot.waitSignal(editor.pin_requested) as pinned:
        pin["Key 3"].trigger()
    with qtbot.waitSignal(editor.delete_requested) as deleted:
        actions["Delete"].trigger()
    assert renamed.args == ["Vaccine", "Jabs"]
    assert merged.args == [[first["id"]], "Vaccines"]
    assert pinned.args == [first["id"], 3]
    assert deleted.args == [first["id"]]


# the annotation panel and the bar ----------------------------------------------------------


def test_panel_lists_highlights_in_reading_order_with_orphans_last_and_a_notice(qtbot):
    panel = AnnotationPanel()
    qtbot.addWidget(panel)
    panel.set_article(1, note="mine", highlights=[highlight_row(1), highlight_row(2, orphaned=True)])
    assert list(panel.cards) == [1, 2]
    assert panel.cards[1].notice.isHidden() and not panel.cards[2].notice.isHidden()
    assert panel.document_note.toPlainText() == "mine"


def test_panel_reports_a_note_after_the_save_delay_and_keeps_typing_across_refreshes(qtbot):
    panel = AnnotationPanel()
    qtbot.addWidget(panel)
    panel.set_article(1, note=None, highlights=[highlight_row(1)])
    editor = panel.note_editor(1)
    qtbot.keyClicks(editor, "half a thought")
    panel.set_article(1, note=None, highlights=[highlight_row(1)])
    assert editor.toPlainText() == "half a thought"
    with qtbot.waitSignal(panel.note_edited, timeout=NOTE_SAVE_MS + 1000) as saved:
        pass
    assert saved.args == [1, "half a thought"]


def test_switching_article_reports_the_note_being_typed_for_the_article_it_belongs_to(qtbot):
    panel = AnnotationPanel()
    qtbot.addWidget(panel)
    panel.set_article(1, note=None, highlights=[])
    qtbot.keyClicks(panel.document_note, "unsaved")
    with qtbot.waitSignal(panel.document_note_edited) as saved:
        panel.set_article(2, note="other", highlights=[])
    assert saved.args == [1, "unsaved"] and panel.document_note.toPlainText() == "other"


def test_highlight_bar_offers_the_eight_palette_colours_and_a_note(qtbot):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    bar = HighlightBar(parent)
    assert len(bar.buttons) == 8
    with qtbot.waitSignal(bar.colour_chosen) as chosen:
        qtbot.mouseClick(bar.buttons["bluish green"], Qt.MouseButton.LeftButton)
    assert chosen.args == ["bluish green"]


# the annotations view ------------------------------------------------------------------------


def test_annotation_table_model_passes_the_model_tester_empty_filled_fetched_and_reset(qtmodeltester):
    qtmodeltester.check(AnnotationTableModel())
    model = AnnotationTableModel()
    model.BATCH = 2
    model.set_rows([highlight_row(n) for n in range(5)])
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    # The tester stays attached and checks every later change; it fetches more while
    # handling a reset, so the resets below leave nothing more to fetch.
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 5
    model.set_rows([highlight_row(9)])
    assert model.row_at(0)["quote"] == "quote 9"
    model.set_rows([])
    assert model.rowCount() == 0


@pytest.fixture
def view(qtbot, seeds_lib):
    widget = AnnotationsView(lambda: seeds_lib)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    assert not widget.job.running


def click(qtbot, view, name: str) -> None:
    qtbot.mouseClick(view.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def test_annotations_view_filters_by_colour_tag_and_text(qtbot, view, seeds_db):
    ids = doc_ids(seeds_db)
    highlight(seeds_db, ids[0], colour="blue", note="satellite plans")
    highlight(seeds_db, ids[1], colour="orange")
    add_tag(seeds_db, [ids[1]], "Biomed")
    view.refresh()
    assert view.model.rowCount() == 2
    view.colour_box.setCurrentIndex(view.colour_box.findData("blue"))
    assert [r["document_id"] for r in view.model.rows] == [ids[0]]
    view.colour_box.setCurrentIndex(0)
    view.tag_box.setCurrentIndex(view.tag_box.findData("Biomed"))
    assert [r["document_id"] for r in view.model.rows] == [ids[1]]
    view.tag_box.setCurrentIndex(0)
    view.text_box.setText("SATELLITE")
    view.refresh()
    assert [r["note"] for r in view.model.rows] == ["satellite plans"]


def test_double_clicking_a_highlight_asks_to_open_its_article_there(qtbot, view, seeds_db):
    ids = doc_ids(seeds_db)
    highlight(seeds_db, ids[2])
    view.refresh()
    with qtbot.waitSignal(view.open_requested) as opened:
        view.table.doubleClicked.emit(view.model.index(0, 1))
    assert opened.args == [ids[2], 10]


def test_annotations_export_as_markdown_and_json_ld_and_import_back(qtbot, view, seeds_db, tmp_path, monkeypatch):
    ids = doc_ids(seeds_db)
    highlight(seeds_db, ids[0], note="first note")
    set_document_note(seeds_db, ids[0], "article thoughts")
    markdown, jsonld = tmp_path / "out.md", tmp_path / "out.jsonld"
    monkeypatch.setattr(AnnotationFiles, "ask_markdown_file", classmethod(lambda cls, parent: markdown))
    monkeypatch.setattr(AnnotationFiles, "ask_jsonld_file", classmethod(lambda cls, parent: jsonld))
    click(qtbot, view, "exportMarkdown")
    qtbot.waitUntil(lambda: view.status.text() == "Exported 1 article to out.md.")
    click(qtbot, view, "exportJsonLd")
    qtbot.waitUntil(lambda: view.status.text() == "Exported 2 annotations to out.jsonld.")
    assert "> " in markdown.read_text() and "first note" in markdown.read_text()
    assert json.loads(jsonld.read_text())["total"] == 2  # the highlight and the article note

    text = seeds_db.conn.execute("SELECT text FROM documents WHERE id = ?", [ids[0]]).fetchone()[0]
    with open_library(tmp_path / "laptop.sqlite") as laptop:
        laptop.db["documents"].insert({"title": "copy", "text": text, "sha256": content_hash(text),
                                       "imported_at": "2024-01-01T00:00:00", "word_count": 1})
        other = AnnotationsView(lambda: laptop)
        qtbot.addWidget(other)
        other.show()
        monkeypatch.setattr(AnnotationFiles, "ask_import_file", classmethod(lambda cls, parent: jsonld))
        with qtbot.waitSignal(other.imported):
            click(qtbot, other, "importJsonLd")
        qtbot.waitUntil(lambda: other.status.text().startswith("Imported 2"))
        assert [row["note"] for row in list_annotations(laptop.db)] == ["first note"]
        assert other.model.rowCount() == 1


def test_import_of_a_file_that_is_not_annotations_says_why_in_one_line_and_changes_nothing(qtbot, view, seeds_db,
                                                                                            tmp_path, monkeypatch):
    junk = tmp_path / "junk.jsonld"
    junk.write_text("not json at all")
    monkeypatch.setattr(AnnotationFiles, "ask_import_file", classmethod(lambda cls, parent: junk))
    click(qtbot, view, "importJsonLd")
    qtbot.waitUntil(lambda: view.status.text().startswith("Not imported:"))
    assert "junk.jsonld is not valid JSON" in view.status.text() and "\n" not in view.status.text()
    assert list_annotations(seeds_db) == []
    assert view.model.rowCount() == 0 and view.findChild(QPushButton, "importJsonLd").isEnabled()


# exporting in the background ---------------------------------------------------------------


@pytest.fixture
def every_article_highlighted(seeds_db, view, monkeypatch):
    """Each sample article has a highlight and the Markdown export writes one article per batch."""
    from desktop.core import export

    for doc_id in doc_ids(seeds_db):
        highlight(seeds_db, doc_id, note="satellite plans" if doc_id == doc_ids(seeds_db)[0] else None)
    view.refresh()
    monkeypatch.setattr(export, "BATCH", 1)
    return export


def slowed(monkeypatch, export, *, seconds: float = 0.0, gate: threading.Event | None = None) -> None:
    """Make each batch of the Markdown export take ``seconds`` or wait for ``gate``."""
    real = export._digest_part

    def slow(*args, **kwargs):
        if gate is not None:
            gate.wait(10)
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(export, "_digest_part", slow)


def test_cancelling_a_long_export_shows_it_cancelled_and_leaves_no_file(qtbot, view, every_article_highlighted,
                                                                      tmp_path, monkeypatch):
    slowed(monkeypatch, every_article_highlighted, seconds=0.3)
    out = tmp_path / "long.md"
    monkeypatch.setattr(AnnotationFiles, "ask_markdown_file", classmethod(lambda cls, parent: out))
    click(qtbot, view, "exportMarkdown")
    bar = view.findChild(QProgressBar, "annotationsJobBar")
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() == 5 and bar.value() >= 1)
    click(qtbot, view, "annotationsJobCancel")
    qtbot.waitUntil(lambda: view.status.text() == "Export cancelled: long.md was not written.", timeout=5000)
    assert not bar.isVisible() and view.findChild(QPushButton, "exportMarkdown").isEnabled()
    assert not out.exists() and list(tmp_path.glob(".long.md.*")) == []


def test_the_filter_box_takes_typing_while_an_export_runs(qtbot, view, every_article_highlighted, tmp_path,
                                                          monkeypatch):
    gate = threading.Event()
    slowed(monkeypatch, every_article_highlighted, gate=gate)
    out = tmp_path / "highlights.md"
    monkeypatch.setattr(AnnotationFiles, "ask_markdown_file", classmethod(lambda cls, parent: out))
    click(qtbot, view, "exportMarkdown")
    bar = view.findChild(QProgressBar, "annotationsJobBar")
    qtbot.waitUntil(bar.isVisible)
    assert not view.findChild(QPushButton, "exportMarkdown").isEnabled()
    qtbot.keyClicks(view.text_box, "satellite")
    try:
        qtbot.waitUntil(lambda: view.model.rowCount() == 1)
        assert bar.isVisible() and not out.exists()  # still exporting
    finally:
        gate.set()
    qtbot.waitUntil(lambda: view.status.text() == "Exported 5 articles to highlights.md.", timeout=5000)
    assert out.read_text().count("\n## ") == 5 and not bar.isVisible()


def test_an_export_onto_a_full_disk_says_so_in_one_line_and_leaves_no_file(qtbot, view, every_article_highlighted,
                                                                            tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(every_article_highlighted, "_digest_part", full)
    out = tmp_path / "full.md"
    monkeypatch.setattr(AnnotationFiles, "ask_markdown_file", classmethod(lambda cls, parent: out))
    click(qtbot, view, "exportMarkdown")
    qtbot.waitUntil(lambda: view.status.text().startswith("Not exported:"))
    assert f"the disk holding {tmp_path} is full" in view.status.text() and "\n" not in view.status.text()
    assert not out.exists() and list(tmp_path.glob(".full.md.*")) == []


# importing in the background ---------------------------------------------------------------


@pytest.fixture
def five_highlights_file(seeds_db, tmp_path):
    """A JSON-LD file of a highlight on each sample article, which the library no longer holds."""
    made = [highlight(seeds_db, doc_id, note=f"note {n}") for n, doc_id in enumerate(doc_ids(seeds_db))]
    out = tmp_path / "five.jsonld"
    export_annotations(seeds_db, out)
    for row in made:
        delete_annotation(seeds_db, row["id"])
    return out


def test_cancelling_an_import_shows_it_cancelled_and_leaves_the_library_unchanged(qtbot, view, seeds_db,
                                                                                 five_highlights_file, monkeypatch):
    from desktop.core import webannotation_import

    monkeypatch.setattr(webannotation_import, "BATCH", 1)
    real = webannotation_import._Importer.apply
    monkeypatch.setattr(webannotation_import._Importer, "apply",
                        lambda self, item: (time.sleep(0.3), real(self, item))[1])
    monkeypatch.setattr(AnnotationFiles, "ask_import_file", classmethod(lambda cls, parent: five_highlights_file))
    click(qtbot, view, "importJsonLd")
    bar = view.findChild(QProgressBar, "annotationsJobBar")
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() == 5 and bar.value() >= 1)
    assert not view.findChild(QPushButton, "importJsonLd").isEnabled()
    click(qtbot, view, "annotationsJobCancel")
    qtbot.waitUntil(lambda: view.status.text() == "Import cancelled: nothing from five.jsonld was added.",
                    timeout=5000)
    assert not bar.isVisible() and view.findChild(QPushButton, "importJsonLd").isEnabled()
    assert list_annotations(seeds_db) == []


def test_the_filter_box_takes_typing_while_an_import_runs(qtbot, view, seeds_db, five_highlights_file, monkeypatch):
    from desktop.core import webannotation_import

    gate = threading.Event()
    real = webannotation_import._Importer.apply
    monkeypatch.setattr(webannotation_import._Importer, "apply",
                        lambda self, item: (gate.wait(10), real(self, item))[1])
    monkeypatch.setattr(AnnotationFiles, "ask_import_file", classmethod(lambda cls, parent: five_highlights_file))
    click(qtbot, view, "importJsonLd")
    bar = view.findChild(QProgressBar, "annotationsJobBar")
    qtbot.waitUntil(bar.isVisible)
    try:
        qtbot.keyClicks(view.text_box, "note 3")
        qtbot.waitUntil(lambda: view.text_box.text() == "note 3" and view.status.text() == "0 highlights")
        assert bar.isVisible()
    finally:
        gate.set()
    qtbot.waitUntil(lambda: view.status.text() == "Imported 5, updated 0, skipped 0 already here.", timeout=5000)
    assert [row["note"] for row in view.model.rows] == ["note 3"] and not bar.isVisible()
