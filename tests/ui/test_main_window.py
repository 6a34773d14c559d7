"""The main window over a library: list, reader, search, facets, saved searches, settings, libraries."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from desktop.core.library import open_library
from desktop.ui import errors as ui_errors
from desktop.ui.main_window import Pickers, scoped_query
from tests.ui.conftest import AGENCY_ARTICLES, QT_LOG_IGNORE, finish_workers, insert_articles
from tests.ui.journeys.steps import focus_on

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def listed_titles(window) -> list[str]:
    model = window.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def facet_values(window, facet: str) -> dict[str, int]:
    return dict(window.sidebar.sections[facet].model.values())


def click_facet(qtbot, window, facet: str, value: str, *, column: int = 0) -> None:
    section = window.sidebar.sections[facet]
    row = [v for v, _ in section.model.values()].index(value)
    rect = section.view.visualRect(section.model.index(row, column))
    qtbot.mouseClick(section.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    finish_workers(window)


def test_window_lists_every_article_and_says_how_many(open_window, agency_library):
    window = open_window(agency_library)
    assert window.findChild(type(window.list_view), "documentList") is window.list_view
    assert sorted(listed_titles(window)) == sorted(a["title"] for a in AGENCY_ARTICLES)
    assert window.count_label.text() == "5 of 5 articles"


def test_first_article_is_in_the_reader_when_the_window_opens(open_window, seeds_library):
    window = open_window(seeds_library)
    document = window.reader.current_document
    assert document is not None
    assert document.title == listed_titles(window)[0]
    assert document.title in window.reader.toPlainText()


def test_arrow_keys_move_through_the_list_as_soon_as_the_window_opens(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    finish_workers(window)
    assert window.reader.current_document.title == listed_titles(window)[1]


def test_selecting_a_row_shows_that_article(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    titles = listed_titles(window)
    rect = window.list_view.visualRect(window.model.index(3, 0))
    qtbot.mouseClick(window.list_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.reader.current_document.title == titles[3]
    assert titles[3] in window.reader.toPlainText()


def test_down_key_and_j_move_to_the_next_article(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    titles = listed_titles(window)
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_Down)
    assert window.reader.current_document.title == titles[1]
    window.action_next.trigger()
    assert window.reader.current_document.title == titles[2]
    window.action_previous.trigger()
    assert window.reader.current_document.title == titles[1]


def test_search_narrows_the_list_and_highlights_hits(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "vaccine")
    qtbot.waitUntil(lambda: window.count_label.text() == "2 of 5 articles", timeout=5000)
    finish_workers(window)
    assert sorted(listed_titles(window)) == ["Satellite launch", "Vaccine trial in Novosibirsk"]
    assert window.reader.current_document.title == "Vaccine trial in Novosibirsk"
    assert window.reader.hit_count == 1
    assert window.reader.theme.hit in window.reader.toHtml()
    assert window.reader.textCursor().selectedText() == "vaccine"


def test_a_query_that_cannot_run_shows_an_inline_error_and_keeps_the_list(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.set_query("AND ( )")
    finish_workers(window)
    assert window.search_bar.error is not None and "Nothing to search" in window.search_bar.error
    assert len(listed_titles(window)) == 5
    window.set_query("vaccine")
    finish_workers(window)
    assert window.search_bar.error is None


@pytest.mark.parametrize("query", ["AND", "NOT", "OR", "-", '"', "*", "()"])
@pytest.mark.parametrize("scope", [None, "notes"])
def test_a_typed_query_of_only_an_operator_or_punctuation_is_named_in_an_inline_error(
        qtbot, open_window, agency_library, query, scope):
    window = open_window(agency_library)
    window.set_query_scope(scope)
    finish_workers(window)
    qtbot.keyClicks(window.search_box, query)
    qtbot.waitUntil(lambda: window.search_bar.error is not None, timeout=5000)
    finish_workers(window)
    assert window.search_bar.error == f'Nothing to search for in “{query}”: type a word or a "phrase".'
    assert len(listed_titles(window)) == 5


def test_a_query_with_too_many_words_shows_an_inline_error_and_keeps_the_list(qtbot, open_window, agency_library):
    from desktop.core.query import MAX_TERMS

    window = open_window(agency_library)
    window.set_query(" ".join(f"word{n}*" for n in range(MAX_TERMS + 1)))
    finish_workers(window)
    assert window.search_bar.error == (f"The query has {MAX_TERMS + 1} words and phrases; "
                                       f"at most {MAX_TERMS} can be searched at once.")
    assert len(listed_titles(window)) == 5


def test_clicking_a_source_narrows_the_list_and_recounts_other_facets(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    assert facet_values(window, "author") == {"Li Wei": 2, "Ivan Petrov": 2, "Anna Smirnova": 1}
    click_facet(qtbot, window, "source", "TASS")
    assert sorted(listed_titles(window)) == ["Arctic research station", "Biomedicine forum"]
    assert facet_values(window, "author") == {"Ivan Petrov": 1, "Anna Smirnova": 1}
    assert window.sidebar.chip_texts() == ["Source: TASS"]
    assert window.count_label.text() == "2 of 5 articles"


def test_the_exclude_control_leaves_a_value_out(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    click_facet(qtbot, window, "author", "Li Wei", column=2)
    titles = listed_titles(window)
    assert len(titles) == 3 and "University alliance" not in titles
    assert window.sidebar.chip_texts() == ["not Author: Li Wei"]


def test_removing_a_chip_and_clear_all_bring_the_articles_back(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    click_facet(qtbot, window, "source", "Xinhua")
    click_facet(qtbot, window, "author", "Ivan Petrov")
    assert listed_titles(window) == ["Satellite launch"]
    window.sidebar.remove_requested.emit("author", "Ivan Petrov")
    finish_workers(window)
    assert len(listed_titles(window)) == 2
    qtbot.mouseClick(window.sidebar.clear_button, Qt.MouseButton.LeftButton)
    finish_workers(window)
    assert len(listed_titles(window)) == 5 and window.sidebar.chip_texts() == []


def test_filter_box_inside_a_facet_narrows_its_values(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.sidebar.sections["author"].filter_box.setText("petr")
    finish_workers(window)
    assert facet_values(window, "author") == {"Ivan Petrov": 2}


def test_clicking_a_year_bar_filters_by_that_year_and_shows_its_months(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    histogram = window.sidebar.histogram
    assert histogram.buckets() == [("2019", 2), ("2020", 1), ("2021", 2)]
    bar_width = histogram.width() / 3
    qtbot.mouseClick(histogram, Qt.MouseButton.LeftButton, pos=QPoint(int(bar_width * 2.5), 40))
    finish_workers(window)
    assert sorted(listed_titles(window)) == ["Biomedicine forum", "University alliance"]
    months = dict(histogram.buckets())
    assert len(months) == 12 and months["2021-05"] == months["2021-11"] == 1
    assert sum(months.values()) == 2
    assert window.sidebar.chip_texts() == ["2021"]
    qtbot.mouseClick(window.sidebar.clear_button, Qt.MouseButton.LeftButton)
    finish_workers(window)
    assert [year for year, _ in histogram.buckets()] == ["2019", "2020", "2021"]


def test_dragging_across_year_bars_filters_by_the_range(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    histogram = window.sidebar.histogram
    bar_width = histogram.width() / 3
    qtbot.mousePress(histogram, Qt.MouseButton.LeftButton, pos=QPoint(int(bar_width * 0.5), 40))
    qtbot.mouseMove(histogram, pos=QPoint(int(bar_width * 1.5), 40))
    qtbot.mouseRelease(histogram, Qt.MouseButton.LeftButton, pos=QPoint(int(bar_width * 1.5), 40))
    finish_workers(window)
    assert len(listed_titles(window)) == 3
    assert window.sidebar.chip_texts() == ["2019 – 2020"]


def test_clicking_the_published_header_sorts_newest_first_in_sql(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    header = window.list_view.horizontalHeader()
    x = header.sectionViewportPosition(1) + header.sectionSize(1) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    finish_workers(window)
    assert listed_titles(window)[0] == "Biomedicine forum"
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    finish_workers(window)
    assert listed_titles(window)[0] == "Vaccine trial in Novosibirsk"


def test_saved_search_round_trips(qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    window.set_query("vaccine")
    finish_workers(window)
    click_facet(qtbot, window, "source", "Xinhua")
    expected = listed_titles(window)
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "Xinhua vaccines"))
    window.action_save_search.trigger()
    finish_workers(window)
    saved = window.sidebar.saved
    assert [saved.item(i).text() for i in range(saved.count())] == ["Xinhua vaccines"]
    window.clear_search()
    finish_workers(window)
    assert len(listed_titles(window)) == 5
    window.open_saved_search(saved.item(0).data(Qt.ItemDataRole.UserRole))
    finish_workers(window)
    assert listed_titles(window) == expected
    assert window.search_box.text() == "vaccine"
    assert window.sidebar.chip_texts() == ["Source: Xinhua"]


def test_saving_a_search_under_its_own_name_again_asks_and_replaces_it(qtbot, open_window, agency_library,
                                                                       monkeypatch):
    window = open_window(agency_library)
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "Agency copy"))
    asked: list[str] = []
    monkeypatch.setattr(Pickers, "ask_replace", classmethod(lambda cls, parent, *, name: asked.append(name) or True), raising=False)
    click_facet(qtbot, window, "source", "Xinhua")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    finish_workers(window)
    click_facet(qtbot, window, "source", "TASS")
    expected = sorted(listed_titles(window))
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    finish_workers(window)
    assert asked == ["Agency copy"]
    saved = window.sidebar.saved
    assert [saved.item(i).text() for i in range(saved.count())] == ["Agency copy"]
    window.clear_search()
    finish_workers(window)
    qtbot.mouseClick(saved.viewport(), Qt.MouseButton.LeftButton, pos=saved.visualItemRect(saved.item(0)).center())
    finish_workers(window)
    assert sorted(listed_titles(window)) == expected
    assert window.sidebar.chip_texts() == ["Source: TASS", "Source: Xinhua"]


def test_saved_search_can_be_renamed_and_deleted(qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    names = iter(["First", "Renamed"])
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: next(names)))
    window.save_current_search()
    finish_workers(window)
    saved = window.sidebar.saved
    search_id = saved.item(0).data(Qt.ItemDataRole.UserRole)
    window.rename_saved_search(search_id)
    finish_workers(window)
    assert saved.item(0).text() == "Renamed"
    window.delete_saved_search(search_id)
    finish_workers(window)
    assert saved.count() == 0


def test_layout_theme_zoom_and_columns_are_restored_on_next_start(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.set_theme("dark")
    window.reader.zoom_by(3)
    window.action_sidebar.trigger()
    window.list_view.horizontalHeader().resizeSection(2, 201)
    window.close()
    again = open_window(agency_library)
    assert again.theme_actions.checkedAction().data() == "dark"
    assert again.reader.point_size() == 15
    assert not again.action_sidebar.isChecked() and again.sidebar_scroll.isHidden()
    again.resize(1440, 900)  # the offscreen screen is smaller than the window was
    assert again.list_view.horizontalHeader().sectionSize(2) == 201
    assert again.settings.path.parent == Path(os.environ["DOSSIER_HOME"])


@pytest.mark.parametrize("content", [b"just some text, not a database", b""])
def test_opening_a_file_that_is_not_a_library_shows_why_and_keeps_the_current_one(
    open_window, agency_library, tmp_path, monkeypatch, content
):
    window = open_window(agency_library)
    shown: list[str] = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "show",
                        classmethod(lambda cls, parent, title, text: shown.append(text)))
    bad = tmp_path / "notes.txt"
    bad.write_bytes(content or b"\x00" * 10)
    window.settings.remember_library(bad)
    window.settings.remember_library(agency_library)
    assert not window.open_library_file(bad)
    assert len(shown) == 1 and "is not a Dossier library" in shown[0]
    assert window.settings.recent_libraries() == [agency_library.resolve()]
    assert window.library.path == agency_library
    assert len(listed_titles(window)) == 5


def test_opening_a_newer_library_shows_the_message_and_keeps_the_current_one(
    open_window, agency_library, tmp_path, monkeypatch, _template_library
):
    import shutil
    import sqlite3

    newer = tmp_path / "newer.sqlite"
    shutil.copy(_template_library, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 999")
    window = open_window(agency_library)
    shown: list[str] = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "show",
                        classmethod(lambda cls, parent, title, text: shown.append(text)))
    assert not window.open_library_file(newer)
    assert "newer version" in shown[0]
    assert window.library.path == agency_library


def test_switching_libraries_lists_the_other_library_and_remembers_it(
    open_window, seeds_library, tmp_path, _template_library
):
    import shutil

    other = tmp_path / "other.sqlite"
    shutil.copy(_template_library, other)
    insert_articles(other, AGENCY_ARTICLES)
    window = open_window(seeds_library)
    assert window.open_library_file(other)
    finish_workers(window)
    assert len(listed_titles(window)) == 5 and "Satellite launch" in listed_titles(window)
    assert window.settings.recent_libraries()[:2] == [other.resolve(), seeds_library.resolve()]


def test_import_actions_stay_disabled_until_an_import_handler_is_set(qtbot, agency_library):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(open_library(agency_library))
    qtbot.addWidget(window)
    assert not window.action_import.isEnabled() and not window.action_import_folder.isEnabled()
    calls = []
    window.set_import_handler(files=lambda w: calls.append("files"), folder=lambda w: calls.append("folder"))
    window.action_import.trigger()
    window.action_import_folder.trigger()
    assert calls == ["files", "folder"]
    window.close()


def test_export_writes_the_current_result_list_as_csv(qtbot, open_window, agency_library, tmp_path, monkeypatch):
    window = open_window(agency_library)
    window.set_query("vaccine")
    finish_workers(window)
    out = tmp_path / "out.csv"
    monkeypatch.setattr(Pickers, "ask_export_file", classmethod(lambda cls, parent: out))
    window.action_export.trigger()
    finish_workers(window)
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(row["title"] for row in rows) == ["Satellite launch", "Vaccine trial in Novosibirsk"]


def test_undo_is_offered_once_an_edit_was_made_and_names_it(open_window, agency_library, qtbot):
    window = open_window(agency_library)
    assert not window.action_undo.isEnabled() and not window.action_redo.isEnabled()
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    assert window.action_undo.isEnabled() and window.action_undo.text() == "Undo Star 1 article"
    window.action_undo.trigger()
    assert not window.action_undo.isEnabled() and window.action_redo.isEnabled()
    assert window.statusBar().currentMessage() == "Undone: Star 1 article."


def test_reader_panels_appear_beside_the_reader_once_turned_on(open_window, agency_library):
    from PySide6.QtWidgets import QLabel

    window = open_window(agency_library)
    before = window.reader_panels.count()
    window.add_reader_panel(QLabel("my panel"), "My panel")
    assert window.reader_panels.isHidden() and window.reader_panels.tabText(before) == "My panel"
    window.action_panels.trigger()
    assert window.reader_panels.isVisible()


def test_a_title_changed_by_another_process_shows_within_two_seconds(open_window, agency_library, qtbot):
    window = open_window(agency_library)
    doc_id = window.current_id()
    received = []
    window.library_changed.connect(received.append)
    with open_library(agency_library) as library:
        library.db.execute("UPDATE documents SET title = 'Retitled' WHERE id = ?", [doc_id])
        library.db.conn.commit()
    qtbot.waitUntil(lambda: "Retitled" in listed_titles(window), timeout=2000)
    assert window.reader.current_document.title == "Retitled"
    assert received and doc_id in received[0].edited and not received[0].membership


def test_smoke_test_builds_the_window_and_exits_zero(seeds_library, capsys):
    from desktop.ui.app import run_gui

    assert run_gui(seeds_library, smoke_test=True) == 0
    assert "5 articles listed" in capsys.readouterr().out


def test_shortcut_sheet_lists_the_reader_keys(qtbot):
    from PySide6.QtWidgets import QTreeWidget

    from desktop.ui.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    tree = dialog.findChild(QTreeWidget)
    texts = [tree.topLevelItem(i).child(j).text(1) for i in range(tree.topLevelItemCount())
             for j in range(tree.topLevelItem(i).childCount())]
    assert "Next search hit" in texts and "Find in the article" in texts


def test_shortcut_sheet_lists_the_keys_that_reach_the_results_and_choose_the_sidebar_filters(qtbot):
    from PySide6.QtWidgets import QTreeWidget

    from desktop.ui.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    tree = dialog.findChild(QTreeWidget)
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    filters = groups["Filters, in the sidebar"]
    keys = {filters.child(j).text(0): filters.child(j).text(1) for j in range(filters.childCount())}
    assert keys["Enter / Space"] == "Show only the articles with the value"
    assert keys["Del"] == "Leave out the articles with the value"
    listing = groups["Article list"]
    assert any(listing.child(j).text(0) == "Down (in the search box)" for j in range(listing.childCount()))


def test_end_and_home_keys_go_to_the_last_and_first_article(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    titles = listed_titles(window)
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_End)
    assert window.reader.current_document.title == titles[-1]
    qtbot.keyClick(window.list_view, Qt.Key.Key_Home)
    assert window.reader.current_document.title == titles[0]


def test_histogram_shows_years_without_articles_as_empty_bars(open_window, library_path):
    insert_articles(library_path, [
        {"title": "Early", "text": "An early article.", "published": "2015-02-01"},
        {"title": "Late", "text": "A later article.", "published": "2018-08-08"},
    ])
    window = open_window(library_path)
    assert window.sidebar.histogram.buckets() == [("2015", 1), ("2016", 0), ("2017", 0), ("2018", 1)]


def test_alt_right_and_alt_left_in_the_reader_move_between_articles(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    titles = listed_titles(window)
    window.reader.setFocus()
    qtbot.keyClick(window.reader, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.reader.current_document.title == titles[1]
    qtbot.keyClick(window.reader, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.reader.current_document.title == titles[0]


def test_find_bar_counts_matches_in_the_article(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.action_find.trigger()
    qtbot.keyClicks(window.find_bar.box, "a")
    assert window.find_bar.isVisible()
    assert window.find_bar.count.text().endswith("found") and window.reader.textCursor().hasSelection()
    qtbot.keyClick(window.find_bar.box, Qt.Key.Key_Escape)
    assert window.find_bar.isHidden()


def test_typing_before_the_sidebar_is_ready_still_fills_the_sidebar(qtbot, agency_library):
    from desktop.ui.app import create_main_window

    window = create_main_window(agency_library)
    qtbot.addWidget(window)
    window.set_query("vaccine")
    finish_workers(window)
    assert facet_values(window, "source") == {"Xinhua": 2}
    window.close()


def test_a_search_without_matches_says_so_in_the_reader(open_window, agency_library):
    window = open_window(agency_library)
    window.set_query("zeppelin")
    finish_workers(window)
    assert window.count_label.text() == "0 of 5 articles"
    assert window.reader.current_document is None
    assert "No article matches this search." in window.reader.toPlainText()


def test_search_terms_are_highlighted_in_the_headline_too(open_window, agency_library):
    from PySide6.QtGui import QTextCursor

    window = open_window(agency_library)
    window.set_query("vaccine")
    finish_workers(window)
    assert window.reader.current_document.title == "Vaccine trial in Novosibirsk"
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(1)
    assert cursor.block().text() == "Vaccine trial in Novosibirsk"
    assert cursor.charFormat().background().color().name() == window.reader.theme.hit
    cursor.setPosition(len("Vaccine trial") - 1)
    assert cursor.charFormat().background().color().name() != window.reader.theme.hit


def test_a_query_scope_searches_one_column_only(open_window, agency_library):
    window = open_window(agency_library)
    window.set_query("vaccine")
    finish_workers(window)
    assert len(listed_titles(window)) == 2
    window.set_query_scope("title")
    finish_workers(window)
    assert listed_titles(window) == ["Vaccine trial in Novosibirsk"]
    window.set_query_scope(None)
    finish_workers(window)
    assert len(listed_titles(window)) == 2


def test_a_scope_keeps_typed_operators_and_drops_only_unbalanced_parentheses():
    assert scoped_query('"a phrase" OR (b -c)', "notes") == 'notes:("a phrase" OR (b -c))'
    assert scoped_query("a) OR (b", "notes") == "notes:(a  OR  b)"
    assert scoped_query("  ", "notes") == "  " and scoped_query("a", None) == "a"


def test_the_reading_state_facet_and_its_chip_read_as_words(qtbot, open_window, agency_library):
    with open_library(agency_library) as library:
        library.db.execute("UPDATE documents SET read_state = 'to_read' WHERE title = 'Satellite launch'")
        library.db.conn.commit()
    window = open_window(agency_library)
    section = window.sidebar.sections["state"]
    shown = [section.model.data(section.model.index(row, 0)) for row in range(section.model.rowCount())]
    assert "To read" in shown and "to_read" not in shown
    click_facet(qtbot, window, "state", "to_read")
    assert window.sidebar.chip_texts() == ["Reading state: To read"]
    assert listed_titles(window) == ["Satellite launch"]


def test_the_sidebar_is_never_narrower_than_its_content(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.resize(1100, 420)
    window.splitter.setSizes([80, 700, 320])
    qtbot.wait(20)
    scroll, sidebar = window.sidebar_scroll, window.sidebar
    assert scroll.verticalScrollBar().isVisible()
    assert sidebar.width() >= sidebar.minimumSizeHint().width()
    assert scroll.viewport().width() >= sidebar.minimumSizeHint().width()


def test_article_shown_is_emitted_for_every_article_read(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    with qtbot.waitSignal(window.article_shown) as blocker:
        window.step_article(1)
    assert blocker.args == [window.current_id()] and window.model.id_at(1) == window.current_id()


def test_library_opened_is_emitted_after_switching_libraries(qtbot, open_window, agency_library, tmp_path):
    from desktop.core.library import open_library as create

    other = tmp_path / "other.sqlite"
    create(other).close()
    window = open_window(agency_library)
    with qtbot.waitSignal(window.library_opened):
        assert window.open_library_file(other)
    finish_workers(window)
    assert window.library.path == other


def test_the_list_context_menu_holds_the_sections_added_for_the_selection(open_window, agency_library):
    window = open_window(agency_library)
    window.add_list_menu_section(lambda menu, ids: menu.addAction(f"{len(ids)} chosen"))
    window.list_view.selectAll()
    menu = window.list_menu()
    assert menu.objectName() == "documentListMenu"
    assert "5 chosen" in [action.text() for action in menu.actions()]


def test_a_write_that_finishes_while_the_window_closes_is_not_delivered(open_window, agency_library):
    from PySide6.QtWidgets import QApplication

    window = open_window(agency_library)
    delivered = []
    window.submit_write(lambda library, progress, cancel: library.db.execute("SELECT 1").fetchone()[0],
                        on_finished=delivered.append)
    assert window.writer.wait(5000)
    window.close()
    QApplication.processEvents()
    assert delivered == []


def test_turning_the_panels_on_takes_their_room_from_the_list_not_the_reader(open_window, agency_library):
    window = open_window(agency_library)
    assert window.reader_panels.count() and window.reader_panels.isHidden()
    _, listed, reading = window.splitter.sizes()
    window.action_panels.trigger()
    assert window.reader_panels.isVisible()
    assert window.splitter.sizes()[1] < listed
    assert window.reader_splitter.sizes()[0] >= 0.9 * reading


def test_turning_the_panels_on_never_leaves_the_reader_narrower_than_readable(open_window, agency_library):
    from desktop.ui.main_window import READER_MIN_WIDTH

    window = open_window(agency_library)
    sidebar, listed, reading = window.splitter.sizes()
    window.splitter.setSizes([sidebar, listed + reading - 300, 300])
    window.action_panels.trigger()
    assert window.reader_splitter.sizes()[0] >= READER_MIN_WIDTH
    assert window.list_view.horizontalHeader().sectionSize(0) >= window.list_view.title_min_width


def test_turning_the_panels_off_gives_their_room_back_to_the_list(open_window, agency_library):
    window = open_window(agency_library)
    _, listed, reading = window.splitter.sizes()
    window.action_panels.trigger()
    window.action_panels.trigger()
    assert window.reader_panels.isHidden()
    _, listed_after, reading_after = window.splitter.sizes()
    assert abs(listed_after - listed) <= 8 and abs(reading_after - reading) <= 8


def test_the_words_column_is_hidden_until_asked_for_in_the_column_menu(open_window, agency_library):
    window = open_window(agency_library)
    words = window.model.column_of_key("word_count")
    assert window.list_view.horizontalHeader().isSectionHidden(words)
    next(action for action in window.column_menu().actions() if action.text() == "Words").trigger()
    assert not window.list_view.horizontalHeader().isSectionHidden(words)


def test_a_column_the_list_is_too_narrow_for_says_so_in_the_column_menu(open_window, agency_library):
    window = open_window(agency_library)
    window.resize(900, 700)
    state = window.model.column_of_key("author")
    assert window.list_view.gave_way(state)
    author = next(action for action in window.column_menu().actions() if "Author" in action.text())
    assert author.isChecked() and author.text() == "Author (no room)"


def test_toolbar_buttons_have_short_texts_and_name_their_shortcut(open_window, agency_library):
    window = open_window(agency_library)
    assert window.action_export.iconText() == "Export"
    assert window.action_export.text() == "&Export result list…"
    shortcut = window.action_export.shortcut()
    keys = shortcut.toString(shortcut.SequenceFormat.NativeText)
    assert window.action_export.toolTip() == f"Export result list ({keys})"


def test_a_long_search_error_wraps_beside_the_box_instead_of_being_cut(open_window, agency_library):
    window = open_window(agency_library)
    window.resize(1366, 768)
    window.search_bar.show_error('Nothing to search for in “AND OR NOT”: type a word or a "phrase".')
    hint = window.search_bar.hint
    window.search_bar.layout().activate()
    assert hint.heightForWidth(hint.width()) <= hint.height()
    assert hint.toolTip() == hint.text()


def test_panels_are_off_on_first_start_so_the_list_keeps_readable_titles(open_window, agency_library):
    window = open_window(agency_library)
    assert not window.action_panels.isChecked() and window.reader_panels.isHidden()
    assert window.list_view.horizontalHeader().sectionSize(0) >= 160


def test_columns_added_after_selecting_are_highlighted_in_the_current_row(open_window, agency_library):
    from desktop.ui.doc_model import Column

    window = open_window(agency_library)
    number = window.model.add_column(Column("extra", "Extra", None, lambda row: "x"))
    row = window.list_view.currentIndex().row()
    assert window.list_view.selectionModel().isSelected(window.model.index(row, number))


def test_a_column_hidden_from_the_header_menu_stays_hidden_on_next_start(open_window, agency_library):
    window = open_window(agency_library)
    menu = window.column_menu()
    author = next(action for action in menu.actions() if action.text() == "Author")
    author.trigger()
    author_column = window.model.column_of_key("author")
    assert window.list_view.horizontalHeader().isSectionHidden(author_column)
    window.close()
    again = open_window(agency_library)
    again.resize(1440, 900)  # the offscreen screen is smaller than the window was
    assert again.list_view.horizontalHeader().isSectionHidden(again.model.column_of_key("author"))
    shown = [action.text() for action in again.column_menu().actions() if action.isChecked()]
    assert "Author" not in shown and "Published" in shown


def test_a_column_without_values_in_the_results_shrinks_to_its_header(library_path, open_window):
    insert_articles(library_path, [{"title": f"Story {n}", "text": f"plain text {n}"} for n in range(3)])
    window = open_window(library_path)
    header = window.list_view.horizontalHeader()
    for key in ("author", "language", "versions"):
        number = window.model.column_of_key(key)
        assert header.sectionSize(number) < window.model.columns[number].width
    assert header.sectionSize(0) > 270


def test_typing_searches_the_last_word_as_a_prefix_and_keeps_the_query_as_typed(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "vacc")
    qtbot.waitUntil(lambda: window.count_label.text() == "2 of 5 articles", timeout=5000)
    finish_workers(window)
    assert window.query_text == "vacc"
    assert window.reader.current_document is not None


def test_enter_searches_the_query_exactly_as_typed(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    qtbot.keyClicks(window.search_box, "vacc")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.count_label.text() == "0 of 5 articles", timeout=5000)
    finish_workers(window)
    assert window.search_query() == "vacc"


@pytest.mark.parametrize(("typed", "searched"), [
    ("mobile ph", "mobile ph*"),
    ("mobile ", "mobile "),
    ('"mobile ph', '"mobile ph'),
    ('"mobile phone"', '"mobile phone"'),
    ("mobile OR", "mobile OR"),
    ("title:", "title:"),
    ("title:mob", "title:mob*"),
    ("-mob", "-mob*"),
    ("mob*", "mob*"),
])
def test_only_a_bare_last_word_is_searched_as_a_prefix_while_typing(typed, searched):
    from desktop.core.query import typing_query

    assert typing_query(typed) == searched


def test_the_whole_query_hint_fits_beside_the_search_box(open_window, agency_library):
    from desktop.ui.search_box import SYNTAX_HINT

    window = open_window(agency_library)
    hint = window.search_bar.hint
    assert hint.width() >= hint.fontMetrics().horizontalAdvance(SYNTAX_HINT)


def test_the_query_hint_reads_on_one_line_at_1366_by_768_with_the_whole_syntax_in_its_tooltip(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.resize(1366, 768)
    hint = window.search_bar.hint
    qtbot.waitUntil(lambda: window.width() == 1366)
    assert hint.fontMetrics().horizontalAdvance(hint.text()) <= hint.contentsRect().width() - 2 * hint.margin()
    assert "title:word" in hint.toolTip()


def test_a_folded_sidebar_section_stays_folded_on_next_start(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    section = window.sidebar.sections["source"]
    qtbot.mouseClick(section.title, Qt.MouseButton.LeftButton)
    assert section.body.isHidden()
    window.close()
    again = open_window(agency_library)
    assert again.sidebar.sections["source"].body.isHidden()
    assert not again.sidebar.sections["author"].body.isHidden()


def test_added_sections_sit_above_the_dates_and_facets(open_window, agency_library):
    from PySide6.QtWidgets import QLabel

    from desktop.ui.sidebar import Section

    window = open_window(agency_library)
    window.sidebar.add_section(QLabel("mine"), "Mine")
    finish_workers(window)
    sections = {section.key: section for section in window.sidebar.findChildren(Section)}
    assert sections["Mine"].y() < sections["published"].y() < sections["source"].y()


def test_facet_rows_tell_the_full_value_in_their_tooltip(open_window, agency_library):
    window = open_window(agency_library)
    model = window.sidebar.sections["source"].model
    row = [value for value, _ in model.values()].index("China Daily")
    for column in range(model.columnCount()):
        assert "China Daily" in model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)


def test_the_dates_facet_lists_only_iso_dates_and_money_reads_with_separators():
    from desktop.ui.sidebar import shown_values, value_label

    rows = [("2019-03-02", 3), ("Monday", 2), ("recent years", 1), ("2019", 1)]
    assert shown_values("entity:DATE", rows) == [("2019-03-02", 3), ("2019", 1)]
    assert shown_values("source", rows) == rows
    assert value_label("entity:MONEY", "1000000 USD") == "1,000,000 USD"
    assert value_label("entity:MONEY", "2500.50 RUB") == "2,500.50 RUB"
    assert value_label("source", "1000000 USD") == "1000000 USD"


def test_the_histogram_shows_months_when_every_result_falls_in_one_year(open_window, agency_library):
    window = open_window(agency_library)
    window.set_query("station OR trial")
    finish_workers(window)
    months = dict(window.sidebar.histogram.buckets())
    assert len(months) == 12 and months["2019-03"] == months["2019-07"] == 1
    assert window.sidebar.year is None


def test_a_star_repaints_its_row_and_recounts_only_the_reading_state(open_window, agency_library, qtbot,
                                                                     monkeypatch):
    window = open_window(agency_library)
    requests = []
    start = window._start
    monkeypatch.setattr(window, "_start", lambda request, *, sync: (requests.append(request),
                                                                    start(request, sync=sync)))
    window.list_view.setFocus()
    qtbot.keyClick(window.list_view, Qt.Key.Key_S)
    finish_workers(window)
    assert [(request.list_ids, request.facets) for request in requests] == [(False, ("state",))]


def test_a_new_entity_type_arriving_keeps_the_filter_typed_in_another_facet(open_window, agency_library, qtbot):
    from tests.core.helpers import add_mention

    window = open_window(agency_library)
    author = window.sidebar.sections["author"]
    qtbot.keyClicks(author.filter_box, "petr")
    finish_workers(window)
    assert "entity:NORP" not in window.sidebar.sections
    with open_library(agency_library) as other, other.db.atomic():  # an extraction elsewhere
        add_mention(other.db, window.model.ids[0], "NORP", "Siberian")
    qtbot.waitUntil(lambda: "entity:NORP" in window.sidebar.sections, timeout=5_000)
    finish_workers(window)
    assert window.sidebar.sections["author"] is author and author.filter_box.text() == "petr"
    assert facet_values(window, "author") == {"Ivan Petrov": 2}


def test_tab_goes_from_the_search_row_through_the_sidebar_and_the_list_to_the_reader(
        qtbot, open_window, agency_library):
    from PySide6.QtWidgets import QApplication

    window = open_window(agency_library)
    window.action_panels.trigger()
    window.search_box.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search_box)
    visited = [window.search_box]
    while QApplication.focusWidget() is not window.reader and len(visited) < 60:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    names = [widget.objectName() for widget in visited]
    assert names[:4] == ["searchBox", "notesScope", "hideCopies", "countStories"]
    assert names[-2:] == ["documentList", "reader"]
    assert "documentNote" not in names  # the Notes panel beside the reader comes after it


def test_a_saved_search_opens_with_enter_and_is_renamed_with_f2(qtbot, open_window, agency_library, monkeypatch):
    from desktop.core.saved_searches import save_search

    with open_library(agency_library) as library:
        save_search(library.db, name="Polar", query="station", filters="{}")
        save_search(library.db, name="Harbin", query="Harbin", filters="{}")
    window = open_window(agency_library)
    saved = window.sidebar.saved
    saved.setFocus()
    qtbot.waitUntil(saved.hasFocus)
    qtbot.keyClick(saved, Qt.Key.Key_Down)
    chosen = saved.currentItem().text()
    qtbot.keyClick(saved, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.search_box.text() == {"Polar": "station", "Harbin": "Harbin"}[chosen])
    finish_workers(window)
    assert len(listed_titles(window)) == 1

    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: f"{kw['text']} (2)"))
    qtbot.keyClick(saved, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: f"{chosen} (2)" in [saved.item(i).text() for i in range(saved.count())])


def test_the_shortcut_sheet_shows_every_description_in_full(qtbot):
    from PySide6.QtWidgets import QTreeWidget

    from desktop.ui.shortcuts import ShortcutsDialog

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = dialog.findChild(QTreeWidget)
    rows = [tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
            for j in range(tree.topLevelItem(i).childCount())]
    cut = [row.text(1) for row in rows
           if tree.columnWidth(1) < tree.fontMetrics().horizontalAdvance(row.text(1)) + 8]
    assert cut == []


def test_the_shortcut_sheet_lists_the_keys_of_the_entity_review_windows(qtbot, open_window, agency_library):
    from PySide6.QtWidgets import QTreeWidget

    from desktop.ui.shortcuts import ShortcutsDialog

    window = open_window(agency_library)
    dialog = ShortcutsDialog(window)
    tree = dialog.findChild(QTreeWidget)
    groups = {tree.topLevelItem(i).text(0): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    review = groups["Entities ▸ Review entities…"]
    keys = {review.child(j).text(0): review.child(j).text(1) for j in range(review.childCount())}
    assert keys["M"].startswith("Merge the selected entities") and "Space, S" in keys
    scripts = groups["Entities ▸ Names in other scripts…"]
    assert [scripts.child(j).text(0) for j in range(scripts.childCount())] == ["A, Enter", "R, Del"]
    dialog.close()


def test_an_unticked_box_stands_out_from_the_window_in_the_dark_theme(qtbot, open_window, agency_library):
    """The style's own check box was a near-black square on the dark window ("Hide copies",
    "In my notes" and the legend looked like smudges)."""
    from PySide6.QtGui import QAction, QColor
    from PySide6.QtWidgets import QCheckBox

    window = open_window(agency_library)
    window.findChild(QAction, "actionThemeDark").trigger()
    box = window.findChild(QCheckBox, "hideCopies")
    assert not box.isChecked()
    image = box.grab().toImage()
    window_colour = QColor(window.palette().window().color())
    box_width = box.style().pixelMetric(box.style().PixelMetric.PM_IndicatorWidth, None, box)
    strongest = max(abs(QColor(image.pixel(x, y)).lightness() - window_colour.lightness())
                    for x in range(min(box_width, 12)) for y in range(image.height()))
    assert strongest >= 60  # the box's edge against the window (it was 7 of 255 lighter)


@pytest.mark.parametrize("author", [
    "Vladimir Vladimirovich Putin, President of the Russian Federation",
    "Владимир Владимирович Путин, президент Российской Федерации",
    "中华人民共和国科学技术部国际合作司司长王晓明",
], ids=["english", "russian", "chinese"])
def test_a_long_facet_value_is_cut_at_its_end_and_read_whole_in_its_tooltip(
        open_window, library_path, author):
    insert_articles(library_path, [{"title": "Visit", "text": "A visit.", "author": author}])
    window = open_window(library_path)
    window.resize(1366, 768)
    finish_workers(window)
    view = window.sidebar.sections["author"].view
    index = view.model().index(0, 0)
    width = view.visualRect(index).width()
    shown = view.fontMetrics().elidedText(author, view.textElideMode(), width)
    assert shown != author and shown.endswith("…")
    assert author.startswith(shown[:-1])
    assert author in view.model().data(index, Qt.ItemDataRole.ToolTipRole)


def test_next_name_in_an_article_without_names_says_so_and_leaves_the_keyboard_where_it_was(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    window.list_view.setFocus()
    qtbot.waitUntil(window.list_view.hasFocus)
    window.findChild(QAction, "actionNextName").trigger()
    assert window.statusBar().currentMessage() == "This article has no highlighted names or links."
    assert window.list_view.hasFocus()


def test_f6_and_shift_f6_go_from_pane_to_pane_past_the_filters(qtbot, open_window, agency_library):
    from PySide6.QtWidgets import QApplication

    window = open_window(agency_library)
    focus_on(qtbot, window, window.search_box)
    reached = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        reached.append(QApplication.focusWidget())
    assert reached == [window.sidebar_scroll, window.list_view, window.reader, window.search_box]
    qtbot.keyClick(window.search_box, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.reader


def tab_to_histogram(qtbot, window):
    """Tab from the search box until the keyboard is on the Published histogram; the histogram."""
    from PySide6.QtWidgets import QApplication

    histogram = window.sidebar.histogram
    focus_on(qtbot, window, window.search_box)
    for _ in range(40):
        if histogram.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert histogram.hasFocus()
    return histogram


def test_the_published_histogram_chooses_a_year_and_a_range_of_months_from_the_keyboard(
        qtbot, open_window, agency_library):
    window = open_window(agency_library)
    histogram = tab_to_histogram(qtbot, window)
    qtbot.keyClick(histogram, Qt.Key.Key_Left)
    qtbot.keyClick(histogram, Qt.Key.Key_Return)
    finish_workers(window)
    assert window.sidebar.chip_texts() == ["2020"] and listed_titles(window) == ["Satellite launch"]
    qtbot.mouseClick(window.sidebar.clear_button, Qt.MouseButton.LeftButton)
    finish_workers(window)
    histogram.setFocus()
    qtbot.keyClick(histogram, Qt.Key.Key_Home)
    qtbot.keyClick(histogram, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(histogram, Qt.Key.Key_Space)
    finish_workers(window)
    assert window.sidebar.chip_texts() == ["2019 – 2020"] and len(listed_titles(window)) == 3


def test_the_histogram_names_the_bar_reached_from_the_keyboard_in_words_and_has_an_accessible_name(
        qtbot, open_window, agency_library):
    from tests.ui.journeys.steps import drawn_texts

    window = open_window(agency_library)
    histogram = tab_to_histogram(qtbot, window)
    qtbot.keyClick(histogram, Qt.Key.Key_Left)
    assert "2020: 1 article" in drawn_texts(histogram)
    qtbot.keyClick(histogram, Qt.Key.Key_Home)
    assert "2019: 2 articles" in drawn_texts(histogram)
    assert histogram.accessibleName() == "Articles published per year"
    assert histogram.accessibleDescription() == "2019: 2 articles"


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["laptop", "desktop"])
def test_a_headline_with_a_long_russian_word_breaks_only_between_words(open_window, library_path, size):
    title = "По сведениям Всемирной продовольственной и сельскохозяйственной организации ООН (ФАО)"
    insert_articles(library_path, [{"title": title, "text": "Цены на продукты выросли."}])
    window = open_window(library_path)
    window.resize(*size)
    window.action_panels.trigger()
    finish_workers(window)
    headline = window.reader.document().begin()
    assert headline.text() == title
    layout = headline.layout()
    starts = [layout.lineAt(number).textStart() for number in range(1, layout.lineCount())]
    assert starts and all(title[start - 1] == " " for start in starts)


def test_removing_a_chip_from_the_keyboard_leaves_the_keyboard_on_the_next_chip_then_the_sidebar(
        qtbot, open_window, agency_library):
    from PySide6.QtWidgets import QApplication, QToolButton

    from desktop.ui.filter_chips import Chip

    window = open_window(agency_library)
    window.activateWindow()
    click_facet(qtbot, window, "source", "TASS")
    click_facet(qtbot, window, "author", "Ivan Petrov")
    first, second = window.sidebar.chip_texts()
    button = window.sidebar.findChildren(Chip)[0].findChild(QToolButton)
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Space)
    finish_workers(window)
    assert window.sidebar.chip_texts() == [second]
    focused = QApplication.focusWidget()
    assert isinstance(focused.parentWidget(), Chip) and focused.parentWidget().value in second
    qtbot.keyClick(focused, Qt.Key.Key_Space)
    finish_workers(window)
    assert window.sidebar.chip_texts() == [] and window.count_label.text() == "5 of 5 articles"
    assert QApplication.focusWidget() is window.sidebar_scroll


def test_the_words_column_counts_a_chinese_article_in_characters_as_the_reader_does(
        open_window, library_path):
    insert_articles(library_path, [{"title": "合作", "text": "中俄两国签署了合作协议"},
                                   {"title": "Deal", "text": "Harbin and Omsk sign a deal"}])
    with open_library(library_path) as library:
        library.db.execute("UPDATE documents SET language = 'en' WHERE title = 'Deal'")
        library.db.execute("UPDATE documents SET language = 'zh', word_count = 11 WHERE title = '合作'")
    window = open_window(library_path)
    next(action for action in window.column_menu().actions() if action.text() == "Words").trigger()
    model, words = window.model, window.model.column_of_key("word_count")
    shown = {model.data(model.index(row, 0)): model.data(model.index(row, words)) for row in range(2)}
    assert shown == {"合作": "11 chars", "Deal": "6"}


def test_tab_goes_down_the_sidebar_in_the_order_its_sections_are_shown(qtbot, open_window, agency_library):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    window = open_window(agency_library)
    focus_on(qtbot, window, window.sidebar_scroll)
    tops = []
    while True:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if not window.sidebar_scroll.isAncestorOf(focused):
            break
        tops.append(focused.mapTo(window.sidebar_scroll, QPoint(0, 0)).y())
    assert window.sidebar.histogram.mapTo(window.sidebar_scroll, QPoint(0, 0)).y() in tops
    assert len(tops) > 5 and tops == sorted(tops)


def test_shift_tab_from_the_panels_tabs_goes_back_to_the_reader(qtbot, open_window, agency_library):
    from PySide6.QtWidgets import QApplication, QTabBar

    window = open_window(agency_library)
    window.action_panels.trigger()
    focus_on(qtbot, window, window.reader)
    qtbot.keyClick(window.reader, Qt.Key.Key_Tab)
    assert isinstance(QApplication.focusWidget(), QTabBar)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is window.reader


def test_shift_tab_goes_up_the_sidebar_through_the_stops_tab_goes_down(qtbot, open_window, agency_library):
    from PySide6.QtWidgets import QApplication

    window = open_window(agency_library)
    window.resize(1366, 500)  # the sidebar scrolls as the keyboard goes down it
    window.activateWindow()

    def walk(start, key):
        start.setFocus()
        qtbot.waitUntil(start.hasFocus)
        visited = []
        for _ in range(60):
            qtbot.keyClick(QApplication.focusWidget(), key)
            focused = QApplication.focusWidget()
            if not window.sidebar_scroll.isAncestorOf(focused) and focused is not window.sidebar_scroll:
                return visited
            visited.append(focused)
        raise AssertionError("the keyboard never left the sidebar")

    down = [window.sidebar_scroll, *walk(window.sidebar_scroll, Qt.Key.Key_Tab)]
    up = walk(window.list_view, Qt.Key.Key_Backtab)
    assert len(down) > 5 and up == list(reversed(down))


def test_typing_an_e_in_the_search_box_types_it_rather_than_going_to_a_name(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    focus_on(qtbot, window, window.search_box)
    qtbot.keyClicks(window.search_box, "Eurasia")
    qtbot.keyClick(window.search_box, "E", Qt.KeyboardModifier.ShiftModifier)
    assert window.search_box.text() == "EurasiaE" and window.search_box.hasFocus()


def test_a_chip_of_a_long_name_is_cut_to_the_sidebar_and_keeps_its_remove_button_in_view(
        qtbot, open_window, library_path):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QLabel

    from desktop.ui.filter_chips import Chip

    name = "Всемирная продовольственная и сельскохозяйственная организация ООН"
    insert_articles(library_path, [{"title": "ФАО", "text": "Цены выросли.", "author": name}])
    window = open_window(library_path)
    window.resize(1366, 768)
    finish_workers(window)
    width = window.sidebar_scroll.width()
    click_facet(qtbot, window, "author", name)
    [chip] = window.sidebar.findChildren(Chip)
    assert window.sidebar.chip_texts() == [f"Author: {name}"]
    assert abs(window.sidebar_scroll.width() - width) <= 2
    viewport = window.sidebar_scroll.viewport()
    corner = chip.close_button.mapTo(viewport, QPoint(chip.close_button.width(), 0))
    assert chip.close_button.isVisible() and corner.x() <= viewport.width()
    assert name in chip.findChild(QLabel).toolTip()


def test_a_saved_search_with_a_long_name_is_cut_to_the_sidebar_and_named_whole_in_its_tooltip(
        open_window, agency_library):
    from desktop.core.saved_searches import save_search

    name = "Сохранённый поиск по продовольственной и сельскохозяйственной организации"
    with open_library(agency_library) as library:
        save_search(library.db, name=name, query="vaccine", filters="{}")
    window = open_window(agency_library)
    window.resize(1366, 768)
    finish_workers(window)
    saved = window.sidebar.saved
    item = saved.item(0)
    assert saved.visualItemRect(item).right() < saved.viewport().width()
    assert not saved.horizontalScrollBar().isVisible()
    assert item.toolTip() == f"{name}\nvaccine"
