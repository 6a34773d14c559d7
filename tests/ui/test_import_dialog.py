"""The import dialog and what surrounds it in the window: scan, progress, cancel, report, retry,
drop, import history, re-import from file, removal with confirmation, entities after import."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QApplication

from desktop.core import ingest
from desktop.core.documents import get_document
from desktop.core.entities.store import ExtractionReport
from desktop.core.jobs import BYTES
from desktop.core import workflows
from desktop.ui import import_dialog, importing
from desktop.ui.importing import RemoveConfirmation, install
from tests.conftest import SEEDS
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers

OFFSCREEN_RAISE = "This plugin does not support raise"
pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)

GOOD = "Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday {n}."
WAIT_MS = 10_000


@pytest.fixture
def extracted(monkeypatch) -> list[list[int]]:
    """The article ids each entity extraction run took off the queue (the model itself is not loaded)."""
    calls: list[list[int]] = []

    def fake(library, *, doc_ids=None, progress, cancel, **_):
        queued = [r[0] for r in library.db.conn.execute("SELECT document_id FROM extraction_queue ORDER BY 1")]
        taken = [doc_id for doc_id in queued if doc_ids is None or doc_id in doc_ids]
        with library.db.atomic():
            library.db.conn.executemany("DELETE FROM extraction_queue WHERE document_id = ?", [(i,) for i in taken])
        calls.append(taken)
        return ExtractionReport(documents=len(taken), mentions=0, model="test", seconds=0.0)

    monkeypatch.setattr(workflows, "run_queue", fake)
    return calls


@pytest.fixture
def window(open_window, seeds_library, extracted):
    """The main window over the sample articles with importing installed."""
    win = open_window(seeds_library)
    importer = install(win)
    finish_workers(win)
    yield win
    win.close()
    assert importer.dialog is None or importer.dialog.scans.active == 0


@pytest.fixture
def mixed(tmp_path) -> Path:
    """A folder of two good articles, an empty file, an HTML page named .pdf and an unsupported file."""
    folder = tmp_path / "mixed"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(GOOD.format(n=1), encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(GOOD.format(n=2), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "page.pdf").write_text("<!doctype html><html><body><p>Not a PDF</p></body></html>")
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04 junk")
    return folder


def dialog_of(window):
    return importing.install(window).open_dialog()


def scanned(qtbot, dialog, paths):
    with qtbot.waitSignal(dialog.scan_finished, timeout=WAIT_MS):
        dialog.add_paths(paths)
    return dialog.summary


def run_import(qtbot, dialog, paths=None):
    """Import ``paths``, or the chosen ones by clicking Import; the report."""
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS) as blocker:
        if paths is None:
            qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
        else:
            dialog.start(paths)
    return blocker.args[0]


def finish(qtbot, window):
    """Wait until the window's writes and searches are done and their results shown."""
    qtbot.waitUntil(lambda: window.writer.active == 0 and window.settled(), timeout=WAIT_MS)


def failure_rows(dialog) -> dict[str, str]:
    tree = dialog.failures
    return {Path(tree.topLevelItem(i).text(0)).name: tree.topLevelItem(i).text(1)
            for i in range(tree.topLevelItemCount())}


def test_ctrl_i_action_opens_the_import_dialog(window):
    action = window.findChild(type(window.action_import), "actionImport")
    assert QKeySequence("Ctrl+I") in action.shortcuts()
    action.trigger()
    dialog = window.findChild(import_dialog.ImportDialog, "importDialog")
    assert dialog is not None and dialog.isVisible()
    assert window.action_import.text() == "&Import…"


def test_import_folder_asks_for_a_folder_in_the_dialog(qtbot, window, mixed, monkeypatch):
    monkeypatch.setattr(import_dialog.ImportDialog, "ask_folder", classmethod(lambda cls, parent: [mixed]))
    window.action_import_folder.trigger()
    dialog = window.findChild(import_dialog.ImportDialog, "importDialog")
    assert dialog.isVisible() and dialog.paths == [mixed]
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=WAIT_MS)


def test_file_menu_offers_import_history_and_reimport(window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    names = [action.objectName() for action in file_menu.actions()]
    assert names.index("actionImportHistory") < names.index("actionReimport") < names.index("actionExport")


def test_choosing_a_folder_shows_files_per_type_unsupported_and_likely_duplicates(qtbot, window, mixed, monkeypatch):
    dialog = dialog_of(window)
    monkeypatch.setattr(import_dialog.ImportDialog, "ask_folder", classmethod(lambda cls, parent: [mixed]))
    with qtbot.waitSignal(dialog.scan_finished, timeout=WAIT_MS):
        next(b for b in dialog.findChildren(type(dialog.start_button)) if b.text() == "Add f&older…").click()
    text = dialog.scan_label.text()
    assert "3 files to read</b>: 2 .txt, 1 .pdf" in text
    assert "1 file of a type Dossier cannot read (.pptx)" in text
    assert "1 file cannot be read — listed as failed: empty.txt: empty file" in text
    assert "0 files look like duplicates" in text
    assert dialog.start_button.isEnabled()


def test_a_linked_folder_is_counted_and_an_unreadable_one_is_named_then_reported(
    qtbot, window, tmp_path, monkeypatch
):
    top, elsewhere = tmp_path / "top", tmp_path / "elsewhere"
    for folder, n in ((top, 1), (top / "locked", 2), (elsewhere, 3)):
        folder.mkdir(parents=True)
        (folder / f"{n}.txt").write_text(GOOD.format(n=n), encoding="utf-8")
    (top / "linked").symlink_to(elsewhere, target_is_directory=True)
    real_scandir = os.scandir

    def scandir(path=".", *args, **kwargs):  # root lists any folder: refuse this one
        if os.fspath(path).rstrip(os.sep) == str(top / "locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    dialog = dialog_of(window)
    monkeypatch.setattr(import_dialog.ImportDialog, "ask_folder", classmethod(lambda cls, parent: [top]))
    with qtbot.waitSignal(dialog.scan_finished, timeout=WAIT_MS):
        next(b for b in dialog.findChildren(type(dialog.start_button)) if b.text() == "Add f&older…").click()
    assert "2 files to read</b>: 2 .txt" in dialog.scan_label.text()
    assert "1 folder cannot be read — listed as failed" in dialog.scan_label.text()
    run_import(qtbot, dialog)
    assert dialog.report_label.text() == "Imported 2 articles · 0 duplicates · 1 failed"
    assert failure_rows(dialog) == {"locked": "folder cannot be read: permission denied"}
    finish(qtbot, window)


def test_a_link_to_nothing_and_a_name_not_utf8_are_named_in_the_scan_then_reported(qtbot, window, tmp_path):
    """Before, the scan read "2 paths not found" for them."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "1.txt").write_text(GOOD.format(n=1), encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt")).write_text(GOOD.format(n=2), encoding="utf-8")
    dialog = dialog_of(window)
    scanned(qtbot, dialog, [folder])
    link = f"gone.txt: a link to something that is not there: {tmp_path / 'nowhere.txt'}"
    name = "caf\ufffd.txt: its name is not UTF-8 (an older encoding): rename the file to import it"
    assert f"2 files cannot be read — listed as failed: {name}; {link}" in dialog.scan_label.text()
    assert "not found" not in dialog.scan_label.text()
    run_import(qtbot, dialog)
    assert failure_rows(dialog) == dict(line.split(": ", 1) for line in (name, link))
    finish(qtbot, window)


def test_the_sample_folder_again_looks_unchanged_not_like_five_duplicates(qtbot, window):
    summary = scanned(qtbot, dialog_of(window), [SEEDS])
    assert (len(summary.likely_unchanged), summary.likely_duplicates) == (5, [])
    text = dialog_of(window).scan_label.text()
    assert "5 files are already in the library, unchanged" in text
    assert "0 files look like duplicates" in text


def test_report_lists_each_failed_file_with_its_reason_in_plain_words(qtbot, window, mixed):
    dialog = dialog_of(window)
    scanned(qtbot, dialog, [mixed])
    report = run_import(qtbot, dialog)
    assert dialog.report_label.text() == "Imported 2 articles · 0 duplicates · 3 failed"
    assert failure_rows(dialog) == {
        "empty.txt": "empty file",
        "page.pdf": "not a PDF: the file is HTML",
        "slides.pptx": "unsupported type .pptx",
    }
    assert dialog.retry_button.isEnabled() and dialog.show_button.isEnabled()
    finish(qtbot, window)
    assert set(report.imported) <= set(window.model.ids)


def test_report_lists_a_file_read_with_its_stray_nuls_removed(qtbot, window, tmp_path):
    stray = tmp_path / "stray.txt"
    text = GOOD.format(n=1).encode() + b" The two labs will share staff from next autumn."
    stray.write_bytes(text[:30] + b"\x00" + text[30:])
    dialog = dialog_of(window)
    scanned(qtbot, dialog, [stray])
    run_import(qtbot, dialog)
    assert dialog.report_label.text() == "Imported 1 article · 0 duplicates · 0 failed"
    assert failure_rows(dialog) == {"stray.txt": "imported; 1 NUL byte removed"}
    finish(qtbot, window)


def test_failed_records_of_one_export_with_the_same_reason_share_one_row(qtbot, window, tmp_path):
    feed = tmp_path / "feed.jsonl"
    good = '{"title": "Deal", "text": "Harbin and Omsk sign a deal."}'
    feed.write_text("\n".join([good, *['{"title": "Empty", "text": ""}'] * 7, "{broken"]) + "\n",
                    encoding="utf-8")
    dialog = dialog_of(window)
    report = run_import(qtbot, dialog, [feed])
    assert len(report.failed) == 8
    rows = [(dialog.failures.topLevelItem(i).text(0), dialog.failures.topLevelItem(i).text(1))
            for i in range(dialog.failures.topLevelItemCount())]
    assert rows[0][0] == "feed.jsonl — 7 records (2, 3, 4, 5, 6, …)"
    assert rows[1][0] == "feed.jsonl:9" and len(rows) == 2


def test_new_articles_are_sent_to_entity_extraction_after_the_import(qtbot, window, mixed, extracted):
    report = run_import(qtbot, dialog_of(window), [mixed])
    qtbot.waitUntil(lambda: extracted == [report.imported], timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "Entities found in 2 articles" in window.statusBar().currentMessage(),
                    timeout=WAIT_MS)


class Gate:
    """An import that waits at its second file (or the step ``at`` picks) until the test lets it go on."""

    def __init__(self, monkeypatch, at=lambda p: p.done == 2) -> None:
        self.reached = threading.Event()
        self.go_on = threading.Event()
        real = ingest.import_paths

        def gated(library, paths, *, progress, cancel, **kwargs):
            def step(p):
                progress(p)
                if at(p):
                    self.reached.set()
                    self.go_on.wait(WAIT_MS / 1000)
            return real(library, paths, progress=step, cancel=cancel, batch_size=1, **kwargs)

        monkeypatch.setattr(workflows, "import_paths", gated)


def test_progress_shows_files_done_of_total_while_the_import_runs(qtbot, window, mixed, monkeypatch):
    gate = Gate(monkeypatch)
    dialog = dialog_of(window)
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS):
        dialog.start([mixed])
        qtbot.waitUntil(lambda: dialog.bar.value() == 2, timeout=WAIT_MS)
        assert dialog.bar.maximum() == 5
        assert dialog.pace_label.text().startswith("2 of 5 files")
        assert window.isEnabled() and dialog.running
        gate.go_on.set()


def test_cancel_stops_the_import_and_keeps_what_was_stored(qtbot, window, mixed, monkeypatch):
    gate = Gate(monkeypatch)
    dialog = dialog_of(window)
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS) as blocker:
        dialog.start([mixed])
        assert gate.reached.wait(WAIT_MS / 1000)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        gate.go_on.set()
    report = blocker.args[0]
    assert report.cancelled and (len(report.imported), len(report.failed)) == (1, 1)
    assert "cancelled; everything imported before Cancel is kept" in dialog.report_label.text()
    assert window.library.document_count() == 6


def test_cancelling_the_import_does_not_say_finding_entities_was_cancelled(qtbot, window, mixed, monkeypatch,
                                                                          extracted):
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    gate = Gate(monkeypatch)
    dialog = dialog_of(window)
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS):
        dialog.start([mixed])
        assert gate.reached.wait(WAIT_MS / 1000)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        gate.go_on.set()
    qtbot.waitUntil(lambda: "Entities found in 1 article." in shown, timeout=WAIT_MS)
    finish(qtbot, window)
    assert not [text for text in shown if "Finding entities cancelled" in text]


def _array_export(folder: Path, count: int = 2_500) -> Path:
    export = folder / "export.json"
    export.write_text("[\n" + ",\n".join(f'{{"title": "Report {n}", "text": "Tomsk signs agreement {n}."}}'
                                          for n in range(count)) + "\n]\n", encoding="utf-8")
    return export


def _cancel_within_first_batch(qtbot, dialog, export: Path, gate: Gate) -> None:
    """Import ``export`` by clicking Import, and Cancel once its first batch of records is read."""
    scanned(qtbot, dialog, [export])
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bar.maximum() == export.stat().st_size, timeout=WAIT_MS)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gate.go_on.set()


def test_an_export_shows_the_bytes_read_and_cancel_keeps_the_records_stored(qtbot, window, tmp_path, monkeypatch):
    export = _array_export(tmp_path)
    before = window.library.document_count()
    gate = Gate(monkeypatch, at=lambda p: p.unit == BYTES)
    dialog = dialog_of(window)
    scanned(qtbot, dialog, [export])
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.bar.maximum() == export.stat().st_size, timeout=WAIT_MS)
    assert 0 < dialog.bar.value() < dialog.bar.maximum()
    assert re.match(r"6\d KB of 157 KB read", dialog.pace_label.text())
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    gate.go_on.set()
    qtbot.waitUntil(lambda: "stopped after the first" in dialog.report_label.text(), timeout=WAIT_MS)
    assert dialog.report_label.text().startswith("Imported 1,000 articles")
    assert dialog.report_label.text().endswith(
        " — cancelled: stopped after the first 1,000 records of export.json (39% of the file); everything imported "
        "before Cancel is kept, and importing the file again adds the rest")
    assert window.library.document_count() == before + 1_000


def test_an_export_cancelled_within_is_finished_by_importing_it_again(qtbot, window, tmp_path, monkeypatch):
    export = _array_export(tmp_path)
    before = window.library.document_count()
    dialog = dialog_of(window)
    _cancel_within_first_batch(qtbot, dialog, export, Gate(monkeypatch, at=lambda p: p.unit == BYTES))
    qtbot.waitUntil(lambda: "stopped after the first" in dialog.report_label.text(), timeout=WAIT_MS)
    more = next(b for b in dialog.findChildren(type(dialog.start_button)) if b.text() == "Import &more…")
    qtbot.mouseClick(more, Qt.MouseButton.LeftButton)
    scanned(qtbot, dialog, [export])
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.report_label.text().startswith("Imported 1,500 articles · 1,000 unchanged · "
                                                                  "0 duplicates · 0 failed"), timeout=WAIT_MS)
    assert window.library.document_count() == before + 2_500


def test_retry_failed_imports_the_failed_files_again(qtbot, window, mixed):
    dialog = dialog_of(window)
    run_import(qtbot, dialog, [mixed])
    (mixed / "empty.txt").write_text(GOOD.format(n=3), encoding="utf-8")
    with qtbot.waitSignal(dialog.import_finished, timeout=WAIT_MS) as blocker:
        dialog.retry_button.click()
    assert len(blocker.args[0].imported) == 1
    assert set(failure_rows(dialog)) == {"page.pdf", "slides.pptx"}


def test_copy_report_puts_totals_and_reasons_on_the_clipboard(qtbot, window, mixed):
    dialog = dialog_of(window)
    run_import(qtbot, dialog, [mixed])
    dialog.findChild(type(dialog.retry_button), "copyReport").click()
    text = QGuiApplication.clipboard().text()
    assert "2 imported, 0 duplicates, 3 failed" in text
    assert f"{mixed / 'page.pdf'}: not a PDF: the file is HTML" in text


def test_show_in_list_selects_the_new_articles(qtbot, window, mixed):
    dialog = dialog_of(window)
    report = run_import(qtbot, dialog, [mixed])
    finish(qtbot, window)
    window.set_query("Scientists")
    finish(qtbot, window)
    dialog.show_button.click()
    finish(qtbot, window)
    assert window.query_text == ""
    assert sorted(window.selected_ids()) == sorted(report.imported)
    assert window.current_id() == report.imported[0]


def test_an_import_that_crashes_is_reported_in_the_dialog(qtbot, window, mixed, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(workflows, "import_paths", broken)
    dialog = dialog_of(window)
    dialog.start([mixed])
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert dialog.report_label.text().startswith("The import stopped: Something went wrong (RuntimeError)")
    assert not dialog.retry_button.isEnabled()


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")
def test_dropping_a_folder_on_the_window_opens_the_dialog_with_it(qtbot, window, mixed):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(mixed))])
    enter = QDragEnterEvent(window.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    dialog = window.findChild(import_dialog.ImportDialog, "importDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.paths == [mixed]
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=WAIT_MS)


def test_import_history_lists_every_run_and_retries_a_run_s_failures(qtbot, window, mixed):
    importer = install(window)
    run_import(qtbot, dialog_of(window), [mixed])
    history = importer.show_history()
    assert history.objectName() == "importHistory"
    assert history.runs.topLevelItemCount() == 2
    newest = history.runs.topLevelItem(0)
    assert (newest.text(1), newest.text(2)) == ("mixed", "2 imported, 0 duplicates, 3 failed")
    assert history.failures.topLevelItemCount() == 3
    with qtbot.waitSignal(importer.dialog.import_finished, timeout=WAIT_MS) as blocker:
        history.retry_button.click()
    assert len(blocker.args[0].failed) == 3


def test_reimport_from_file_updates_the_text_in_place_and_extracts_entities_again(
        qtbot, window, tmp_path, extracted):
    path = tmp_path / "lab.txt"
    path.write_text(GOOD.format(n=1), encoding="utf-8")
    (doc_id,) = run_import(qtbot, dialog_of(window), [path]).imported
    qtbot.waitUntil(lambda: extracted == [[doc_id]], timeout=WAIT_MS)
    finish(qtbot, window)
    path.write_text(GOOD.format(n=1) + " They will study Arctic materials.", encoding="utf-8")
    assert window.show_article(doc_id)
    menu = window.list_menu()
    action = window.findChild(type(window.action_import), "actionReimport")
    assert action in menu.actions()
    action.trigger()
    finish(qtbot, window)
    assert get_document(window.library.db, doc_id).text.endswith("Arctic materials.")
    assert extracted[-1] == [doc_id]
    assert window.statusBar().currentMessage() == "1 article updated; entities found in 1 article."


def test_removing_articles_asks_first_and_undo_brings_them_back(qtbot, window, monkeypatch):
    answers = []
    monkeypatch.setattr(RemoveConfirmation, "ask",
                        classmethod(lambda cls, parent, *, count: answers.append(count) or answers[0] == 99))
    removal = window.findChild(type(window.action_import), "actionRemoveArticles")
    window.list_view.selectAll()
    removal.trigger()
    finish(qtbot, window)
    assert answers == [5] and window.library.document_count() == 5
    monkeypatch.setattr(RemoveConfirmation, "ask", classmethod(lambda cls, parent, *, count: True))
    removal.trigger()
    finish(qtbot, window)
    assert window.library.document_count() == 0
    window.action_undo.trigger()
    finish(qtbot, window)
    assert window.library.document_count() == 5


def test_the_report_rows_have_room_and_the_list_is_no_taller_than_its_rows(qtbot, window, mixed):
    dialog = dialog_of(window)
    run_import(qtbot, dialog, [mixed])
    tree = dialog.failures
    row_height = tree.visualItemRect(tree.topLevelItem(0)).height()
    assert row_height >= tree.fontMetrics().height() + 8
    rows = tree.topLevelItemCount() * row_height
    assert tree.height() <= tree.header().height() + rows + 2 * tree.frameWidth() + 8
    finish(qtbot, window)


def test_report_names_each_duplicate_and_the_article_it_repeats(qtbot, window, tmp_path):
    folder = tmp_path / "copies"
    folder.mkdir()
    (folder / "a.txt").write_text(GOOD.format(n=1), encoding="utf-8")
    (folder / "b.txt").write_text(GOOD.format(n=1), encoding="utf-8")
    dialog = dialog_of(window)
    scanned(qtbot, dialog, [folder])
    report = run_import(qtbot, dialog)
    assert dialog.report_label.text() == "Imported 1 article · 1 duplicate · 0 failed"
    title = get_document(window.library.db, report.imported[0]).title
    assert failure_rows(dialog) == {"b.txt": f"duplicate of article {report.imported[0]} “{title}”"}
    assert dialog.failures.isVisible()
    finish(qtbot, window)


def test_show_in_list_puts_the_keyboard_on_the_list_of_new_articles(qtbot, window, mixed):
    dialog = dialog_of(window)
    run_import(qtbot, dialog, [mixed])
    finish(qtbot, window)
    window.search_box.setFocus()
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    finish(qtbot, window)
    qtbot.waitUntil(lambda: window.focusWidget() is window.list_view)
