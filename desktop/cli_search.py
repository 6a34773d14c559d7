"""``dossier reindex``: build the multi-script search index with progress and Ctrl+C; the same
build right after a command upgraded a library (``index_after_upgrade``), and the note
``dossier search`` prints while that index is incomplete."""

from __future__ import annotations

import argparse
from typing import Callable


def add_search_index_command(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``reindex`` to the ``dossier`` parser; returns its handler by name."""
    from desktop.cli_common import _add_quiet
    from desktop.cli_help import command_help

    reindex = sub.add_parser("reindex", **command_help(
        "reindex", "index the articles for search in Russian and Chinese (libraries made before 0.2; "
                   "the window does it in the background)"))
    _add_quiet(reindex)
    return {"reindex": cmd_reindex}


def cmd_reindex(args: argparse.Namespace) -> int:
    from desktop.cli import PROG, _long_job, open_for_cli
    from desktop.cli_common import say_cancelled
    from desktop.core.errors import Cancelled
    from desktop.core.shadow_index import build_index
    from desktop.core.undo import plural

    with open_for_cli(args) as library, _long_job(
            args, kept=lambda: f"{_indexed(library)} are kept; {PROG} reindex goes on from there"
    ) as (progress, cancel):
        try:
            state = build_index(library.db.conn, progress=progress, cancel=cancel)
        except Cancelled:
            say_cancelled(progress, f"{_indexed(library)} (run reindex again to go on)")
            return 1
    print(f"search index complete: {plural(state.total, 'article')}")
    return 0


def index_after_upgrade(library, args: argparse.Namespace) -> None:
    """Right after this Dossier upgraded ``library`` or met a search index an earlier one made,
    build the multi-script index, as the window does then, so that Russian and Chinese searches
    find what they should: with the progress line (on a terminal, unless --quiet) and a line
    saying it is done. Ctrl+C stops it, keeping what was indexed: ``Cancelled`` then says so and
    that ``dossier reindex`` goes on."""
    from desktop.cli_common import PROG, _long_job, finish_line, say
    from desktop.core.errors import Cancelled
    from desktop.core.shadow_index import build_index, index_outdated, index_state
    from desktop.core.undo import plural

    conn = library.db.conn
    if library.read_only:
        return
    outdated = index_outdated(conn)
    if not outdated and (not library.upgraded or index_state(conn).ready):
        return
    with _long_job(args, kept=lambda: f"{_indexed(library)} are kept; {PROG} reindex goes on from there"
                   ) as (progress, cancel):
        try:
            state = build_index(conn, progress=progress, cancel=cancel)
        except Cancelled:
            finish_line(progress)
            raise Cancelled(f"cancelled: indexing for search stopped at {_indexed(library)}; "
                            f"run `{PROG} reindex` to go on") from None
    say(f"indexed {plural(state.total, 'article')} for search in every script")


def _indexed(library) -> str:
    """``"1,200 of 5,000 articles indexed"``: how far the search index is."""
    from desktop.core.shadow_index import index_state

    state = index_state(library.db.conn)
    return f"{state.indexed:,} of {state.total:,} articles indexed"


def note_incomplete_index(library) -> None:
    """On stderr: searches use the old index until ``reindex`` (or the window) completes it."""
    from desktop.cli_common import say
    from desktop.core.shadow_index import index_outdated, index_state

    state = index_state(library.db.conn)
    if state.ready:
        if index_outdated(library.db.conn):
            say("the search index was made by an earlier Dossier and misses some of what this one "
                "finds (traditional Chinese by simplified, 經濟 by 经济; full-width figures such as １３日 "
                "by 13日); run `dossier reindex`")
        return
    if state.waiting:
        why = f"is not complete ({state.indexed:,} of {state.total:,} articles indexed)"
    else:
        why = "still holds articles another program removed"
    say(f"the search index for Russian and Chinese {why}: Russian words match "
        "only as typed and Chinese words not at all; run `dossier reindex`")
