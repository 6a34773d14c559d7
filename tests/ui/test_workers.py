"""Workers: a plain core job runs off the GUI thread and reports progress, result, error or cancel."""

from __future__ import annotations

import threading

import pytest

from desktop.core.errors import InvalidInput
from desktop.core.jobs import Progress
from desktop.ui.workers import WorkerPool


@pytest.fixture
def pool(qtbot):
    workers = WorkerPool(max_threads=1)
    yield workers
    workers.cancel_all()
    assert workers.wait(5000)


def test_job_result_and_progress_arrive_on_the_gui_thread(qtbot, pool):
    seen = []

    def job(*, progress, cancel):
        progress(Progress(1, 2, "half"))
        return threading.current_thread() is not threading.main_thread()

    with qtbot.waitCallback() as done:
        pool.start(job, on_finished=done, on_progress=lambda p: seen.append(
            (p.message, threading.current_thread() is threading.main_thread())))
    assert done.args == [True]
    assert seen == [("half", True)]


def test_a_failing_job_delivers_its_error(qtbot, pool):
    def job(*, progress, cancel):
        raise InvalidInput("bad date")

    with qtbot.waitCallback() as failed:
        pool.start(job, on_finished=lambda _: None, on_failed=failed)
    assert str(failed.args[0]) == "bad date"


def test_cancelling_a_job_reports_cancelled_not_a_result(qtbot, pool):
    started = threading.Event()

    def job(*, progress, cancel):
        started.set()
        while not cancel.cancelled:
            threading.Event().wait(0.005)
        cancel.raise_if_cancelled()

    results = []
    with qtbot.waitCallback() as cancelled:
        worker = pool.start(job, on_finished=results.append, on_cancelled=cancelled)
        started.wait(5)
        worker.cancel()
    assert results == []
    assert pool.wait(5000)


def test_cancel_calls_the_interrupt_of_a_running_query(qtbot, pool):
    interrupted = threading.Event()
    started = threading.Event()

    def job(*, progress, cancel):
        started.set()
        interrupted.wait(5)
        return "stopped"

    with qtbot.waitCallback() as cancelled:
        worker = pool.start(job, on_finished=lambda _: None, on_cancelled=cancelled,
                            interrupt=interrupted.set)
        started.wait(5)
        worker.cancel()
    assert interrupted.is_set()
    qtbot.waitUntil(lambda: pool.active == 0)


def test_a_job_cancelled_while_waiting_for_a_thread_never_runs_nor_interrupts(qtbot, pool):
    release = threading.Event()
    ran, interrupts = [], []

    def blocker(*, progress, cancel):
        release.wait(5)

    def queued(*, progress, cancel):
        ran.append(True)

    pool.start(blocker, on_finished=lambda _: None)
    with qtbot.waitCallback() as cancelled:
        waiting = pool.start(queued, on_finished=lambda _: None, on_cancelled=cancelled,
                             interrupt=lambda: interrupts.append(True))
        waiting.cancel()
        release.set()
    assert ran == [] and interrupts == []


def test_a_job_waiting_behind_another_keeps_the_progress_shown_once_the_first_ends(qtbot, pool):
    from PySide6.QtCore import Qt

    from desktop.ui.job_progress import JobProgress

    shown = JobProgress(pool, name="job")
    qtbot.addWidget(shown)
    gate, ended = threading.Event(), []

    def first(*, progress, cancel):
        gate.wait(5)

    def second(*, progress, cancel):
        progress(Progress(0, 3, phase="writing"))
        while not cancel.cancelled:
            gate.wait(0.01)

    for title, job in (("First", first), ("Second", second)):
        shown.start(title, job, on_finished=ended.append, on_failed=ended.append,
                    on_cancelled=lambda: ended.append("cancelled"))
    assert shown.label.text() == "First"
    gate.set()
    qtbot.waitUntil(lambda: ended == [None] and shown.label.text() == "Writing" and shown.bar.maximum() == 3)
    assert shown.isVisible() and shown.running
    qtbot.mouseClick(shown.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ended == [None, "cancelled"])
    assert not shown.isVisible() and not shown.running


def test_a_job_that_ends_before_its_starter_goes_on_still_reports_its_end_in_order(qtbot, pool):
    ended = []
    pool.start(lambda *, progress, cancel: 1, on_finished=lambda result: ended.append(result),
               on_done=lambda: ended.append("done"))
    assert pool.wait(5000)  # the job has ended and emitted before anything else is connected
    qtbot.waitUntil(lambda: ended == [1, "done"])
