"""The ``dossier detect-languages [-q]`` command: detect the languages of the articles a library
holds from before Dossier detected them at import (``desktop.core.language_fill``).

``language_argument`` reads the ``--language`` value of ``dossier search``. It shows a
progress line on a terminal; the first Ctrl+C stops after the batch it is on
and keeps what was stored (the next run goes on from there, exit status 1). It then
prints how many articles it looked at and the library's languages with their article
counts. ``desktop/cli.py`` registers it with ``add_language_commands``.
"""

from __future__ import annotations

import argparse
from typing import Callable


def add_language_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``detect-languages`` to the ``dossier`` parser; returns its handler by name."""
    from desktop.cli_common import _add_quiet
    from desktop.cli_help import command_help

    command = sub.add_parser("detect-languages", **command_help(
        "detect-languages", "detect the language of articles imported before Dossier did so"))
    _add_quiet(command)
    return {"detect-languages": cmd_detect_languages}


def language_argument(value: str) -> str:
    """A ``--language`` value as an ISO 639-1 code (``ru``, ``RU`` or ``Russian`` give ``ru``)."""
    from desktop.core.language import language_code

    code = language_code(value)
    if code is None:
        raise argparse.ArgumentTypeError(f"not a language: {value!r} (use an ISO 639-1 code such as ru or zh)")
    return code


def cmd_detect_languages(args: argparse.Namespace) -> int:
    from desktop.cli import PROG, _long_job, open_for_cli
    from desktop.cli_common import say_cancelled
    from desktop.core.errors import Cancelled
    from desktop.core.language import language_name
    from desktop.core.language_fill import fill_languages, fill_pending
    from desktop.core.undo import plural

    with open_for_cli(args) as library:
        pending = fill_pending(library.db)

        def looked_at() -> str:
            return f"{pending - fill_pending(library.db):,} of {pending:,} articles looked at"

        with _long_job(args, kept=lambda: f"{looked_at()} are kept; {PROG} detect-languages goes on from there"
                       ) as (progress, cancel):
            try:
                changes = fill_languages(library, progress=progress, cancel=cancel)
            except Cancelled:
                say_cancelled(progress, looked_at())
                return 1
        counts = library.db.conn.execute(
            "SELECT language, count(*) FROM documents GROUP BY language "
            "ORDER BY count(*) DESC, language IS NULL, language"
        ).fetchall()
    print(f"{plural(pending, 'article')} looked at, {len(changes.edited):,} given a language")
    for code, count in counts:
        name = language_name(code) if code else "unknown"
        print(f"{count:>8,}  {code or '—':<3} {name}")
    return 0
