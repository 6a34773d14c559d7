"""The "N of M articles" count in the status bar stays in sight while a message shows beside it,
on a laptop's 1366 px wide window, however long the message: a long one is elided, not the count."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.ui.tag_editor import TagDialogs
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import cell_text, drawn_texts, menu_action, shift_click_rows, status_text

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

LONG_TAG = ("cooperation in biomedicine, vaccines and public health between Russian and Chinese institutes, "
            "universities, hospitals and state agencies, 2017-2021, as reported by Xinhua, TASS and China Daily")


def count_in_sight(window, text: str) -> bool:
    status, count = window.statusBar(), window.count_label
    return (count.isVisible() and count.text() == text and status.rect().contains(count.geometry())
            and count.width() >= count.sizeHint().width())


def test_tagging_and_undoing_say_so_beside_the_count_which_stays_in_sight(qtbot, open_window, agency_library,
                                                                         monkeypatch):
    window = open_window(agency_library)
    window.resize(1366, 768)
    shift_click_rows(qtbot, window.list_view, 0, 2)
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Biomed"))
    qtbot.keyClick(window.list_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: status_text(window) == "Added tag 'Biomed' to 3 articles.")
    assert count_in_sight(window, "5 of 5 articles")
    assert "Added tag 'Biomed' to 3 articles." in drawn_texts(window.statusBar())
    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: status_text(window) == "Undone: Add tag 'Biomed' to 3 articles.")
    assert count_in_sight(window, "5 of 5 articles")


def test_a_message_too_long_for_the_status_bar_is_elided_before_the_count(qtbot, open_window, agency_library,
                                                                         monkeypatch):
    window = open_window(agency_library)
    window.resize(1366, 768)
    shift_click_rows(qtbot, window.list_view, 0, 2)
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: LONG_TAG))
    qtbot.keyClick(window.list_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: cell_text(window, 0, "tags") == LONG_TAG and LONG_TAG in status_text(window))
    assert count_in_sight(window, "5 of 5 articles")
    status = window.statusBar()
    [drawn] = [text for text in drawn_texts(status) if text.startswith("Added tag")]
    assert drawn.endswith("…") and status_text(window).startswith(drawn[:-1])
    assert 6 + status.fontMetrics().horizontalAdvance(drawn) < window.count_label.geometry().left()
