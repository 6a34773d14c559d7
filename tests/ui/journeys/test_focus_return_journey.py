"""The keyboard comes back to where the person was once a dialog or a tool window closes: the
article list, with its selection, after tagging with Ctrl+T and after Review entities closes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from desktop.ui.tag_editor import TagDialogs
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import cell_text, menu_action, selected_rows, shift_click_rows

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
