"""Journeys through the import dialog: Ctrl+I, Add folder…, Import (by click or Enter), the report,
the new articles in the list and the reader; a folder with bad files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTreeWidget

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, drop_on, menu_action

OFFSCREEN_RAISE = "This plugin does not support raise"
pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)

WAIT_MS = 20_000
SEED_COUNT = 5
ARTICLES = {
    "harbin.txt": ("Harbin opens a joint laboratory",
                   "Scientists from Tomsk and Harbin opened a joint laboratory for polar research."),
    "novosibirsk.txt": ("Vaccine study in Novosibirsk",
                        "A vaccine study by Russian and Chinese virologists began in Novosibirsk."),
    "satellite.txt": ("Satellite data shared",
                      "The two space agencies agreed to share satellite data on Arctic ice."),
    "forum.txt": ("Biomedicine forum in Kazan",
                  "Doctors from Wuhan and Kazan met at a forum on biomedicine."),
}


@pytest.fixture
def articles_folder(tmp_path) -> Path:
    """A folder of four small text articles: a headline line, a blank line, the text."""
    folder = tmp_path / "new articles"
    folder.mkdir()
    for name, (title, text) in ARTICLES.items():
        (folder / name).write_text(f"{title}\n\n{text}\n", encoding="utf-8")
    return folder


@pytest.fixture
def bad_folder(articles_folder) -> Path:
    """The four articles plus an empty text file and a .pdf that is not a PDF."""
    (articles_folder / "empty.txt").write_bytes(b"")
    (articles_folder / "scan.pdf").write_bytes(b"this is no pdf at all, just junk bytes \x00\x01")
    return articles_folder


@pytest.fixture
def old_names_folder(articles_folder) -> Path:
    """The four articles plus one whose file name is Windows-1251 bytes, as an old archive unpacks it."""
    name = os.fsdecode("Статья о науке".encode("cp1251") + b".txt")
    (articles_folder / name).write_text("Science article\n\nA text about science.\n", encoding="utf-8")
    return articles_folder


def choose_folder(monkeypatch, folder: Path) -> None:
    """The system folder dialog answers ``folder``."""
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getExistingDirectory",
                        lambda *args, **kwargs: str(folder))


def open_import_dialog(qtbot, window) -> QDialog:
    """Ctrl+I, as File ▸ Import… : the import dialog shows."""
    action = menu_action(window, "actionImport")
    assert QKeySequence("Ctrl+I") in action.shortcuts()
    action.trigger()
    dialog = window.findChild(QDialog, "importDialog")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def button(dialog: QDialog, text: str) -> QPushButton:
    """The visible button of ``dialog`` reading ``text`` (mnemonic ampersands ignored)."""
    found = [b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == text and b.isVisible()]
    assert len(found) == 1, f"no single visible button {text!r}"
    return found[0]


def add_folder(qtbot, dialog: QDialog, folder: Path) -> None:
    """Click Add folder… and wait until the scan says what will be read."""
    click(qtbot, button(dialog, "Add folder…"))
    summary = dialog.findChild(QLabel, "scanSummary")
    qtbot.waitUntil(lambda: "to read" in summary.text(), timeout=WAIT_MS)


def report_text(dialog: QDialog) -> str:
    return dialog.findChild(QLabel, "importSummary").text()


def listed_titles(window) -> list[str]:
    model = window.list_view.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def wait_for_import(qtbot, window, dialog: QDialog, *, imported: int) -> None:
    """The report counts ``imported`` articles, the list shows them and the status bar the total."""
    summary = dialog.findChild(QLabel, "importSummary")
    qtbot.waitUntil(lambda: summary.isVisible() and f"Imported {imported} article" in report_text(dialog),
                    timeout=WAIT_MS)
    total = SEED_COUNT + imported
    qtbot.waitUntil(lambda: len(listed_titles(window)) == total, timeout=WAIT_MS)
    titles = listed_titles(window)
    assert all(title in titles for title, _ in ARTICLES.values())
    count = window.findChild(QLabel, "resultCount")
    qtbot.waitUntil(lambda: count.text() == f"{total} of {total} articles", timeout=WAIT_MS)


def close_dialog(qtbot, dialog: QDialog) -> None:
    click(qtbot, button(dialog, "Close"))
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)


def read_article(qtbot, window, title: str) -> None:
    """Click ``title`` in the article list and wait until the reader shows it."""
    view = window.list_view
    row = listed_titles(window).index(title)
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = ARTICLES[next(name for name, (t, _) in ARTICLES.items() if t == title)][1]
    qtbot.waitUntil(lambda: text in window.reader.toPlainText(), timeout=WAIT_MS)


def press_import(qtbot, dialog: QDialog) -> None:
    click(qtbot, button(dialog, "Import"))


def press_enter(qtbot, dialog: QDialog) -> None:
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)


def import_folder(qtbot, window, monkeypatch, folder: Path, *, start) -> QDialog:
    """Ctrl+I, Add folder… (answered ``folder``), ``start`` the import, wait for the report and
    the new rows: the dialog, still open on its report."""
    choose_folder(monkeypatch, folder)
    dialog = open_import_dialog(qtbot, window)
    add_folder(qtbot, dialog, folder)
    start(qtbot, dialog)
    wait_for_import(qtbot, window, dialog, imported=len(ARTICLES))
    return dialog


@pytest.mark.parametrize(("start", "title"), [
    (press_import, "Vaccine study in Novosibirsk"),
    (press_enter, "Satellite data shared"),
], ids=["click-import", "press-enter"])
def test_import_by_click_or_enter_puts_a_folder_in_the_list_and_reader(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch, start, title):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=start)
    close_dialog(qtbot, dialog)
    read_article(qtbot, window, title)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["laptop", "desktop"])
def test_a_report_listing_nothing_says_every_file_was_read_in_the_middle_of_its_page(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch, size):
    window = open_window(seeds_library)
    window.resize(*size)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=press_import)
    assert report_text(dialog) == "Imported 4 articles · 0 duplicates · 0 failed"
    note = dialog.findChild(QLabel, "importNextStep")
    assert note.isVisible() and note.text().startswith("Every file was read")
    assert not dialog.findChild(QTreeWidget, "importFailures").isVisible()
    assert not [b for b in dialog.findChildren(QPushButton) if "Retry" in b.text() and b.isVisible()]

    summary = dialog.findChild(QLabel, "importSummary")
    page = summary.parentWidget()
    buttons_top = button(dialog, "Close").mapTo(page, button(dialog, "Close").rect().topLeft()).y()
    above = summary.geometry().top()
    below = buttons_top - note.geometry().bottom()
    assert abs(above - below) <= 30, (above, below)  # no page of empty space under one line
    close_dialog(qtbot, dialog)


def test_bad_files_are_reported_one_line_each_and_the_rest_imported(qtbot, open_window, seeds_library,
                                                                    bad_folder, monkeypatch):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, bad_folder, start=press_import)
    assert "2 failed" in report_text(dialog)
    failures = dialog.findChild(QTreeWidget, "importFailures")
    assert failures.isVisible()
    rows = {failures.topLevelItem(i).text(0): failures.topLevelItem(i).text(1)
            for i in range(failures.topLevelItemCount())}
    assert sorted(rows) == ["empty.txt", "scan.pdf"]
    for reason in rows.values():
        assert reason and "\n" not in reason and "Traceback" not in reason
    close_dialog(qtbot, dialog)
    read_article(qtbot, window, "Harbin opens a joint laboratory")


def test_a_file_named_in_an_older_encoding_is_reported_and_the_rest_imported(
        qtbot, open_window, seeds_library, old_names_folder, monkeypatch):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, old_names_folder, start=press_import)
    assert "1 failed" in report_text(dialog)
    failures = dialog.findChild(QTreeWidget, "importFailures")
    assert [(failures.topLevelItem(0).text(0), failures.topLevelItem(0).text(1))] == [
        ("\ufffd" * 6 + " \ufffd \ufffd" + "\ufffd" * 4 + ".txt", "its name is not UTF-8 (an older encoding): rename the file to import it")]


def test_a_folder_dropped_on_the_window_is_offered_for_import_and_imported(
        qtbot, open_window, seeds_library, articles_folder):
    window = open_window(seeds_library)
    drop_on(window, [articles_folder])
    qtbot.waitUntil(lambda: (found := window.findChild(QDialog, "importDialog")) is not None
                    and found.isVisible(), timeout=WAIT_MS)
    dialog = window.findChild(QDialog, "importDialog")
    summary = dialog.findChild(QLabel, "scanSummary")
    qtbot.waitUntil(lambda: "to read" in summary.text(), timeout=WAIT_MS)
    press_import(qtbot, dialog)
    wait_for_import(qtbot, window, dialog, imported=len(ARTICLES))
    close_dialog(qtbot, dialog)
    read_article(qtbot, window, "Biomedicine forum in Kazan")


@pytest.fixture
def many_articles(tmp_path) -> Path:
    """A folder of 1,500 short articles: an import of it runs long enough to close the window during it."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(1500):
        (folder / f"{n:04d}.txt").write_text(f"Report {n}\n\nJoint laboratory report number {n} from Tomsk.\n",
                                             encoding="utf-8")
    return folder


def test_closing_the_window_during_an_import_asks_and_keep_importing_finishes_it(
        qtbot, open_window, seeds_library, many_articles, monkeypatch):
    from desktop.ui.importing import StopImportQuestion

    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(StopImportQuestion, "ask",
                        classmethod(lambda cls, parent, *, done, total: asked.append((done, total)) or False))
    window = open_window(seeds_library)
    choose_folder(monkeypatch, many_articles)
    dialog = open_import_dialog(qtbot, window)
    add_folder(qtbot, dialog, many_articles)
    press_import(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=WAIT_MS)

    assert not window.close()
    assert window.isVisible() and len(asked) == 1 and asked[0][1] == 1500
    summary = dialog.findChild(QLabel, "importSummary")
    qtbot.waitUntil(lambda: summary.isVisible(), timeout=WAIT_MS)
    assert report_text(dialog) == "Imported 1,500 articles · 0 duplicates · 0 failed"
    qtbot.waitUntil(lambda: window.findChild(QLabel, "resultCount").text() == "1,505 of 1,505 articles",
                    timeout=WAIT_MS)
