"""``dossier imports [--limit N] [--json]``: the library's import runs, newest first, each with its
number, when it started (local time), how it ended and its totals — the run number ``import --resume RUN``
takes (a run that was cancelled or whose process died says so, with that command, and one
cancelled within a record export how far into it it came). The
record itself is ``desktop.core.import_history``; ``desktop/cli.py`` registers the command with
``add_imports_command``.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Callable


def add_imports_command(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``imports`` to the ``dossier`` parser; returns its handler by name."""
    from desktop.cli_common import add_json
    from desktop.cli_help import command_help

    from desktop.cli import _positive_int

    runs = sub.add_parser("imports", **command_help(
        "imports", "list the import runs (their numbers for import --resume)"))
    runs.add_argument("--limit", type=_positive_int, default=20, metavar="N",
                      help="the latest N runs (default 20)")
    add_json(runs, "the runs")
    return {"imports": cmd_imports}


def cmd_imports(args: argparse.Namespace) -> int:
    from desktop.cli import PROG, _print_json, open_for_cli
    from desktop.cli_common import cells, fit, terminal_width, wrapped
    from desktop.core.import_history import list_runs, local_time

    with open_for_cli(args) as library:
        runs = list_runs(library.db, limit=args.limit)
    if args.json:
        _print_json([{**asdict(run), "state": run.state,
                      "stopped_within": run.stopped_within and run.stopped_within.to_json()} for run in runs])
        return 0
    if not runs:
        print("no imports yet")
    width = terminal_width()
    for run in runs:
        where = ", ".join(run.paths[:2]) + (f" and {len(run.paths) - 2:,} more" if len(run.paths) > 2 else "")
        line = f"{run.id:>5}  {local_time(run.started_at)}  {run.summary()}"
        if width is None or cells(f"{line}  {where}") <= width:
            print(f"{line}  {where}")
        else:  # on a terminal too narrow for both, the folders go under the run
            print(fit(line, width))
            print("\n".join(wrapped(where, width, indent=" " * 7)))
        if run.stopped_within is not None:
            print(fit(f"       {run.stopped_within.describe()}", width))
        if run.state in ("cancelled", "interrupted"):
            print(f"       {PROG} import --resume {run.id} reads the rest")
    return 0
