"""Story signatures made in a worker process while an import reads its next files.

Signing a text (``stories_signatures.signatures``) is array work on its characters; done at
each batch's commit it holds up the import, and a thread cannot take it off the reading:
numpy lets go of the interpreter lock for each array operation and waits to take it back
after each, so the two threads run by turns. A process of its own signs the texts on the
machine's other core. It starts only once an import has read ``CHUNK`` texts (a small
import signs at commit, as before), and only on a machine of two cores or more. ``take``
does not wait for the worker to catch up: chunks still queued are taken back (the executor
hands the worker at most two ahead, and those are waited for), and a chunk it could not sign
(it crashed, or was stopped) is left out; the caller signs what is missing itself, so a
signature is never lost, only made later.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor

import numpy as np

from .jobs import start_worker_process, worker_start_method
from .stories_signatures import Signature, signatures

CHUNK = 128


def _sign(texts: list[str]) -> tuple[np.ndarray, list[int]]:
    signed = signatures(texts)  # a chunk is never empty
    return np.stack([sig.values for sig in signed]), [sig.shingles for sig in signed]


class SigningAhead:
    """``add`` texts as they are read; ``take`` the signatures of the texts added since the
    last ``take`` that the worker has made or is making, by text."""

    def __init__(self, *, chunk: int = CHUNK, cores: int | None = None) -> None:
        self._chunk = chunk
        self._usable = (cores if cores is not None else os.cpu_count() or 1) > 1
        self._worker: ProcessPoolExecutor | None = None
        self._waiting: list[str] = []
        self._started: list[tuple[list[str], Future[tuple[np.ndarray, list[int]]]]] = []

    def add(self, texts: Iterable[str]) -> None:
        self._waiting.extend(texts)
        if len(self._waiting) >= self._chunk and self._usable:
            self._start()

    def _start(self) -> None:
        chunk, self._waiting = self._waiting, []
        try:
            if self._worker is None:
                self._worker = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(worker_start_method()),
                                                   initializer=start_worker_process)
            self._started.append((chunk, self._worker.submit(_sign, chunk)))
        except (OSError, RuntimeError):  # no process to be had: sign at commit
            self._usable = False

    def take(self) -> dict[str, Signature]:
        """Signatures by text; the texts still waiting for a full chunk are the caller's to sign."""
        self._waiting = []
        signed: dict[str, Signature] = {}
        for chunk, future in self._started:
            if future.cancel():  # still queued: the caller signs it now rather than wait
                continue
            try:
                values, shingles = future.result()
            except Exception:  # the worker failed or stopped: the caller signs this chunk
                self._usable = False
                continue
            signed.update((text, Signature(row, count)) for text, row, count in zip(chunk, values, shingles))
        self._started = []
        return signed

    def close(self) -> None:
        """Stop the worker: chunks not begun are dropped, the one under way (a few milliseconds)
        finishes, and the process has ended when this returns."""
        if self._worker is not None:
            self._worker.shutdown(wait=True, cancel_futures=True)
            self._worker = None
