"""Fixtures for window tests: libraries with known articles and a main window that is shut down cleanly."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.conftest import SEEDS

QT_LOG_IGNORE = "This plugin does not support propagateSizeHints"


SPIN = "while True: pass"


@pytest.fixture(scope="session", autouse=True)
def busy_core() -> Iterator[subprocess.Popen | None]:
    """With ``DOSSIER_BUSY_CORE=1`` (``make test-busy``) a process keeps one core at 100 %
    for the whole session, so a wait that passes only on an idle machine fails."""
    if os.environ.get("DOSSIER_BUSY_CORE") != "1":
        yield None
        return
    spinner = subprocess.Popen([sys.executable, "-c", SPIN])
    try:
        yield spinner
    finally:
        spinner.kill()
        spinner.wait()


def insert_articles(path: Path, articles: list[dict[str, Any]]) -> list[int]:
    """Add ``articles`` (title, text, published, source, author, language...) to the library with plain SQL."""
    from desktop.core.library import now_iso, open_library

    ids = []
    with open_library(path) as library, library.db.atomic():
        for article in articles:
            text = article["text"]
            cursor = library.db.execute(
                "INSERT INTO documents (title, text, published, source, author, url, sha256, "
                "imported_at, word_count, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [article.get("title", ""), text, article.get("published"), article.get("source"),
                 article.get("author"), article.get("url"),
                 hashlib.sha256(text.encode()).hexdigest(), now_iso(), len(text.split()),
                 article.get("language")],
            )
            ids.append(cursor.lastrowid)
    return ids


AGENCY_ARTICLES = [
    {"title": "Vaccine trial in Novosibirsk", "text": "Russian and Chinese scientists test a vaccine.",
     "published": "2019-03-02", "source": "Xinhua", "author": "Li Wei"},
    {"title": "Arctic research station", "text": "A joint polar station opens in Yakutia.",
     "published": "2019-07-15", "source": "TASS", "author": "Ivan Petrov"},
    {"title": "Satellite launch", "text": "The vaccine of space cooperation: a satellite launch.",
     "published": "2020-01-20", "source": "Xinhua", "author": "Ivan Petrov"},
    {"title": "University alliance", "text": "Universities sign an alliance in Harbin.",
     "published": "2021-05-05", "source": "China Daily", "author": "Li Wei"},
    {"title": "Biomedicine forum", "text": "A forum on biomedicine in Saint Petersburg.",
     "published": "2021-11-11", "source": "TASS", "author": "Anna Smirnova"},
]


class ModalDialogOpened(AssertionError):
    """A test reached a modal dialog that no ``ask`` seam answered: it would hang forever."""


PATIENT_WAIT_MS = 20_000


@pytest.fixture(autouse=True)
def patient_waits(monkeypatch):
    """``qtbot.waitUntil`` without a timeout waits up to ``PATIENT_WAIT_MS`` instead of pytest-qt's
    5 s: on a machine busy with other work a window's answer can take longer, and a wait that is
    met returns at once, so only a test that fails waits longer."""
    from pytestqt.qtbot import QtBot

    wait = QtBot.waitUntil

    def patient(self, callback, *, timeout: int = PATIENT_WAIT_MS) -> None:
        wait(self, callback, timeout=timeout)

    monkeypatch.setattr(QtBot, "waitUntil", patient)


@pytest.fixture(autouse=True)
def no_modal_dialogs(monkeypatch):
    """Every modal loop fails the test at once instead of waiting for a person.

    Tests answer dialogs by replacing their ``ask`` classmethods; removals, and stopping an
    import to close the window, are confirmed by default (a test about refusing replaces the answer).
    """
    from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

    def refuse(*args, **kwargs):
        raise ModalDialogOpened("a modal dialog opened during a test")

    monkeypatch.setattr(QDialog, "exec", refuse)
    for name in ("question", "information", "warning", "critical", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))
    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(refuse))
    for name in ("getText", "getItem", "getInt", "getMultiLineText"):
        monkeypatch.setattr(QInputDialog, name, staticmethod(refuse))
    from desktop.ui.importing import RemoveConfirmation, StopImportQuestion

    monkeypatch.setattr(RemoveConfirmation, "ask", classmethod(lambda cls, parent, *, count: True))
    monkeypatch.setattr(StopImportQuestion, "ask", classmethod(lambda cls, parent, *, done, total: True))


@pytest.fixture
def agency_library(library_path) -> Path:
    """A library of five short agency articles with known sources, authors and dates."""
    insert_articles(library_path, AGENCY_ARTICLES)
    return library_path


@pytest.fixture
def seeds_library(library_path) -> Path:
    """A library holding the five sample articles of ``seeds/``."""
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    with open_library(library_path) as library:
        import_paths(library, [SEEDS])
    return library_path


def finish_workers(window, timeout_s: float = 20.0) -> None:
    """Wait until the window's workers have returned and their results were delivered.

    Results arrive as queued signals and the sidebar is counted in later turns of the event
    loop, each of which may start another query: on a loaded machine that takes a while, so
    this waits (up to ``timeout_s``) until the window says it has settled, not a number of turns.
    """
    import time

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout_s
    while True:
        for pool in (window.queries, window.writer):
            assert pool.wait(max(int((deadline - time.monotonic()) * 1000), 1))
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if window.settled() or time.monotonic() > deadline:
            break
        time.sleep(0.005)  # a timer not due yet: leave the workers the processor
    assert window.settled()


@pytest.fixture
def open_window(qtbot) -> Iterator:
    """A function opening the main window over a library; every window is closed after the test."""
    from desktop.ui.app import create_main_window

    windows = []

    def opener(path: Path):
        window = create_main_window(path)
        qtbot.addWidget(window)
        windows.append(window)
        finish_workers(window)
        return window

    yield opener
    for window in windows:
        window.close()
        assert window.queries.active == 0 and window.writer.active == 0


@pytest.fixture
def user_home(tmp_path, monkeypatch) -> Path:
    """A home folder of the test's own with a Documents folder and no XDG user-dirs file (Qt then
    takes ``~/Documents`` as the Documents folder), so file dialogs never open in the real one."""
    home = tmp_path / "user"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    return home
