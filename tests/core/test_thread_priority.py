"""Upkeep work (the damage check on opening) yields the processor to the window's own threads."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from desktop.core.jobs import lower_thread_priority


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priorities are Linux's")
def test_only_the_calling_thread_yields_the_processor():
    seen = {}

    def upkeep() -> None:
        thread = threading.get_native_id()
        before = os.getpriority(os.PRIO_PROCESS, thread)
        seen["lowered"] = lower_thread_priority()
        seen["change"] = os.getpriority(os.PRIO_PROCESS, thread) - before
        lower_thread_priority()  # the same thread's next job
        seen["again"] = os.getpriority(os.PRIO_PROCESS, thread) - before

    main_before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    worker = threading.Thread(target=upkeep)
    worker.start()
    worker.join()
    assert seen["lowered"] and seen["change"] > 0 or os.getpriority(os.PRIO_PROCESS, 0) == 19
    assert seen["again"] == seen["change"]  # a thread reused for upkeep sinks no further
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main_before
