"""Qt objects left in reference cycles are freed on the GUI thread, whatever thread makes the
garbage that sets the collector off. A collection on a worker thread freed their Python side
there, with Qt's side deleted later on the GUI thread, and the window crashed at random (twice in
80 runs of the upgrade journeys, opening an old library from the File menu)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QLabel


def make_garbage(count: int) -> None:
    """Dictionaries in cycles, as a worker reading rows makes: only the collector frees them."""
    for i in range(count):
        row: dict = {"id": i}
        row["self"] = row


@pytest.mark.parametrize("turned_on", [False, True], ids=["", "after a model was loaded"])
def test_a_dialog_left_in_a_cycle_is_freed_on_the_window_thread_not_where_garbage_is_made(
    qtbot, open_window, agency_library, turned_on
):
    open_window(agency_library)
    freed_on: list[str] = []
    if turned_on:
        gc.enable()  # as srsly does after reading each file of a spaCy model
        qtbot.waitUntil(lambda: not gc.isenabled())

    def close_a_dialog() -> None:
        dialog = QDialog()
        dialog.label = QLabel("Upgrading…", dialog)
        dialog.me = dialog  # a cycle only the cyclic collector breaks, as closed dialogs often make
        weakref.finalize(dialog, lambda: freed_on.append(threading.current_thread().name))

    gc.collect()  # the dialog is then the youngest garbage
    close_a_dialog()
    worker = threading.Thread(target=make_garbage, args=(20_000,), name="query-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: freed_on != [])
    assert freed_on == [threading.main_thread().name]


def test_garbage_is_still_collected_while_the_window_is_open(qtbot, open_window, agency_library):
    open_window(agency_library)
    freed = threading.Event()

    def drop_a_cycle() -> None:
        obj = QObject()
        obj.me = obj
        weakref.finalize(obj, freed.set)

    drop_a_cycle()
    make_garbage(5_000)  # the collector's count passes its threshold
    qtbot.waitUntil(freed.is_set)
