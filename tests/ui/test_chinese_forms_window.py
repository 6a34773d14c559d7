"""A person types traditional Chinese into the search box and finds the article written in
simplified characters, its hit marked in the reader; a library indexed by an earlier Dossier is
indexed again in the background, after which the other form is found too."""

from __future__ import annotations

import pytest

from desktop.core.library import open_library
from desktop.core.shadow_index import TABLE, build_index, index_outdated
from desktop.core.textindex import index_text
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers, insert_articles
from tests.ui.journeys.steps import type_text
from tests.ui.test_main_window import listed_titles

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

ARTICLES = [
    {"title": "中俄经济合作", "text": "中俄两国经济合作不断深化。", "language": "zh", "source": "新华社"},
    {"title": "天气预报", "text": "明天北京晴。", "language": "zh", "source": "新华社"},
    {"title": "Arctic research station", "text": "A joint polar station opens in Yakutia.", "language": "en"},
]
TRADITIONAL = {"title": "兩國學者", "text": "台灣學者討論兩國經濟關係。", "language": "zh", "source": "中央社"}


def test_typing_traditional_chinese_lists_the_simplified_article_and_marks_its_hit(qtbot, open_window, library_path):
    insert_articles(library_path, ARTICLES)
    window = open_window(library_path)
    type_text(qtbot, window.search_box, "經濟")  # as the input method commits it
    qtbot.waitUntil(lambda: listed_titles(window) == ["中俄经济合作"], timeout=10_000)
    finish_workers(window)
    qtbot.waitUntil(lambda: window.reader.current_document is not None
                    and window.reader.current_document.title == "中俄经济合作", timeout=5000)
    assert window.reader.hit_count == 1
    assert window.reader.textCursor().selectedText() == "经济"


def _as_the_earlier_index_had_it(run: str) -> str:
    """A Han run as index version 2 wrote it: its bigrams and its last character, unfolded."""
    return " ".join(a + b for a, b in zip(run, run[1:])) + " " + run[-1]


def test_a_library_indexed_before_is_indexed_again_and_then_finds_the_other_form(qtbot, open_window, library_path):
    doc_id = insert_articles(library_path, [*ARTICLES, TRADITIONAL])[-1]
    with open_library(library_path) as library:
        conn = library.db.conn
        build_index(conn)
        with conn:  # the traditional article as the earlier Dossier indexed it
            conn.execute(f"INSERT INTO {TABLE} ({TABLE}, rowid, title, text, notes) VALUES ('delete', ?, ?, ?, '')",
                         [doc_id, index_text(TRADITIONAL["title"]), index_text(TRADITIONAL["text"])])
            conn.execute(f"INSERT INTO {TABLE} (rowid, title, text, notes) VALUES (?, ?, ?, '')",
                         [doc_id, _as_the_earlier_index_had_it(TRADITIONAL["title"]),
                          _as_the_earlier_index_had_it("台灣學者討論兩國經濟關係")])
            conn.execute("UPDATE meta SET value = '2' WHERE key = 'search_index_version'")
    window = open_window(library_path)
    qtbot.waitUntil(lambda: not index_outdated(window.library.db.conn), timeout=20_000)
    type_text(qtbot, window.search_box, "经济")
    qtbot.waitUntil(lambda: sorted(listed_titles(window)) == ["中俄经济合作", "兩國學者"], timeout=20_000)
    finish_workers(window)
