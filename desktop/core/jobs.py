"""Cancel tokens and progress reports shared by every long core job (import, extraction, export),
how such a job starts its worker processes, and how it gives back memory it no longer needs.

A long job is a plain function taking ``progress`` and ``cancel`` keyword arguments;
``desktop/ui/workers.py`` adapts such a function to a background worker with signals.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import multiprocessing
import os
import signal
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable

from .errors import Cancelled


class CancelToken:
    """A flag a job checks at least once per batch; setting it is thread-safe."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled("cancelled")


@dataclass(frozen=True)
class Progress:
    """How far a job has come: ``done`` of ``total`` units (files, documents), and what it is on.

    A job made of several steps (a workflow) names the step in ``phase``
    ("reading", "finding entities") and what it counts in ``unit`` ("files",
    "articles"); ``done`` and ``total`` then count within that phase.

    A job that commits in batches names in ``ids`` the articles the step just
    committed (entity extraction: the articles whose entities were stored), so a
    window can refresh them while the job goes on.

    ``even`` is False when the units differ too much in cost for a rate over them or a time
    left to mean anything (an upgrade's steps: some instant, some seconds long).
    """

    done: int
    total: int
    message: str = ""
    phase: str = ""
    unit: str = ""
    ids: tuple[int, ...] = ()
    even: bool = True


ProgressCallback = Callable[[Progress], None]

BYTES = "bytes"  # the unit of a step that counts the bytes of a file read (a record export)


def byte_size(count: float) -> str:
    """``count`` bytes as a person reads them in a progress line: ``"840 KB"``, ``"34.5 MB"``."""
    return f"{count / 2**20:,.1f} MB" if count >= 2**20 else f"{count / 1024:,.0f} KB"


def file_size(count: int) -> str:
    """The size of a file as a person reads it, never "0 KB" for a file that has bytes in it:
    ``"1 KB"``, ``"12.4 MB"``."""
    return byte_size(max(count, 1024))


class PhaseProgress:
    """A progress callback that stamps each step with ``phase`` and ``unit`` (unless the step
    names its own: a file read record by record counts records), passes it on to ``progress``
    and remembers how far the phase came (``done``)."""

    def __init__(self, progress: ProgressCallback, phase: str, unit: str) -> None:
        self._progress = progress
        self._phase = phase
        self._unit = unit
        self.done = 0

    def __call__(self, step: Progress) -> None:
        self.done = step.done
        self._progress(replace(step, phase=self._phase, unit=step.unit or self._unit))


def no_progress(_: Progress) -> None:
    """The default progress callback: reports nowhere."""


def worker_start_method() -> str:
    """How a long job starts worker processes: ``fork`` from the main thread where there is one
    (the workers start at once, sharing what is loaded), else ``spawn``: a job on a window's
    worker thread forks a process whose other threads (Qt's) may hold locks the child would
    wait for forever."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.current_thread() is threading.main_thread():
        return "fork"
    return "spawn"


ORPHAN_CHECK_SECONDS = 1.0


def start_worker_process() -> None:
    """What every worker process of a long job does first: ignore Ctrl+C (the terminal sends it
    to the whole process group, and the process that started the worker decides when to stop),
    and exit once that process is gone — killed, it cannot say so, and the worker would otherwise
    wait for its next task forever, holding its memory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True,
                     name="dossier-orphan-check").start()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(1)


def return_free_memory(*connections: sqlite3.Connection) -> None:
    """Hand memory this process has freed back to the system: the page caches of ``connections``
    (SQLite's ``shrink_memory``) and the free pages of the C heap (glibc's ``malloc_trim``;
    elsewhere only the caches). Called between the phases of a long job: before entity
    workers fork (each counts every page it inherits), once they hold the model the forking
    process no longer runs, and in each worker after a batch."""
    for connection in connections:
        try:
            connection.execute("PRAGMA shrink_memory")
        except sqlite3.Error:
            pass
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # a C library without it (musl)
        return None


def lower_thread_priority(step: int = 10) -> bool:
    """Lower the calling thread's share of the processor (Linux: the thread's own nice value
    raised by ``step``; elsewhere nothing), for upkeep that must not slow what a person is
    waiting for — the damage check and the day's backup run beside the window's searches.
    It cannot be undone without privileges: call it only on a thread that does such work
    alone; calling it again on the same thread changes nothing. True when the thread runs
    below the process's priority."""
    if not sys.platform.startswith("linux"):  # elsewhere PRIO_PROCESS would name a process
        return False
    try:
        thread = threading.get_native_id()
        wanted = min(19, os.getpriority(os.PRIO_PROCESS, os.getpid()) + step)  # the main thread's
        if os.getpriority(os.PRIO_PROCESS, thread) < wanted:
            os.setpriority(os.PRIO_PROCESS, thread, wanted)
    except OSError:
        return False
    return True
