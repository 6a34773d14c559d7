"""Searching Russian and Chinese articles: a word typed in one form finds and marks its other
forms, a Chinese word is found inside a run of characters, and a library made before the
multi-script index is indexed in the background with its progress in the status bar."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.helpers import add_article, library_before, text_folder
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click_row, listed_titles, menu_action, type_text

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)
WAIT_MS = 20_000

RUSSIAN = ("Делегация в Москве\n\nДелегация прибыла в Москву во вторник. Москва встретила гостей "
           "дождём, а под Москвой прошли переговоры о сотрудничестве.\n")
CHINESE = ("中俄科技合作协议签署\n\n中国与俄罗斯在长春签署了科技合作协议。双方表示，"
           "合作将覆盖航天与生物医药领域。\n")
ENGLISH = "Lunar station\n\nRussia and China plan a joint lunar research station in Moscow.\n"


@pytest.fixture
def multiscript_library(library_path, tmp_path) -> Path:
    """A library with a Russian, a Chinese and an English article, imported from files."""
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    folder = text_folder(tmp_path / "articles", {"ru.txt": RUSSIAN, "zh.txt": CHINESE, "en.txt": ENGLISH})
    with open_library(library_path) as library:
        import_paths(library, [folder])
    return library_path


def hits_shown(qtbot, window) -> list[str]:
    """Every search hit of the article read, as F3 (Edit ▸ Next hit) selects them in turn."""
    reader = window.reader
    qtbot.waitUntil(lambda: reader.hit_count > 0, timeout=WAIT_MS)
    shown = []
    for _ in range(reader.hit_count):
        menu_action(window, "actionNextHit").trigger()
        shown.append(reader.textCursor().selectedText())
    return shown


def search(qtbot, window, text: str, titles: list[str]) -> None:
    window.search_box.clear()
    type_text(qtbot, window.search_box, text)
    qtbot.waitUntil(lambda: sorted(listed_titles(window)) == sorted(titles), timeout=WAIT_MS)


def test_a_russian_word_finds_and_marks_its_inflected_forms(qtbot, open_window, multiscript_library):
    window = open_window(multiscript_library)
    search(qtbot, window, "Москве ", ["Делегация в Москве"])
    click_row(qtbot, window.list_view, 0)
    qtbot.waitUntil(lambda: "переговоры" in window.reader.toPlainText(), timeout=WAIT_MS)
    assert sorted(hits_shown(qtbot, window)) == ["Москва", "Москвой", "Москву"]


def test_a_chinese_word_is_found_inside_a_run_and_marked(qtbot, open_window, multiscript_library):
    window = open_window(multiscript_library)
    search(qtbot, window, "合作 ", ["中俄科技合作协议签署"])
    click_row(qtbot, window.list_view, 0)
    qtbot.waitUntil(lambda: "长春" in window.reader.toPlainText(), timeout=WAIT_MS)
    assert hits_shown(qtbot, window) == ["合作", "合作"]  # the body's; the headline's is marked too


def test_english_search_still_finds_its_article(qtbot, open_window, multiscript_library):
    window = open_window(multiscript_library)
    search(qtbot, window, "lunar ", ["Lunar station"])


def old_library(path: Path) -> Path:
    """A library written before the multi-script index, with three Russian articles."""
    with library_before(path, "0007_search_index_for_all_scripts") as db:
        for title, text in (("Первая", "Делегация прибыла в Москву."), ("Вторая", "Москва встретила гостей."),
                            ("Третья", "Переговоры прошли под Москвой.")):
            add_article(db, text, title=title)
    return path


def test_an_old_library_is_indexed_in_the_background_then_finds_every_form(
        qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QProgressBar, QWidget

    from desktop.ui.app import create_main_window
    from tests.ui.conftest import finish_workers

    monkeypatch.setattr("desktop.core.shadow_index.BATCH", 1)
    monkeypatch.setattr("desktop.ui.search_index.BATCHES_PER_JOB", 1)
    window = create_main_window(old_library(tmp_path / "old.sqlite"))
    qtbot.addWidget(window)
    status = window.findChild(QWidget, "searchIndexStatus")
    bar = window.findChild(QProgressBar, "searchIndexStatusBar")
    assert status.isVisible() and status.label.text() == "Indexing for search in all scripts"
    assert (bar.value(), bar.maximum()) == (0, 3)
    assert bar.toolTip() == "0 of 3 articles indexed"
    qtbot.waitUntil(lambda: not status.isVisible(), timeout=WAIT_MS)
    search(qtbot, window, "Москве ", ["Первая", "Вторая", "Третья"])
    finish_workers(window)
    window.close()


def test_an_article_another_program_adds_is_indexed_and_found_in_every_form(
        qtbot, open_window, multiscript_library):
    import sqlite3

    window = open_window(multiscript_library)
    with sqlite3.connect(multiscript_library) as other:
        other.execute("INSERT INTO documents (title, text, sha256, imported_at) VALUES "
                      "('Саммит', 'Лидеры встретились под Москвой.', 'x', '2026-01-01')")
    qtbot.waitUntil(lambda: "Саммит" in listed_titles(window), timeout=WAIT_MS)
    search(qtbot, window, "Москве ", ["Делегация в Москве", "Саммит"])


def test_stopping_the_background_indexing_keeps_the_old_search(qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QPushButton, QWidget

    from desktop.ui.app import create_main_window
    from tests.ui.conftest import finish_workers
    from tests.ui.journeys.steps import click

    monkeypatch.setattr("desktop.core.shadow_index.BATCH", 1)
    monkeypatch.setattr("desktop.ui.search_index.BATCHES_PER_JOB", 1)
    window = create_main_window(old_library(tmp_path / "old.sqlite"))
    qtbot.addWidget(window)
    stop = window.findChild(QPushButton, "searchIndexStatusCancel")
    assert stop.text() == "Stop"
    click(qtbot, stop)
    status = window.findChild(QWidget, "searchIndexStatus")
    qtbot.waitUntil(lambda: not status.isVisible(), timeout=WAIT_MS)  # after the batch under way
    search(qtbot, window, "Москве ", [])  # the old index: the word only as typed
    finish_workers(window)
    window.close()


def test_indexing_that_fails_says_why_once_and_leaves_the_status_bar(qtbot, tmp_path, monkeypatch):
    """A failed indexing job showed its error, then left "Indexing…" and a Stop button that did
    nothing in the status bar for the rest of the session."""
    from PySide6.QtWidgets import QWidget

    from desktop.core.errors import DiskFull
    from desktop.ui import errors as ui_errors
    from desktop.ui.app import create_main_window
    from tests.ui.conftest import finish_workers

    shown = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "show", classmethod(lambda cls, parent, title, text: shown.append(text)))

    def no_room(*args, **kwargs):
        raise DiskFull("The disk is full: nothing was indexed.")

    monkeypatch.setattr("desktop.ui.search_index.build_index", no_room)
    window = create_main_window(old_library(tmp_path / "old.sqlite"))
    qtbot.addWidget(window)
    status = window.findChild(QWidget, "searchIndexStatus")
    qtbot.waitUntil(lambda: bool(shown) and not status.isVisible(), timeout=WAIT_MS)
    assert shown == ["The disk is full: nothing was indexed."]
    assert not window.search_index.running
    finish_workers(window)
    window.close()
