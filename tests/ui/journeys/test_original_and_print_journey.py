"""Opening an article's original file or its folder, and saving the article as PDF with its notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMenu

from desktop.core.annotations import create_annotation, set_document_note
from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.ui.originals import FileManager
from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import click_row, listed_titles, menu_action, right_click, shift_click_rows, status_text

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")

WAIT_MS = 10_000
REPORT_TITLE = "Harbin hosts a science fair"
REPORT_SENTENCE = "Engineers from Novosibirsk showed a new cryogenic pump."
REPORT_TEXT = f"{REPORT_TITLE}\n\n{REPORT_SENTENCE} The fair closed on Sunday after three days.\n"
RECORDS = [
    {"title": "Polar station opens", "text": "A joint polar station opens in Yakutia."},
    {"title": "Vaccine trial begins", "text": "Russian and Chinese scientists test a vaccine."},
    {"title": "Universities sign an alliance", "text": "Universities sign an alliance in Harbin."},
]
TYPED_TITLE = "Pasted agency note"
HIGHLIGHT_NOTE = "Check the pump's maker against the 2019 contract"
ARTICLE_NOTE = "Follow up with the fair's organisers"


@pytest.fixture
def originals(tmp_path) -> Path:
    """A folder holding an article as text and an export of three articles as JSON Lines."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "report.txt").write_text(REPORT_TEXT, encoding="utf-8")
    (folder / "export.jsonl").write_text("".join(json.dumps(record) + "\n" for record in RECORDS),
                                         encoding="utf-8")
    return folder


@pytest.fixture
def imported_library(library_path, originals) -> Path:
    """The folder imported, plus one article typed in (no file); the report carries a noted
    highlight on its second sentence and a note of its own."""
    insert_articles(library_path, [{"title": TYPED_TITLE, "text": "Nothing was imported here."}])
    with open_library(library_path) as library:
        import_paths(library, [originals])
        doc_id, text = library.db.execute("SELECT id, text FROM documents WHERE title = ?",
                                          [REPORT_TITLE]).fetchone()
        start = text.index(REPORT_SENTENCE)
        create_annotation(library.db, doc_id, start, start + len(REPORT_SENTENCE),
                          note=HIGHLIGHT_NOTE, colour="sky blue")
        set_document_note(library.db, doc_id, ARTICLE_NOTE)
    return library_path


class OpenedUrls:
    """Stands in for the system's "open this with its program" (records each URL asked for; a
    program opens it unless ``program`` is False) and
    for the desktop's file manager on D-Bus (absent unless ``file_manager``; records each file
    it is asked to show)."""

    def __init__(self, monkeypatch, *, file_manager: bool = False, program: bool = True) -> None:
        self.urls: list[QUrl] = []
        self.program = program
        self.shown: list[Path] = []
        self.file_manager = file_manager
        monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(self.open))
        monkeypatch.setattr(FileManager, "show_item", classmethod(lambda _cls, path: self.show(path)))

    def open(self, url: QUrl) -> bool:
        self.urls.append(url)
        return self.program

    def show(self, path: Path) -> bool:
        if self.file_manager:
            self.shown.append(path)
        return self.file_manager


def read(qtbot, window, title: str) -> None:
    """Click the article titled ``title`` in the list and wait for the reader to show it."""
    click_row(qtbot, window.list_view, listed_titles(window).index(title))
    qtbot.waitUntil(lambda: window.reader.toPlainText().startswith(title))


def menu_entry(menu: QMenu, name: str) -> QAction:
    found = [action for action in menu.actions() if action.objectName() == name]
    assert found, f"the menu has no {name}"
    return found[0]


def list_menu_entry(window, name: str) -> QAction:
    """The entry ``name`` of the context menu a person opens on the selected row."""
    return menu_entry(window.list_menu(), name)


def reader_menu_entry(window, name: str) -> QAction:
    """The entry ``name`` of the context menu a right click in the reader's text opens."""
    menu = right_click(window, window.reader.viewport().rect().center())
    menu.close()
    return menu_entry(menu, name)


def file_menu_entry(window, name: str) -> QAction:
    """The File menu's entry ``name``."""
    return menu_entry(window.file_menu, name)


@pytest.mark.parametrize(("title", "menu", "name", "opened_file", "said"), [
    (REPORT_TITLE, list_menu_entry, "actionOpenOriginal", "report.txt", "Opened report.txt."),
    (REPORT_TITLE, reader_menu_entry, "actionShowInFolder", ".",
     "Showing the folder holding report.txt."),
    ("Vaccine trial begins", file_menu_entry, "actionOpenOriginal", "export.jsonl",
     "Opened record 2 of export.jsonl (3 records)."),
], ids=["list-open-file", "reader-show-folder", "file-menu-open-export-record"])
def test_an_article_opens_its_original_file_or_folder_from_each_menu(
        qtbot, open_window, imported_library, originals, monkeypatch, title, menu, name, opened_file, said):
    opened = OpenedUrls(monkeypatch)
    window = open_window(imported_library)
    read(qtbot, window, title)

    entry = menu(window, name)
    assert entry.isEnabled()
    entry.trigger()

    assert opened.urls == [QUrl.fromLocalFile(str((originals / opened_file).resolve()))]
    assert status_text(window) == said


def test_show_in_folder_selects_the_file_when_the_desktop_has_a_file_manager(
        qtbot, open_window, imported_library, originals, monkeypatch):
    opened = OpenedUrls(monkeypatch, file_manager=True)
    window = open_window(imported_library)
    read(qtbot, window, REPORT_TITLE)

    menu_action(window, "actionShowInFolder").trigger()

    assert opened.shown == [(originals / "report.txt").resolve()] and opened.urls == []
    assert status_text(window) == "Showing the folder holding report.txt."


def test_a_moved_original_is_one_line_in_the_status_bar(
        qtbot, open_window, imported_library, originals, monkeypatch):
    opened = OpenedUrls(monkeypatch)
    window = open_window(imported_library)
    read(qtbot, window, REPORT_TITLE)
    (originals / "report.txt").rename(originals.parent / "elsewhere.txt")

    menu_action(window, "actionOpenOriginal").trigger()
    menu_action(window, "actionShowInFolder").trigger()

    assert opened.urls == []
    assert status_text(window) == (f"The original file {originals / 'report.txt'} is no longer there "
                                   "(moved or deleted).")


def test_a_file_no_program_opens_is_one_line_in_the_status_bar(
        qtbot, open_window, imported_library, monkeypatch):
    OpenedUrls(monkeypatch, program=False)
    window = open_window(imported_library)
    read(qtbot, window, REPORT_TITLE)

    menu_action(window, "actionOpenOriginal").trigger()

    assert status_text(window) == "No program is set up to open report.txt."


def test_an_article_without_a_file_offers_no_original_and_says_why(
        qtbot, open_window, imported_library):
    window = open_window(imported_library)
    read(qtbot, window, TYPED_TITLE)

    for entry in (list_menu_entry(window, "actionOpenOriginal"), reader_menu_entry(window, "actionShowInFolder")):
        assert not entry.isEnabled()
        assert entry.toolTip() == "This article was not imported from a file."


def test_the_list_offers_the_original_and_the_page_only_for_one_article(qtbot, open_window, imported_library):
    window = open_window(imported_library)
    shift_click_rows(qtbot, window.list_view, 0, 1)

    names = {action.objectName() for action in window.list_menu().actions()}

    assert not names & {"actionOpenOriginal", "actionShowInFolder", "actionPrint", "actionSaveAsPdf"}


def test_save_as_pdf_writes_the_article_with_its_highlight_notes(
        qtbot, open_window, imported_library, user_home, tmp_path, monkeypatch):
    target = tmp_path / "out" / "harbin.pdf"
    target.parent.mkdir()
    asked: list[str] = []

    def save_dialog(parent=None, caption="", dir="", filter="", *args, **kwargs):  # noqa: A002 - Qt's name
        asked.append(dir)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    window = open_window(imported_library)
    read(qtbot, window, REPORT_TITLE)

    menu_action(window, "actionSaveAsPdf").trigger()

    qtbot.waitUntil(lambda: target.exists() and str(target) in status_text(window), timeout=WAIT_MS)
    assert asked == [str(user_home / "Documents" / f"{REPORT_TITLE}.pdf")]
    text = " ".join("".join(page.extract_text() for page in PdfReader(target).pages).split())
    for shown in (REPORT_TITLE, REPORT_SENTENCE, HIGHLIGHT_NOTE, ARTICLE_NOTE):
        assert shown in text
