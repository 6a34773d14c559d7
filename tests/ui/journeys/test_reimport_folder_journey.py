"""Journeys re-importing a folder through the import dialog: unchanged files are reported unchanged
(a copy under another name is the duplicate), an edited file updates its article (one copy, new
text in the reader), a deleted file is reported missing, the *as new* box keeps both versions, and
the import history says what each duplicate duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QTreeWidget

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, listed_titles, menu_action
from tests.ui.journeys.test_import_journey import (  # noqa: F401 - articles_folder is a fixture
    ARTICLES,
    OFFSCREEN_RAISE,
    SEED_COUNT,
    WAIT_MS,
    add_folder,
    articles_folder,
    button,
    close_dialog,
    import_folder,
    press_import,
    report_text,
)

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)

TITLE = "Harbin opens a joint laboratory"
EDITED = "Scientists from Tomsk and Harbin opened a joint laboratory for polar and deep-sea research."


def import_again(qtbot, dialog: QDialog, folder: Path, *, as_new: bool = False, scan_says: tuple[str, ...] = ()
                 ) -> None:
    """Import more…, Add folder… (the same folder), check the scan's summary says ``scan_says``, tick
    *as new* if asked, Import; wait for the report."""
    summary = dialog.findChild(QLabel, "importSummary")
    click(qtbot, button(dialog, "Import more…"))
    add_folder(qtbot, dialog, folder)
    scan = dialog.findChild(QLabel, "scanSummary").text()
    assert all(phrase in scan for phrase in scan_says), scan
    if as_new:
        box = dialog.findChild(QCheckBox, "importAsNew")
        assert box is not None and box.isVisible()
        click(qtbot, box)
        assert box.isChecked()
    press_import(qtbot, dialog)
    qtbot.waitUntil(lambda: summary.isVisible() and "duplicate" in summary.text(), timeout=WAIT_MS)


def read_article(qtbot, window, title: str, *, occurrence: int = 0) -> None:
    """Click the ``occurrence``-th row titled ``title`` in the article list."""
    view = window.list_view
    row = [r for r, shown in enumerate(listed_titles(window)) if shown == title][occurrence]
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def edit_harbin(folder: Path) -> None:
    (folder / "harbin.txt").write_text(f"{TITLE}\n\n{EDITED}\n", encoding="utf-8")


COPY = "satellite (copy).txt"


def copy_satellite(folder: Path) -> None:
    """A second file with the text of satellite.txt, as a download saved twice leaves."""
    (folder / COPY).write_bytes((folder / "satellite.txt").read_bytes())


def test_the_same_folder_again_is_reported_unchanged_and_only_a_copy_as_a_duplicate(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=press_import)

    import_again(qtbot, dialog, articles_folder, scan_says=(
        "4 files are already in the library, unchanged", "0 files look like duplicates"))
    assert report_text(dialog) == "Imported 0 articles · 4 unchanged · 0 duplicates · 0 failed"

    copy_satellite(articles_folder)
    import_again(qtbot, dialog, articles_folder)
    assert report_text(dialog) == "Imported 0 articles · 4 unchanged · 1 duplicate · 0 failed"
    close_dialog(qtbot, dialog)
    assert listed_titles(window).count("Satellite data shared") == 1


def test_an_edited_file_updates_its_article_and_the_reader_shows_the_new_text(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=press_import)
    read_article(qtbot, window, TITLE)
    qtbot.waitUntil(lambda: ARTICLES["harbin.txt"][1] in window.reader.toPlainText(), timeout=WAIT_MS)
    edit_harbin(articles_folder)

    import_again(qtbot, dialog, articles_folder)

    assert report_text(dialog).startswith("Imported 0 articles · updated 1 · 3 unchanged · 0 duplicates · 0 failed")
    qtbot.waitUntil(lambda: EDITED in window.reader.toPlainText(), timeout=WAIT_MS)
    close_dialog(qtbot, dialog)
    titles = listed_titles(window)
    assert len(titles) == SEED_COUNT + len(ARTICLES) and titles.count(TITLE) == 1
    read_article(qtbot, window, "Satellite data shared")
    qtbot.waitUntil(lambda: "satellite data" in window.reader.toPlainText(), timeout=WAIT_MS)
    read_article(qtbot, window, TITLE)
    qtbot.waitUntil(lambda: EDITED in window.reader.toPlainText(), timeout=WAIT_MS)


def test_a_deleted_file_is_listed_missing_and_its_article_stays(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=press_import)
    (articles_folder / "forum.txt").unlink()

    import_again(qtbot, dialog, articles_folder)

    assert "missing: 1 file no longer in the folder" in report_text(dialog)
    rows = dialog.findChild(QTreeWidget, "importFailures")
    assert rows.isVisible()
    assert [(rows.topLevelItem(i).text(0), rows.topLevelItem(i).text(1))
            for i in range(rows.topLevelItemCount())] == [
        ("forum.txt", "no longer in the folder — its article is kept")]
    close_dialog(qtbot, dialog)
    assert "Biomedicine forum in Kazan" in listed_titles(window)


def test_as_new_keeps_the_old_and_the_edited_version(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=press_import)
    edit_harbin(articles_folder)

    import_again(qtbot, dialog, articles_folder, as_new=True)

    assert report_text(dialog).startswith("Imported 1 article · 3 unchanged · 0 duplicates")
    qtbot.waitUntil(lambda: listed_titles(window).count(TITLE) == 2, timeout=WAIT_MS)


def test_the_import_history_names_the_article_each_duplicate_duplicates_and_the_update(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch):
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=press_import)
    edit_harbin(articles_folder)
    copy_satellite(articles_folder)
    import_again(qtbot, dialog, articles_folder)
    close_dialog(qtbot, dialog)

    menu_action(window, "actionImportHistory").trigger()

    history = window.findChild(QDialog, "importHistory")
    qtbot.waitUntil(history.isVisible, timeout=WAIT_MS)
    assert history.runs.topLevelItem(0).text(2) == "0 imported, 1 updated, 3 unchanged, 1 duplicate, 0 failed"
    files = history.findChild(QTreeWidget, "importRunFiles")
    rows = {files.topLevelItem(i).text(0): files.topLevelItem(i).text(1)
            for i in range(files.topLevelItemCount())}
    assert rows["harbin.txt"].startswith("updated article ") and rows["harbin.txt"].endswith(f"“{TITLE}”")
    assert rows[COPY].startswith("duplicate of article ") and rows[COPY].endswith("“Satellite data shared”")
    assert "satellite.txt" not in rows  # unchanged: counted, not listed
    history.close()


def test_a_copy_found_a_duplicate_before_is_announced_as_a_duplicate_not_as_unchanged(
        qtbot, open_window, seeds_library, articles_folder, monkeypatch):
    copy_satellite(articles_folder)
    window = open_window(seeds_library)
    dialog = import_folder(qtbot, window, monkeypatch, articles_folder, start=press_import)
    assert report_text(dialog) == "Imported 4 articles · 1 duplicate · 0 failed"

    import_again(qtbot, dialog, articles_folder, scan_says=(
        "4 files are already in the library, unchanged", "1 file looks like a duplicate "))
    assert report_text(dialog) == "Imported 0 articles · 4 unchanged · 1 duplicate · 0 failed"
