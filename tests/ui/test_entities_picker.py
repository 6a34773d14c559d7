"""The merge picker on its own: filter box, ranking shown with type and articles, Enter and Esc."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.core.entities import candidate_pool
from desktop.ui.entity_page import EntityPage
from desktop.ui.entity_picker import NAME, MergePicker
from tests.core.test_entities_candidates import entity
from tests.ui.conftest import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


@pytest.fixture
def putin(library) -> int:
    """"Putin" with two fuller forms, another person, and a name left over from page navigation."""
    db = library.db
    source = entity(db, "Putin")
    entity(db, "- Mike Leigh", articles=4)
    entity(db, "Vladimir Putin", articles=2)
    entity(db, "V. Putin")
    entity(db, "Ángela Merkel", articles=3)
    return source


@pytest.fixture
def open_picker(qtbot, library):
    """A function opening the picker for an entity over a shown window; returns it and the ids chosen."""
    parents: list[QWidget] = []

    def opener(entity_id: int):
        parent = QWidget()
        parents.append(parent)
        qtbot.addWidget(parent)
        parent.show()
        chosen: list[int] = []
        MergePicker.ask(parent, pool=candidate_pool(library.db, entity_id), title="Merge entities",
                        question="Which entity?", then=chosen.append)
        picker = parent.findChild(MergePicker)
        qtbot.waitUntil(picker.isVisible)
        return picker, chosen
    return opener


def row_texts(picker: MergePicker, row: int) -> list[str]:
    item = picker.candidates.topLevelItem(row)
    return [item.text(column) for column in range(3)]


def test_the_filter_box_has_the_focus_and_nothing_is_preselected_when_two_names_fit(qtbot, putin, open_picker):
    picker, _ = open_picker(putin)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is picker.filter)
    assert picker.names() == ["Vladimir Putin", "V. Putin", "Ángela Merkel", "- Mike Leigh"]
    assert picker.selected_name() is None
    assert not picker.merge_button.isEnabled()


def test_each_candidate_shows_its_type_and_how_many_articles_mention_it(putin, open_picker):
    picker, _ = open_picker(putin)
    assert row_texts(picker, 0) == ["Vladimir Putin", "Person", "2"]
    assert "one name inside the other" in picker.candidates.topLevelItem(0).toolTip(NAME)


def test_enter_with_nothing_selected_does_nothing(qtbot, putin, open_picker):
    picker, chosen = open_picker(putin)
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert picker.isVisible() and chosen == []


def test_typing_narrows_at_once_ignoring_accents_and_enter_chooses_the_best_match(qtbot, putin, open_picker):
    picker, chosen = open_picker(putin)
    qtbot.keyClicks(picker.filter, "angela")
    assert picker.names() == ["Ángela Merkel"]
    assert picker.selected_name() == "Ángela Merkel"
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: chosen != [])
    assert chosen == [picker.candidates.topLevelItem(0).data(NAME, Qt.ItemDataRole.UserRole + 1)]


def test_the_arrow_keys_in_the_filter_box_move_through_the_list(qtbot, putin, open_picker):
    picker, chosen = open_picker(putin)
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
    assert picker.selected_name() == "Vladimir Putin"
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
    assert picker.selected_name() == "V. Putin"
    qtbot.keyClick(picker.filter, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: len(chosen) == 1)


def test_esc_cancels_without_choosing(qtbot, putin, open_picker):
    picker, chosen = open_picker(putin)
    qtbot.keyClicks(picker.filter, "vlad")
    qtbot.keyClick(picker.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not picker.isVisible())
    assert chosen == []


def test_a_clearly_likely_match_is_preselected(library, open_picker):
    blair = entity(library.db, "Blair")
    entity(library.db, "Gordon Brown", articles=3)
    entity(library.db, "Tony Blair")
    picker, _ = open_picker(blair)
    assert picker.selected_name() == "Tony Blair"


def test_text_that_matches_nothing_says_so(qtbot, putin, open_picker):
    picker, _ = open_picker(putin)
    qtbot.keyClicks(picker.filter, "zzz")
    assert picker.names() == [] and picker.hint.text() == "No entity matches “zzz”."
    assert not picker.merge_button.isEnabled()


def test_the_entity_page_offers_the_shorter_name_to_merge_into_the_fuller_one(qtbot, library):
    tony = entity(library.db, "Tony Blair", articles=2)
    blair = entity(library.db, "Blair")
    entity(library.db, "Gordon Brown", articles=3)
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    page.show()
    page.show_entity(tony)
    qtbot.mouseClick(page.buttons["merge"], Qt.MouseButton.LeftButton)
    picker = page.findChild(MergePicker)
    qtbot.waitUntil(lambda: picker is not None and picker.isVisible())
    assert picker.selected_name() == "Blair"
    with qtbot.waitSignal(page.merge_requested) as asked:
        qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert asked.args == [blair, tony]


def test_double_clicking_a_candidate_chooses_it(qtbot, putin, open_picker):
    picker, chosen = open_picker(putin)
    view = picker.candidates
    second = view.topLevelItem(1)
    wanted = second.data(NAME, Qt.ItemDataRole.UserRole + 1)
    point = view.visualItemRect(second).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)  # a double click's first click
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: chosen == [wanted])
