"""The ``dossier import-annotations FILE [--json]`` command: W3C Web Annotation JSON-LD into the library.

It prints the report the window shows after the same import (imported, updated,
skipped as already here, unmatched) and then one line per unmatched annotation
with its reason; ``--json`` prints the report as JSON instead. A file that is not
JSON or not annotations is refused in one line (exit status 1) and nothing is
written. ``desktop/cli.py`` registers it with ``add_annotation_commands``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable


def add_annotation_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``import-annotations`` to the ``dossier`` parser; returns its handler by name."""
    command = sub.add_parser("import-annotations",
                             help="import W3C Web Annotation JSON-LD (highlights, article notes, tags)")
    command.add_argument("file", metavar="FILE")
    command.add_argument("--json", action="store_true", help="print the report as JSON")
    return {"import-annotations": cmd_import_annotations}


def _unmatched_line(entry: dict[str, Any]) -> str:
    what = f"“{entry['quote']}”" if entry.get("quote") else (entry.get("id") or "an annotation")
    where = f" on {entry['source']}" if entry.get("source") else ""
    return f"unmatched: {what}{where}: {entry['reason']}"


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from desktop.cli import open_for_cli
    from desktop.core.webannotation_import import import_annotations

    with open_for_cli(args) as library:
        report = import_annotations(library.db, args.file)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(report.summary())
        for entry in report.unmatched:
            print(_unmatched_line(entry))
    return 0
