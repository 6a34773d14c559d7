"""An article without a headline is titled by its whole first sentence: the list elides it to
its column and its tooltip wraps it, the reader's headline shows it whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.core.helpers import text_folder
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import cell_text, click_row

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

SENTENCE = "中俄两国科学家在新西伯利亚共同举办了关于生物医学与人工智能合作的国际研讨会并签署了多项联合研究协议"
TEXT = f"{SENTENCE}。\n\n双方同意明年在哈尔滨继续举行会议。\n"


@pytest.fixture
def untitled_library(library_path, tmp_path) -> Path:
    """One Chinese article with no headline, in a file with a machine-made name."""
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    folder = text_folder(tmp_path / "articles", {"zh_0001.txt": TEXT})
    with open_library(library_path) as library:
        import_paths(library, [folder])
    return library_path


def test_a_long_first_sentence_is_the_title_elided_in_the_list_and_whole_in_the_reader_headline(
        qtbot, open_window, untitled_library):
    window = open_window(untitled_library)
    view = window.list_view
    title = window.model.index(0, window.model.column_of_key("title"))
    assert cell_text(window, 0, "title") == SENTENCE
    assert view.textElideMode() == Qt.TextElideMode.ElideRight and not view.wordWrap()
    assert view.fontMetrics().horizontalAdvance(SENTENCE) > view.visualRect(title).width()  # elided
    assert window.model.data(title, Qt.ItemDataRole.ToolTipRole) == f"<p>{SENTENCE}</p>"  # wrapped

    click_row(qtbot, view, 0)
    qtbot.waitUntil(lambda: "双方同意" in window.reader.toPlainText())
    assert window.reader.document().begin().text() == SENTENCE
