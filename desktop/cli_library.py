"""The commands that look after the library file itself: check, backup, restore, recover.

``backup`` shows its progress on a terminal and the first Ctrl+C stops it, leaving no file, as
``recover`` does. Also what a write command does on opening a library (``prepare_session``): refuse
a read-only or damaged library, then make the day's automatic backup; how a small
write command (one transaction) runs again while another program holds the write
lock (``retry_when_busy_or_say_so``), saying on a terminal that it waits (``SaidWait``); and
the one line a SQLite error becomes (``library_failure``). Read commands neither check nor
back up: they change nothing, and ``quick_check`` reads the whole file (seconds at
100,000 articles; see tests/bench/bench_backup.py).
``desktop/cli.py`` registers these with ``add_library_commands``.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Callable

WRITE_COMMANDS = frozenset({"import", "tag", "annotate", "unhighlight", "note", "import-annotations",
                            "detect-languages", "extract"})
SINGLE_TRANSACTION_COMMANDS = frozenset({"tag", "annotate", "note", "unhighlight", "import-annotations"})
"""Commands run again whole while the library is busy (``stories`` too when it corrects a story)."""
STORY_CORRECTIONS = ("same", "separate", "original")
MAX_PAGES_VARIABLE = "DOSSIER_TEST_MAX_PAGE_COUNT"  # fault tests: a disk that fills up
BUSY_TIMEOUT_VARIABLE = "DOSSIER_TEST_BUSY_TIMEOUT_MS"  # fault tests: a short wait for the write lock
BUSY_RETRY_VARIABLE = "DOSSIER_TEST_BUSY_RETRY_SECONDS"  # fault tests: a short window of retries
SAID_AFTER_MS = 1000  # a small write command waiting this long for the write lock says so on a terminal


def add_library_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add the library commands to the ``dossier`` parser; returns their handlers by name."""
    from desktop.cli_common import _add_quiet, add_json
    from desktop.cli_help import command_help

    check = sub.add_parser("check", **command_help(
        "check", "check the library for damage (exit 1 when something is wrong)"))
    add_json(check, "what was checked and what is wrong")

    backup = sub.add_parser("backup", **command_help(
        "backup", "back the library up (into backups/ beside it by default)"))
    backup.add_argument("--out", metavar="FILE", help="write the backup to FILE instead")
    _add_quiet(backup)

    restore = sub.add_parser("restore", **command_help(
        "restore", "put a backup in place of the library (the current file is kept)"))
    restore.add_argument("file", metavar="FILE", help="the backup to put in place (dossier backup made it)")

    recover = sub.add_parser("recover", **command_help(
        "recover", "copy what can be read of a damaged library into a new file"))
    recover.add_argument("--out", required=True, metavar="NEW", help="the new library file to write")
    add_json(recover, "the report (what was copied and what was lost)")
    _add_quiet(recover)
    return {"check": cmd_check, "backup": cmd_backup, "restore": cmd_restore, "recover": cmd_recover}


def _path(args: argparse.Namespace) -> Path:
    from desktop.cli import _library_path

    return _library_path(args)[0]


def writes(args: argparse.Namespace) -> bool:
    """Whether the command line changes the library: a write command, ``stories`` grouping or
    correcting stories, ``adapt-model`` other than ``--status``."""
    if args.command == "stories":
        return bool(args.group or args.rebuild or single_transaction(args))
    if args.command == "adapt-model":
        return not args.status
    return args.command in WRITE_COMMANDS


def single_transaction(args: argparse.Namespace) -> bool:
    """Whether the command line writes in one transaction, so it can run again whole while
    another program holds the write lock."""
    if args.command == "stories":
        return any(getattr(args, name) is not None for name in STORY_CORRECTIONS)
    return args.command in SINGLE_TRANSACTION_COMMANDS


def prepare_session(library, args: argparse.Namespace) -> None:
    """What a write command does right after opening: refuse a read-only or damaged
    library, then make the day's backup when it is due."""
    from desktop.core.library import require_writable

    if not writes(args):
        return
    try:
        require_writable(library)
        limit = os.environ.get(MAX_PAGES_VARIABLE)
        if limit:
            library.db.conn.execute(f"PRAGMA max_page_count = {int(limit)}")
        wait = os.environ.get(BUSY_TIMEOUT_VARIABLE)
        if wait:
            library.db.conn.execute(f"PRAGMA busy_timeout = {int(wait)}")
        if single_transaction(args) and sys.stderr.isatty() and not getattr(args, "quiet", False):
            library.db.conn.lock_waiter = SaidWait()
        _backup_daily_or_say_why(library)
    except BaseException:
        library.close()
        raise


class SaidWait:
    """The ``lock_waiter`` of a small write command run from a terminal: it waits for another
    program's write lock as SQLite does, and once the wait passes ``SAID_AFTER_MS`` says so on
    a line of its own, so that a command waiting its turn does not look hung."""

    def __init__(self) -> None:
        self.said = False

    def __call__(self, conn: sqlite3.Connection, begin: Callable[[], object]) -> None:
        from desktop.cli_common import say
        from desktop.core.busy import is_busy, waiting_at_most

        if self.said:
            begin()
            return
        try:
            with waiting_at_most(conn, SAID_AFTER_MS):
                begin()
            return
        except sqlite3.OperationalError as err:
            if not is_busy(err):
                raise
        self.said = True
        say("another program is writing to the library: waiting for it to finish (Ctrl+C stops)")
        begin()


def _backup_daily_or_say_why(library) -> None:
    """The day's backup; when it cannot be made (its folder is a file or cannot be written) the
    command goes on, as the window does, and one line says why there is no backup. A damaged
    library still stops the command."""
    from desktop.cli_common import say
    from desktop.core.backups import backup_daily
    from desktop.core.errors import LibraryUnavailable

    try:
        backup_daily(library)
    except LibraryUnavailable as err:  # a damaged copy raises LibraryDamaged, which stops it
        say(f"{err} The command goes on without the day's backup.")


def retry_when_busy_or_say_so(args: argparse.Namespace, command: Callable[[argparse.Namespace], int]) -> int:
    """Run the write ``command`` (one transaction: nothing is left behind when it fails) again
    while another program holds the library's write lock; when that outlasts the retry
    window, raise ``LibraryUnavailable`` with the one line that says the library is busy."""
    from desktop.core.errors import LibraryUnavailable
    from desktop.core.busy import BUSY_RETRY_SECONDS, is_busy, retry_when_busy
    from desktop.core.library_messages import busy_message

    window = float(os.environ.get(BUSY_RETRY_VARIABLE) or BUSY_RETRY_SECONDS)
    started = time.monotonic()
    try:
        return retry_when_busy(lambda: command(args), give_up_after=window)
    except sqlite3.OperationalError as err:
        if not is_busy(err):
            raise
        raise LibraryUnavailable(busy_message(_path(args), waited=time.monotonic() - started)) from err


def library_failure(args: argparse.Namespace, err: sqlite3.Error) -> str:
    """The one line for an error SQLite raised while a command used the library."""
    from desktop.core.library_messages import library_error

    return str(library_error(err, _path(args)))


def _size(path: Path) -> str:
    from desktop.core.jobs import file_size

    return file_size(path.stat().st_size)


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.cli import _print_json, open_for_cli
    from desktop.core.check import CheckReport, check_library
    from desktop.core.errors import LibraryDamaged

    try:
        with open_for_cli(args) as library:
            report = check_library(library)
    except LibraryDamaged as err:
        report = CheckReport(integrity=[err.detail])
    if args.json:
        _print_json(report.to_json())
    else:
        print(report.summary())
    return 0 if report.ok else 1


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.cli import _long_job, open_for_cli
    from desktop.cli_common import library_file_place, say, say_cancelled
    from desktop.core.backups import backup_before, backup_to, problems_of
    from desktop.core.errors import Cancelled, InvalidInput
    from desktop.core.library_messages import library_errors

    path = _path(args)
    out = library_file_place(args.out, what="a backup", example="backup.sqlite") if args.out else None
    with open_for_cli(args) as library, _long_job(args, kept=lambda: NO_BACKUP) as (progress, cancel):
        try:
            if out is not None:
                if out.exists():
                    raise InvalidInput(f"{out} exists already; choose a new file for the backup.")
                with library_errors(path):
                    target = backup_to(library.db.conn, out, progress=progress, cancel=cancel)
            else:
                target = backup_before(library, "manual", progress=progress, cancel=cancel)
        except Cancelled:
            say_cancelled(progress, NO_BACKUP)
            return 1
    if target is None:
        raise InvalidInput(f"The library {path} is read-only: back it up elsewhere with --out FILE.")
    problems = problems_of(target)
    if problems:  # the library was damaged: a copy of it cannot be restored
        say(f"backed up {path} to {target}, but the copy is damaged as the library is "
            f"({problems[0]}), so it cannot be restored; copy what can be read into a new "
            "file with dossier recover --out NEW")
        return 1
    print(f"backed up {path} to {target} ({_size(target)})")
    return 0


NO_BACKUP = "no backup was made"  # a backup stopped by Ctrl+C leaves no file


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.core.backups import restore

    done = restore(_path(args), Path(args.file))
    kept = f"; the replaced library was kept as {done.kept_as}" if done.kept_as else ""
    print(f"restored {_path(args)} from {done.source}{kept}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from desktop.cli import _long_job, _print_json
    from desktop.cli_common import library_file_place, say_cancelled
    from desktop.core.errors import Cancelled
    from desktop.core.recover import recover

    out = library_file_place(args.out, what="the recovered library", example="recovered.sqlite")
    unwritten = f"{args.out} was not written"  # recover leaves no file when it stops
    with _long_job(args, kept=lambda: unwritten) as (progress, cancel):
        try:
            report = recover(_path(args), out, progress=progress, cancel=cancel)
        except Cancelled:
            say_cancelled(progress, unwritten)
            return 1
    if args.json:
        _print_json(report.to_json())
    else:
        print(f"recovered into {report.out}:")
        for line in report.lines():
            print(f"  {line}")
    return 0
