"""Journeys through exporting: File ▸ Export result list… opens in Documents, then where the person
saved last; the Highlights and notes window writes the Markdown digest and W3C Web Annotation JSON."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QFileDialog, QLabel, QProgressBar, QPushButton, QWidget

from desktop.core.annotations import create_annotation
from desktop.core.library import open_library
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, menu_action, status_text

OFFSCREEN_RAISE = "This plugin does not support raise"
pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)

WAIT_MS = 10_000
NOTE = "Compare with the 2019 agreement on polar research"
SEED_TITLE = "China-Russia Science and Innovation Activities Held in Harbin"


class SystemDialogs:
    """Stands in for the system's save / open dialogs: records the folder each one opened in
    (its ``dir`` argument) and answers the next path in ``answers`` ("" is Cancel)."""

    def __init__(self, monkeypatch, *answers: Path | str) -> None:
        self.opened_in: list[str] = []
        self.answers = [str(answer) for answer in answers]
        for name in ("getSaveFileName", "getOpenFileName"):
            monkeypatch.setattr(QFileDialog, name, staticmethod(self.answer))

    def answer(self, parent=None, caption="", dir="", filter="", *args, **kwargs):  # noqa: A002 - Qt's name
        self.opened_in.append(dir)
        return self.answers.pop(0), ""


@pytest.fixture
def noted_library(seeds_library) -> Path:
    """The sample articles, the first (by id) with one highlight carrying ``NOTE``."""
    with open_library(seeds_library) as library:
        doc_id = library.db.execute("SELECT min(id) FROM documents").fetchone()[0]
        create_annotation(library.db, doc_id, 0, 40, note=NOTE, colour="blue")
    return seeds_library


def title_of_noted(library_path: Path) -> str:
    with open_library(library_path) as library:
        return library.db.execute("SELECT title FROM documents ORDER BY id LIMIT 1").fetchone()[0]


def export_result_list(qtbot, window, target: Path) -> None:
    """File ▸ Export result list… saved as ``target``; waits for the status bar to say so."""
    menu_action(window, "actionExport").trigger()
    qtbot.waitUntil(lambda: target.exists() and f"to {target}" in status_text(window), timeout=WAIT_MS)


def test_save_dialog_opens_in_documents_then_in_the_folder_saved_to_last(
        qtbot, open_window, seeds_library, user_home, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the folder the program runs in is never where dialogs open
    exports = tmp_path / "project exports"
    exports.mkdir()
    first, second = exports / "first.csv", exports / "second.jsonl"
    dialogs = SystemDialogs(monkeypatch, first, second, "")
    window = open_window(seeds_library)

    export_result_list(qtbot, window, first)
    export_result_list(qtbot, window, second)
    menu_action(window, "actionOpenLibrary").trigger()

    documents = user_home / "Documents"
    assert dialogs.opened_in[:2] == [str(documents / "articles.csv"), str(exports / "articles.csv")]
    assert dialogs.opened_in[2] == str(documents), "libraries remember their own folder"
    assert SEED_TITLE in first.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in second.read_text(encoding="utf-8").splitlines()]
    with open_library(seeds_library) as library:  # each article whole, as the reader's note promises
        texts = {r["id"]: r["text"] for r in library.db.query("SELECT id, text FROM documents")}
    assert len(rows) == 5 and {r["id"]: r["text"] for r in rows} == texts


def test_a_long_result_list_export_shows_its_progress_and_cancelled_leaves_no_file(
        qtbot, open_window, seeds_library, tmp_path, monkeypatch):
    from desktop.core import export

    real = export._result_rows
    monkeypatch.setattr(export, "BATCH", 1)
    monkeypatch.setattr(export, "_result_rows", lambda *args: (time.sleep(0.3), real(*args))[1])
    target = tmp_path / "long.csv"
    SystemDialogs(monkeypatch, target)
    window = open_window(seeds_library)

    menu_action(window, "actionExport").trigger()
    bar = window.statusBar().findChild(QProgressBar, "statusJobBar")
    qtbot.waitUntil(lambda: bar.isVisible() and bar.maximum() == 5 and bar.value() >= 1, timeout=WAIT_MS)
    click(qtbot, window.statusBar().findChild(QPushButton, "statusJobCancel"))

    qtbot.waitUntil(lambda: status_text(window) == "Cancelled.", timeout=WAIT_MS)
    assert not bar.isVisible()
    assert not target.exists() and list(tmp_path.glob(".long.csv.*")) == []


def test_save_dialog_opens_in_home_when_there_is_no_documents_folder(
        qtbot, open_window, seeds_library, user_home, tmp_path, monkeypatch):
    (user_home / "Documents").rmdir()
    target = tmp_path / "list.csv"
    dialogs = SystemDialogs(monkeypatch, target)
    window = open_window(seeds_library)

    export_result_list(qtbot, window, target)

    assert dialogs.opened_in == [str(user_home / "articles.csv")]


def test_exporting_a_list_of_one_article_says_one_article(qtbot, open_window, seeds_library, tmp_path, monkeypatch):
    target = tmp_path / "one.csv"
    SystemDialogs(monkeypatch, target)
    window = open_window(seeds_library)
    qtbot.keyClicks(window.search_box, '"Biomedical international alliance"')
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=WAIT_MS)

    export_result_list(qtbot, window, target)

    assert status_text(window) == f"Exported 1 article to {target}."


def annotations_window(qtbot, window) -> QWidget:
    menu_action(window, "actionAnnotations").trigger()
    view = window.findChild(QWidget, "annotationsView")
    qtbot.waitUntil(lambda: view.isVisible() and view.findChild(QLabel, "annotationsStatus").text() == "1 highlight",
                    timeout=WAIT_MS)
    return view


def export_with_button(qtbot, view: QWidget, text: str, expected_status: str) -> None:
    button = next(b for b in view.findChildren(QPushButton) if b.text().replace("&", "") == text)
    click(qtbot, button)
    status = view.findChild(QLabel, "annotationsStatus")
    qtbot.waitUntil(lambda: status.text() == expected_status, timeout=WAIT_MS)


def test_highlights_window_exports_the_markdown_digest_and_web_annotations(
        qtbot, open_window, noted_library, user_home, monkeypatch):
    documents = user_home / "Documents"
    digest, annotations = documents / "digest.md", documents / "notes.jsonld"
    dialogs = SystemDialogs(monkeypatch, digest, annotations)
    window = open_window(noted_library)
    view = annotations_window(qtbot, window)

    export_with_button(qtbot, view, "Export Markdown…", "Exported 1 article to digest.md.")
    export_with_button(qtbot, view, "Export JSON-LD…", "Exported 1 annotation to notes.jsonld.")

    markdown = digest.read_text(encoding="utf-8")
    assert title_of_noted(noted_library) in markdown and NOTE in markdown
    collection = json.loads(annotations.read_text(encoding="utf-8"))
    assert NOTE in json.dumps(collection)
    assert dialogs.opened_in == [str(documents / "highlights.md"), str(documents / "annotations.jsonld")]


def test_highlights_window_filtered_by_colour_exports_only_the_highlights_it_shows(
        qtbot, open_window, seeds_library, user_home, monkeypatch):
    with open_library(seeds_library) as library:
        doc_id = library.db.execute("SELECT min(id) FROM documents").fetchone()[0]
        create_annotation(library.db, doc_id, 0, 40, note="Shown: the red one", colour="red")
        create_annotation(library.db, doc_id, 60, 90, note="Hidden: the blue one", colour="blue")
    documents = user_home / "Documents"
    digest, annotations = documents / "red.md", documents / "red.jsonld"
    SystemDialogs(monkeypatch, digest, annotations)
    window = open_window(seeds_library)
    menu_action(window, "actionAnnotations").trigger()
    view = window.findChild(QWidget, "annotationsView")
    status = view.findChild(QLabel, "annotationsStatus")
    qtbot.waitUntil(lambda: view.isVisible() and status.text() == "2 highlights", timeout=WAIT_MS)

    colours = view.findChild(QComboBox, "annotationsColour")
    colours.setFocus()
    qtbot.keyClicks(colours, "Vermillion")
    qtbot.waitUntil(lambda: status.text() == "1 highlight", timeout=WAIT_MS)
    export_with_button(qtbot, view, "Export Markdown…", "Exported 1 article to red.md.")
    export_with_button(qtbot, view, "Export JSON-LD…", "Exported 1 annotation to red.jsonld.")

    markdown = digest.read_text(encoding="utf-8")
    assert "Shown: the red one" in markdown and "Hidden" not in markdown
    items = json.loads(annotations.read_text(encoding="utf-8"))["first"]["items"]
    assert [item["body"][0]["value"] for item in items] == ["Shown: the red one"]


def test_the_highlights_windows_buttons_run_on_alt_and_their_underlined_letter(
        qtbot, open_window, noted_library, user_home, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QAbstractButton, QTableView

    documents = user_home / "Documents"
    digest, annotations = documents / "digest.md", documents / "notes.jsonld"
    SystemDialogs(monkeypatch, digest, annotations, annotations)
    window = open_window(noted_library)
    view = annotations_window(qtbot, window)
    qtbot.waitUntil(view.isActiveWindow)
    status = view.findChild(QLabel, "annotationsStatus")
    letters = [QKeySequence.mnemonic(button.text()).toString() for button in view.findChildren(QAbstractButton)
               if button.isVisible()]
    letters.append("Alt+C")  # Close, where the desktop's style writes it "&Close"
    marked = [letter for letter in letters if letter]
    assert len(marked) == len(set(marked)) and {"Alt+O", "Alt+M", "Alt+J", "Alt+I"} <= set(marked), letters

    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: status.text() == "Exported 1 article to digest.md.", timeout=WAIT_MS)
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: status.text() == "Exported 1 annotation to notes.jsonld.", timeout=WAIT_MS)
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: status.text().startswith("Imported 0, updated 0, skipped 1"), timeout=WAIT_MS)

    table = view.findChild(QTableView, "annotationsTable")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.reader.current_document is not None
                    and window.reader.current_document.title == title_of_noted(noted_library), timeout=WAIT_MS)
