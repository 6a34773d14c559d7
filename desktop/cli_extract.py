"""``dossier extract``: find the entities of the articles still waiting for them (an import
stopped with Ctrl+C or killed, a window closed while it was finding them, or articles
imported with ``--no-entities``, articles an older Dossier read under older rules, whose
published dates are put right first), with progress on a terminal; Ctrl+C stops after the
batch it is on and keeps every batch stored. ``desktop/cli.py`` registers it with
``add_extract_command``; the work is ``desktop.core.workflows.find_waiting_entities``.

Also what a command stopped by a second Ctrl+C says of the entities left to find
(``with_entities_to_find``), and the note that ``dossier entities`` and ``dossier search``
print while articles still wait for their entities (``note_waiting_entities``), so their
answers are never silently incomplete.
"""

from __future__ import annotations

import argparse
from typing import Callable


def add_extract_command(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``extract`` to the ``dossier`` parser; returns its handler by name."""
    from desktop.cli_help import command_help

    from desktop.cli import _add_quiet, _positive_int

    extract = sub.add_parser("extract", **command_help(
        "extract", "find the entities of the articles waiting for them (resumes a stopped import)"))
    extract.add_argument("--workers", type=_positive_int, metavar="N",
                         help="worker processes reading the articles (default: one per core when it pays)")
    extract.add_argument("--json", action="store_true", help="print the report as JSON")
    _add_quiet(extract)
    return {"extract": cmd_extract}


def cmd_extract(args: argparse.Namespace) -> int:
    from desktop.cli import PROG, _long_job, _print_json, open_for_cli
    from desktop.cli_common import say
    from desktop.core.entities.extraction_queue import enqueue_outdated, enqueue_unread
    from desktop.core.published_dates import redate_outdated
    from desktop.core.undo import plural
    from desktop.core.workflows import find_waiting_entities

    with open_for_cli(args) as library, _long_job(
            args, kept=lambda: with_entities_to_find(library, "the entities found are kept")) as (progress, cancel):
        redated = redate_outdated(library.db, progress=progress, cancel=cancel).edited
        if redated and not args.json:
            print(f"published dates put right in {plural(len(redated), 'article')}")
        enqueue_outdated(library.db)
        enqueue_unread(library.db)
        step = find_waiting_entities(library, progress=progress, cancel=cancel, workers=args.workers)
    mentions = step.report.mentions if step.report is not None else None
    if args.json:
        _print_json({"articles": step.done, "waiting": step.wanted - step.done, "mentions": mentions,
                     "dates_put_right": len(redated),
                     "cancelled": step.cancelled})
    elif not step.cancelled:
        print(f"entities found in {plural(step.done, 'article')} ({plural(mentions or 0, 'mention')})")
    if step.cancelled:
        say(f"cancelled: entities found in {step.done:,} of {step.wanted:,} articles; "
            f"{PROG} extract goes on from there")
        return 1
    return 0


def with_entities_to_find(library, line: str) -> str:
    """``line``, then ``"; dossier extract finds the entities of 1,200 articles"`` while articles
    wait for theirs (what a job stopped by a second Ctrl+C says it left)."""
    from desktop.cli import PROG
    from desktop.core.entities.extraction_queue import unclaimed
    from desktop.core.undo import plural

    waiting = unclaimed(library.db)
    return f"{line}; {PROG} extract finds the entities of {plural(waiting, 'article')}" if waiting else line


def note_waiting_entities(library) -> bool:
    """On stderr, when articles wait in the extraction queue: answers that rest on entities
    leave them out until ``dossier extract`` (or an import, or the window) finds them. Returns
    whether it said so."""
    from desktop.cli import PROG
    from desktop.cli_common import say
    from desktop.core.entities.extraction_queue import waiting

    count = waiting(library.db)
    if count:
        verb = "waits for its" if count == 1 else "still wait for their"
        say(f"{count:,} article{'' if count == 1 else 's'} {verb} entities: "
            f"{PROG} extract finds them")
    return bool(count)
