"""Errors become one-line messages; unexpected ones leave their traceback in the log, not on screen."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from desktop.core.errors import NotALibrary
from desktop.ui import errors as ui_errors


def test_a_core_error_is_shown_as_its_own_message(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "show",
                        classmethod(lambda cls, parent, title, text: shown.append((title, text))))
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    text = ui_errors.report_error(NotALibrary("x.txt is not a Dossier library."), parent=parent,
                                  title="Cannot open library")
    assert text == "x.txt is not a Dossier library."
    assert shown == [("Cannot open library", text)]
    assert not ui_errors.log_path().exists()


def test_an_unexpected_error_points_at_the_log_which_holds_the_traceback():
    try:
        {}["missing"]
    except KeyError as err:
        text = ui_errors.report_error(err)
    assert "Traceback" not in text and str(ui_errors.log_path()) in text
    logged = ui_errors.log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged and "KeyError: 'missing'" in logged


def test_sqlites_read_only_error_is_named_in_one_line(library_path):
    import sqlite3

    from desktop.core.library import read_only_uri

    conn = sqlite3.connect(read_only_uri(library_path), uri=True)
    try:
        conn.execute("DELETE FROM documents")
    except sqlite3.OperationalError as err:
        text = ui_errors.message_for(err)
    finally:
        conn.close()
    assert text.startswith("The library is read-only (attempt to write a readonly database)")


@pytest.mark.qt_no_exception_capture
def test_an_error_no_code_caught_in_a_slot_is_shown_once_and_logged(qtbot, monkeypatch):
    from PySide6.QtCore import QTimer

    shown = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "show",
                        classmethod(lambda cls, parent, title, text: shown.append(text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # given back after the test
    ui_errors.report_uncaught()

    def broken_slot() -> None:
        raise sqlite3.OperationalError("disk I/O error in a slot")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(shown))
    assert len(shown) == 1 and "Traceback" not in shown[0] and str(ui_errors.log_path()) in shown[0]
    logged = ui_errors.log_path().read_text(encoding="utf-8")
    assert "broken_slot" in logged and "disk I/O error in a slot" in logged
