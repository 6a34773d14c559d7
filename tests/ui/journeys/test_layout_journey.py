"""The window at a laptop (1366×768) and a desktop (1920×1080) size: every toolbar action in
sight, every list column inside the list, readable titles and reader with the panels open,
a search error shown in full, and the list's columns back once the panels close."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QToolBar, QToolButton, QWidget

from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

SIZES = [(1366, 768), (1920, 1080)]
BROKEN_QUERY = "AND"


def rect_in(widget: QWidget, ancestor: QWidget) -> QRect:
    """``widget``'s rectangle in the coordinates of ``ancestor``."""
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


def assert_every_toolbar_action_is_in_sight(toolbar: QToolBar) -> None:
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)
        assert widget is not None and widget.isVisible(), f"{action.text()!r} is not in the toolbar"
        assert toolbar.rect().contains(rect_in(widget, toolbar)), f"{action.text()!r} is cut off"
    extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension is None or not extension.isVisible(), "actions overflow into »"


def shown_columns(window) -> list[str]:
    header = window.list_view.horizontalHeader()
    return [window.model.headerData(number, header.orientation()) for number in range(header.count())
            if not header.isSectionHidden(number)]


def assert_every_column_is_inside_the_list(window) -> None:
    view = window.list_view
    header = view.horizontalHeader()
    width = view.viewport().width()
    for number in range(header.count()):
        if header.isSectionHidden(number):
            continue
        left = header.sectionViewportPosition(number)
        name = window.model.headerData(number, header.orientation())
        assert 0 <= left and left + header.sectionSize(number) <= width, f"column {name} is cut off"


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_window_is_usable_at_laptop_and_desktop_sizes(qtbot, open_window, seeds_library, size):
    from desktop.ui.main_window import READER_MIN_WIDTH

    window = open_window(seeds_library)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    toolbar = window.findChild(QToolBar, "mainToolbar")
    view = window.list_view
    header = view.horizontalHeader()

    assert_every_toolbar_action_is_in_sight(toolbar)
    assert_every_column_is_inside_the_list(window)
    assert header.sectionSize(0) >= view.fontMetrics().horizontalAdvance("x" * 35)
    columns = shown_columns(window)
    assert "Published" in columns and "Source" in columns

    panels_button = toolbar.widgetForAction(window.action_panels)
    click(qtbot, panels_button)
    panels = window.findChild(QWidget, "readerPanels")
    qtbot.waitUntil(lambda: panels.isVisible())
    assert_every_toolbar_action_is_in_sight(toolbar)
    assert_every_column_is_inside_the_list(window)
    assert header.sectionSize(0) >= view.fontMetrics().horizontalAdvance("x" * 30)
    assert window.reader.width() >= READER_MIN_WIDTH

    search_box = window.findChild(QWidget, "searchBox")
    qtbot.keyClicks(search_box, BROKEN_QUERY)
    hint = window.findChild(QLabel, "searchHint")
    qtbot.waitUntil(lambda: "Nothing to search for" in hint.text())
    assert hint.isVisible() and toolbar.rect().contains(rect_in(hint, toolbar))
    room = hint.contentsRect()
    if hint.wordWrap():
        assert hint.heightForWidth(hint.width()) <= hint.height(), "the error is cut off"
    else:
        assert hint.fontMetrics().horizontalAdvance(hint.text()) <= room.width(), "the error is cut off"
    assert hint.toolTip() == hint.text()

    click(qtbot, panels_button)
    qtbot.waitUntil(lambda: not panels.isVisible())
    assert shown_columns(window) == columns
    assert_every_column_is_inside_the_list(window)
