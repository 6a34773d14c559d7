"""The keyboard comes back to where the person was once any dialog or tool window closes: the
article list, with its selection, after tagging with Ctrl+T and after Review entities closes; the tag
tree after the tag editor's questions; Review entities' table after the merge picker; the reader after
an entity's page; the list after the import dialog, Highlights and notes, Import history, Restore from
backup and Save search."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QTableView, QWidget

from desktop.ui.backups import RestoreDialog
from desktop.ui.tag_editor import TagDialogs
from desktop.ui.window_pickers import Pickers
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import (
    cell_text,
    click_row,
    double_click_mention,
    menu_action,
    merge_by_typing,
    selected_rows,
    shift_click_rows,
)
from tests.ui.journeys.test_batch_tag_journey import tag_menu_action
from tests.ui.journeys.test_entity_review_journey import open_review, review_library  # noqa: F401 (a fixture)

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")


def typed_tag(qtbot, text: str):
    """An ``ask_name`` that shows the tag question as a window of its own, types ``text`` into it
    and presses Enter, as a person does (the modal loop itself is what tests cannot run)."""

    def ask(cls, parent, **kwargs):
        dialog = QInputDialog(parent)
        dialog.setLabelText(kwargs.get("label", ""))
        dialog.show()
        dialog.activateWindow()
        line = dialog.findChild(QLineEdit)
        line.setFocus()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is line)
        qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        value = dialog.textValue()
        dialog.deleteLater()
        return value

    return classmethod(ask)


def test_after_tagging_with_ctrl_t_the_keyboard_is_back_on_the_list_with_its_selection(
        qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    view = window.list_view
    shift_click_rows(qtbot, view, 0, 2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)

    monkeypatch.setattr(TagDialogs, "ask_name", typed_tag(qtbot, "Biomed"))
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: [cell_text(window, row, "tags") for row in range(5)]
                    == ["Biomed", "Biomed", "Biomed", "", ""])
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    assert selected_rows(view) == [0, 1, 2]
    qtbot.keyClick(view, Qt.Key.Key_Down)  # the keys go on in the list
    qtbot.waitUntil(lambda: selected_rows(view) == [3])


def test_closing_review_entities_with_esc_puts_the_keyboard_back_on_the_list(qtbot, open_window, agency_library):
    window = open_window(agency_library)
    view = window.list_view
    shift_click_rows(qtbot, view, 1, 3)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)

    menu_action(window, "actionReviewEntities").trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window().objectName() == "entityReview")
    review = QApplication.focusWidget().window()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not review.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    assert selected_rows(view) == [1, 2, 3]


def answered_with_esc(qtbot, make_dialog):
    """An ``ask`` that shows the dialog ``make_dialog(parent, ...)`` builds as a window of its own,
    waits for the keyboard in it and presses Esc there, as a person does."""

    def ask(cls, parent, *args, **kwargs):
        dialog = make_dialog(parent, *args, **kwargs)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                        and QApplication.focusWidget().window() is dialog)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not dialog.isVisible())
        dialog.deleteLater()

    return classmethod(ask)


def tagged_window(qtbot, open_window, agency_library, monkeypatch):
    """The window with the first two articles tagged ``biomed`` and ``health`` by Ctrl+T."""
    window = open_window(agency_library)
    for row, name in ((0, "biomed"), (1, "health")):
        click_row(qtbot, window.list_view, row)
        monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, name=name, **kw: name))
        qtbot.keyClick(window.list_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda row=row, name=name: cell_text(window, row, "tags") == name)
    return window


@pytest.mark.parametrize("entry", ["New tag…", "Rename…", "Merge into…"])
def test_after_a_question_of_the_tag_editor_the_keyboard_is_back_on_the_tag_tree(
        qtbot, open_window, agency_library, monkeypatch, entry):
    window = tagged_window(qtbot, open_window, agency_library, monkeypatch)
    action = tag_menu_action(qtbot, window, "biomed", entry)
    tree = QApplication.focusWidget()
    assert tree is not None and tree.objectName() != "documentList"
    monkeypatch.setattr(TagDialogs, "ask_name", answered_with_esc(qtbot, lambda parent, **kw: QInputDialog(parent)))
    monkeypatch.setattr(TagDialogs, "ask_merge_target",
                        answered_with_esc(qtbot, lambda parent, **kw: QInputDialog(parent)))
    action.trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tree)


def test_after_the_merge_picker_the_keyboard_is_back_in_review_entities_table(
        qtbot, open_window, review_library):  # noqa: F811 (the fixture)
    window = open_window(review_library)
    review = open_review(qtbot, window)
    qtbot.keyClicks(review.findChild(QLineEdit, "entityReviewFilter"), "lib")
    table = review.findChild(QTableView, "entityTable")
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)
    click_row(qtbot, table, 0)
    click_row(qtbot, table, 1, Qt.KeyboardModifier.ControlModifier)
    merge_by_typing(qtbot, table, "dems")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)


def test_closing_an_entity_page_with_esc_puts_the_keyboard_back_on_the_reader(
        qtbot, open_window, review_library):  # noqa: F811 (the fixture)
    window = open_window(review_library)
    page = double_click_mention(qtbot, window, "Election called", "Tony Blair")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.reader)


@pytest.mark.parametrize("action", ["actionImport", "actionAnnotations", "actionImportHistory"])
def test_closing_a_tool_window_with_esc_puts_the_keyboard_back_on_the_list(
        qtbot, open_window, agency_library, action):
    window = open_window(agency_library)
    view = window.list_view
    shift_click_rows(qtbot, view, 1, 2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)

    menu_action(window, action).trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().window() is not window)
    tool = QApplication.focusWidget().window()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not tool.isVisible())
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    assert selected_rows(view) == [1, 2]


def test_cancelling_restore_from_backup_puts_the_keyboard_back_on_the_list(
        qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    view = window.list_view
    click_row(qtbot, view, 2)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    monkeypatch.setattr(RestoreDialog, "ask", answered_with_esc(qtbot, lambda parent, backups: RestoreDialog(
        backups, parent)))
    menu_action(window, "actionRestoreBackup").trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)


def test_cancelling_save_search_puts_the_keyboard_back_in_the_search_box(
        qtbot, open_window, agency_library, monkeypatch):
    window = open_window(agency_library)
    box = window.search_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(box, "vaccine")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    monkeypatch.setattr(Pickers, "ask_name", answered_with_esc(qtbot, lambda parent, **kw: QInputDialog(parent)))
    menu_action(window, "actionSaveSearch").trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box)
