"""The `dossier` command: the automation contract of DESIGN.md, built on the core alone.

Exit status: 0 on success, 1 when an operation failed (one line on stderr),
2 on a usage error (one line on stderr), a search query with nothing to search
for (``AND``, ``-``, ``()``) or too many words included. Tracebacks go to the
log file under the data folder, never to the terminal. The window is only imported by the ``gui``
command.

Only the default library is created by any command (and gets the sample
corpus); a library named by ``--library`` or ``$DOSSIER_LIBRARY`` must exist,
except for ``import``, which may create one in an existing folder. Long work
(import, extract, export, backup, recover, reindex, detect-languages, stories --group,
adapt-model) draws its progress on stderr when that is a terminal; the first Ctrl+C cancels
it after the batch it is on, a second stops it at once (exit status 130) saying what was
kept. ``export --out -`` and ``publish --out -`` write to stdout; a SQLite file (``backup``,
``recover``, ``--library``) cannot be ``-``.

This module owns the command line itself (its arguments, the exit statuses,
the one-line errors) and the ``gui`` command. The article commands are in
``desktop/cli_articles.py``, what every command shares in ``desktop/cli_common.py``,
the others in the ``desktop/cli_*.py`` modules that ``_parser`` registers.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Callable, NoReturn, Sequence

from desktop import __app_name__, __version__
from desktop.cli_adapt import add_adapt_command
from desktop.cli_annotations import add_annotation_commands
from desktop.cli_imports import add_imports_command
from desktop.cli_articles import (
    cmd_annotate,
    cmd_entities,
    cmd_export,
    cmd_import,
    cmd_list,
    cmd_search,
    cmd_show,
    cmd_tag,
)
from desktop.cli_common import (
    PROG,
    Interrupted,
    UsageError,
    _add_quiet,
    _colour,
    _date,
    _library_argument,
    _library_path,
    _long_job,  # noqa: F401  (the command modules import it from here)
    _positive_int,
    _print_json,  # noqa: F401  (the command modules import it from here)
    add_json,
    one_style,
    open_for_cli,
    say,
    whole_number,
)
from desktop.cli_languages import add_language_commands, language_argument
from desktop.cli_extract import add_extract_command
from desktop.cli_help import command_help
from desktop.cli_library import (
    add_library_commands,
    library_failure,
    retry_when_busy_or_say_so,
    single_transaction,
)
from desktop.cli_publish import add_publish_command
from desktop.cli_search import add_search_index_command
from desktop.cli_stories import add_stories_command
from desktop.core.palette import PALETTE

log = logging.getLogger("desktop.cli")


class NoDisplay(Exception):
    """The window was asked for where there is no display (exit status 1)."""


_ARGUMENT = re.compile(r"(argument \S+: |)(.*)", re.S)


class _Parser(argparse.ArgumentParser):
    """argparse with each usage error on one line (exit status 2); the usage itself is left to --help.

    With ``dashed_words`` (``search``, and the commands taking a tag's name or a note), an argument
    starting with one ``-`` that is no option of the command is a value, not an unknown option:
    ``dossier search -economy`` searches for ``-economy``, ``dossier note 1 -urgent`` writes
    ``-urgent``, ``dossier tag 1 --add -x`` adds the tag ``-x``.
    """

    def __init__(self, *args, dashed_words: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dashed_words = dashed_words

    def error(self, message: str) -> NoReturn:
        about, said = _ARGUMENT.match(message).groups()  # the core's message after "argument --x: "
        self.exit(2, f"{self.prog}: {about}{one_style(said)}; see {self.prog} --help\n")

    def _parse_optional(self, arg_string: str):
        if (self.dashed_words and arg_string.startswith("-") and not arg_string.startswith("--")
                and arg_string not in self._option_string_actions):
            return None
        return super()._parse_optional(arg_string)


def _add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The filters of ``search``, which ``export`` takes too (read by ``desktop.cli_filters``)."""
    parser.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only articles with this tag (repeat: any of them)")
    parser.add_argument("--entity", action="append", default=[], metavar="LABEL:NAME",
                        help="only articles mentioning this entity, e.g. PERSON:'Zhang Qiang' "
                             "(repeat: articles mentioning all of them)")
    parser.add_argument("--source", action="append", default=[], metavar="S",
                        help="only articles from this outlet (repeat: any of them)")
    parser.add_argument("--language", action="append", default=[], metavar="L", type=language_argument,
                        help="only articles in this language: an ISO 639-1 code such as ru or zh, "
                             "or its English name (repeat: any of them)")
    parser.add_argument("--since", type=_date, metavar="DATE",
                        help="published on or after DATE (2017, 2017-06, 2017-06-15)")
    parser.add_argument("--until", type=_date, metavar="DATE", help="published on or before DATE")
    parser.add_argument("--exact", action="store_true",
                        help="only the words typed: do not follow a name to the same entity "
                             "written in other scripts (Putin → Путин, 普京)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=f"{__app_name__}: read, search, annotate and tag a corpus of news articles offline.",
        epilog=f"{PROG} COMMAND --help shows a command's options, and examples of the commonest.",
    )
    parser.add_argument("--version", action="version", version=f"{__app_name__} {__version__}")
    parser.add_argument(
        "--library",
        metavar="FILE",
        type=_library_argument,
        help="library file (default: $DOSSIER_LIBRARY, else library.sqlite in the data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", **command_help("gui", "open the window (the default command)"))
    gui.add_argument(
        "--smoke-test",
        action="store_true",
        help="build the window offscreen, render the first article, exit 0",
    )

    imp = sub.add_parser("import", **command_help(
        "import", "import files and folders (recursive): txt, md, html, pdf, docx, jsonl and csv exports"))
    imp.add_argument("paths", nargs="*", metavar="PATH", help="files and folders to import")
    imp.add_argument("--resume", type=_positive_int, metavar="RUN",
                     help="finish the interrupted import run RUN (its number in the import history)")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.add_argument("--as-new", action="store_true",
                     help="import changed files as new articles, keeping the ones stored from them "
                          "(by default a changed file updates its article in place)")
    imp.add_argument(
        "--no-entities", action="store_true", help="skip entity extraction after the import"
    )
    _add_quiet(imp)

    lst = sub.add_parser("list", **command_help("list", "list the articles, the most recently published first"))
    lst.add_argument("--json", action="store_true", help="print the articles as JSON")
    lst.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="only the first N articles")

    search = sub.add_parser("search", dashed_words=True, **command_help("search", "full-text search"))
    search.add_argument("query", metavar="QUERY", help="what to search for (see the README's search syntax); "
                                                      "a query may start with -, as in -Xinhua")
    search.add_argument("--json", action="store_true", help="print the matches as JSON, with their snippets")
    search.add_argument("--limit", type=_positive_int, default=20, metavar="N",
                        help="the best N matches (default 20)")
    _add_filter_options(search)

    show = sub.add_parser("show", **command_help("show", "show one article"))
    show.add_argument("id", type=whole_number, metavar="ID", help="the article's id (as list and search print it)")
    show.add_argument("--json", action="store_true",
                      help="print the article as JSON, with its entities and highlights")

    ents = sub.add_parser("entities", **command_help("entities", "list the named entities of the library"))
    ents.add_argument("--label", metavar="L",
                      help="only entities of this type: PERSON, ORG, GPE (countries, cities), LOC, DATE, MONEY, …")
    ents.add_argument("--json", action="store_true", help="print the entities as JSON")

    tag = sub.add_parser("tag", dashed_words=True, **command_help("tag", "add or remove a tag on articles"))
    tag.add_argument("ids", nargs="+", type=whole_number, metavar="ID", help="the articles' ids")
    which = tag.add_mutually_exclusive_group(required=True)
    which.add_argument("--add", metavar="T", help="put the tag T on the articles (made if new)")
    which.add_argument("--remove", metavar="T", help="take the tag T off the articles")
    add_json(tag, "the tag's name and the articles it was added to or removed from")

    ann = sub.add_parser("annotate", dashed_words=True, **command_help("annotate", "highlight a passage of an article"))
    ann.add_argument("id", type=whole_number, metavar="ID", help="the article's id")
    ann.add_argument("--start", type=whole_number, required=True, metavar="S",
                     help="where the passage starts: a character offset into the text (0 is its first)")
    ann.add_argument("--end", type=whole_number, required=True, metavar="E",
                     help="where it ends: the offset just after its last character")
    ann.add_argument("--note", metavar="TEXT", help="a note on the passage")
    ann.add_argument("--colour", "--color", dest="colour", metavar="C", type=_colour,
                     help=f"the highlight's colour: {', '.join(PALETTE)} (default yellow)")
    add_json(ann, "the new highlight (its id, offsets, quote, note and colour)")

    exp = sub.add_parser("export", **command_help("export", "export articles or annotations"))
    exp.add_argument(
        "--format", required=True, choices=["jsonl", "csv", "annotations", "markdown"],
        help="jsonl or csv: the articles; annotations: highlights and notes as W3C Web Annotation "
             "JSON-LD; markdown: the highlighted articles with their highlights and notes"
    )
    exp.add_argument("--out", required=True, metavar="FILE", help="the file to write (- writes to stdout)")
    exp.add_argument("--force", action="store_true", help="replace FILE if it exists")
    exp.add_argument("--bom", action="store_true",
                     help="csv with --out -: begin with the UTF-8 byte-order mark that spreadsheets (Excel) need "
                          "to read Russian and Chinese. A CSV file always has it, and so does stdout redirected "
                          "to a file (> results.csv); stdout piped to another program or shown on a terminal "
                          "has it only with --bom (e.g. | tee results.csv)")
    exp.add_argument("--query", default="", help="only the articles this search finds")
    exp.add_argument("--one-per-story", action="store_true",
                     help="jsonl/csv: one row per story (its pinned original, else its latest correction, "
                          "else its original), not one per copy")
    _add_filter_options(exp)
    _add_quiet(exp)
    COMMANDS.update(add_library_commands(sub))
    COMMANDS.update(add_annotation_commands(sub))
    COMMANDS.update(add_imports_command(sub))
    COMMANDS.update(add_publish_command(sub))
    COMMANDS.update(add_search_index_command(sub))
    COMMANDS.update(add_language_commands(sub))
    COMMANDS.update(add_stories_command(sub))
    COMMANDS.update(add_extract_command(sub))
    COMMANDS.update(add_adapt_command(sub))
    return parser


def _check_display(smoke_test: bool) -> None:
    """Refuse early, in one line, where Qt would abort: Linux with no display to open."""
    if smoke_test or not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        raise NoDisplay(
            "no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
            f"start {__app_name__} from a desktop session, or use the command line (dossier --help)"
        )


def cmd_gui(args: argparse.Namespace) -> int:
    _check_display(args.smoke_test)
    from desktop.ui.app import run_gui

    path, _ = _library_path(args)
    if not path.exists():
        open_for_cli(args, create=True).close()
    return run_gui(path, smoke_test=args.smoke_test)

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "gui": cmd_gui,
    "import": cmd_import,
    "list": cmd_list,
    "search": cmd_search,
    "show": cmd_show,
    "entities": cmd_entities,
    "tag": cmd_tag,
    "annotate": cmd_annotate,
    "export": cmd_export,
}


def _log_file() -> Path | None:
    from desktop.core.paths import data_dir

    try:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "dossier.log"
    except OSError:
        return None


def _command_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The parser of ``command`` (its usage errors point to ``dossier COMMAND --help``)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices.get(command, parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    from desktop.core.errors import DossierError
    from desktop.core.query import QuerySyntaxError

    for stream in (sys.stdout, sys.stderr):
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="replace")  # names in any script never crash the output
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    command = args.command or "gui"
    if unknown:
        _command_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        args.smoke_test = False
    try:
        if single_transaction(args):
            return retry_when_busy_or_say_so(args, COMMANDS[command])
        return COMMANDS[command](args)
    except UsageError as err:
        _command_parser(parser, command).error(str(err))
    except QuerySyntaxError as err:  # a query that cannot be searched is a command line to change
        _command_parser(parser, command).error(str(err))
    except (DossierError, NoDisplay) as err:
        say(str(err))
        return 1
    except sqlite3.Error as err:
        say(library_failure(args, err))
        return 1
    except Interrupted as err:
        say(f"interrupted: {err}")
        return 130
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 — the last line of defence: log, one line, exit 1
        log_path = _log_file()
        if log_path is not None:
            logging.basicConfig(filename=log_path, level=logging.INFO)
            log.exception("unexpected error in %s", command)
        where = f" (details in {log_path})" if log_path else ""
        say(f"unexpected error: {err}{where}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
