"""Stories in the window: the Versions column and panel, Hide copies, Count stories, corrections,
grouping an existing library in the background and exporting one row per story."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QMenu, QPushButton

from desktop.ui.main_window import Pickers
from desktop.ui.versions import StoryExport, Versions
from tests.stories_variants import ENGLISH, outlet_copy, random_text
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers, insert_articles
from tests.ui.journeys.steps import (
    cell_text, click, click_facet_value, click_row, menu_action, shift_click_rows,
)

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def _story_articles() -> list[dict]:
    """One agency story and two outlets' copies of it, plus an unrelated article."""
    rng = random.Random(41)
    text = random_text(rng, ENGLISH)
    articles = [{"title": "Talks continue", "text": text, "source": "Agency", "published": "2021-03-01"}]
    for n, outlet in enumerate(("Courier", "Gazette")):
        title, copy = outlet_copy("Talks continue", text, rng, vocabulary=ENGLISH, share=0.05)
        articles.append({"title": title, "text": copy, "source": outlet, "published": f"2021-03-0{n + 2}"})
    articles.append({"title": "Other news", "text": random_text(rng, ENGLISH), "source": "Agency",
                     "published": "2021-04-01"})
    return articles


@pytest.fixture
def story_library(library_path) -> Path:
    """A library holding a story in three outlets' versions (grouped as an import groups) and one other article."""
    from desktop.core.library import open_library
    from desktop.core.stories import group_documents

    ids = insert_articles(library_path, _story_articles())
    with open_library(library_path) as library, library.db.atomic():
        group_documents(library.db.conn, ids)
    return library_path


def _versions(window) -> Versions:
    return window.findChild(Versions)


def _row_of_title(window, title: str) -> int:
    return next(row for row in range(window.model.rowCount()) if cell_text(window, row, "title") == title)


def _read_the_story(qtbot, window):
    """Turn the reader panels on, bring Versions to the front and click the story's original;
    returns the panel once it lists the three versions."""
    window.action_panels.trigger()
    panel = _versions(window).panel
    window.show_reader_panel(panel)
    qtbot.waitUntil(panel.isVisible)
    click_row(qtbot, window.list_view, _row_of_title(window, "Talks continue"))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)
    return panel


def test_the_versions_column_counts_the_copies_and_names_the_outlets(open_window, story_library):
    window = open_window(story_library)
    cells = {cell_text(window, row, "title"): cell_text(window, row, "versions") for row in range(4)}
    assert cells["Talks continue"] == "3 · Agency, Courier, Gazette"
    assert cells["Other news"] == ""


def titles_with_copies_hidden(qtbot, window, stories: int) -> list[str]:
    """Click Hide copies and return the titles listed, sorted, once ``stories`` rows are left."""
    click(qtbot, window.findChild(QCheckBox, "hideCopies"))
    qtbot.waitUntil(lambda: window.model.rowCount() == stories)
    finish_workers(window)
    return sorted(cell_text(window, row, "title") for row in range(stories))


def test_hide_copies_keeps_the_original_and_the_chip_says_so(qtbot, open_window, story_library):
    window = open_window(story_library)
    assert titles_with_copies_hidden(qtbot, window, 2) == ["Other news", "Talks continue"]
    assert any("Later copies" in text for text in window.sidebar.chip_texts())
    click(qtbot, window.findChild(QCheckBox, "hideCopies"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)


def test_hide_copies_then_an_outlet_that_carried_only_a_copy_lists_that_copy(qtbot, open_window,
                                                                              story_library):
    window = open_window(story_library)
    click(qtbot, window.findChild(QCheckBox, "hideCopies"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    finish_workers(window)
    assert dict(window.sidebar.sections["source"].model.values())["Courier"] == 1
    click_facet_value(qtbot, window, "source", "Courier")
    qtbot.waitUntil(lambda: window.count_label.text() == "1 of 4 articles")
    assert cell_text(window, 0, "source") == "Courier"


def test_the_stories_menu_hides_copies_and_counts_stories_with_the_boxes(qtbot, open_window, story_library):
    window = open_window(story_library)
    menu = window.findChild(QMenu, "storiesMenu")
    hide, count = menu_action(window, "actionHideCopies"), menu_action(window, "actionCountStories")
    assert hide in menu.actions() and count in menu.actions()
    hide.trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert window.findChild(QCheckBox, "hideCopies").isChecked() and hide.isChecked()
    count.trigger()
    qtbot.waitUntil(lambda: window.count_label.text().endswith("· 2 stories"))
    assert window.findChild(QCheckBox, "countStories").isChecked()
    click(qtbot, window.findChild(QCheckBox, "hideCopies"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    assert not hide.isChecked()


def test_count_stories_says_how_many_stories_the_list_holds(qtbot, open_window, story_library):
    window = open_window(story_library)
    assert window.count_label.text() == "4 of 4 articles"
    click(qtbot, window.findChild(QCheckBox, "countStories"))
    qtbot.waitUntil(lambda: window.count_label.text() == "4 of 4 articles · 2 stories")
    click(qtbot, window.findChild(QCheckBox, "countStories"))
    qtbot.waitUntil(lambda: window.count_label.text() == "4 of 4 articles")


def test_count_stories_counts_each_story_once_in_the_sidebar(qtbot, open_window, story_library):
    window = open_window(story_library)
    assert dict(window.sidebar.sections["source"].model.values())["Agency"] == 2
    assert sum(n for _, n in window.sidebar.sections["source"].model.values()) == 4
    click(qtbot, window.findChild(QCheckBox, "countStories"))
    finish_workers(window)
    assert dict(window.sidebar.sections["state"].model.values())["unread"] == 2


def test_the_panel_lists_every_version_and_shows_what_a_copy_changed(qtbot, open_window, story_library):
    window = open_window(story_library)
    panel = _read_the_story(qtbot, window)
    assert panel.table.item(0, 0).text() == "★ Agency"
    assert panel.summary.text() == "3 versions of this story: Agency, Courier, Gazette"
    diff = panel.diff_view.toPlainText()
    assert "Compared with the original" in diff and "headline changed" in diff
    assert "<del>" in panel.diff_view.toHtml() or "line-through" in panel.diff_view.toHtml()


def test_the_panel_of_an_article_without_versions_is_one_sentence_without_empty_boxes(qtbot, open_window,
                                                                                      story_library):
    window = open_window(story_library)
    panel = _read_the_story(qtbot, window)
    click_row(qtbot, window.list_view, _row_of_title(window, "Other news"))
    qtbot.waitUntil(lambda: panel.summary.text() == "No other outlet carried this article's story.")
    assert panel.summary.isVisible()
    shown = [w for w in (panel.table, panel.diff_view, *panel.findChildren(QPushButton)) if w.isVisible()]
    assert shown == []
    click_row(qtbot, window.list_view, _row_of_title(window, "Talks continue"))
    qtbot.waitUntil(lambda: panel.table.isVisible() and panel.diff_view.isVisible())
    assert panel.findChild(QPushButton, "pinOriginal").isVisible()


def test_the_panel_marks_the_version_holding_the_persons_highlights_and_tags(qtbot, open_window, story_library):
    from desktop.core.annotations import create_annotation
    from desktop.core.library import open_library
    from desktop.core.tags import add_tag

    with open_library(story_library) as library:
        courier = library.db.conn.execute("SELECT id FROM documents WHERE source = 'Courier'").fetchone()[0]
        create_annotation(library.db, courier, 0, 10, note="check the figure")
        add_tag(library.db, [courier], "lunar")
    window = open_window(story_library)
    panel = _read_the_story(qtbot, window)
    outlets = [panel.table.item(row, 0).text() for row in range(3)]
    assert outlets == ["★ Agency", "Courier ✎", "Gazette"]
    assert panel.table.item(1, 2).toolTip() == "Yours on this version: 1 highlight, tagged lunar"
    assert panel.summary.text().endswith("✎ your highlights, notes or tags are on 1 of them")


def test_pin_as_original_moves_the_story_and_undo_puts_it_back(qtbot, open_window, story_library):
    window = open_window(story_library)
    panel = _read_the_story(qtbot, window)
    chosen = panel.chosen_id()
    click(qtbot, panel.findChild(QPushButton, "pinOriginal"))
    qtbot.waitUntil(lambda: panel.versions[0].id == chosen)
    assert window.statusBar().currentMessage().startswith("Pinned '")
    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: panel.versions[0].id != chosen)


def test_not_the_same_story_takes_a_copy_out_and_is_undoable(qtbot, open_window, story_library):
    window = open_window(story_library)
    panel = _read_the_story(qtbot, window)
    click(qtbot, panel.findChild(QPushButton, "notSameStory"))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    finish_workers(window)
    assert cell_text(window, _row_of_title(window, "Talks continue"), "versions").startswith("2 · ")
    assert window.action_undo.text().startswith("Undo Not the same story")
    window.action_undo.trigger()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 3)


def test_same_story_from_the_list_menu_joins_two_articles(qtbot, open_window, story_library):
    window = open_window(story_library)
    other = _row_of_title(window, "Other news")
    original = _row_of_title(window, "Talks continue")
    shift_click_rows(qtbot, window.list_view, min(other, original), max(other, original))
    menu = window.list_menu()
    assert any(action.objectName() == "actionSameStory" for action in menu.actions())
    menu_action(window, "actionSameStory").trigger()
    finish_workers(window)
    qtbot.waitUntil(lambda: cell_text(window, _row_of_title(window, "Other news"), "versions").startswith("4 · "))


def test_same_story_on_three_articles_is_one_change_that_one_undo_takes_back(qtbot, open_window,
                                                                              story_library):
    rng = random.Random(7)
    insert_articles(story_library, [
        {"title": f"Unrelated {n}", "text": random_text(rng, ENGLISH), "source": "Courier",
         "published": f"2021-05-0{n}"} for n in (1, 2)])
    window = open_window(story_library)
    titles = ("Other news", "Unrelated 1", "Unrelated 2")
    rows = sorted(_row_of_title(window, title) for title in titles)
    click_row(qtbot, window.list_view, rows[0])
    for row in rows[1:]:
        click_row(qtbot, window.list_view, row, Qt.KeyboardModifier.ControlModifier)
    menu_action(window, "actionSameStory").trigger()
    finish_workers(window)
    qtbot.waitUntil(lambda: all(cell_text(window, _row_of_title(window, title), "versions").startswith("3 · ")
                                for title in titles))
    assert window.statusBar().currentMessage().endswith("and 2 other articles.")
    menu_action(window, "actionUndo").trigger()
    finish_workers(window)
    qtbot.waitUntil(lambda: all(cell_text(window, _row_of_title(window, title), "versions") == ""
                                for title in titles))
    assert not window.action_undo.isEnabled()


def test_an_existing_library_is_grouped_in_the_background_when_opened(qtbot, open_window, library_path):
    from desktop.core.library import open_library

    insert_articles(library_path, _story_articles())
    with open_library(library_path) as library, library.db.atomic():
        library.db.execute("DELETE FROM meta WHERE key = 'stories.signature_version'")
    window = open_window(library_path)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Grouped: 1 story with copies.")
    finish_workers(window)
    assert cell_text(window, _row_of_title(window, "Talks continue"), "versions").startswith("3 · ")


def test_the_export_can_keep_one_row_per_story(qtbot, open_window, story_library, tmp_path, monkeypatch):
    window = open_window(story_library)
    out = tmp_path / "out.csv"
    asked = []
    monkeypatch.setattr(Pickers, "ask_export_file", classmethod(lambda cls, parent: out))
    monkeypatch.setattr(StoryExport, "ask", classmethod(
        lambda cls, parent, *, articles, stories: asked.append((articles, stories)) or True))
    menu_action(window, "actionExport").trigger()
    finish_workers(window)
    assert asked == [(4, 2)]
    with out.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted(row["title"] for row in rows) == ["Other news", "Talks continue"]


def test_the_export_question_offers_both_choices(qtbot, open_window, story_library, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window = open_window(story_library)
    monkeypatch.undo()  # this test drives the real dialog, with clicks
    answers = []

    def click_one_per_story() -> None:
        box = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "exportStoriesQuestion")
        qtbot.mouseClick(box.findChild(QPushButton, "exportOnePerStory"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, click_one_per_story)
    answers.append(StoryExport.ask(window, articles=4, stories=2))
    assert answers == [True]
