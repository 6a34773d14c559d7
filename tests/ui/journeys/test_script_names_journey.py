"""Names across scripts in the window: a search for Putin lists the Russian article mentioning
Путин and says so, the reader marks Путин (and 普京, merged in) as hits, the toggle turns that
off (and is remembered); the suggestions dialog merges
or keeps apart a pair with one key, and Undo reverses the merge."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTreeWidget

from desktop.core.entities import always_treat, mark_mention, merge_entities
from desktop.core.library import open_library
from tests.core.helpers import add_article, span
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, click_row, drop_on, listed_titles, menu_action
from tests.ui.journeys.test_multiscript_search_journey import hits_shown

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

ARTICLES = [
    ("Talks in Beijing", "Vladimir Putin arrived for talks. Putin spoke first.", "Putin", "PERSON"),
    ("Переговоры в Пекине", "Путин прибыл на переговоры.", "Путин", "PERSON"),
    ("Exports to Germany", "Exports to Germany grew in spring.", "Germany", "GPE"),
    ("Германия и Китай", "Германия подписала соглашение.", "Германия", "ORG"),
]


@pytest.fixture
def scripts_library(library_path):
    with open_library(library_path) as library:
        db = library.db
        for n, (title, text, name, label) in enumerate(ARTICLES):
            doc = add_article(db, text, title=title, published=f"2020-01-0{n + 1}")
            start, end = span(db, doc, name)
            mark_mention(db, doc, start=start, end=end, label=label)
            if name == "Putin":
                start, end = span(db, doc, "Vladimir Putin")
                mark_mention(db, doc, start=start, end=end, label=label)
    return library_path


def test_a_search_for_putin_lists_the_russian_article_and_the_toggle_turns_it_off(
        qtbot, open_window, scripts_library):
    window = open_window(scripts_library)
    follow = menu_action(window, "actionFollowNames")
    assert follow.isChecked()

    qtbot.keyClicks(window.search_box, "Putin")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: listed_titles(window) == ["Talks in Beijing", "Переговоры в Пекине"])
    qtbot.waitUntil(lambda: "also: Путин" in window.count_label.text())
    assert window.count_label.text().startswith("2 of 4 articles")

    follow.trigger()
    qtbot.waitUntil(lambda: listed_titles(window) == ["Talks in Beijing"])
    assert "also" not in window.count_label.text()
    window.close()

    again = open_window(scripts_library)
    assert not menu_action(again, "actionFollowNames").isChecked()


def test_the_reader_marks_the_names_in_other_scripts_that_a_search_for_putin_found(
        qtbot, open_window, scripts_library):
    with open_library(scripts_library) as library:
        db = library.db
        kremlin = add_article(db, "Владимир Путин принял гостей. Гости поблагодарили Владимира Путина.",
                              title="Встреча в Кремле", published="2020-01-05")
        mark_mention(db, kremlin, start=0, end=len("Владимир Путин"), label="PERSON")
        beijing = add_article(db, "普京抵达北京，与中方会谈。", title="会谈在北京举行", published="2020-01-06")
        mark_mention(db, beijing, start=0, end=2, label="PERSON")
        ids = dict(db.conn.execute("SELECT name, id FROM entities WHERE name IN ('Putin', '普京')").fetchall())
        merge_entities(db, [ids["普京"]], into=ids["Putin"])
    window = open_window(scripts_library)
    qtbot.keyClicks(window.search_box, "Putin")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Встреча в Кремле" in listed_titles(window) and "会谈在北京举行" in listed_titles(window))
    qtbot.waitUntil(lambda: "also: Владимир Путин, Путин, 普京" in window.count_label.text())

    click_row(qtbot, window.list_view, listed_titles(window).index("Встреча в Кремле"))
    qtbot.waitUntil(lambda: "гостей" in window.reader.toPlainText())
    assert sorted(hits_shown(qtbot, window)) == ["Владимир Путин", "Владимира Путина"]
    click_row(qtbot, window.list_view, listed_titles(window).index("会谈在北京举行"))
    qtbot.waitUntil(lambda: "会谈" in window.reader.toPlainText())
    assert hits_shown(qtbot, window) == ["普京"]

    menu_action(window, "actionFollowNames").trigger()  # off: the Russian and Chinese articles go
    qtbot.waitUntil(lambda: listed_titles(window) == ["Talks in Beijing"])
    qtbot.waitUntil(lambda: window.reader.hit_count == 0)  # 普京 is no hit any more
    click_row(qtbot, window.list_view, 0)
    qtbot.waitUntil(lambda: "spoke" in window.reader.toPlainText())
    assert hits_shown(qtbot, window) == ["Putin", "Putin"]


def test_the_suggestions_dialog_keeps_apart_with_r_merges_with_a_and_undo_reverses(
        qtbot, open_window, scripts_library):
    window = open_window(scripts_library)
    menu_action(window, "actionScriptNames").trigger()
    dialog = window.findChild(QTreeWidget, "scriptNameSuggestions").window()
    qtbot.waitUntil(dialog.isVisible)
    suggestions = dialog.findChild(QTreeWidget, "scriptNameSuggestions")
    assert dialog.pairs() == [("Germany", "Германия"), ("Vladimir Putin", "Путин")]
    assert suggestions.currentItem().text(0) == "Germany"
    assert [suggestions.topLevelItem(row).text(2) for row in range(2)] == ["Place / Organisation", "Person"]

    qtbot.keyClick(suggestions, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: dialog.pairs() == [("Vladimir Putin", "Путин")])
    assert window.statusBar().currentMessage() == "Kept 'Germany' and 'Германия' apart."
    qtbot.keyClick(suggestions, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: dialog.pairs() == [])
    assert dialog.empty.isVisible()
    assert window.statusBar().currentMessage() == "Merged 'Путин' into 'Vladimir Putin'."
    dialog.close()

    menu_action(window, "actionUndo").trigger()
    menu_action(window, "actionScriptNames").trigger()
    reopened = window.script_names.dialog
    qtbot.waitUntil(reopened.isVisible)
    assert reopened.pairs() == [("Vladimir Putin", "Путин")]  # the refusal stays, the merge is undone


def test_the_suggestions_dialog_with_nothing_to_decide_says_so_at_its_top_without_the_keys(
        qtbot, open_window, scripts_library):
    window = open_window(scripts_library)
    menu_action(window, "actionScriptNames").trigger()
    dialog = window.script_names.dialog
    qtbot.waitUntil(dialog.isVisible)
    for _ in range(2):
        click(qtbot, dialog.findChild(QPushButton, "refuseScriptName"))
    qtbot.waitUntil(lambda: dialog.pairs() == [])
    empty = dialog.findChild(QLabel, "scriptNamesEmpty")
    assert empty.isVisible() and not dialog.help.isVisible()
    text_top = empty.mapTo(dialog, empty.contentsRect().topLeft()).y()
    assert text_top < dialog.height() // 4, "the note floats in the middle of the dialog"
    assert not dialog.findChild(QPushButton, "acceptScriptName").isEnabled()


def test_a_library_migrated_without_keys_is_keyed_in_the_background_and_search_follows(
        qtbot, open_window, scripts_library):
    with open_library(scripts_library) as library:  # as migration 0010 leaves a large library
        library.db.execute("DELETE FROM entity_keys")
    window = open_window(scripts_library)
    qtbot.keyClicks(window.search_box, "Germany")  # Qt's key events can only type ASCII
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: listed_titles(window) == ["Exports to Germany", "Германия и Китай"])
    assert "also: Германия" in window.count_label.text()


def person_names(window) -> set[str]:
    section = window.sidebar.sections.get("entity:PERSON")
    return {name for name, _ in section.model.values()} if section is not None else set()


def test_the_merges_of_names_in_other_scripts_after_an_extraction_are_one_undo_step(
        qtbot, open_window, library_path):
    with open_library(library_path) as library:
        add_article(library.db, "Генерал Рудской заявил, что учения прошли успешно.", title="Учения",
                    published="2020-01-02")
        add_article(library.db, "Andrei Rudskoy said the drills went well.", title="Drills",
                    published="2020-01-01")
        for name in ("Рудской", "Rudskoy"):
            always_treat(library.db, name, label="PERSON")
    window = open_window(library_path)
    menu_action(window, "actionExtractEntities").trigger()
    undo = window.findChild(QAction, "actionUndo")
    qtbot.waitUntil(lambda: undo.text().endswith("written in other scripts"), timeout=60_000)
    qtbot.waitUntil(lambda: "Rudskoy" in person_names(window) and "Рудской" not in person_names(window))

    undo.trigger()
    qtbot.waitUntil(lambda: {"Rudskoy", "Рудской"} <= person_names(window))
    assert window.statusBar().currentMessage().startswith("Undone: Merge")
    menu_action(window, "actionRedo").trigger()
    qtbot.waitUntil(lambda: "Рудской" not in person_names(window))
    assert window.statusBar().currentMessage().startswith("Redone: Merge")


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the import dialog, offscreen
def test_names_in_other_scripts_in_a_dropped_folder_are_merged_after_the_import_as_one_undo_step(
        qtbot, open_window, library_path, tmp_path):
    with open_library(library_path) as library:
        for name in ("Рудской", "Rudskoy"):
            always_treat(library.db, name, label="PERSON")
    folder = tmp_path / "drills"
    folder.mkdir()
    (folder / "ru.txt").write_text("Учения\n\nГенерал Рудской заявил, что учения прошли успешно.\n",
                                   encoding="utf-8")
    (folder / "en.txt").write_text("Drills\n\nAndrei Rudskoy said the drills went well.\n", encoding="utf-8")
    window = open_window(library_path)
    drop_on(window, [folder])
    qtbot.waitUntil(lambda: (found := window.findChild(QDialog, "importDialog")) is not None
                    and found.isVisible())
    dialog = window.findChild(QDialog, "importDialog")
    qtbot.waitUntil(lambda: "to read" in dialog.findChild(QLabel, "scanSummary").text())
    start = next(b for b in dialog.findChildren(QPushButton) if b.text().replace("&", "") == "Import")
    click(qtbot, start)
    undo = window.findChild(QAction, "actionUndo")
    qtbot.waitUntil(lambda: undo.text().endswith("written in other scripts"), timeout=60_000)
    qtbot.waitUntil(lambda: "Rudskoy" in person_names(window) and "Рудской" not in person_names(window))
    undo.trigger()
    qtbot.waitUntil(lambda: {"Rudskoy", "Рудской"} <= person_names(window))


def test_the_suggestions_dialog_shows_both_names_whole(qtbot, open_window, scripts_library):
    with open_library(scripts_library) as library:
        for title, text, name in (("Summit in Paris", "Nicolas Sarkozy met the press.", "Nicolas Sarkozy"),
                                  ("Саммит в Париже", "Саркози встретился с прессой.", "Саркози")):
            doc = add_article(library.db, text, title=title, published="2020-02-01")
            start, end = span(library.db, doc, name)
            mark_mention(library.db, doc, start=start, end=end, label="PERSON")
    window = open_window(scripts_library)
    menu_action(window, "actionScriptNames").trigger()
    suggestions = window.findChild(QTreeWidget, "scriptNameSuggestions")
    qtbot.waitUntil(lambda: suggestions.window().isVisible())
    assert ("Nicolas Sarkozy", "Саркози") in suggestions.window().pairs()
    for column in (0, 1):
        assert suggestions.columnWidth(column) >= suggestions.sizeHintForColumn(column)
    suggestions.window().close()
