"""Journey: the window stays true to the library while the command line writes to it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from desktop.ui.tag_editor import TagDialogs
from tests.ui.conftest import insert_articles
from tests.ui.journeys.steps import cell_text, facet_rows, menu_action, shift_click_rows

DOSSIER = Path(sys.executable).with_name("dossier")


def dossier(library: Path, *args: str) -> None:
    """Run the real ``dossier`` command on ``library``, as a person would in a terminal."""
    subprocess.run([str(DOSSIER), "--library", str(library), *args], check=True,
                   capture_output=True, text=True, timeout=120)


def shown_titles(window) -> list[str]:
    model = window.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def tags_shown(window, title: str) -> str:
    model = window.model
    row = shown_titles(window).index(title)
    return model.index(row, model.column_of_key("tags")).data(Qt.ItemDataRole.DisplayRole) or ""


def sidebar_values(window, facet: str) -> list[str]:
    """The rows of a facet's section in the filter sidebar, as displayed."""
    model = window.sidebar.sections[facet].model
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_an_import_from_the_terminal_shows_up_with_the_right_total(open_window, agency_library,
                                                                    tmp_path, qtbot):
    window = open_window(agency_library)
    assert window.count_label.text() == "5 of 5 articles"
    folder = tmp_path / "scraped"
    folder.mkdir()
    for n, place in enumerate(("Kazan", "Irkutsk", "Dalian")):
        (folder / f"{n}.txt").write_text(
            f"Joint laboratory opens in {place}\n\nScientists from Russia and China opened a "
            f"joint laboratory in {place} on Monday, the ministry said.\n", encoding="utf-8")

    dossier(agency_library, "import", str(folder))

    qtbot.waitUntil(lambda: window.count_label.text() == "8 of 8 articles", timeout=3000)
    assert {"Joint laboratory opens in Kazan", "Joint laboratory opens in Dalian"} <= set(shown_titles(window))
    assert len(shown_titles(window)) == 8


def test_a_tag_and_a_note_from_the_terminal_appear_in_the_open_window(open_window, agency_library, qtbot):
    window = open_window(agency_library)
    row = shown_titles(window).index("Arctic research station")
    doc_id = window.model.id_at(row)
    assert "Polar" not in tags_shown(window, "Arctic research station")
    assert "Polar" not in sidebar_values(window, "tag")

    dossier(agency_library, "tag", str(doc_id), "--add", "Polar")

    qtbot.waitUntil(lambda: "Polar" in tags_shown(window, "Arctic research station"), timeout=2000)
    qtbot.waitUntil(lambda: "Polar" in sidebar_values(window, "tag"), timeout=2000)


def test_a_tag_put_on_in_one_window_shows_in_a_second_window_on_the_same_library(
        open_window, agency_library, qtbot, monkeypatch):
    first, second = open_window(agency_library), open_window(agency_library)
    first.activateWindow()  # the person turns to the first window
    qtbot.waitUntil(first.isActiveWindow)
    shift_click_rows(qtbot, first.list_view, 0, 1)
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: "Arctic"))
    qtbot.keyClick(first.list_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: [cell_text(first, row, "tags") for row in range(5)][:2] == ["Arctic", "Arctic"])

    qtbot.waitUntil(lambda: [cell_text(second, row, "tags") for row in range(5)]
                    == ["Arctic", "Arctic", "", "", ""], timeout=2000)
    qtbot.waitUntil(lambda: ("Arctic", "2") in facet_rows(second, "tag"), timeout=2000)

    menu_action(first, "actionUndo").trigger()
    qtbot.waitUntil(lambda: not any(cell_text(second, row, "tags") for row in range(5)), timeout=2000)


def test_people_found_by_an_import_from_the_terminal_keep_the_filter_the_person_typed(
        open_window, agency_library, tmp_path, qtbot):
    insert_articles(agency_library, [  # enough authors for the section to offer its filter box
        {"title": f"Brief {n}", "text": f"Short dispatch number {n}.", "published": f"2020-01-0{n}",
         "source": "TASS", "author": f"Correspondent {n}"} for n in range(1, 9)])
    window = open_window(agency_library)
    before = set(window.sidebar.sections)
    author = window.sidebar.sections["author"]
    qtbot.waitUntil(author.filter_box.isVisible, timeout=3000)
    qtbot.keyClicks(author.filter_box, "petr")
    qtbot.waitUntil(lambda: sidebar_values(window, "author") == ["Ivan Petrov"], timeout=3000)
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "visit.txt").write_text(
        "Rector visits Harbin\n\nVladimir Ivanov, rector of Tomsk State University, met Chinese and "
        "Russian scientists in Harbin on Tuesday, Xinhua reported.\n", encoding="utf-8")

    dossier(agency_library, "import", str(folder))  # with its people, places and groups

    qtbot.waitUntil(lambda: bool(set(window.sidebar.sections) - before), timeout=20_000)
    shown = window.sidebar.sections["author"]
    assert shown.filter_box.text() == "petr" and sidebar_values(window, "author") == ["Ivan Petrov"]


def test_tags_from_the_terminal_are_shown_whole_in_your_tags(open_window, agency_library, qtbot):
    from desktop.ui.tag_editor import TagEditor

    window = open_window(agency_library)
    editor = window.findChild(TagEditor, "tagEditor")
    view = editor.view

    dossier(agency_library, "tag", str(window.model.id_at(0)), "--add", "Biomedicine/Vaccine trials")
    dossier(agency_library, "tag", str(window.model.id_at(1)), "--add", "Region/Arctic")

    rows = lambda: list(_tree_rows(view))  # noqa: E731
    qtbot.waitUntil(lambda: [index.data() for index in rows()] ==
                    ["Biomedicine", "Vaccine trials", "Region", "Arctic"], timeout=3000)
    for index in rows():
        shown = view.visualRect(index)
        assert view.viewport().rect().contains(shown), f"{index.data()} is cut off: {shown}"
        assert shown.width() >= view.sizeHintForIndex(index).width(), f"{index.data()} is cut short"


def _tree_rows(view):
    index = view.model().index(0, 0)
    while index.isValid():
        yield index
        index = view.indexBelow(index)
