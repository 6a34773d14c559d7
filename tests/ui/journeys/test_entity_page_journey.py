"""An entity's page opened from the reader by double-clicking a name: over a corpus without
dates (the BBC's files carry none) its table of mentions shows no Published column that
would stay empty on every row, and no per-month chart with nothing to draw."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QTableView, QWidget

from desktop.core.library import open_library
from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import double_click_mention

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")

UNDATED = [("Chip deal", "Microsoft and Sony agreed on a chip."), ("Console war", "Sony answered Microsoft.")]


def with_mentions(path: Path, articles: list[tuple[str, str]], *, published: str | None,
                  names: tuple[str, ...] = ("Microsoft", "Sony")) -> Path:
    """``articles`` (title, text) published on ``published``, with every one of ``names`` found."""
    ids = insert_articles(path, [{"title": title, "text": text, "published": published}
                                 for title, text in articles])
    with open_library(path) as library, library.db.atomic():
        db = library.db
        for doc_id, (_, text) in zip(ids, articles):
            for name in names:
                db.execute("INSERT OR IGNORE INTO entities (label, name) VALUES ('ORG', ?)", [name])
                entity_id = db.execute("SELECT id FROM entities WHERE name = ?", [name]).fetchone()[0]
                start = text.index(name)
                db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin, model) '
                           "VALUES (?, ?, ?, ?, ?, 'model', 'test')", [doc_id, entity_id, start, start + len(name), name])
    return path


def published_shown(page) -> bool:
    return not page.findChild(QTableView, "entityMentions").isColumnHidden(0)


def test_an_entity_page_over_undated_articles_has_no_empty_published_column(qtbot, open_window, library_path):
    window = open_window(with_mentions(library_path, UNDATED, published=None))
    page = double_click_mention(qtbot, window, "Chip deal", "Microsoft")
    qtbot.waitUntil(lambda: page.findChild(QTableView, "entityMentions").model().rowCount() == 2)
    assert not published_shown(page)


def test_an_entity_page_over_dated_articles_shows_when_each_was_published(qtbot, open_window, library_path):
    window = open_window(with_mentions(library_path, UNDATED, published="2005-03-01"))
    page = double_click_mention(qtbot, window, "Chip deal", "Microsoft")
    qtbot.waitUntil(lambda: page.findChild(QTableView, "entityMentions").model().rowCount() == 2)
    assert published_shown(page)


def chart_shown(page) -> bool:
    return page.findChild(QWidget, "entityTimeline").isVisible()


def test_an_undated_entitys_page_has_no_chart_and_a_dated_one_shown_after_it_has(qtbot, open_window, library_path):
    with_mentions(library_path, UNDATED, published=None)
    window = open_window(with_mentions(library_path, [("Sony results", "Sony reported a profit.")],
                                       published="2005-03-01", names=("Sony",)))
    page = double_click_mention(qtbot, window, "Chip deal", "Microsoft")
    qtbot.waitUntil(lambda: page.findChild(QTableView, "entityMentions").model().rowCount() == 2)
    related = page.findChild(QListWidget, "cooccurringList")
    assert not chart_shown(page)
    assert related.width() > page.width() * 3 // 4  # the room the chart took goes to what is listed
    related.setFocus()
    qtbot.waitUntil(related.hasFocus)
    qtbot.keyClick(related, Qt.Key.Key_Return)  # Sony, also in a dated article
    qtbot.waitUntil(lambda: page.findChild(QTableView, "entityMentions").model().rowCount() == 3)
    assert chart_shown(page) and related.width() < page.width() // 2
