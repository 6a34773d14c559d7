"""Journeys through entity correction: fixing what the model got wrong from the reader's menu, and
merging two names of one person through the merge picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QTextCursor
from PySide6.QtWidgets import QCheckBox, QLineEdit, QMenu, QTableView, QTreeView, QTreeWidget

from desktop.core.library import open_library
from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import merge_picker, right_click

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")

SUMMIT = "Putin meets Xi in Beijing"
REPORTERS = "Putin speaks to reporters"
TRADE = "Trade talks"
FESTIVAL = "Film festival opens"

ARTICLES = [
    {"title": SUMMIT, "published": "2019-06-05", "source": "TASS",
     "text": "Vladimir Putin met Xi Jinping in Beijing on Wednesday. "
             "Dmitry Peskov said the talks at the Kremlin had gone well."},
    {"title": REPORTERS, "published": "2019-06-07", "source": "TASS",
     "text": "Putin spoke to reporters in Moscow about the summit."},
    {"title": TRADE, "published": "2019-06-09", "source": "Xinhua",
     "text": "Vladimir Putin and Xi Jinping discussed trade in Moscow."},
    {"title": FESTIVAL, "published": "2019-06-10", "source": "BBC",
     "text": "- Mike Leigh opened the festival. - Mike Leigh thanked the jury."},
]

MODEL_MENTIONS = [  # what a model found: (article, text, label, canonical name, occurrence)
    (SUMMIT, "Vladimir Putin", "PERSON", "Vladimir Putin", 0),
    (SUMMIT, "Xi Jinping", "PERSON", "Xi Jinping", 0),
    (SUMMIT, "Beijing", "PERSON", "Beijing", 0),
    (REPORTERS, "Putin", "PERSON", "Putin", 0),
    (REPORTERS, "Moscow", "GPE", "Moscow", 0),
    (TRADE, "Vladimir Putin", "PERSON", "Vladimir Putin", 0),
    (TRADE, "Xi Jinping", "PERSON", "Xi Jinping", 0),
    (TRADE, "Moscow", "GPE", "Moscow", 0),
    (FESTIVAL, "- Mike Leigh", "PERSON", "- Mike Leigh", 0),
    (FESTIVAL, "- Mike Leigh", "PERSON", "- Mike Leigh", 1),
]


@pytest.fixture
def summit_library(library_path) -> Path:
    """Four articles with the entities a model found in them, mistakes and page leftovers included."""
    ids = dict(zip((a["title"] for a in ARTICLES), insert_articles(library_path, ARTICLES)))
    texts = {a["title"]: a["text"] for a in ARTICLES}
    with open_library(library_path) as library, library.db.atomic():
        db = library.db
        for title, quote, label, name, occurrence in MODEL_MENTIONS:
            start = -1
            for _ in range(occurrence + 1):
                start = texts[title].index(quote, start + 1)
            db.execute("INSERT OR IGNORE INTO entities (label, name) VALUES (?, ?)", [label, name])
            entity_id = db.execute("SELECT id FROM entities WHERE label = ? AND name = ?",
                                   [label, name]).fetchone()[0]
            db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin, model) '
                       "VALUES (?, ?, ?, ?, ?, 'model', 'test')",
                       [ids[title], entity_id, start, start + len(quote), quote])
    return library_path


# what the person sees ---------------------------------------------------------------------------

def read(qtbot, window, title: str) -> None:
    """Click the article's row in the list and wait for the reader to show it."""
    view = window.findChild(QTableView, "documentList")
    model = view.model()
    row = next(row for row in range(model.rowCount()) if model.index(row, 0).data() == title)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(model.index(row, 0)).center())
    qtbot.waitUntil(lambda: window.reader.current_document is not None
                    and window.reader.current_document.title == title)


def point_of(window, quote: str, *, at: float = 0.5) -> QPoint:
    """Where the reader draws ``quote``: ``at`` 0 is just inside its first letter, 1 just inside its
    last, 0.5 its middle."""
    text = window.reader.current_document.text
    offset = text.index(quote) + round(len(quote) * at)
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(window.reader.position_of(offset))
    rect = window.reader.cursorRect(cursor)
    inside = 1 if at == 0 else -1 if at == 1 else 0
    return QPoint(rect.center().x() + inside, rect.center().y())


def tooltip_at(window, quote: str) -> list[str]:
    """The entity tooltips the reader shows over ``quote``."""
    offset = window.reader.current_document.text.index(quote)
    return [span.tooltip for span in window.reader.spans_at(offset) if span.kind == "entity"]


def sidebar_counts(window, label: str) -> dict[str, int]:
    """The names and article counts the sidebar lists for entity type ``label``."""
    section = window.sidebar.sections.get(f"entity:{label}")
    return dict(section.model.values()) if section is not None else {}


# what the person does -----------------------------------------------------------------------------

def choose(menu: QMenu, *path: str) -> None:
    """Follow menu entries whose text starts with each of ``path`` and trigger the last one."""
    current = menu
    for step, text in enumerate(path):
        action: QAction = next(a for a in current.actions() if a.text().startswith(text))
        if step == len(path) - 1:
            action.trigger()
        else:
            current = action.menu()
    menu.close()


def drag_select(qtbot, window, quote: str) -> None:
    """Select ``quote`` in the reader by dragging the mouse across it."""
    viewport = window.reader.viewport()
    start, end = point_of(window, quote, at=0), point_of(window, quote, at=1)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def panel_names(window) -> list[str]:
    """The entity names the panel beside the reader lists, in order."""
    tree = window.findChild(QTreeView, "entityTree")
    model = tree.model()
    return [model.index(row, 0, model.index(group, 0)).data()
            for group in range(model.rowCount()) for row in range(model.rowCount(model.index(group, 0)))]


def panel_point(window, name: str) -> QPoint:
    """Where the panel beside the reader draws the entity ``name``."""
    tree = window.findChild(QTreeView, "entityTree")
    [index] = tree.model().match(tree.model().index(0, 0), Qt.ItemDataRole.DisplayRole, name, 1,
                                 Qt.MatchFlag.MatchRecursive | Qt.MatchFlag.MatchExactly)
    return tree.visualRect(index).center()


def open_merge_picker(qtbot, window, name: str, *, from_panel: bool = False):
    """Right-click the mention ``name`` in the reader (or the entity in the panel beside it), choose
    "Merge … into…" and wait for the picker with the typing focus in its filter box; returns the
    picker and its filter box."""
    if from_panel:
        tree = window.findChild(QTreeView, "entityTree")
        menu = right_click(window, panel_point(window, name), viewport=tree.viewport())
    else:
        menu = right_click(window, point_of(window, name))
    choose(menu, f"Merge “{name}” into")
    qtbot.waitUntil(lambda: merge_picker() is not None)
    picker = merge_picker()
    box = picker.findChild(QLineEdit, "mergeFilter")
    qtbot.waitUntil(box.hasFocus)
    return picker, box


# journeys ---------------------------------------------------------------------------------------

def test_a_wrong_type_and_a_missed_name_are_corrected_from_the_reader(qtbot, open_window, summit_library):
    window = open_window(summit_library)
    read(qtbot, window, SUMMIT)
    assert tooltip_at(window, "Beijing") == ["Person: Beijing"]

    choose(right_click(window, point_of(window, "Beijing")), "Change “Beijing” from person to", "Place")
    qtbot.waitUntil(lambda: tooltip_at(window, "Beijing") == ["Place: Beijing"])
    qtbot.waitUntil(lambda: sidebar_counts(window, "GPE").get("Beijing") == 1)
    assert "Beijing" not in sidebar_counts(window, "PERSON")

    drag_select(qtbot, window, "Dmitry Peskov")
    qtbot.waitUntil(lambda: window.reader.textCursor().selectedText() == "Dmitry Peskov")
    choose(right_click(window, point_of(window, "Peskov")), "Mark “Dmitry Peskov” as", "Person")
    qtbot.waitUntil(lambda: tooltip_at(window, "Dmitry Peskov") == ["Person: Dmitry Peskov"])
    qtbot.waitUntil(lambda: sidebar_counts(window, "PERSON").get("Dmitry Peskov") == 1)

    legend = window.findChild(QCheckBox, "legend-ORG")
    assert legend is None
    drag_select(qtbot, window, "Kremlin")
    qtbot.waitUntil(lambda: window.reader.textCursor().selectedText() == "Kremlin")
    choose(right_click(window, point_of(window, "Kremlin")), "Mark “Kremlin” as", "Organisation")
    qtbot.waitUntil(lambda: window.findChild(QCheckBox, "legend-ORG") is not None)
    assert window.findChild(QCheckBox, "legend-ORG").text() == "Organisations"
    assert tooltip_at(window, "Kremlin") == ["Organisation: Kremlin"]


def test_two_names_of_one_person_are_merged_by_typing_part_of_the_name_in_the_picker(
        qtbot, open_window, summit_library):
    window = open_window(summit_library)
    qtbot.waitUntil(lambda: sidebar_counts(window, "PERSON").get("Vladimir Putin") == 2)
    assert sidebar_counts(window, "PERSON")["Putin"] == 1
    read(qtbot, window, REPORTERS)

    _, box = open_merge_picker(qtbot, window, "Putin")
    qtbot.keyClicks(box, "vlad")
    qtbot.keyClick(box, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: merge_picker() is None)
    qtbot.waitUntil(lambda: tooltip_at(window, "Putin") == ["Person: Vladimir Putin"])
    qtbot.waitUntil(lambda: "Putin" not in sidebar_counts(window, "PERSON"))
    assert sidebar_counts(window, "PERSON")["Vladimir Putin"] == 3
    assert "- Mike Leigh" in sidebar_counts(window, "PERSON")


def test_the_picker_preselects_nothing_when_no_name_is_clearly_meant_and_enter_then_merges_nothing(
        qtbot, open_window, summit_library):
    window = open_window(summit_library)
    read(qtbot, window, TRADE)
    picker, box = open_merge_picker(qtbot, window, "Xi Jinping")
    listed = picker.findChild(QTreeWidget, "mergeCandidates")
    assert listed.selectedItems() == []
    assert listed.topLevelItem(listed.topLevelItemCount() - 1).text(0) == "- Mike Leigh"

    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert merge_picker() is picker
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: merge_picker() is None)
    assert tooltip_at(window, "Xi Jinping") == ["Person: Xi Jinping"]
    assert sidebar_counts(window, "PERSON")["Xi Jinping"] == 2
    assert sidebar_counts(window, "PERSON")["- Mike Leigh"] == 1


def test_a_clearly_meant_name_is_preselected_and_enter_merges_into_it(qtbot, open_window, summit_library):
    window = open_window(summit_library)
    read(qtbot, window, REPORTERS)
    picker, box = open_merge_picker(qtbot, window, "Putin")
    listed = picker.findChild(QTreeWidget, "mergeCandidates")
    assert [item.text(0) for item in listed.selectedItems()] == ["Vladimir Putin"]
    first = listed.topLevelItem(0)
    assert (first.text(0), first.text(1), first.text(2)) == ("Vladimir Putin", "Person", "2")

    qtbot.keyClick(box, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: "Putin" not in sidebar_counts(window, "PERSON"))
    assert sidebar_counts(window, "PERSON")["Vladimir Putin"] == 3


def test_an_entity_listed_beside_the_reader_is_merged_from_its_context_menu(qtbot, open_window, summit_library):
    window = open_window(summit_library)
    read(qtbot, window, REPORTERS)
    assert "Putin" in panel_names(window)
    picker, box = open_merge_picker(qtbot, window, "Putin", from_panel=True)
    qtbot.keyClicks(box, "V. Pu")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Vladimir Putin" in panel_names(window))
    assert "Putin" not in panel_names(window)
    qtbot.waitUntil(lambda: sidebar_counts(window, "PERSON").get("Vladimir Putin") == 3)


def test_a_merge_is_undone_and_redone_from_the_edit_menu(qtbot, open_window, summit_library):
    window = open_window(summit_library)
    read(qtbot, window, REPORTERS)
    _, box = open_merge_picker(qtbot, window, "Putin")
    qtbot.keyClicks(box, "vlad")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Putin" not in sidebar_counts(window, "PERSON"))
    undo, redo = window.findChild(QAction, "actionUndo"), window.findChild(QAction, "actionRedo")

    for _ in range(2):
        undo.trigger()
        qtbot.waitUntil(lambda: sidebar_counts(window, "PERSON").get("Putin") == 1)
        assert tooltip_at(window, "Putin") == ["Person: Putin"]
        assert window.statusBar().currentMessage().startswith("Undone: Merge 'Putin'")
        redo.trigger()
        qtbot.waitUntil(lambda: "Putin" not in sidebar_counts(window, "PERSON"))
        assert window.statusBar().currentMessage().startswith("Redone: Merge 'Putin'")
        assert sidebar_counts(window, "PERSON")["Vladimir Putin"] == 3
        qtbot.waitUntil(lambda: tooltip_at(window, "Putin") == ["Person: Vladimir Putin"])
