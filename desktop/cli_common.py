"""What every `dossier` command shares: opening the library, argument types, JSON output, long jobs.

``open_for_cli`` opens the library a command names (creating only the default
one, with the sample corpus); ``print_outcome`` prints what a command did, as JSON with
``--json`` (``add_json``); ``output_file`` checks the file a command is to write
(``new_file_place`` only its folder, ``library_file_place`` also refusing ``-`` for a SQLite file),
``standard_output`` is stdout for ``--out -``;
``_long_job`` gives a long command its progress line and the cancel token that the first
Ctrl+C sets (a second raises ``Interrupted``, saying what was kept), ``say_cancelled`` the
line that says it stopped; ``say`` prints every ``dossier: …`` line on stderr in one style
(``one_style``: lower case first, no full stop, as argparse writes its own); ``columns`` fits
a text to a column of a terminal (Chinese characters take two cells), ``fit`` and ``wrapped``
a line to the terminal's width (``terminal_width``: None when stdout is piped, which keeps
lines whole; no wrapped line starts with closing punctuation); ``whole_number`` and
``_positive_int`` read the numbers of a command line; ``UsageError`` is a command line that
cannot be acted on (exit status 2). The command modules (``desktop/cli*.py``) import these
from here or from ``desktop.cli``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import signal
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TextIO

from desktop.cli_library import prepare_session

if TYPE_CHECKING:
    from desktop.core.jobs import CancelToken, ProgressCallback

PROG = "dossier"
SHORT_QUOTE = 28
"""Characters of a passage quoted in a command's one-line report (a highlight of a whole article
would fill the terminal); the line, ids included, fits 80 columns."""

STDOUT = "-"
"""The ``--out`` of ``export`` and ``publish`` that writes to standard output, as Unix tools take
it (refused by the commands that write a SQLite file)."""


def _cells(char: str) -> int:
    """The terminal cells ``char`` takes: two for wide characters (Chinese), none for combining marks."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def columns(text: str, width: int, *, cut: bool = False) -> str:
    """``text`` padded with spaces to ``width`` terminal cells; with ``cut``, first shortened to
    fit them (a wide character that would cross the edge is left out)."""
    used = 0
    kept = []
    for char in text:
        cells = _cells(char)
        if cut and used + cells > width:
            break
        kept.append(char)
        used += cells
    return "".join(kept) + " " * max(0, width - used)


def cells(text: str) -> int:
    """The terminal cells ``text`` takes."""
    return sum(map(_cells, text))


def fit(text: str, width: int | None) -> str:
    """``text`` cut to ``width`` terminal cells, ending in … where it was cut; whole when ``width``
    is None (output piped to a program keeps every line whole)."""
    if width is None or cells(text) <= width:
        return text
    return columns(text, width - 1, cut=True).rstrip() + "…"


TEXT_ROOM = 20
"""Cells the text of a line (a title, a quote) keeps on a narrow terminal: the columns before it
leave the line first, the last of them first (``head_columns``)."""


def head_columns(shown: list[str], width: int | None, *, after: str = "") -> str:
    """The columns ``shown`` that lead a line, each followed by two spaces: on a terminal of
    ``width`` cells the last ones are left out while the text after them (then ``after``) would
    have fewer than ``TEXT_ROOM`` cells; the first is always kept, and all of them when ``width``
    is None."""
    shown = list(shown)
    while width is not None and len(shown) > 1 and width - cells("  ".join(shown) + "  " + after) < TEXT_ROOM:
        shown.pop()
    return "  ".join(shown) + "  "


NO_LINE_START = "，。、；：？！）」』》〉】〕〗〙〛｝］〞”’…‥・·％,.;:?!)]}%"
"""Closing punctuation, which never starts a wrapped line (the usual rule of Chinese and Japanese
line breaking, kinsoku)."""
NO_LINE_END = "（「『《〈【〔〖〘〚｛［〝“‘([{"
"""Opening punctuation, which never ends a wrapped line."""


def _may_break(text: str, at: int, *, kinsoku: bool) -> bool:
    """Whether a wrapped line may end before ``text[at]``: at a space, or beside a wide (Chinese)
    character, never inside a run of narrow ones (a Latin word, a number) nor before a combining
    mark; with ``kinsoku``, never before closing punctuation nor after opening punctuation."""
    before, after = text[at - 1], text[at]
    if not (" " in (before, after) or 2 in (_cells(before), _cells(after))) or not _cells(after):
        return False
    return not kinsoku or (text[:at].rstrip()[-1:] not in tuple(NO_LINE_END)
                           and text[at:].lstrip()[:1] not in tuple(NO_LINE_START))


def _line_end(text: str, room: int) -> int:
    """Where the first wrapped line of ``text`` ends, in characters, for ``room`` terminal cells:
    the last place it may break (``_may_break``), breaking the rule of closing and opening
    punctuation only when nothing else would be left on the line, and cutting a run of
    narrow characters only when the run alone is wider than the room."""
    fits = len(columns(text, room, cut=True).rstrip(" ")) if cells(text) > room else len(text)
    if fits >= len(text):
        return len(text)
    for kinsoku in (True, False):
        for at in range(fits, 0, -1):
            if text[:at].strip() and _may_break(text, at, kinsoku=kinsoku):
                return at
    return max(fits, 1)  # a run, or a character, wider than the room


def wrapped(text: str, width: int | None, *, indent: str, first: str | None = None) -> list[str]:
    """``text`` as lines of ``width`` terminal cells, the first starting with ``first`` (``indent``
    when None) and the others with ``indent``; broken at a space or beside a Chinese character
    (which has no spaces), never inside a Latin word or a number that fits on a line, nor before
    closing punctuation such as ，or 。 nor after opening punctuation such as 「. One line when
    ``width`` is None; its line breaks are spaces."""
    lead = indent if first is None else first
    rest = " ".join(text.split())
    if width is None:
        return [lead + rest]
    lines: list[str] = []
    while rest:
        end = _line_end(rest, max(width - cells(lead), 10))
        lines.append(lead + rest[:end].rstrip())
        rest = rest[end:].lstrip()
        lead = indent
    return lines


def terminal_width() -> int | None:
    """The width of the terminal stdout shows on, or None when stdout is a pipe or a file."""
    from desktop.progress_line import is_terminal, terminal_columns

    return terminal_columns(sys.stdout) if is_terminal(sys.stdout) else None


class UsageError(Exception):
    """A command line that cannot be acted on (exit status 2)."""


class Interrupted(Exception):
    """A second Ctrl+C stopped a long command at once; the message says what was kept (exit status 130)."""


NAMES = frozenset({"Dossier", "Datasette", "Word", "English", "Russian", "Chinese", "Windows", "Markdown"})
"""Words that keep their capital at the start of a ``dossier: …`` line (acronyms such as PDF,
CSV or SQLite keep theirs anyway)."""
_FIRST_WORD = re.compile(r"[A-Z][a-z]*(?=[ ,:;]|$)")
_NEXT_SENTENCE = re.compile(r"(\S+)\. (?=[A-Z])")  # a sentence ending, the next one starting
_QUOTED = re.compile(r"'[^']*'|“[^”]*”|\"[^\"]*\"|«[^»]*»")  # a name or a title as the person wrote it


def _lower_first(text: str) -> str:
    """``text`` with its first word in lower case when that is an ordinary capitalised word (not
    a name, an acronym or a file that exists, as in ``Notes exists``)."""
    word = _FIRST_WORD.match(text)
    if word is None or word.group(0) in NAMES or os.path.lexists(word.group(0)):
        return text
    return text[:1].lower() + text[1:]


def one_style(message: str) -> str:
    """``message`` in the one style of every ``dossier: …`` line: lower case first, no full stop
    at the end, sentences joined by semicolons ("No article with id 9." → "no article with id 9").
    The core's messages are sentences for the window; the command line says them this way."""
    def join(sentence: re.Match[str]) -> str:
        if "." in sentence.group(1) or any(start < sentence.end() and sentence.start() < end for start, end in quoted):
            return sentence.group(0)  # an abbreviation ("e.g. Zhang") or a quoted name ("'Mr. Li'")
        return f"{sentence.group(1)}\0"

    text = message.strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    quoted = [found.span() for found in _QUOTED.finditer(text)]
    first, *others = _NEXT_SENTENCE.sub(join, text).split("\0")
    return ";".join([_lower_first(first), *(" " + _lower_first(other) for other in others)])


def say(message: str) -> None:
    """Print ``dossier: MESSAGE`` on stderr, in the command line's one style (``one_style``)."""
    print(f"{PROG}: {one_style(message)}", file=sys.stderr)


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def print_outcome(args: argparse.Namespace, payload: Any, *lines: str) -> None:
    """What a command did, on stdout: ``payload`` as JSON with ``--json``, else ``lines`` for a person."""
    if getattr(args, "json", False):
        _print_json(payload)
    else:
        for line in lines:
            print(line)


def add_json(command: argparse.ArgumentParser, what: str) -> None:
    """The ``--json`` option of ``command``, printing ``what`` as JSON instead of lines for a person."""
    command.add_argument("--json", action="store_true", help=f"print {what} as JSON")


def _add_quiet(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true",
                         help="no progress line on stderr (it is only drawn on a terminal anyway)")


def whole_number(value: str) -> int:
    """An id or a character offset: a whole number, else ``not a number: 'x'`` (exit status 2)."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None


def _positive_int(value: str) -> int:
    number = whole_number(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _library_argument(value: str) -> str:
    """A --library value: a file name, never empty (an empty one would mean the default library)
    nor ``-`` (a SQLite file cannot be standard input or output)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("needs the library's file name (it was empty)")
    if value == STDOUT:
        raise argparse.ArgumentTypeError("a library is a SQLite file, which cannot be standard input or "
                                         "output; give its file name")
    return value


def _date(value: str) -> str | None:
    """A --since / --until value checked when the command line is read (YYYY, YYYY-MM or YYYY-MM-DD)."""
    from desktop.core.errors import InvalidInput
    from desktop.core.search import Filters

    try:
        return Filters(date_from=value).date_from
    except InvalidInput as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def new_file_place(value: str) -> Path:
    """The file named by ``--out``, whose folder must exist: a folder, or a file in a folder that
    does not exist, is a ``UsageError`` (checked before any work is done)."""
    out = Path(value).expanduser()
    if out.is_dir():
        raise UsageError(f"{out} is a folder; --out takes the file to write")
    if not out.parent.is_dir():
        raise UsageError(f"there is no folder {out.parent} to write {out.name} in")
    return out


def library_file_place(value: str, *, what: str, example: str) -> Path:
    """The SQLite file ``--out`` names (``what`` is, as in ``a backup``), checked as
    ``new_file_place`` checks it; ``-`` is a ``UsageError``, since a library cannot be written to
    standard output."""
    if value == STDOUT:
        raise UsageError(f"{what} is a SQLite file, which cannot be written to standard output; "
                         f"give a file name, e.g. --out {example}")
    return new_file_place(value)


def _colour(value: str) -> str:
    """A --colour value as the palette's name for it, checked when the command line is read."""
    from desktop.core.errors import InvalidInput
    from desktop.core.palette import colour_name

    try:
        return colour_name(value)
    except InvalidInput as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def output_file(value: str, *, force: bool) -> Path:
    """The file a command is to write (``--out``), checked before any work is done.

    A folder, or a file in a folder that does not exist, is a ``UsageError``; a file
    that exists is refused with ``InvalidInput`` unless ``force`` (it is then replaced
    whole when the new one is complete, keeping its mode).
    """
    from desktop.core.errors import InvalidInput

    out = new_file_place(value)
    if out.exists() and not force:
        raise InvalidInput(f"{out} exists; add --force to replace it, or choose another file with --out")
    return out


@contextmanager
def standard_output() -> Iterator[TextIO]:
    """Standard output as an export writes to it: UTF-8 whatever the locale, lines ended as the
    format ends them (CSV's ``\\r\\n``), each write passed on at once; left open at the end."""
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=True)
    try:
        yield stream
    finally:
        stream.detach()


def _library_path(args: argparse.Namespace) -> tuple[Path, bool]:
    """The library to use and whether it is the default one (seeded on first use)."""
    from desktop.core.paths import default_library_path

    if args.library:
        return Path(args.library).expanduser(), False
    return default_library_path(), not os.environ.get("DOSSIER_LIBRARY")  # set but empty: unset


def open_for_cli(args: argparse.Namespace, *, create: bool = False):
    """Open the chosen library.

    The default library is created on first use, with the sample corpus. A
    library named by --library or $DOSSIER_LIBRARY must exist, unless ``create``,
    which allows a new one in an existing folder where no file is; otherwise
    ``LibraryUnavailable`` (``NotALibrary`` for an empty file) is raised and
    nothing is written.
    """
    from desktop.core.errors import LibraryUnavailable
    from desktop.core.samples import ensure_sample_corpus

    path, is_default = _library_path(args)
    if is_default:
        is_new = not path.exists()
        library = _open_upgrading(path, args)
        if is_new:
            ensure_sample_corpus(library)
    else:
        if not path.exists():
            if not create:
                raise LibraryUnavailable(f"no library at {path} (dossier --library FILE import PATH creates one)")
            if not path.parent.is_dir():
                raise LibraryUnavailable(f"no folder {path.parent} to create the library in")
        library = _open_upgrading(path, args, create=create and not path.exists())
    prepare_session(library, args)
    return library


def _open_upgrading(path: Path, args: argparse.Namespace, *, create: bool = True):
    """``open_library``; a library written by an older Dossier is upgraded with a progress line
    (on a terminal, unless --quiet), then a line names the backup of it from before, and its
    search index is brought up to date (``cli_search.index_after_upgrade``); Ctrl+C stops the
    upgrade (the step under way is rolled back) and says so."""
    from desktop.cli_search import index_after_upgrade
    from desktop.core import library as libraries
    from desktop.core.upgrade import pending_steps, stopped_message, upgrade_message
    from desktop.progress_line import terminal_progress

    try:
        with terminal_progress(sys.stderr, quiet=getattr(args, "quiet", False)) as progress:
            library = libraries.open_library(path, create=create, progress=progress)
    except KeyboardInterrupt:
        if path.exists() and pending_steps(path):
            raise Interrupted(one_style(stopped_message(path))) from None
        raise
    if library.upgraded:
        say(upgrade_message(library))
    try:
        index_after_upgrade(library, args)
    except BaseException:
        library.close()
        raise
    return library


def say_cancelled(progress: ProgressCallback | None, what: str) -> None:
    """``dossier: cancelled: WHAT`` on stderr, on a line of its own below the progress line
    (which is ended first) when the job was drawing one."""
    finish_line(progress)
    say(f"cancelled: {what}")


def finish_line(progress: ProgressCallback | None) -> None:
    """End the progress line ``progress`` draws, if it draws one, so that a message goes below it."""
    finish = getattr(progress, "finish", None)
    if finish is not None:
        finish()


@contextmanager
def _long_job(args: argparse.Namespace, *, kept: Callable[[], str]
              ) -> Iterator[tuple[ProgressCallback | None, CancelToken]]:
    """The progress line (on a terminal, unless --quiet) and the cancel token of a long command.

    For the ``with`` block the first Ctrl+C sets the token, so the job stops
    after the batch it is on and keeps what it committed; a second Ctrl+C
    interrupts at once: ``Interrupted`` with what ``kept()`` says was kept (asked once the
    job's open transaction is rolled back; the progress line is ended first). After a Ctrl+C,
    Ctrl+C is ignored until the command exits, so that the line saying it stopped stands.
    """
    from desktop.core.jobs import CancelToken
    from desktop.progress_line import terminal_progress

    cancel = CancelToken()

    def first_interrupt(_signum: int, _frame: object) -> None:
        cancel.cancel()
        signal.signal(signal.SIGINT, second_interrupt)

    def second_interrupt(_signum: int, _frame: object) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # more Ctrl+C do not cut short the clearing up
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, first_interrupt)
    try:
        with terminal_progress(sys.stderr, quiet=getattr(args, "quiet", False)) as progress:
            yield progress, cancel
    except KeyboardInterrupt:
        raise Interrupted(kept()) from None
    finally:  # once Ctrl+C stopped the job, more do not cut short the line saying what was kept
        signal.signal(signal.SIGINT, signal.SIG_IGN if cancel.cancelled else previous)
