"""Journeys through the library's care: File ▸ Check library…, File ▸ Restore from backup…,
a damaged library found on opening, and a read-only library."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QPushButton

from desktop.core.backups import backup_before, list_backups, restore
from desktop.core.library import open_library
from desktop.ui.backups import Notice, RecoverTarget, RestoreDialog
from tests.core.test_damage import build_library, change_an_index_entry, flip_page_bytes, found_after_a_crash
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers
from tests.ui.journeys.steps import click, menu_action

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

WAIT_MS = 10_000


class Notices:
    """Stands in for the message box that shows a result: records (title, text)."""

    def __init__(self, monkeypatch) -> None:
        self.shown: list[tuple[str, str]] = []
        monkeypatch.setattr(Notice, "show", classmethod(
            lambda cls, parent, title, text: self.shown.append((title, text))))


def listed(window) -> int:
    return window.model.rowCount()


def test_check_library_runs_in_the_background_and_shows_the_result(qtbot, open_window, seeds_library,
                                                                   monkeypatch):
    notices = Notices(monkeypatch)
    window = open_window(seeds_library)
    menu_action(window, "actionCheckLibrary").trigger()
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=WAIT_MS)
    assert notices.shown == [("Check library", notices.shown[0][1])]
    assert notices.shown[0][1].startswith("No problems found")
    assert window.statusBar().currentMessage().startswith("No problems found")


def test_check_library_finds_damage_the_opening_check_misses_and_stops_edits(
    qtbot, open_window, tmp_path, monkeypatch
):
    notices = Notices(monkeypatch)
    path = build_library(tmp_path / "library.sqlite")
    change_an_index_entry(path)
    window = open_window(path)
    assert window.findChild(QAction, "actionImport").isEnabled()
    menu_action(window, "actionCheckLibrary").trigger()
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=WAIT_MS)
    assert notices.shown[0][1].startswith("Problems found: the file is damaged: row 1 missing")
    assert "(damaged)" in window.windowTitle()
    assert not window.findChild(QAction, "actionImport").isEnabled()


def test_restore_from_backup_lists_backups_and_reopens_the_restored_library(
    qtbot, open_window, seeds_library, monkeypatch
):
    with open_library(seeds_library) as library:
        backup_before(library, "manual")
        library.db.execute("DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)")
    offered: list[list] = []

    def choose_newest(cls, parent, backups):
        offered.append(backups)
        return backups[0].path

    monkeypatch.setattr(RestoreDialog, "ask", classmethod(choose_newest))
    window = open_window(seeds_library)
    assert listed(window) == 4
    menu_action(window, "actionRestoreBackup").trigger()
    qtbot.waitUntil(lambda: listed(window) == 5, timeout=WAIT_MS)
    assert [b.reason for b in offered[0]][0] in ("manual", "daily")
    assert "Restored" in window.statusBar().currentMessage()
    assert any(b.reason == "before-restore" for b in list_backups(seeds_library))


def test_the_restore_dialog_shows_each_backup_by_date_reason_and_size(qtbot, library_path):
    with open_library(library_path) as library:
        backup_before(library, "merge entities")
    dialog = RestoreDialog(list_backups(library_path))
    qtbot.addWidget(dialog)
    row = dialog.list.topLevelItem(0)
    assert row.text(1) == "before merge entities"
    assert row.text(2).endswith("KB")
    assert dialog.chosen() == list_backups(library_path)[0].path


def _restored_over_damage(tmp_path):
    """A library damaged after a manual backup, then restored from it: (library, backup)."""
    path = build_library(tmp_path / "library.sqlite")
    with open_library(path) as library:
        saved = backup_before(library, "manual")
    flip_page_bytes(path, btree="documents", seed=1)
    restore(path, saved)
    return path, saved


def test_the_damaged_library_kept_by_a_restore_says_so_and_is_not_chosen(qtbot, tmp_path):
    """The damaged file kept before a restore read "before restore", came first and was chosen
    to begin with in File ▸ Restore from backup…, though restoring it is refused."""
    path, saved = _restored_over_damage(tmp_path)
    dialog = RestoreDialog(list_backups(path))
    qtbot.addWidget(dialog)
    rows = [dialog.list.topLevelItem(i).text(1) for i in range(dialog.list.topLevelItemCount())]
    assert rows == ["damaged, kept before a restore", "made on request"]
    assert dialog.chosen() == saved and dialog.restore_button.isEnabled()


def test_a_restore_dialog_with_only_a_damaged_copy_chooses_nothing(qtbot, tmp_path):
    path, saved = _restored_over_damage(tmp_path)
    saved.unlink()
    dialog = RestoreDialog(list_backups(path))
    qtbot.addWidget(dialog)
    assert dialog.chosen() is None and not dialog.restore_button.isEnabled()
    dialog.list.setCurrentItem(dialog.list.topLevelItem(0))  # chosen on purpose: restore says why not
    assert dialog.restore_button.isEnabled()


def test_a_damaged_library_is_named_on_opening_and_its_edit_actions_disabled(
    qtbot, open_window, tmp_path, monkeypatch
):
    notices = Notices(monkeypatch)
    path = build_library(tmp_path / "library.sqlite")
    flip_page_bytes(path, btree="documents", seed=1)
    window = open_window(path)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=WAIT_MS)
    title, text = notices.shown[0]
    assert title == "The library is damaged" and "dossier recover" in text
    assert "(damaged)" in window.windowTitle()
    assert not window.findChild(QAction, "actionImport").isEnabled()
    assert window.findChild(QAction, "actionRestoreBackup").isEnabled()
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # would offer Same story
    qtbot.waitUntil(lambda: len(window.list_view.selectionModel().selectedRows()) > 1)
    writing = ("actionAdaptEntityModel", "actionResetEntityModel", "actionRegroupStories", "actionSameStory",
               "actionNotSameStory", "actionPinnedTag1", "actionPinnedTag9")
    assert [name for name in writing if window.findChild(QAction, name).isEnabled()] == []
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # no path writes any more
        window.library.db.execute("UPDATE documents SET starred = 1")
    with window.library.connect() as later:
        assert "mode=ro" in later.uri


def test_a_damaged_library_waiting_to_be_grouped_is_named_once_and_nothing_is_grouped(
    qtbot, open_window, tmp_path, monkeypatch
):
    """Grouping in the background went round without end over a damaged page (at full processor,
    holding the writer) after writing to the damaged file; now it is refused and the damage named."""
    from desktop.ui import errors as ui_errors

    notices = Notices(monkeypatch)
    errors: list[str] = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "show",
                        classmethod(lambda cls, parent, title, text: errors.append(text)))
    path = build_library(tmp_path / "library.sqlite")
    with open_library(path) as library, library.db.atomic():
        library.db.execute("DELETE FROM meta WHERE key = 'stories.signature_version'")
    flip_page_bytes(path, btree="documents", seed=1)
    window = open_window(path)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=WAIT_MS)
    finish_workers(window)
    assert [title for title, _ in notices.shown] == ["The library is damaged"] and errors == []
    assert "\n" not in notices.shown[0][1] and "(damaged)" in window.windowTitle()
    assert window.library.db.execute("SELECT count(*) FROM story_signatures").fetchone()[0] == 0


def test_a_read_only_library_says_so_and_refuses_edits(qtbot, open_window, seeds_library):
    """No write permission bit: read-only for root too (Dossier does not ask the kernel)."""
    seeds_library.chmod(seeds_library.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    window = open_window(seeds_library)
    assert listed(window) == 5
    assert "(read-only)" in window.windowTitle()
    state = window.findChild(QLabel, "libraryState")
    assert state.isVisible() and state.text() == "Library read-only: the file is read-only"
    for name in ("actionImport", "actionTagArticles", "actionHighlight", "actionRestoreBackup"):
        assert not window.findChild(QAction, name).isEnabled(), name
    assert window.findChild(QAction, "actionCheckLibrary").isEnabled()


def recovered_through_the_menu(qtbot, open_window, path, tmp_path, monkeypatch, notices: Notices):
    """Open the damaged library ``path``, wait for the notice that it is damaged, choose File ▸
    Recover into a new library… (into ``recovered.sqlite``) and wait for the window to open it."""
    target = tmp_path / "recovered.sqlite"
    monkeypatch.setattr(RecoverTarget, "ask", classmethod(lambda cls, parent, *, suggested: target))
    window = open_window(path)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=WAIT_MS)
    menu_action(window, "actionRecoverLibrary").trigger()
    qtbot.waitUntil(lambda: window.library.path == target, timeout=WAIT_MS)
    return window


def test_a_damaged_library_is_recovered_into_a_new_one_that_opens(
    qtbot, open_window, tmp_path, monkeypatch
):
    notices = Notices(monkeypatch)
    path = build_library(tmp_path / "library.sqlite")
    flip_page_bytes(path, btree="documents", seed=2)
    window = recovered_through_the_menu(qtbot, open_window, path, tmp_path, monkeypatch, notices)
    qtbot.waitUntil(lambda: listed(window) == 399, timeout=WAIT_MS)
    title, text = notices.shown[-1]
    assert title == "Recovered into a new library" and "documents: 399 rows recovered" in text
    assert "(damaged)" not in window.windowTitle()
    assert window.findChild(QAction, "actionImport").isEnabled()


def test_recovering_a_damaged_library_brings_back_the_newest_article_still_in_its_wal(
    qtbot, open_window, tmp_path, monkeypatch
):
    """Before, the article and highlight saved since SQLite last wrote into the file were missing."""
    notices = Notices(monkeypatch)
    path = found_after_a_crash(build_library(tmp_path / "healthy.sqlite"), tmp_path)
    window = recovered_through_the_menu(qtbot, open_window, path, tmp_path, monkeypatch, notices)
    qtbot.waitUntil(lambda: listed(window) == 400, timeout=WAIT_MS)
    title, text = notices.shown[-1]
    assert title == "Recovered into a new library"
    assert "; the latest changes, still only in library.sqlite-wal (" in text
    assert "), were recovered as well; " in text and "; documents: 400 rows recovered" in text


def test_the_restore_dialog_takes_a_backup_kept_elsewhere(qtbot, library_path, tmp_path, monkeypatch):
    elsewhere = tmp_path / "usb" / "library-copy.sqlite"
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(elsewhere), "")))
    dialog = RestoreDialog([])
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()
    click(qtbot, dialog.findChild(QPushButton, "otherBackup"))
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chosen() == elsewhere


def test_reading_on_in_a_damaged_library_leaves_the_article_unread_without_an_error(
    qtbot, open_window, tmp_path, monkeypatch
):
    from desktop.ui import annotate

    monkeypatch.setattr(annotate, "READ_AFTER_MS", 300)  # "read" after a third of a second
    notices = Notices(monkeypatch)
    path = build_library(tmp_path / "library.sqlite")
    flip_page_bytes(path, btree="documents", seed=1)
    window = open_window(path)
    qtbot.waitUntil(lambda: bool(notices.shown), timeout=WAIT_MS)
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, "j")  # the next article, read for longer than the delay
    doc_id = window.current_id()
    timer = window.findChild(annotate.Annotator).read_timer
    qtbot.waitUntil(lambda: not timer.isActive(), timeout=WAIT_MS)  # an uncaught write error fails here
    state = window.library.db.execute("SELECT read_state FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    assert state != "read" and window.current_id() == doc_id


def _cut_in_half(path) -> None:
    """A library cut short, as a copy that failed half-way leaves it: the window cannot open it."""
    with open(path, "r+b") as file:
        file.truncate(path.stat().st_size // 2)


def test_a_library_too_damaged_to_open_is_offered_its_backup_and_opens_restored(
    qtbot, open_window, seeds_library, monkeypatch
):
    """The window could not open a library cut short, so its File ▸ Restore from backup… was out
    of reach; now the message that it is damaged offers to restore a backup first."""
    from desktop.ui import app

    with open_library(seeds_library) as library:
        backup_before(library, "manual")
    _cut_in_half(seeds_library)
    asked: list[tuple[str, int]] = []
    monkeypatch.setattr(app.DamagedAtStart, "ask", classmethod(
        lambda cls, message, *, backups: asked.append((message, backups)) or True))
    monkeypatch.setattr(RestoreDialog, "ask", classmethod(lambda cls, parent, backups: backups[0].path))
    monkeypatch.setattr(app, "create_main_window", open_window)
    window = app.open_main_window(seeds_library)
    assert window is not None and listed(window) == 5
    assert "is damaged" in asked[0][0] and asked[0][1] >= 1
    assert any(b.is_damaged for b in list_backups(seeds_library))


def test_quitting_at_the_damaged_library_message_leaves_the_file_as_it_was(qtbot, seeds_library, monkeypatch):
    import hashlib

    from desktop.ui import app

    with open_library(seeds_library) as library:
        backup_before(library, "manual")
    _cut_in_half(seeds_library)
    before = hashlib.sha256(seeds_library.read_bytes()).hexdigest()
    monkeypatch.setattr(app.DamagedAtStart, "ask", classmethod(lambda cls, message, *, backups: False))
    assert app.open_main_window(seeds_library) is None
    assert hashlib.sha256(seeds_library.read_bytes()).hexdigest() == before
