"""Entities ▸ Adapt the entity model… and Entities ▸ Reset the entity model, from the menu."""

from __future__ import annotations

import threading

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton

from desktop.core.entities.adapt import MANIFEST, active_model
from desktop.ui import adapt_model
from desktop.ui import errors as ui_errors
from tests.core.test_entities_adapt import corrected_library_file
from tests.ui.conftest import finish_workers
from tests.ui.test_entities_window import _extracted_template, action_in, entity_window, offset_of, read  # noqa: F401

TRAINING_MS = 240_000


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_the_entities_menu_adapts_the_model_in_the_background_and_resets_it(open_window, library_path, qtbot):
    window = open_window(corrected_library_file(library_path))
    menu = window.findChild(QMenu, "entitiesMenu")
    adapt = window.findChild(QAction, "actionAdaptEntityModel")
    reset = window.findChild(QAction, "actionResetEntityModel")
    assert adapt in menu.actions() and reset in menu.actions()
    assert adapt.text() == "&Adapt the entity model…"
    assert not reset.isEnabled()
    adapt.trigger()
    cancel = window.findChild(QPushButton, "statusJobCancel")
    assert cancel.isVisible()
    qtbot.waitUntil(lambda: "learnt from 3 corrected articles" in status(window), timeout=TRAINING_MS)
    finish_workers(window)
    assert "adapted-001" in status(window) and "1 other article read again" in status(window)
    assert not cancel.isVisible()
    assert (active_model(library_path) / MANIFEST).is_file()
    menu.aboutToShow.emit()
    assert reset.isEnabled()
    reset.trigger()
    qtbot.waitUntil(lambda: "packaged entity model is used again" in status(window), timeout=TRAINING_MS)
    finish_workers(window)
    assert active_model(library_path) is None
    menu.aboutToShow.emit()
    assert not reset.isEnabled()


def test_adapting_with_no_corrections_says_so_and_changes_nothing(open_window, library_path, qtbot, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(ui_errors.ErrorDialog, "show", classmethod(lambda cls, parent, title, text: shown.append(text)))
    window = open_window(library_path)
    window.findChild(QAction, "actionAdaptEntityModel").trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=TRAINING_MS)
    finish_workers(window)
    assert "0 English articles corrected" in shown[0]
    assert active_model(library_path) is None


def test_the_status_bar_offers_adapting_once_enough_articles_are_corrected(entity_window, monkeypatch, qtbot):
    monkeypatch.setattr(adapt_model, "MIN_CORRECTED", 1)
    window, highlighter = entity_window
    read(window, "Video Conference")
    offset = offset_of(window, "Zhang Zhijun")
    action_in(highlighter.reader_menu(offset), "Change “Zhang", "Org").trigger()
    qtbot.waitUntil(lambda: "corrected entities in 1 articles: Entities ▸ Adapt" in status(window))


def test_counting_the_corrected_articles_after_a_correction_leaves_the_window_ticking(entity_window, monkeypatch,
                                                                                     qtbot):
    window, highlighter = entity_window
    ticked, returned = threading.Event(), []

    def count_slowly(library):  # returns when the window's timer has ticked (or after 10 s)
        returned.append(ticked.wait(10))
        return []

    monkeypatch.setattr(adapt_model, "corrected_documents", count_slowly)
    read(window, "Video Conference")
    change = action_in(highlighter.reader_menu(offset_of(window, "Zhang Zhijun")), "Change “Zhang", "Org")
    heartbeat = QTimer()
    heartbeat.timeout.connect(ticked.set)
    heartbeat.start(10)  # its first tick needs the window's thread back in its event loop
    change.trigger()
    qtbot.waitUntil(lambda: bool(returned))
    heartbeat.stop()
    assert returned == [True]  # the window's timer ticked while the count ran
