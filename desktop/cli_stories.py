"""``dossier stories``: list the stories that more than one outlet carried, group an existing
library, and correct the grouping. ``desktop/cli.py`` registers it with ``add_stories_command``;
the grouping itself is ``desktop.core.stories``'.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable

from desktop.cli_common import PROG


def add_stories_command(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``stories`` to the ``dossier`` parser; returns its handler by name."""
    from desktop.cli_common import add_json, whole_number
    from desktop.cli_help import command_help

    from desktop.cli import _add_quiet, _positive_int

    stories = sub.add_parser("stories", **command_help(
        "stories", "list the stories carried by several outlets (copies grouped)"))
    stories.add_argument("--min-size", type=_positive_int, default=2, metavar="N",
                         help="only stories of at least N articles (default 2; 1 lists every article's story)")
    add_json(stories, "the stories with their articles")
    stories.add_argument("--group", action="store_true",
                         help="first group the articles not grouped yet (imported before grouping existed)")
    stories.add_argument("--rebuild", action="store_true",
                         help="first group every article again (corrections and pinned originals are kept)")
    fix = stories.add_mutually_exclusive_group()
    fix.add_argument("--same", nargs=2, type=whole_number, metavar=("ID", "OTHER"),
                     help="correct: the two articles are the same story")
    fix.add_argument("--separate", type=whole_number, metavar="ID",
                     help="correct: the article is not the same story")
    fix.add_argument("--original", type=whole_number, metavar="ID",
                     help="pin the article as its story's original")
    _add_quiet(stories)
    return {"stories": cmd_stories}


def with_stories(library: Any, rows: list[dict]) -> list[dict]:
    """``rows`` (list or search results) with each article's ``story`` id added."""
    from desktop.core.stories import story_ids

    found = story_ids(library.db.conn, [row["id"] for row in rows])
    for row in rows:
        row["story"] = found[row["id"]]
    return rows


def _correct(library: Any, args: argparse.Namespace) -> str | None:
    """Make the correction asked for, if any; returns what it did, as a ``dossier: …`` line says it."""
    from desktop.core import stories_corrections as corrections

    if args.same:
        corrections.join_story(library.db, *args.same)
        return "articles {} and {} are one story now".format(*args.same)
    if args.separate is not None:
        corrections.separate_story(library.db, args.separate)
        return f"article {args.separate} left its story"
    if args.original is not None:
        corrections.pin_original(library.db, args.original)
        return f"article {args.original} is its story's original now"
    return None


GROUP_THE_OTHERS = f"{PROG} stories --group groups the others"


def _kept_by_grouping(library: Any) -> str:
    """What a grouping stopped by a second Ctrl+C kept: ``"the articles grouped are kept; 1,200
    articles are not grouped yet: dossier stories --group groups the others"``."""
    from desktop.core.stories import ungrouped_count
    from desktop.core.undo import plural

    left = ungrouped_count(library.db.conn)
    line = "the articles grouped are kept"
    return f"{line}; {plural(left, 'article is', 'articles are')} not grouped yet: {GROUP_THE_OTHERS}" if left else line


def cmd_stories(args: argparse.Namespace) -> int:
    from desktop.cli import PROG, _long_job, _print_json, open_for_cli
    from desktop.cli_articles import _list_line
    from desktop.cli_common import columns, fit, say, say_cancelled, terminal_width
    from desktop.core.stories import group_library, list_stories, ungrouped_count
    from desktop.core.undo import plural

    with open_for_cli(args) as library:
        if args.group or args.rebuild:
            with _long_job(args, kept=lambda: _kept_by_grouping(library)) as (progress, cancel):
                report = group_library(library, rebuild=args.rebuild, progress=progress, cancel=cancel)
                if report.cancelled:
                    say_cancelled(progress, f"{plural(report.grouped, 'article')} grouped; {GROUP_THE_OTHERS}")
                    return 1
        done = _correct(library, args)
        if done:
            say(done)
        rows = list_stories(library.db.conn, min_size=args.min_size)
        waiting = ungrouped_count(library.db.conn)
    if waiting:
        say(f"{plural(waiting, 'article is', 'articles are')} not grouped yet: run `{PROG} stories --group`")
    if args.json:
        _print_json(rows)
        return 0
    width = terminal_width()
    for row in rows:
        outlets = ", ".join(row["outlets"]) or "no outlet"
        print(fit(f"story {row['story']:>6}  {columns(plural(row['size'], 'article'), 12)}  {outlets}", width))
        for article in row["articles"]:
            print(f"    {_list_line(article, width and width - 4)}")
    return 0
