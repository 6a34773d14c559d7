"""Languages in the window: the list's Language column, the reader's metadata line, the
Language facet, and the background fill of a library made before detection."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressBar, QPushButton

from desktop.ui.languages import LanguageFill
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import cell_text, click, click_facet_value, click_row, facet_rows, listed_titles

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

ARTICLES = [
    ("ru.txt", "Учёные подписали соглашение",
     "Российские и китайские учёные подписали в Новосибирске соглашение о совместных исследованиях."),
    ("zh.txt", "中俄科学家签署合作协议", "中俄两国科学家在长春签署生物医学合作协议，双方将共建联合实验室。"),
    ("en.txt", "Scientists sign an agreement",
     "Russian and Chinese scientists signed an agreement in Novosibirsk on joint research."),
]


@pytest.fixture
def three_languages(library_path, tmp_path):
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    folder = tmp_path / "articles"
    folder.mkdir()
    for name, headline, text in ARTICLES:
        (folder / name).write_text(f"{headline}\n\n{text}\n\n{text}\n", encoding="utf-8")
    with open_library(library_path) as library:
        import_paths(library, [folder])
    return library_path


def languages_shown(window) -> dict[str, str]:
    return {cell_text(window, row, "title"): cell_text(window, row, "language")
            for row in range(window.model.rowCount())}


def test_the_list_shows_each_articles_language_by_name(open_window, three_languages):
    window = open_window(three_languages)
    assert languages_shown(window) == {
        "Учёные подписали соглашение": "Russian", "中俄科学家签署合作协议": "Chinese",
        "Scientists sign an agreement": "English"}
    header = window.model.headerData(window.model.column_of_key("language"), Qt.Orientation.Horizontal)
    assert header == "Language"


def test_the_language_column_sits_beside_author_and_stays_on_a_laptop_sized_list(open_window, three_languages):
    window = open_window(three_languages)
    window.resize(1366, 768)
    header = window.list_view.horizontalHeader()
    language, author = window.model.column_of_key("language"), window.model.column_of_key("author")
    assert header.visualIndex(language) == header.visualIndex(author) + 1
    assert not header.isSectionHidden(language)


def test_the_readers_metadata_line_names_the_language(qtbot, open_window, three_languages):
    window = open_window(three_languages)
    row = listed_titles(window).index("Учёные подписали соглашение")
    click_row(qtbot, window.list_view, row)
    qtbot.waitUntil(lambda: window.reader.toPlainText().startswith("Учёные подписали соглашение"))
    meta_line = window.reader.toPlainText().splitlines()[1]
    assert "Russian" in meta_line.split(" · ") and meta_line.endswith(" words")


def test_a_chinese_article_is_counted_in_characters(qtbot, open_window, three_languages):
    window = open_window(three_languages)
    click_row(qtbot, window.list_view, listed_titles(window).index("中俄科学家签署合作协议"))
    qtbot.waitUntil(lambda: window.reader.toPlainText().startswith("中俄科学家签署合作协议"))
    meta_line = window.reader.toPlainText().splitlines()[1]
    assert "Chinese" in meta_line.split(" · ") and meta_line.endswith(" characters")


def test_the_language_facet_narrows_the_list(qtbot, open_window, three_languages):
    window = open_window(three_languages)
    qtbot.waitUntil(lambda: sorted(facet_rows(window, "language")) == [
        ("Chinese", "1"), ("English", "1"), ("Russian", "1")])
    click_facet_value(qtbot, window, "language", "Chinese")
    qtbot.waitUntil(lambda: listed_titles(window) == ["中俄科学家签署合作协议"])
    qtbot.waitUntil(lambda: window.sidebar.chip_texts() == ["Language: Chinese"])


@pytest.fixture
def old_library_path(tmp_path):
    from tests.core.test_language_fill import MIXED, old_library

    copies = [(f"{text} ({n})", language) for n in range(3) for text, language in MIXED]
    path, _ = old_library(tmp_path / "old.sqlite", copies)
    return path


def test_opening_an_old_library_detects_its_languages_in_the_background(qtbot, open_window, old_library_path):
    window = open_window(old_library_path)
    fill = window.findChild(LanguageFill, "languageFill")
    qtbot.waitUntil(lambda: not fill.running, timeout=30_000)
    qtbot.waitUntil(lambda: sorted(set(languages_shown(window).values())) == [
        "", "Chinese", "English", "German", "Russian"])
    assert not window.findChild(QPushButton, "languageFillStatusCancel").isVisible()
    qtbot.waitUntil(lambda: ("Russian", "3") in facet_rows(window, "language"))


def test_the_fill_can_be_cancelled_from_the_status_bar_and_goes_on_next_time(
        qtbot, open_window, old_library_path, monkeypatch):
    from desktop.core import language_fill
    from desktop.core.language_fill import fill_pending
    from desktop.ui import languages

    detect = languages.detect_batch

    def a_large_librarys_batch(db):  # each batch takes a while, as in a library of thousands
        time.sleep(0.2)
        return detect(db)

    monkeypatch.setattr(language_fill, "BATCH", 2)
    monkeypatch.setattr(languages, "detect_batch", a_large_librarys_batch)
    window = open_window(old_library_path)
    cancel = window.findChild(QPushButton, "languageFillStatusCancel")
    qtbot.waitUntil(cancel.isVisible)
    bar = window.findChild(QProgressBar, "languageFillStatusBar")
    qtbot.waitUntil(lambda: bar.value() >= 6)  # the person sees it under way, then cancels
    click(qtbot, cancel)
    qtbot.waitUntil(lambda: not cancel.isVisible())
    fill = window.findChild(LanguageFill, "languageFill")
    assert not fill.running
    assert 0 < fill_pending(window.library.db) <= 12
    window.open_library_file(old_library_path)
    qtbot.waitUntil(lambda: not fill.running, timeout=30_000)
    assert fill_pending(window.library.db) == 0
