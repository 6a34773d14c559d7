"""The examples that end the ``--help`` of the `dossier` commands a person starts with.

Each example runs as written on the sample corpus a new library holds (the articles in
``seeds/``), in a folder with ``articles/`` to import; ``tests/cli/test_cli_help.py`` runs
every one of them. ``command_help`` gives ``add_parser`` a command's one-line help, the same
line as the description at the top of its ``--help`` (wrapped to the terminal), and the examples
below its options; every command is declared with it.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from typing import Any

EXAMPLES: dict[str, list[tuple[str, str]]] = {
    "import": [
        ("dossier import articles/", "import a folder and the folders in it"),
        ("dossier --library thesis.sqlite import articles/ --no-entities",
         "into a new library, entities found later (dossier extract)"),
        ("dossier import articles/ --json", "the report as JSON (a changed file updates its article)"),
    ],
    "list": [
        ("dossier list --limit 20", "the 20 most recently published articles"),
        ("dossier list --json", "every article as JSON"),
    ],
    "search": [
        ("dossier search Rudskoy", "the articles naming Rudskoy, best first"),
        ("dossier search '\"science and technology\"' --since 2017 --until 2019-06", "a phrase, within dates"),
        ("dossier search 'cooperation AND Russia' --source CCFAO --json", "both words, from one outlet, as JSON"),
        ("dossier search '' --entity 'PERSON:Zhang Zhijun'", "every article mentioning a person"),
        ("dossier search Harbin --language english --limit 50",
         "in English articles only (or an ISO 639-1 code: en, ru, zh)"),
    ],
    "show": [
        ("dossier show 1", "the article's title, outlet, date, tags and text"),
        ("dossier show 1 --json", "with its entities and highlights and their character offsets"),
    ],
    "entities": [
        ("dossier entities --label PERSON", "the people, the most cited first"),
        ("dossier entities --json", "every entity with its article and mention counts"),
    ],
    "tag": [
        ("dossier tag 1 2 --add 'to read'", "tag two articles"),
        ("dossier tag 2 --remove 'to read'", "take the tag off one"),
        ("dossier tag 3 --add 'to read' --json", "what changed as JSON: the tag, the ids added, removed and unchanged"),
    ],
    "annotate": [
        ("dossier annotate 1 --start 0 --end 40 --note 'key claim' --colour blue",
         "highlight the first 40 characters of article 1 with a note"),
        ("dossier annotate 2 --start 0 --end 12 --json", "the new highlight as JSON, with its id"),
    ],
    "highlights": [
        ("dossier highlights 1", "article 1's note and highlights, each with its id"),
        ("dossier highlights 1 --json", "as JSON, with the highlights' offsets"),
    ],
    "note": [
        ("dossier note 1 'compare with the TASS report'", "write article 1's own note"),
        ("dossier note 1 --clear --json", "remove it; as JSON: {\"id\": 1, \"note\": null}"),
    ],
    "unhighlight": [
        ("dossier unhighlight 1 --json", "delete highlight 1, printing it as JSON"),
    ],
    "export": [
        ("dossier export --format csv --out results.csv --query Rudskoy", "the articles a search finds"),
        ("dossier export --format markdown --out notes.md --tag Arctic --since 2020",
         "the highlights of articles tagged Arctic since 2020"),
        ("dossier export --format jsonl --out everything.jsonl", "every article, one JSON object a line"),
        ("dossier export --format annotations --out highlights.jsonld", "highlights and notes (W3C Web Annotation)"),
    ],
}


def command_help(name: str, summary: str) -> dict[str, Any]:
    """The ``add_parser`` arguments that give command ``name`` its ``summary`` (in the list of
    commands and at the top of its ``--help``) and its examples, if it has some."""
    description = summary[0].upper() + summary[1:] + "."
    shown: dict[str, Any] = {"help": summary, "description": description}
    examples = EXAMPLES.get(name)
    if examples:
        lines = "\n".join(f"  # {what}\n  {command}" for command, what in examples)
        width = shutil.get_terminal_size().columns - 2  # as argparse wraps the options
        shown.update(description=textwrap.fill(description, width), epilog=f"examples:\n{lines}",
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    return shown
