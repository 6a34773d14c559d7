"""The terminal progress line, fed Progress steps with a fake clock and a fake terminal."""

from __future__ import annotations

import io

from desktop.core.jobs import Progress
from desktop.progress_line import CLEAR_TO_END, ProgressLine, terminal_progress


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal and records what was written."""

    def isatty(self) -> bool:
        return True


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _line(clock: FakeClock | None = None, **kwargs) -> tuple[ProgressLine, FakeTerminal]:
    stream = FakeTerminal()
    return ProgressLine(stream, clock=clock or FakeClock(), **kwargs), stream


def _last_drawn(stream: FakeTerminal) -> str:
    """The text of the line as it stands now on the terminal."""
    return stream.getvalue().rsplit("\r", 1)[-1].removesuffix(CLEAR_TO_END)


def reading(done: int, total: int = 2225) -> Progress:
    return Progress(done, total, "a.txt", phase="reading", unit="files")


def test_a_step_redraws_one_line_with_phase_and_done_of_total():
    line, stream = _line()
    line(reading(0))
    assert stream.getvalue() == f"\rReading  0/2,225 files (0%){CLEAR_TO_END}"
    assert "\n" not in stream.getvalue()


def _shown_after(*steps: tuple[float, Progress], **options) -> str:
    """The line the terminal shows after each step was fed at its clock time."""
    clock = FakeClock()
    line, stream = _line(clock, **options)
    for now, step in steps:
        clock.now = now
        line(step)
    return _last_drawn(stream)


def entities(done: int, total: int) -> Progress:
    return Progress(done, total, phase="finding entities", unit="articles")


def test_rate_and_time_left_come_from_the_phase_so_far():
    shown = _shown_after((0.0, reading(0, 100)), (2.0, reading(50, 100)))
    assert shown == "Reading  50/100 files (50%)  25 files/s  2 s left"


def test_minutes_and_hours_left_are_written_as_such():
    assert _shown_after((0.0, reading(0, 100_000)), (10.0, reading(1_000, 100_000))).endswith(
        "  100 files/s  16 min 30 s left")
    assert _shown_after((0.0, reading(0, 10_000)), (10.0, reading(10, 10_000))).endswith(
        "  1.0 files/s  2 h 46 min left")


def test_steps_closer_than_the_interval_are_not_drawn_but_the_last_one_is():
    early = ((0.0, reading(1, 3)), (0.05, reading(2, 3)))
    assert _shown_after(*early, interval=0.1).startswith("Reading  1/3 files")
    assert _shown_after(*early, (0.06, reading(3, 3)), interval=0.1).startswith("Reading  3/3 files (100%)")


def test_a_new_phase_is_drawn_at_once_and_measures_its_own_rate():
    read = ((0.0, reading(0, 10)), (1.0, reading(10, 10)))
    assert _shown_after(*read, (1.01, entities(0, 10))) == "Finding entities  0/10 articles (0%)"
    assert _shown_after(*read, (1.01, entities(0, 10)), (3.01, entities(4, 10))) == (
        "Finding entities  4/10 articles (40%)  2.0 articles/s  3 s left")


def test_finish_ends_the_line_with_one_newline_only_when_something_was_drawn():
    line, stream = _line()
    line.finish()
    assert stream.getvalue() == ""
    line(reading(1, 1))
    line.finish()
    assert stream.getvalue().endswith(f"{CLEAR_TO_END}\n") and stream.getvalue().count("\n") == 1


def test_a_line_wider_than_the_terminal_is_cut_to_fit():
    line, stream = _line(width=20)
    line(reading(1_000_000, 2_000_000))
    assert len(_last_drawn(stream)) == 19


def test_terminal_progress_is_silent_when_quiet_or_not_a_terminal():
    with terminal_progress(io.StringIO()) as piped:
        assert piped is None
    with terminal_progress(FakeTerminal(), quiet=True) as quiet:
        assert quiet is None


def test_terminal_progress_ends_its_line_when_the_job_ends():
    stream = FakeTerminal()
    with terminal_progress(stream) as line:
        line(reading(5, 5))
    assert stream.getvalue().startswith("\rReading  5/5 files (100%)")
    assert stream.getvalue().endswith("\n")


def test_an_upgrade_shows_no_rate_over_its_steps_but_a_steps_own_rate_within_it():
    def stepping(done: int) -> Progress:
        return Progress(done, 5, phase="upgrading the library", unit="steps", even=False)

    assert _shown_after((0.0, stepping(0)), (9.0, stepping(1))) == "Upgrading the library  1/5 steps (20%)"
    within = "upgrading the library, step 2 of 5: whole opening titles"
    shown = _shown_after((0.0, stepping(1)), (0.0, Progress(500, 10_000, phase=within, unit="articles")),
                         (2.0, Progress(2_500, 10_000, phase=within, unit="articles")), width=120)
    assert shown == ("Upgrading the library, step 2 of 5: whole opening titles  2,500/10,000 articles (25%)"
                     "  1,000 articles/s  8 s left")
