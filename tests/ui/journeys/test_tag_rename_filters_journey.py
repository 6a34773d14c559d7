"""Filtering by a nested tag, then renaming or merging it — in the window or from outside it (the
command line, a second window): the filter and saved searches follow."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.core.library import open_library
from desktop.core.tags import merge_tags, rename_tag
from desktop.ui.tag_editor import TagDialogs
from desktop.ui.window_pickers import Pickers
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, click_facet_value, facet_rows, menu_action, shift_click_rows
from tests.ui.journeys.test_batch_tag_journey import tag_menu_action

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


def tag_rows(qtbot, window, monkeypatch, first: int, last: int, name: str) -> None:
    """Select rows ``first``..``last`` and tag them ``name`` with Ctrl+T."""
    shift_click_rows(qtbot, window.list_view, first, last)
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: name))
    qtbot.keyClick(window.list_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: name in dict(facet_rows(window, "tag")))


def shows(window, chip: str, listed: str) -> bool:
    """True when the sidebar's one chip reads ``chip`` and the status bar counts ``listed``."""
    return window.sidebar.chip_texts() == [chip] and window.count_label.text() == listed


def rename_through_menu(qtbot, window, monkeypatch, tag: str, name: str) -> None:
    """Rename ``tag`` to ``name`` with Rename… of its menu in the tag list."""
    monkeypatch.setattr(TagDialogs, "ask_name", classmethod(lambda cls, parent, **kw: name))
    tag_menu_action(qtbot, window, tag, "Rename…").trigger()


@pytest.fixture
def filtered(qtbot, open_window, agency_library, monkeypatch):
    """The window with three articles tagged ``biomed/forums`` and the list filtered by it."""
    window = open_window(agency_library)
    tag_rows(qtbot, window, monkeypatch, 1, 3, "biomed/forums")
    click_facet_value(qtbot, window, "tag", "biomed/forums")
    qtbot.waitUntil(lambda: shows(window, "Tags: biomed/forums", "3 of 5 articles"))
    return window


@pytest.fixture
def beside_health(qtbot, filtered, monkeypatch):
    """The filtered window, a fourth article tagged ``health`` (and the filter set again)."""
    window = filtered
    click(qtbot, window.sidebar.clear_button)
    qtbot.waitUntil(lambda: window.count_label.text() == "5 of 5 articles")
    tag_rows(qtbot, window, monkeypatch, 4, 4, "health")
    click_facet_value(qtbot, window, "tag", "biomed/forums")
    qtbot.waitUntil(lambda: shows(window, "Tags: biomed/forums", "3 of 5 articles"))
    return window


def test_a_filter_on_a_tag_follows_its_parent_renamed_and_undo_takes_it_back(qtbot, filtered, monkeypatch):
    window = filtered
    rename_through_menu(qtbot, window, monkeypatch, "biomed", "медицина")
    qtbot.waitUntil(lambda: shows(window, "Tags: медицина/forums", "3 of 5 articles"))
    qtbot.waitUntil(lambda: ("медицина/forums", "3") in facet_rows(window, "tag"))

    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: shows(window, "Tags: biomed/forums", "3 of 5 articles"))
    menu_action(window, "actionRedo").trigger()
    qtbot.waitUntil(lambda: shows(window, "Tags: медицина/forums", "3 of 5 articles"))


def test_a_filter_on_a_tag_merged_into_another_shows_the_other(qtbot, beside_health, monkeypatch):
    window = beside_health
    monkeypatch.setattr(TagDialogs, "ask_merge_target", classmethod(lambda cls, parent, **kw: "health"))
    tag_menu_action(qtbot, window, "biomed/forums", "Merge into…").trigger()
    qtbot.waitUntil(lambda: shows(window, "Tags: health", "4 of 5 articles"))

    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: shows(window, "Tags: biomed/forums", "3 of 5 articles"))


def test_a_saved_search_on_a_tag_finds_its_articles_after_a_rename_and_after_its_undo(
        qtbot, filtered, monkeypatch):
    window = filtered
    monkeypatch.setattr(Pickers, "ask_name", classmethod(lambda cls, parent, **kw: "Forums"))
    menu_action(window, "actionSaveSearch").trigger()
    saved = window.sidebar.saved
    qtbot.waitUntil(lambda: saved.count() == 1)
    rename_through_menu(qtbot, window, monkeypatch, "biomed", "медицина")
    qtbot.waitUntil(lambda: shows(window, "Tags: медицина/forums", "3 of 5 articles"))

    def reopen(chip: str) -> None:
        click(qtbot, window.sidebar.clear_button)
        qtbot.waitUntil(lambda: window.count_label.text() == "5 of 5 articles")
        qtbot.mouseClick(saved.viewport(), Qt.MouseButton.LeftButton, pos=saved.visualItemRect(saved.item(0)).center())
        qtbot.waitUntil(lambda: shows(window, chip, "3 of 5 articles"))

    reopen("Tags: медицина/forums")
    menu_action(window, "actionUndo").trigger()
    reopen("Tags: biomed/forums")


def test_a_filter_on_a_tag_follows_its_parent_renamed_outside_the_window(qtbot, filtered):
    window = filtered
    with open_library(window.library.path) as other:  # as the command line or a second window would
        rename_tag(other.db, "biomed", "медицина")
    qtbot.waitUntil(lambda: shows(window, "Tags: медицина/forums", "3 of 5 articles"))
    qtbot.waitUntil(lambda: ("медицина/forums", "3") in facet_rows(window, "tag"))


def test_a_filter_on_a_tag_merged_into_another_outside_the_window_shows_the_other(qtbot, beside_health):
    window = beside_health
    with open_library(window.library.path) as other:
        merge_tags(other.db, ["biomed/forums"], "health")
    qtbot.waitUntil(lambda: shows(window, "Tags: health", "4 of 5 articles"))


def test_a_rename_into_the_tags_own_branch_moves_the_filter_once(qtbot, filtered, monkeypatch):
    window = filtered
    rename_through_menu(qtbot, window, monkeypatch, "biomed", "biomed/archive")
    qtbot.waitUntil(lambda: shows(window, "Tags: biomed/archive/forums", "3 of 5 articles"))
    menu_action(window, "actionUndo").trigger()
    qtbot.waitUntil(lambda: shows(window, "Tags: biomed/forums", "3 of 5 articles"))
