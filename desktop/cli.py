"""The `dossier` command: the automation contract of DESIGN.md, built on the core alone.

Exit status: 0 on success, 1 when an operation failed (one line on stderr),
2 on a usage error (one line on stderr). Tracebacks go to the log file under the
data folder, never to the terminal. The window is only imported by the ``gui``
command.

Only the default library is created by any command (and gets the sample
corpus); a library named by ``--library`` or ``$DOSSIER_LIBRARY`` must exist,
except for ``import``, which may create one in an existing folder. Long work
(import, entity extraction, export) draws its progress on stderr when that is a
terminal; the first Ctrl+C cancels it after the batch it is on.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence

from desktop import __app_name__, __version__
from desktop.cli_adapt import add_adapt_command
from desktop.cli_annotations import add_annotation_commands
from desktop.cli_languages import add_language_commands, language_argument
from desktop.cli_extract import add_extract_command
from desktop.cli_library import (
    SINGLE_TRANSACTION_COMMANDS,
    add_library_commands,
    library_failure,
    prepare_session,
    retry_when_busy_or_say_so,
)
from desktop.cli_publish import add_publish_command
from desktop.cli_search import add_search_index_command, note_incomplete_index
from desktop.cli_stories import add_stories_command, with_stories

if TYPE_CHECKING:
    from desktop.core.ingest import ImportReport
    from desktop.core.jobs import CancelToken, ProgressCallback

PROG = "dossier"
log = logging.getLogger("desktop.cli")


class UsageError(Exception):
    """A command line that cannot be acted on (exit status 2)."""


class NoDisplay(Exception):
    """The window was asked for where there is no display (exit status 1)."""


class _Parser(argparse.ArgumentParser):
    """argparse with each usage error on one line (exit status 2); the usage itself is left to --help."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message.rstrip('.')}; see {self.prog} --help\n")


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=f"{__app_name__}: read, search, annotate and tag a corpus of news articles offline.",
    )
    parser.add_argument("--version", action="version", version=f"{__app_name__} {__version__}")
    parser.add_argument(
        "--library",
        metavar="FILE",
        help="library file (default: $DOSSIER_LIBRARY, else library.sqlite in the data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the window (the default command)")
    gui.add_argument(
        "--smoke-test",
        action="store_true",
        help="build the window offscreen, render the first article, exit 0",
    )

    imp = sub.add_parser("import", help="import files and folders (recursive)")
    imp.add_argument("paths", nargs="*", metavar="PATH")
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

    lst = sub.add_parser("list", help="list the articles")
    lst.add_argument("--json", action="store_true")
    lst.add_argument("--limit", type=_positive_int, default=None)

    search = sub.add_parser("search", help="full-text search")
    search.add_argument("query", metavar="QUERY")
    search.add_argument("--json", action="store_true")
    search.add_argument("--limit", type=_positive_int, default=20)
    search.add_argument("--tag", action="append", default=[], metavar="T",
                        help="only articles with this tag (repeat: any of them)")
    search.add_argument("--entity", action="append", default=[], metavar="LABEL:NAME",
                        help="only articles mentioning this entity, e.g. PERSON:'Zhang Qiang' "
                             "(repeat: articles mentioning all of them)")
    search.add_argument("--source", action="append", default=[], metavar="S",
                        help="only articles from this outlet (repeat: any of them)")
    search.add_argument("--language", action="append", default=[], metavar="L", type=language_argument,
                        help="only articles in this language: an ISO 639-1 code such as ru or zh, "
                             "or its English name (repeat: any of them)")
    search.add_argument("--since", type=_date, metavar="DATE",
                        help="published on or after DATE (2017, 2017-06, 2017-06-15)")
    search.add_argument("--until", type=_date, metavar="DATE", help="published on or before DATE")
    search.add_argument("--exact", action="store_true",
                        help="only the words typed: do not follow a name to the same entity "
                             "written in other scripts (Putin → Путин, 普京)")

    show = sub.add_parser("show", help="show one article")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true")

    ents = sub.add_parser("entities", help="list the named entities of the library")
    ents.add_argument("--label", metavar="L")
    ents.add_argument("--json", action="store_true")

    tag = sub.add_parser("tag", help="add or remove a tag on articles")
    tag.add_argument("ids", nargs="+", type=int, metavar="ID")
    which = tag.add_mutually_exclusive_group(required=True)
    which.add_argument("--add", metavar="T")
    which.add_argument("--remove", metavar="T")

    ann = sub.add_parser("annotate", help="highlight a passage of an article")
    ann.add_argument("id", type=int, metavar="ID")
    ann.add_argument("--start", type=int, required=True, metavar="S")
    ann.add_argument("--end", type=int, required=True, metavar="E")
    ann.add_argument("--note", metavar="TEXT")
    ann.add_argument("--colour", "--color", dest="colour", metavar="C")

    exp = sub.add_parser("export", help="export articles or annotations")
    exp.add_argument(
        "--format", required=True, choices=["jsonl", "csv", "annotations", "markdown"]
    )
    exp.add_argument("--out", required=True, metavar="FILE")
    exp.add_argument("--query", default="", help="only the articles this search finds")
    exp.add_argument("--one-per-story", action="store_true",
                     help="jsonl/csv: one row per story (its original), not one per copy")
    _add_quiet(exp)
    COMMANDS.update(add_library_commands(sub))
    COMMANDS.update(add_annotation_commands(sub))
    COMMANDS.update(add_publish_command(sub))
    COMMANDS.update(add_search_index_command(sub))
    COMMANDS.update(add_language_commands(sub))
    COMMANDS.update(add_stories_command(sub))
    COMMANDS.update(add_extract_command(sub))
    COMMANDS.update(add_adapt_command(sub))
    return parser


def _add_quiet(command: argparse.ArgumentParser) -> None:
    command.add_argument("-q", "--quiet", action="store_true",
                         help="no progress line on stderr (it is only drawn on a terminal anyway)")


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _date(value: str) -> str | None:
    """A --since / --until value checked when the command line is read (YYYY, YYYY-MM or YYYY-MM-DD)."""
    from desktop.core.errors import InvalidInput
    from desktop.core.search import Filters

    try:
        return Filters(date_from=value).date_from
    except InvalidInput as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _library_path(args: argparse.Namespace) -> tuple[Path, bool]:
    """The library to use and whether it is the default one (seeded on first use)."""
    from desktop.core.paths import default_library_path

    if args.library:
        return Path(args.library).expanduser(), False
    return default_library_path(), "DOSSIER_LIBRARY" not in os.environ


def open_for_cli(args: argparse.Namespace, *, create: bool = False):
    """Open the chosen library.

    The default library is created on first use, with the sample corpus. A
    library named by --library or $DOSSIER_LIBRARY must exist, unless ``create``,
    which allows a new one in an existing folder; otherwise ``LibraryUnavailable``
    is raised and nothing is created.
    """
    from desktop.core.errors import LibraryUnavailable
    from desktop.core.library import open_library
    from desktop.core.samples import ensure_sample_corpus

    path, is_default = _library_path(args)
    if is_default:
        is_new = not path.exists()
        library = open_library(path)
        if is_new:
            ensure_sample_corpus(library)
    else:
        if not path.exists():
            if not create:
                raise LibraryUnavailable(f"no library at {path} (dossier --library FILE import PATH creates one)")
            if not path.parent.is_dir():
                raise LibraryUnavailable(f"no folder {path.parent} to create the library in")
        library = open_library(path, create=create)
    prepare_session(library, args.command)
    return library


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


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.core.workflows import FINDING_ENTITIES, import_and_extract

    if bool(args.paths) == bool(args.resume):
        raise UsageError("give the files and folders to import, or --resume RUN (not both)")
    paths = [Path(p).expanduser() for p in args.paths]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    with open_for_cli(args, create=True) as library, _long_job(args) as (progress, cancel):

        def imported(report: ImportReport) -> None:
            """Say what was imported before entities are looked for (the articles are searchable)."""
            if args.json or report.cancelled:
                return
            if progress is not None:
                progress.finish()
            _print_import_report(report)
            sys.stdout.flush()

        outcome = import_and_extract(
            library, paths, extract=not args.no_entities, progress=progress, cancel=cancel,
            resume_run=args.resume, as_new=args.as_new, on_imported=imported,
        )
    report = outcome.imported
    if args.json:
        _print_json({**report.to_json(), "cancelled": True} if outcome.cancelled else report.to_json())
    elif report.cancelled:
        _print_import_report(report)
    if not outcome.cancelled:
        return 0
    line = f"cancelled: {len(report.imported)} imported"
    if outcome.cancelled_phase == FINDING_ENTITIES:
        line += (f", entities found in {outcome.entities.done} of them; "
                 f"{PROG} extract finds the others")
    print(f"{PROG}: {line}", file=sys.stderr)
    return 1


def _print_import_report(report: ImportReport) -> None:
    """The import's report as lines for a person: totals, failures, unplaced highlights, missing files."""
    from desktop.core.undo import plural

    updated = f", {len(report.updated)} updated" if report.updated else ""
    print(f"{len(report.imported)} imported{updated}, {len(report.duplicates)} duplicates, "
          f"{len(report.failed)} failed")
    for path, reason in report.failed:
        print(f"  failed: {path}: {reason}")
    if report.orphaned:
        print(f"{plural(len(report.orphaned), 'highlight')} of updated articles could not be placed "
              "in the new text (kept, flagged)")
    if report.missing:
        print(f"{report.missing_summary()} (their articles are kept)")
        for path in report.missing:
            print(f"  missing: {path}")


@contextmanager
def _long_job(args: argparse.Namespace) -> Iterator[tuple[ProgressCallback | None, CancelToken]]:
    """The progress line (on a terminal, unless --quiet) and the cancel token of a long command.

    For the ``with`` block the first Ctrl+C sets the token, so the job stops
    after the batch it is on and keeps what it committed; a second Ctrl+C
    interrupts at once.
    """
    from desktop.core.jobs import CancelToken
    from desktop.progress_line import terminal_progress

    cancel = CancelToken()

    def first_interrupt(_signum: int, _frame: object) -> None:
        cancel.cancel()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first_interrupt)
    try:
        with terminal_progress(sys.stderr, quiet=args.quiet) as progress:
            yield progress, cancel
    finally:
        signal.signal(signal.SIGINT, previous)


def _list_line(row: dict) -> str:
    date = row.get("published") or "—"
    source = row.get("source") or ""
    return f"{row['id']:>6}  {date:<10}  {source[:18]:<18}  {row.get('title') or ''}"


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.core.documents import list_documents

    with open_for_cli(args) as library:
        rows = with_stories(library, list_documents(library.db, limit=args.limit))
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            print(_list_line(row))
    return 0


def _search_filters(args: argparse.Namespace):
    from desktop.core.search import Filters

    filters = Filters()
    for tag in args.tag:
        filters = filters.including("tag", tag)
    for source in args.source:
        filters = filters.including("source", source)
    for language in args.language:
        filters = filters.including("language", language)
    for entity in args.entity:
        label, sep, name = entity.partition(":")
        if not sep or not label or not name:
            raise UsageError(f"--entity takes LABEL:NAME, e.g. PERSON:Zhang Qiang (got {entity!r})")
        filters = filters.including(f"entity:{label.upper()}", name)
    if args.since or args.until:
        filters = filters.with_dates(args.since, args.until)
    return filters


def cmd_search(args: argparse.Namespace) -> int:
    from desktop.core.documents import languages_of
    from desktop.core.search import search_hits

    filters = _search_filters(args)
    with open_for_cli(args) as library:
        hits = with_stories(library, search_hits(library.db, args.query, filters=filters, limit=args.limit,
                                                 follow_names=not args.exact))
        note_incomplete_index(library)
        languages = languages_of(library.db, [hit["id"] for hit in hits])
    for hit in hits:
        hit["language"] = languages.get(hit["id"])
    if args.json:
        _print_json(hits)
    else:
        if hits and hits[0].get("also"):
            print("also: " + ", ".join(hits[0]["also"]))
        for hit in hits:
            print(_list_line(hit) + (f"  (as {hit['found_as']})" if hit.get("found_as") else ""))
            if hit.get("snippet"):
                print(f"        {' '.join(hit['snippet'].split())}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from desktop.core.annotations import document_annotations
    from desktop.core.documents import get_document
    from desktop.core.entities import document_entities

    with open_for_cli(args) as library:
        doc = get_document(library.db, args.id)
        entities = document_entities(library.db, doc.id)
        annotations = document_annotations(library.db, doc.id)
    if args.json:
        payload = doc.list_fields()
        payload.update(
            text=doc.text, url=doc.url, note=doc.note, entities=entities, annotations=annotations
        )
        _print_json(payload)
    else:
        meta = " · ".join(
            part
            for part in (doc.source, doc.published, doc.author, f"{doc.word_count} words")
            if part
        )
        print(doc.title)
        print(meta)
        if doc.tags:
            print("Tags: " + ", ".join(doc.tags))
        print()
        print(doc.text)
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from desktop.core.entities import entity_summary
    from desktop.core.undo import plural

    with open_for_cli(args) as library:
        rows = entity_summary(library.db, label=args.label.upper() if args.label else None)
    if args.json:
        _print_json(rows)
    else:
        for row in rows:
            counts = f"{plural(row['documents'], 'article')}, {plural(row['mentions'], 'mention')}"
            print(f"{row['label']:<8} {row['name']:<40} {counts}")
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    from desktop.core.tags import add_tag, remove_tag

    with open_for_cli(args) as library:
        _require_documents(library, args.ids)
        if args.add is not None:
            add_tag(library.db, args.ids, args.add)
            print(f"tagged {len(args.ids)} article(s) with {args.add!r}")
        else:
            remove_tag(library.db, args.ids, args.remove)
            print(f"removed {args.remove!r} from {len(args.ids)} article(s)")
    return 0


def _require_documents(library, ids: Sequence[int]) -> None:
    from desktop.core.documents import get_document

    for doc_id in ids:
        get_document(library.db, doc_id)


def cmd_annotate(args: argparse.Namespace) -> int:
    from desktop.core.annotations import create_annotation

    with open_for_cli(args) as library:
        annotation, _ = create_annotation(
            library.db, args.id, args.start, args.end, note=args.note, colour=args.colour
        )
    print(f"highlighted “{annotation['quote']}” in article {args.id}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.core import export, webannotation
    from desktop.core.search import search_ids

    out = Path(args.out).expanduser()
    with open_for_cli(args) as library:
        ids = search_ids(library.db, args.query) if args.query else None
        if args.format in ("jsonl", "csv"):
            if ids is None:
                ids = search_ids(library.db, "", sort="published")
            if not _export_results(library, ids, args, out):
                print(f"{PROG}: cancelled: {out} was not written", file=sys.stderr)
                return 1
        elif args.format == "annotations":
            webannotation.export_annotations(library.db, out, doc_ids=ids)
        else:
            export.export_markdown(library.db, out, doc_ids=ids)
    print(f"wrote {out}")
    return 0


def _export_results(library, ids: list[int], args: argparse.Namespace, out: Path) -> bool:
    """Write the articles ``ids`` to ``out`` with progress; False when Ctrl+C cancelled it (nothing written)."""
    from desktop.core.errors import Cancelled
    from desktop.core.export import export_results
    from desktop.core.jobs import PhaseProgress

    with _long_job(args) as (progress, cancel):
        writing = PhaseProgress(progress, "writing", "articles") if progress else None
        try:
            export_results(library.db, ids, args.format, out, progress=writing, cancel=cancel,
                           one_per_story=args.one_per_story)
        except Cancelled:
            return False
    return True


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    from desktop.core.errors import DossierError

    for stream in (sys.stdout, sys.stderr):
        if (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            stream.reconfigure(errors="replace")  # names in any script never crash the output
    parser = _parser()
    args = parser.parse_args(argv)
    command = args.command or "gui"
    if args.command is None:
        args.smoke_test = False
    try:
        if command in SINGLE_TRANSACTION_COMMANDS:
            return retry_when_busy_or_say_so(args, COMMANDS[command])
        return COMMANDS[command](args)
    except UsageError as err:
        parser.error(str(err))
    except (DossierError, NoDisplay) as err:
        print(f"{PROG}: {err}", file=sys.stderr)
        return 1
    except sqlite3.Error as err:
        print(f"{PROG}: {library_failure(args, err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:  # noqa: BLE001 — the last line of defence: log, one line, exit 1
        log_path = _log_file()
        if log_path is not None:
            logging.basicConfig(filename=log_path, level=logging.INFO)
            log.exception("unexpected error in %s", command)
        where = f" (details in {log_path})" if log_path else ""
        print(f"{PROG}: unexpected error: {err}{where}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
