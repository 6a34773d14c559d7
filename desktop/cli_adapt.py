"""The ``dossier adapt-model [--reset | --status] [--json] [-q]`` command: the library's English
entity model learns from the user's corrections (``desktop.core.entities.adapt``).

Without options it adapts the model to the corrected articles, saves it as the library's next
version beside the library and reads the uncorrected English articles again with it; a progress
line shows on a terminal and the first Ctrl+C stops after the batch it is on (nothing is saved
when training is cut short; exit status 1). ``--reset`` returns to the packaged model and reads
those articles again; ``--status`` shows the model in use and the number of corrected articles.
``desktop/cli.py`` registers it with ``add_adapt_command``.
"""

from __future__ import annotations

import argparse
from typing import Callable


def add_adapt_command(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``adapt-model`` to the ``dossier`` parser; returns its handler by name."""
    from desktop.cli_common import _add_quiet, add_json
    from desktop.cli_help import command_help

    command = sub.add_parser("adapt-model", **command_help(
        "adapt-model", "adapt the English entity model to your corrections (or --reset it)"))
    which = command.add_mutually_exclusive_group()
    which.add_argument("--reset", action="store_true", help="use the packaged model again")
    which.add_argument("--status", action="store_true", help="show the model in use, change nothing")
    add_json(command, "the result")
    _add_quiet(command)
    return {"adapt-model": cmd_adapt_model}


def cmd_adapt_model(args: argparse.Namespace) -> int:
    from desktop.cli import _long_job, _print_json, open_for_cli
    from desktop.cli_common import say_cancelled
    from desktop.core.entities.adapt import adapt_model, model_status, reset_model, reset_summary
    from desktop.core.errors import Cancelled

    with open_for_cli(args) as library:
        if args.status:
            return _print_status(model_status(library), as_json=args.json)
        with _long_job(args, kept=lambda: f"{_model_in_use(library)}; what it read again is kept"
                       ) as (progress, cancel):
            try:
                if args.reset:
                    read = reset_model(library, progress=progress, cancel=cancel)
                    result = {"reset": True, "reextracted": read}
                else:
                    report = adapt_model(library, progress=progress, cancel=cancel)
                    result = {"version": report.version, "path": str(report.path),
                              "corrected_articles": report.corrected, "rehearsal_articles": report.rehearsal,
                              "reextracted": report.reextracted, "seconds": round(report.seconds, 1)}
            except Cancelled:
                say_cancelled(progress, "the model in use is unchanged unless training had finished")
                return 1
    if args.json:
        _print_json(result)
    elif args.reset:
        print(reset_summary(result["reextracted"]))
    else:
        print(report.summary())
    return 0


def _model_in_use(library) -> str:
    """``"the model in use is adapted-2"`` (or ``the packaged one``)."""
    from desktop.core.entities.adapt import model_status

    adapted = model_status(library)["adapted"]
    return f"the model in use is {adapted['version'] if adapted else 'the packaged one'}"


def _print_status(status: dict, *, as_json: bool) -> int:
    from desktop.cli import _print_json
    from desktop.core.undo import plural

    if as_json:
        _print_json(status)
        return 0
    adapted = status["adapted"]
    if adapted:
        print(f"model: {adapted['version']} (from {adapted['base_model']}, "
              f"{plural(adapted['corrected_articles'], 'corrected article')}, {adapted['created']})")
    else:
        print(f"model: {status['model']} (packaged)")
    print(f"corrected English articles: {status['corrected_articles']} "
          f"(adapting is offered from {status['offer_at']})")
    return 0
