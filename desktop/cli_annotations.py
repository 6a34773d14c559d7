"""The commands for highlights and notes beyond ``annotate``: an article's highlights listed
(``dossier highlights ID [--json]``, each with the id ``unhighlight`` takes), highlights deleted
(``dossier unhighlight HID … [--json]``, none unless every id is found, in one transaction), an article's own note
written or cleared (``dossier note ID TEXT | --clear [--json]``; ``highlights`` shows it), and W3C
Web Annotation JSON-LD read into the library (``dossier import-annotations FILE [--json]``).

Each write is the core operation the window runs (``desktop.core.annotations``); an id that
names nothing is refused in one line (exit status 1), nothing written. With ``--json``,
``unhighlight`` prints the deleted highlights (as ``highlights --json`` listed them) and ``note``
the article's id and note (``{"id", "note"}``, as ``show --json`` has them). ``import-annotations``
prints the report the window shows after the same import (imported, updated, skipped as
already here, unmatched) and then one line per unmatched annotation with its reason and one per
highlight kept as not found in the text;
``--json`` prints the report as JSON instead. A file that is not JSON or not annotations is
refused in one line (exit status 1) and nothing is written. ``desktop/cli.py`` registers them
with ``add_annotation_commands``.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable


def add_annotation_commands(sub: argparse._SubParsersAction) -> dict[str, Callable[[argparse.Namespace], int]]:
    """Add ``highlights``, ``unhighlight``, ``note`` and ``import-annotations`` to the ``dossier``
    parser; returns their handlers by name."""
    from desktop.cli_common import add_json, whole_number
    from desktop.cli_help import command_help

    listing = sub.add_parser("highlights", **command_help(
        "highlights", "list an article's highlights (with their ids) and note"))
    listing.add_argument("id", type=whole_number, metavar="ID", help="the article's id")
    add_json(listing, "the note and the highlights, with their offsets")
    removal = sub.add_parser("unhighlight", **command_help(
        "unhighlight", "delete highlights (ids from dossier highlights)"))
    removal.add_argument("ids", nargs="+", type=whole_number, metavar="HID", help="the highlights' ids")
    add_json(removal, "the deleted highlights")
    note = sub.add_parser("note", dashed_words=True, **command_help(
        "note", "write or clear an article's own note (dossier show and highlights show it)"))
    note.add_argument("id", type=whole_number, metavar="ID", help="the article's id")
    given = note.add_mutually_exclusive_group(required=True)
    given.add_argument("text", nargs="?", metavar="TEXT", help="the new note (replaces the old one)")
    given.add_argument("--clear", action="store_true", help="remove the note")
    add_json(note, "the article's id and its note (null when cleared)")
    command = sub.add_parser("import-annotations", **command_help(
        "import-annotations", "import W3C Web Annotation JSON-LD (highlights, article notes, tags)"))
    command.add_argument("file", metavar="FILE",
                         help="the JSON-LD file (dossier export --format annotations writes one)")
    add_json(command, "the report")
    return {"highlights": cmd_highlights, "unhighlight": cmd_unhighlight, "note": cmd_note,
            "import-annotations": cmd_import_annotations}


def cmd_highlights(args: argparse.Namespace) -> int:
    """An article's note and highlights, one per line; on a terminal a long quote is wrapped under
    itself, and on a narrow one the colour makes way for it (``head_columns``)."""
    from desktop.cli import _print_json, open_for_cli
    from desktop.cli_common import head_columns, terminal_width, wrapped
    from desktop.core.annotations import document_annotations, document_note

    with open_for_cli(args) as library:
        note = document_note(library.db, args.id)  # an unknown article is refused here
        found = document_annotations(library.db, args.id)
    if args.json:
        _print_json({"note": note, "highlights": found})
        return 0
    width = terminal_width()
    if note:
        print("\n".join(wrapped(note, width, first="note: ", indent="      ")))
    for highlight in found:
        line = f"“{highlight['quote']}”" + (f" — {highlight['note']}" if highlight["note"] else "")
        line += "  (not found in the text)" if highlight["orphaned"] else ""
        head = head_columns([f"{highlight['id']:>6}", f"{highlight['colour']:<14}"], width)
        print("\n".join(wrapped(line, width, first=head, indent=" " * len(head))))
    if not found:
        print(f"article {args.id} has no highlights")
    return 0


def cmd_unhighlight(args: argparse.Namespace) -> int:
    """Delete the highlights named, once every id is found (an unknown one: nothing is deleted)."""
    from desktop.cli_common import SHORT_QUOTE, open_for_cli, print_outcome
    from desktop.core.annotations import delete_annotation, get_annotation, short_quote

    with open_for_cli(args) as library, library.db.atomic():  # all or none, so it can run again whole
        deleted = [get_annotation(library.db, highlight_id) for highlight_id in dict.fromkeys(args.ids)]
        for highlight in deleted:
            delete_annotation(library.db, highlight["id"])
    lines = (f"deleted highlight {highlight['id']} “{short_quote(highlight['quote'], length=SHORT_QUOTE)}” "
             f"of article {highlight['document_id']}" for highlight in deleted)
    print_outcome(args, deleted, *lines)
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    from desktop.cli_common import open_for_cli, print_outcome
    from desktop.core.annotations import document_note, set_document_note

    with open_for_cli(args) as library:
        set_document_note(library.db, args.id, None if args.clear else args.text)
        note = document_note(library.db, args.id)
    print_outcome(args, {"id": args.id, "note": note},
                  f"wrote the note of article {args.id}" if note else f"cleared the note of article {args.id}")
    return 0


def _unmatched_line(entry: dict[str, Any]) -> str:
    what = f"“{entry['quote']}”" if entry.get("quote") else (entry.get("id") or "an annotation")
    where = f" on {entry['source']}" if entry.get("source") else ""
    return f"unmatched: {what}{where}: {entry['reason']}"


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from desktop.cli import _print_json, open_for_cli
    from desktop.core.webannotation_import import TAG_REFUSED, import_annotations

    with open_for_cli(args) as library:
        report = import_annotations(library.db, args.file)
    if args.json:
        _print_json(report.to_dict())
    else:
        print(report.summary())
        for entry in report.unmatched:
            print(_unmatched_line(entry))
        for entry in report.not_placed:
            print(f"not found in the text: “{entry['quote']}” kept on article {entry['document_id']} "
                  "(dossier highlights shows it)")
        for entry in report.tags_refused:
            print(f"tag left out: “{entry['tag']}” of {entry['id'] or 'an annotation'}: {TAG_REFUSED}")
    return 0
