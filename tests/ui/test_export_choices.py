"""What File ▸ Export writes: a file named without an extension gets the one of the file type
chosen in the dialog and is written in that type; with several articles selected, the person
chooses between them and the whole list."""

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


def test_with_several_articles_selected_the_export_can_keep_to_them(qtbot, open_window, agency_library,
                                                                    tmp_path, monkeypatch):
    from desktop.ui.export_scope import ExportScope
    from tests.ui.journeys.steps import shift_click_rows

    window = open_window(agency_library)
    shift_click_rows(qtbot, window.list_view, 1, 2)
    chosen = window.selected_ids()
    asked: list[tuple[int, int]] = []
    monkeypatch.setattr(ExportScope, "ask", classmethod(
        lambda cls, parent, *, selected, listed: asked.append((selected, listed)) or True))
    out = tmp_path / "chosen.csv"
    _answer(monkeypatch, out, "CSV spreadsheet (*.csv)")
    _click_export(qtbot, window)
    qtbot.waitUntil(out.exists)
    assert asked == [(2, 5)]
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert [int(line.split(",")[0]) for line in lines[1:]] == chosen


def test_with_one_article_selected_the_whole_list_is_exported_without_asking(qtbot, open_window, agency_library,
                                                                            tmp_path, monkeypatch):
    window = open_window(agency_library)
    out = tmp_path / "all.csv"
    _answer(monkeypatch, out, "CSV spreadsheet (*.csv)")
    _click_export(qtbot, window)
    qtbot.waitUntil(out.exists)
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 6
