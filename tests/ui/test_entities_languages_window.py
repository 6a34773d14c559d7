"""Russian and Chinese articles in the window: their entities painted on exactly the right
characters, the sidebar listing a Russian name in the nominative, a click filtering by it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from desktop.core.entities import extract_entities
from desktop.core.library import open_library
from desktop.ui import annotate
from desktop.ui.entities import install
from tests.core.helpers import add_article
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers
from tests.ui.journeys.steps import click_row
from tests.ui.test_entities_window import painted_label, point_of, settle

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")

RUSSIAN_TITLE = "Громов в Москве"
RUSSIAN = (
    "Бывший командующий армией Борис Громов прилетел в Москву.\n\n"
    "По словам Бориса Громова, переговоры прошли успешно."
)
CHINESE_TITLE = "长春考察"
# 𠮷 lies outside the Basic Multilingual Plane: two UTF-16 units in the reader, one Python character.
CHINESE = "𠮷野家的客人说，国家主席习近平13日在长春考察。"


@pytest.fixture
def window(open_window, library_path, monkeypatch):
    """The window over a library of one Russian and one Chinese article, entities extracted."""
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    with open_library(library_path) as library:
        add_article(library.db, RUSSIAN, title=RUSSIAN_TITLE, language="ru", published="2019-03-13")
        add_article(library.db, CHINESE, title=CHINESE_TITLE, published="2019-03-14")
        extract_entities(library)
    window = open_window(library_path)
    install(window)
    finish_workers(window)
    return window


def open_article(qtbot, window, title: str) -> str:
    """Click the article's row in the list, as a person does; returns the text the reader shows."""
    view = window.findChild(QTableView, "documentList")
    row = next(r for r in range(view.model().rowCount()) if view.model().index(r, 0).data() == title)
    click_row(qtbot, view, row)
    qtbot.waitUntil(lambda: window.reader.current_document is not None
                    and window.reader.current_document.title == title)
    return window.reader.current_document.text


def painted_run(window, text: str, quote: str) -> list[str | None]:
    """The entity type painted on each character of ``quote`` and on one character either side."""
    start = text.index(quote)
    return [painted_label(window, offset) for offset in range(start - 1, start + len(quote) + 1)]


def test_a_russian_mention_is_painted_on_its_own_characters_and_named_in_the_nominative(qtbot, window):
    text = open_article(qtbot, window, RUSSIAN_TITLE)
    assert painted_run(window, text, "Бориса Громова") == [None, *["PERSON"] * 14, None]
    offset = text.index("Бориса Громова")
    tips = [span.tooltip for span in window.reader.spans_at(offset) if span.kind == "entity"]
    assert tips == ["Person: Борис Громов"]


def test_the_people_facet_lists_the_russian_name_once_in_the_nominative(qtbot, window):
    section = window.sidebar.sections["entity:PERSON"]
    names = dict(section.model.values())
    assert names.get("Борис Громов") == 1
    assert "Бориса Громова" not in names


def test_clicking_the_inflected_mention_filters_by_the_nominative_name(qtbot, window):
    text = open_article(qtbot, window, RUSSIAN_TITLE)
    point = point_of(window, text.index("Бориса Громова") + 3)
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.filters.include.get("entity:PERSON") == {"Борис Громов"})
    settle(window)
    assert window.model.rowCount() == 1


def test_chinese_mentions_are_painted_on_the_right_characters_after_one_outside_the_bmp(qtbot, window):
    text = open_article(qtbot, window, CHINESE_TITLE)
    assert painted_run(window, text, "习近平") == [None, "PERSON", "PERSON", "PERSON", None]
    assert painted_run(window, text, "长春") == [None, "GPE", "GPE", None]
