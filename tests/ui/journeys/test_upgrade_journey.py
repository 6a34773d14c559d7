"""Journeys through opening a library written by Dossier 0.1.0: the upgrade runs off the event
loop behind a dialog naming each step (at start and from File ▸ Open library…), the status bar then
names the backup from before, and Cancel or Esc stop it at once (a long step under way is
rolled back), keeping the steps done for the next opening."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from sqlite_utils import Database

from desktop.core import schema
from desktop.core.backups import list_backups
from desktop.core.errors import Cancelled
from desktop.ui.app import create_main_window
from desktop.ui.window_pickers import Pickers
from tests.core.test_upgrade import old_library  # noqa: F401  (the fixture)
from tests.core.test_upgrade_within_step import LONG_STATEMENT
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, menu_action

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

HELD = "0005_fts_declared_for_datasette"
HELD_TEXT = "fts declared for datasette"
BEFORE_HELD = "0004_resumable_import_runs"
SOME_WORK = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000) "
             "SELECT count(*) FROM n")  # a few milliseconds of SQL


class HeldStep:
    """Holds the upgrade step ``HELD`` wherever it runs until the test lets it go; then its real
    body runs. Were the upgrade on the event loop's thread, the dialog could not be seen meanwhile.
    A ``long`` step does not wait to be let go: before its real body it runs a statement lasting
    tens of seconds unless the upgrade is cancelled."""

    def __init__(self, monkeypatch, *, long: bool = False) -> None:
        self.started = threading.Event()
        self.released = threading.Event()
        self.thread: threading.Thread | None = None
        step = next(m for m in schema.migrations._migrations if m.name == HELD)
        body = step.fn

        def held(db) -> None:
            self.thread = threading.current_thread()
            self.started.set()
            if long:
                db.execute(LONG_STATEMENT).fetchall()
                body(db)
                return
            if not self.released.wait(30):
                raise RuntimeError("the held step was never let go")
            body(db)
            db.execute(SOME_WORK).fetchall()  # SQL enough for a Cancel meanwhile to stop it

        monkeypatch.setattr(step, "fn", held)


def while_upgrading(held: HeldStep, act) -> tuple[QTimer, list[str]]:
    """A timer that, once the held step has started and the upgrade dialog on screen names it,
    records the dialog's step line, does ``act(dialog)`` and lets the step go; returns it and the
    lines seen (the first is the held step's)."""
    seen: list[str] = []
    timer = QTimer()

    def look() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if w.objectName() == "upgradeDialog" and w.isVisible()), None)
        if dialog is None or not held.started.is_set() or held.released.is_set():
            return
        if not dialog.findChild(QLabel, "upgradeStep").text().endswith(HELD_TEXT):
            return  # its progress is on its way from the worker
        seen.append(dialog.findChild(QLabel, "upgradeStep").text())
        act(dialog)
        seen.append(dialog.findChild(QLabel, "upgradeStep").text())
        held.released.set()

    timer.timeout.connect(look)
    timer.start(10)
    return timer, seen


def applied(path) -> list[str]:
    db = Database(path)
    try:
        return [m.name for m in schema.migrations.applied(db)]
    finally:
        db.close()


def test_the_upgrade_shows_each_step_without_holding_up_the_window_then_names_the_backup(
    qtbot, open_window, old_library, monkeypatch  # noqa: F811
):
    held = HeldStep(monkeypatch)
    timer, seen = while_upgrading(held, lambda dialog: None)
    window = open_window(old_library)
    timer.stop()
    steps = len(schema.migrations._migrations) - 3
    assert seen[0] == f"Step 2 of {steps}: {HELD_TEXT}"
    assert held.thread is not threading.main_thread()
    backup = next(b.path for b in list_backups(old_library) if b.is_migration)
    note = window.statusBar().findChild(QLabel, "statusNote")
    assert note.text() == (
        f"Upgraded old.db, written by an older Dossier, in {steps} steps; its backup from before: {backup}")
    window.statusBar().showMessage("Grouped: 0 stories with copies.")
    assert not note.isVisible()
    window.statusBar().clearMessage()
    assert note.isVisible()
    assert window.model.rowCount() == 30


@pytest.mark.parametrize("stop", ["click Cancel", "press Esc"])
def test_stopping_the_upgrade_rolls_back_the_step_under_way_and_the_next_opening_goes_on(
    qtbot, open_window, old_library, monkeypatch, stop  # noqa: F811
):
    held = HeldStep(monkeypatch)

    def stopped(dialog) -> None:
        if stop == "click Cancel":
            click(qtbot, dialog.findChild(QPushButton, "cancelUpgrade"))
        else:
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    timer, seen = while_upgrading(held, stopped)
    with pytest.raises(Cancelled) as stopped_error:
        create_main_window(old_library)
    timer.stop()
    assert seen[1] == "Stopping…"
    assert str(stopped_error.value).startswith(
        "The upgrade of old.db was stopped: the steps done are kept, and opening it again goes on from there.")
    assert applied(old_library)[-1] == BEFORE_HELD  # let go after Cancel, it stopped at its first batch
    monkeypatch.undo()
    window = open_window(old_library)
    assert window.statusBar().findChild(QLabel, "statusNote").text().startswith(
        f"Upgraded old.db, written by an older Dossier, in {len(schema.migrations._migrations) - 4} steps")
    assert window.model.rowCount() == 30


def test_cancel_closes_the_dialog_at_once_in_the_middle_of_a_long_step_and_rolls_it_back(
    qtbot, open_window, old_library, monkeypatch  # noqa: F811
):
    held = HeldStep(monkeypatch, long=True)
    clicked: list[float] = []

    def cancel(dialog) -> None:
        clicked.append(time.monotonic())
        click(qtbot, dialog.findChild(QPushButton, "cancelUpgrade"))

    timer, seen = while_upgrading(held, cancel)
    with pytest.raises(Cancelled):
        create_main_window(old_library)
    closed = time.monotonic()
    timer.stop()
    assert closed - clicked[0] < 1.0
    assert seen == [f"Step 2 of {len(schema.migrations._migrations) - 3}: {HELD_TEXT}", "Stopping…"]
    assert not any(w.objectName() == "upgradeDialog" and w.isVisible() for w in QApplication.topLevelWidgets())
    assert applied(old_library)[-1] == BEFORE_HELD
    monkeypatch.undo()
    assert open_window(old_library).model.rowCount() == 30


def test_opening_an_old_library_from_the_file_menu_upgrades_it_behind_the_dialog(
    qtbot, open_window, agency_library, old_library, monkeypatch  # noqa: F811
):
    window = open_window(agency_library)
    held = HeldStep(monkeypatch)
    timer, seen = while_upgrading(held, lambda dialog: None)
    monkeypatch.setattr(Pickers, "ask_open_library", classmethod(lambda cls, parent: old_library))
    menu_action(window, "actionOpenLibrary").trigger()
    timer.stop()
    assert seen[0].endswith(HELD_TEXT)
    qtbot.waitUntil(lambda: window.model.rowCount() == 30)
    assert window.statusBar().findChild(QLabel, "statusNote").text().startswith("Upgraded old.db")
