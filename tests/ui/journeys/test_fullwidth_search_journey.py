"""Typing 13日 in the search box finds the Chinese article that writes its figures full-width
(１３日) and the reader marks them there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.helpers import text_folder
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click_row
from tests.ui.journeys.test_multiscript_search_journey import WAIT_MS, hits_shown, search

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

WIDE = "中俄联合实验室揭牌\n\n中俄联合实验室１３日在哈尔滨揭牌，将开展５Ｇ通信研究。\n"
OTHER = "中俄航天合作\n\n双方在北京签署航天合作协议。\n"


@pytest.fixture
def wide_library(library_path, tmp_path) -> Path:
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    folder = text_folder(tmp_path / "articles", {"wide.txt": WIDE, "other.txt": OTHER})
    with open_library(library_path) as library:
        import_paths(library, [folder])
    return library_path


def test_ascii_figures_typed_find_and_mark_full_width_ones(qtbot, open_window, wide_library):
    window = open_window(wide_library)
    search(qtbot, window, "13日 ", ["中俄联合实验室揭牌"])
    click_row(qtbot, window.list_view, 0)
    qtbot.waitUntil(lambda: "哈尔滨" in window.reader.toPlainText(), timeout=WAIT_MS)
    assert hits_shown(qtbot, window) == ["１３日"]
