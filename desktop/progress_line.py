"""The progress of a long command-line job as one self-overwriting line on a terminal.

``ProgressLine`` is a ``jobs.ProgressCallback``: fed ``Progress`` steps, it
redraws one line with a carriage return — the phase, done / total in the step's
unit, the rate and the time left, e.g.
``Reading  1,234/2,225 files (55%)  310 files/s  3 s left`` (a record export's bytes in
kilo- or megabytes: ``Reading  34.5 MB/200.0 MB (17%)  12.1 MB/s  14 s left``; no rate for
units of uneven cost, ``Progress.even``) — at most every
``interval`` seconds (a new phase and a finished phase are always drawn), and
``finish`` ends the line with a newline. ``terminal_progress`` hands one out
only when the stream is a terminal and quiet was not asked for, so piped output
stays clean; ``is_terminal`` and ``terminal_columns`` say whether a stream is one and how wide. No Qt here: the command line uses it.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from desktop.core.jobs import BYTES, Progress, byte_size

CLEAR_TO_END = "\x1b[K"
DEFAULT_WIDTH = 80
MIN_ELAPSED = 0.5  # seconds of a phase before its rate means anything


class ProgressLine:
    """Draws ``Progress`` steps on ``stream`` as one line that overwrites itself."""

    def __init__(
        self,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        interval: float = 0.1,
        width: int = DEFAULT_WIDTH,
    ) -> None:
        self._stream = stream
        self._clock = clock
        self._interval = interval
        self._width = max(width, 20)
        self._phase: tuple[str, str, int] | None = None
        self._phase_started = 0.0
        self._phase_first_done = 0
        self._last_drawn: float | None = None

    def __call__(self, step: Progress) -> None:
        now = self._clock()
        phase = (step.phase, step.unit, step.total)
        new_phase = phase != self._phase
        if new_phase:
            self._phase = phase
            self._phase_started = now
            self._phase_first_done = step.done
        due = self._last_drawn is None or now - self._last_drawn >= self._interval
        if new_phase or due or step.done >= step.total:
            self._draw(self.describe(step, now=now))
            self._last_drawn = now

    def describe(self, step: Progress, *, now: float) -> str:
        """The line for ``step`` at clock time ``now`` (within the phase that is being drawn)."""
        in_bytes = step.unit == BYTES
        unit = f" {step.unit}" if step.unit and not in_bytes else ""
        amount = byte_size if in_bytes else "{:,}".format
        parts = [step.phase.capitalize()] if step.phase else []
        count = f"{amount(step.done)}/{amount(step.total)}{unit}"
        if step.total > 0:
            count += f" ({100 * step.done // step.total}%)"
        parts.append(count)
        elapsed = now - self._phase_started
        counted = step.done - self._phase_first_done
        if step.even and elapsed >= MIN_ELAPSED and counted > 0:
            rate = counted / elapsed
            parts.append(f"{byte_size(rate)}/s" if in_bytes else f"{_rate(rate)}{unit or ' done'}/s")
            if step.done < step.total:
                parts.append(f"{_duration((step.total - step.done) / rate)} left")
        return "  ".join(parts)

    def finish(self) -> None:
        """End the line with a newline, if anything was drawn; the next job starts a new line."""
        if self._last_drawn is not None:
            self._stream.write("\n")
            self._stream.flush()
        self._phase = None
        self._last_drawn = None

    def _draw(self, line: str) -> None:
        self._stream.write(f"\r{line[: self._width - 1]}{CLEAR_TO_END}")
        self._stream.flush()


def _rate(per_second: float) -> str:
    return f"{per_second:,.0f}" if per_second >= 10 else f"{per_second:.1f}"


def _duration(seconds: float) -> str:
    """``"42 s"``, ``"3 min 05 s"``, ``"1 h 12 min"``."""
    whole = math.ceil(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def is_terminal(stream: TextIO) -> bool:
    """True when ``stream`` is a terminal a person watches (not a pipe or a file)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_columns(stream: TextIO) -> int:
    """The terminal's width; a terminal that does not say (a bare pseudo-terminal) gets the default."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return DEFAULT_WIDTH
    return columns if columns > 0 else DEFAULT_WIDTH


@contextmanager
def terminal_progress(stream: TextIO, *, quiet: bool = False) -> Iterator[ProgressLine | None]:
    """A ``ProgressLine`` on ``stream`` for the ``with`` block, finished at its end (error or not);
    None when ``quiet`` or when ``stream`` is not a terminal."""
    if quiet or not is_terminal(stream):
        yield None
        return
    line = ProgressLine(stream, width=terminal_columns(stream))
    try:
        yield line
    finally:
        line.finish()
