"""A laptop-wide article list keeps the columns that tell the articles apart: a column showing one
value in every row (one author, "English" throughout) steps aside before the ones that vary, unless
the person showed it themselves."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.ui.tag_editor import TagDialogs
from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import click_row, shift_click_rows

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")

OUTLETS = ("TASS", "Xinhua", "BBC", "Reuters")
ARTICLES = [
    {"title": f"Cooperation report number {number}", "text": f"Report {number} on science cooperation.",
     "published": f"2020-{number % 12 + 1:02}-10", "source": OUTLETS[number % len(OUTLETS)],
     "author": "Staff reporter", "language": "en"}
    for number in range(12)
]


@pytest.fixture
def staff_library(library_path):
    """Twelve articles by one author, all in English, from four outlets."""
    insert_articles(library_path, ARTICLES)
    return library_path


def shown(window) -> set[str]:
    header = window.list_view.horizontalHeader()
    return {window.model.columns[number].key for number in range(header.count()) if not header.isSectionHidden(number)}


def tag_and_star_some(qtbot, window, monkeypatch) -> None:
    """Tag the first three articles "Arctic" (Ctrl+T) and star the fifth (S)."""
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, *args, **kwargs: "Arctic"))
    view = window.list_view
    shift_click_rows(qtbot, view, 0, 2)
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    click_row(qtbot, view, 4)
    qtbot.keyClick(view, Qt.Key.Key_S)


def open_at_laptop_size(qtbot, open_window, path):
    window = open_window(path)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1366, 768))
    return window


def test_at_1366_the_tags_and_state_stay_while_one_author_and_one_language_step_aside(
        qtbot, open_window, staff_library, monkeypatch):
    window = open_at_laptop_size(qtbot, open_window, staff_library)
    tag_and_star_some(qtbot, window, monkeypatch)

    qtbot.waitUntil(lambda: {"tags", "read_state", "source", "published"} <= shown(window))
    assert {"author", "language"}.isdisjoint(shown(window))
    assert window.list_view.gave_way(window.model.column_of_key("author"))


def test_a_uniform_column_the_person_shows_from_the_header_menu_stays(qtbot, open_window, staff_library, monkeypatch):
    window = open_at_laptop_size(qtbot, open_window, staff_library)
    tag_and_star_some(qtbot, window, monkeypatch)
    qtbot.waitUntil(lambda: "author" not in shown(window))

    author_entry(window).trigger()  # "Author (no room)", checked: hides it
    qtbot.waitUntil(lambda: not author_entry(window).isChecked())
    author_entry(window).trigger()  # "Author", unchecked: shows it

    qtbot.waitUntil(lambda: "author" in shown(window))
    assert {"tags", "source", "published"} <= shown(window)


def author_entry(window):
    """The Author entry of the list header's context menu, as it is when opened now."""
    return next(action for action in window.column_menu().actions() if action.text().startswith("Author"))
