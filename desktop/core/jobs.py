"""Cancel tokens and progress reports shared by every long core job (import, extraction, export).

A long job is a plain function taking ``progress`` and ``cancel`` keyword arguments;
``desktop/ui/workers.py`` adapts such a function to a background worker with signals.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
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
    """How far a job has come: ``done`` of ``total`` units (files, documents), and what it is on."""

    done: int
    total: int
    message: str = ""


ProgressCallback = Callable[[Progress], None]


def no_progress(_: Progress) -> None:
    """The default progress callback: reports nowhere."""
