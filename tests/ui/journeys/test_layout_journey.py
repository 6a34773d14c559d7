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


FIRST_START = """
import sys
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton
from desktop.ui.app import create_main_window

window = create_main_window(sys.argv[1])
QApplication.processEvents()
screen = window.screen().availableGeometry()
toolbar = window.findChild(QToolBar)
overflow = [b for b in toolbar.findChildren(QToolButton) if b.objectName() == "qt_toolbar_ext_button"]
cut = [a.text() for a in toolbar.actions() if a.isVisible() and not a.isSeparator()
       and not toolbar.widgetForAction(a).isVisible()]
print(screen.contains(window.frameGeometry()), window.width(), window.height(),
      any(b.isVisible() for b in overflow), cut)
window.close()
"""


def test_a_first_start_on_a_laptop_screen_fits_the_screen_with_every_toolbar_button(seeds_library):
    """Started on a 1366×768 screen with no saved size, the window fits it whatever the window
    manager does (the screen is the program's surroundings: it runs in a process of its own)."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    screen = REPO / "tests" / "data" / "screen-1366x768.json"
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    result = subprocess.run([sys.executable, "-c", FIRST_START, str(seeds_library)], env=env,
                            capture_output=True, text=True, timeout=120, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[:4] == ["True", "1358", "728", "False"]
    assert result.stdout.strip().endswith("[]")


LONG_ADVICE_QUERY = '"international science cooperation in biomedicine AND'


def test_a_query_explained_at_length_keeps_every_toolbar_button_in_sight_at_1366_by_768(
        qtbot, open_window, seeds_library):
    """The hint beside the box says how a query with an open quote was read in a sentence longer
    than its two lines hold at a laptop's width: the lines end in …, the whole sentence is in the
    tooltip, and Panels stays on the toolbar instead of going under »."""
    window = open_window(seeds_library)
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.size().toTuple() == (1366, 768))
    toolbar = window.findChild(QToolBar)
    search_box = window.findChild(QWidget, "searchBox")
    click(qtbot, search_box)
    qtbot.keyClicks(search_box, LONG_ADVICE_QUERY)
    hint = window.findChild(QLabel, "searchHint")
    qtbot.waitUntil(lambda: hint.text().startswith("The quote is not closed"))
    assert_every_toolbar_action_is_in_sight(toolbar)
    assert hint.text().endswith("…")
    assert toolbar.rect().contains(rect_in(hint, toolbar))
    assert hint.heightForWidth(hint.width()) <= hint.height(), "the hint's lines are cut off"
    assert hint.toolTip().startswith("The quote is not closed, so “international science coopera…” "
                                     "was searched as one phrase.")
