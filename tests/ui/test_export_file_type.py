"""A file named without an extension in a save dialog gets the one of the file type chosen there,
and an export is written in that type."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QToolBar, QToolButton

from tests.ui.conftest import finish_workers


def _answer(monkeypatch, path, chosen_type: str) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args: (str(path), chosen_type)))


def _click_export(qtbot, window) -> None:
    toolbar = window.findChild(QToolBar)
    button = toolbar.widgetForAction(window.action_export)
    assert isinstance(button, QToolButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finish_workers(window)


def test_json_lines_chosen_with_a_name_without_extension_writes_json_lines(qtbot, open_window, agency_library,
                                                                          tmp_path, monkeypatch):
    window = open_window(agency_library)
    exports = tmp_path / "exports"
    exports.mkdir()
    _answer(monkeypatch, exports / "results", "JSON Lines (*.jsonl)")
    _click_export(qtbot, window)
    written = exports / "results.jsonl"
    qtbot.waitUntil(written.exists)
    rows = [json.loads(line) for line in written.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == window.model.rowCount() == 5
    assert sorted(exports.iterdir()) == [written]


def test_a_name_typed_with_an_extension_keeps_it(qtbot, open_window, agency_library, tmp_path, monkeypatch):
    window = open_window(agency_library)
    _answer(monkeypatch, tmp_path / "results.csv", "JSON Lines (*.jsonl)")
    _click_export(qtbot, window)
    written = tmp_path / "results.csv"
    qtbot.waitUntil(written.exists)
    assert written.read_text(encoding="utf-8-sig").startswith("id,title,")
