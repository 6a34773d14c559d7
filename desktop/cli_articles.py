"""The `dossier` commands over the articles: import, list, search, show, entities, tag, annotate, export.

Each ``cmd_*`` takes the parsed command line and returns the exit status;
``desktop/cli.py`` declares their arguments and runs them. On a terminal, the lines of ``list``,
``search`` and ``entities`` fit its width (titles and names cut, snippets wrapped under their
article); piped, they are printed whole.
"""

from __future__ import annotations

import argparse
import functools
import os
import stat
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from desktop.cli_common import (
    PROG,
    SHORT_QUOTE,
    STDOUT,
    UsageError,
    _long_job,
    _print_json,
    cells,
    columns,
    fit,
    head_columns,
    open_for_cli,
    output_file,
    print_outcome,
    say,
    standard_output,
    terminal_width,
    wrapped,
)
from desktop.cli_extract import note_waiting_entities, with_entities_to_find
from desktop.cli_filters import filter_matching_nothing, search_filters, stored_names
from desktop.cli_search import note_incomplete_index
from desktop.cli_stories import with_stories
from desktop.progress_line import is_terminal

if TYPE_CHECKING:
    from desktop.core.import_report import ImportReport


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.core.import_history import latest_run_id
    from desktop.core.undo import plural
    from desktop.core.workflows import FINDING_ENTITIES, import_and_extract

    if bool(args.paths) == bool(args.resume):
        raise UsageError("give the files and folders to import, or --resume RUN (not both)")
    paths = [Path(p).expanduser() for p in args.paths]
    missing = [str(p) for p in paths if not p.exists() and not p.is_symlink()]  # a link: the import says why
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    with open_for_cli(args, create=True) as library, _long_job(
            args, kept=functools.partial(_kept_by_import, library, after_run=latest_run_id(library.db),
                                         resumed=args.resume)) as (progress, cancel):

        def imported(report: ImportReport) -> None:
            """Say what was imported before entities are looked for (the articles are searchable)."""
            if args.json or report.cancelled:
                return
            if progress is not None:
                progress.finish()
            _print_import_report(report, duplicates=_duplicates(library, report))
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
    if report.all_failed and not outcome.cancelled:
        say(f"nothing imported: {plural(len(report.failed), 'file')} failed")
        return 1
    if args.paths and not report.total_files and not report.missing and not outcome.cancelled:
        say(f"no files found in {', '.join(args.paths)}: nothing to import")
    if not outcome.cancelled:
        return 0
    line = f"cancelled: {len(report.imported):,} imported"
    if outcome.cancelled_phase == FINDING_ENTITIES:
        line += (f", entities found in {outcome.entities.done:,} of {outcome.entities.wanted:,} articles; "
                 f"{PROG} extract finds the others")
    else:
        if report.stopped_within is not None:
            line += f"; {report.stopped_within.describe()}, which are kept"
        line += f"; {PROG} import --resume {report.run_id} reads the rest"
    say(line)
    return 1


def _kept_by_import(library, *, after_run: int, resumed: int | None) -> str:
    """What an import stopped at once by a second Ctrl+C kept, from its run's record: ``"1,200
    imported are kept; dossier import --resume 7 reads the rest"`` (or, once its files were read,
    the command that finds the entities still waiting)."""
    from desktop.core.import_history import get_run, own_run_after

    run_id = resumed or own_run_after(library.db, after_run)
    if run_id is None:
        return "nothing was imported"
    run = get_run(library.db, run_id)
    line = f"{run.imported:,} imported " + ("is" if run.imported == 1 else "are") + " kept"
    if run.state != "finished":
        return f"{line}; {PROG} import --resume {run_id} reads the rest"
    return with_entities_to_find(library, line)


def _duplicates(library, report: ImportReport) -> list[str]:
    """The first ``SHOWN_FAILURES`` duplicate files of the run, each with the article it duplicates."""
    from desktop.core.import_history import run_files

    if not report.duplicates:
        return []
    found = run_files(library.db, report.run_id, status="duplicate")[:SHOWN_FAILURES]
    return [f"{item.path}: {item.describe()}" for item in found]


def _print_import_report(report: ImportReport, *, duplicates: Sequence[str] = ()) -> None:
    """The import's report as lines for a person: totals, failures, notes, duplicates (with the
    articles they repeat, when given), unplaced highlights, missing files."""
    from desktop.core.undo import plural

    print(report.totals())
    for path, reason in report.failed[:SHOWN_FAILURES]:
        print(f"  failed: {path}: {reason}")
    if len(report.failed) > SHOWN_FAILURES:
        print(f"  … and {len(report.failed) - SHOWN_FAILURES:,} more failed: "
              f"{_by_reason(report.failed[SHOWN_FAILURES:])}; import --json lists every file")
    for path, note in report.notes:
        print(f"  note: {path}: {note}")
    for line in duplicates:
        print(f"  {line}")
    if duplicates and len(report.duplicates) > len(duplicates):
        print(f"  … and {len(report.duplicates) - len(duplicates):,} more duplicates")
    if report.orphaned:
        print(f"{plural(len(report.orphaned), 'highlight')} of updated articles could not be placed "
              "in the new text (kept, flagged)")
    if report.missing:
        print(f"{report.missing_summary()} (their articles are kept)")
        for path in report.missing:
            print(f"  missing: {path}")


SHOWN_FAILURES = 20
"""Failures listed one per line; the others are counted by reason (an export of 20,000 records
with 1,800 empty ones would print 1,800 lines)."""


def _by_reason(failed: Sequence[tuple[str, str]]) -> str:
    """``"1,779 no text (the "text" field is empty), 2 empty file"``: the commonest reasons with their
    counts (records without text counted together whatever their titles)."""
    from collections import Counter

    from desktop.core.formats.record_fields import problem_kind

    reasons = Counter(problem_kind(reason) for _, reason in failed).most_common()
    shown = ", ".join(f"{count:,} {reason}" for reason, count in reasons[:3])
    return shown + (f" and {len(reasons) - 3:,} other reasons" if len(reasons) > 3 else "")


def _list_line(row: dict, width: int | None = None, *, after: str = "") -> str:
    """An article on one line: id, date, outlet, title, then ``after``; on a terminal of ``width``
    cells the line is cut to fit it, the title first, and the outlet and then the date left out
    where the title would have less than ``TEXT_ROOM`` (``head_columns``; None: whole)."""
    head = head_columns([f"{row['id']:>6}", f"{row.get('published') or '—':<10}",
                         columns(row.get("source") or "", 18, cut=True)], width, after=after)
    room = None if width is None else max(width - cells(head) - cells(after), 10)
    return fit(head + fit(row.get("title") or "", room) + after, width)


def cmd_list(args: argparse.Namespace) -> int:
    from desktop.core.documents import list_documents

    with open_for_cli(args) as library:
        rows = with_stories(library, list_documents(library.db, limit=args.limit))
    if args.json:
        _print_json(rows)
    else:
        width = terminal_width()
        for row in rows:
            print(_list_line(row, width))
    return 0


def _did_you_mean(library, query: str, filters, follow_names: bool) -> str:
    """``"; did you mean 'mobile'?"`` when correcting the query's misspelt words finds
    articles with the same filters (``desktop.core.spelling``), else ``""``."""
    from desktop.core.spelling import suggest_search

    suggestion = suggest_search(library.db, query, filters=filters, follow_names=follow_names)
    return f"; did you mean {suggestion!r}?" if suggestion else ""


def cmd_search(args: argparse.Namespace) -> int:
    """Print the best ``--limit`` matches; on stderr, how many there are when the list was cut,
    and ``no articles match`` when none does (the exit status is 0 either way)."""
    from desktop.core.documents import languages_of
    from desktop.core.query_advice import operator_advice
    from desktop.core.search import search_count, search_hits

    filters = search_filters(args)
    follow_names = not args.exact
    with open_for_cli(args) as library:
        if args.tag or args.entity:  # named in another case or script: as the library spells it
            filters = stored_names(library, args)
        hits = with_stories(library, search_hits(library.db, args.query, filters=filters, limit=args.limit,
                                                 follow_names=follow_names))
        total = len(hits) if len(hits) < args.limit else search_count(
            library.db, args.query, filters=filters, follow_names=follow_names)
        note_incomplete_index(library)
        if args.entity or follow_names:  # names followed to other scripts, entity filters
            note_waiting_entities(library)
        languages = languages_of(library.db, [hit["id"] for hit in hits])
        nothing = "" if hits else filter_matching_nothing(library, args) or _did_you_mean(
            library, args.query, filters, follow_names)
    for hit in hits:
        hit["language"] = languages.get(hit["id"])
    if args.json:
        _print_json(hits)
    else:
        width = terminal_width()
        if hits and hits[0].get("also"):
            print(fit("also: " + ", ".join(hits[0]["also"]), width))
        for hit in hits:
            print(_list_line(hit, width, after=f"  (as {hit['found_as']})" if hit.get("found_as") else ""))
            if hit.get("snippet"):
                print("\n".join(wrapped(hit["snippet"], width, indent=" " * 8)))
    if advice := operator_advice(args.query, command_line=True):
        say(advice)
    if not hits:
        say(f"no articles match{nothing}")
    elif total > len(hits):
        say(f"{len(hits)} of {total:,} articles (--limit N for more)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from desktop.core.annotations import document_annotations
    from desktop.core.documents import get_document
    from desktop.core.entities import document_entities
    from desktop.core.language import language_name

    with open_for_cli(args) as library:
        doc = get_document(library.db, args.id)
        entities = document_entities(library.db, doc.id)
        annotations = document_annotations(library.db, doc.id)
        payload = with_stories(library, [doc.list_fields()])[0]
    if args.json:
        payload.update(
            text=doc.text, url=doc.url, note=doc.note, entities=entities, annotations=annotations
        )
        _print_json(payload)
    else:
        meta = " · ".join(
            part
            for part in (doc.source, doc.published, doc.author,
                         doc.language and language_name(doc.language), doc.length())
            if part
        )
        print(doc.title)
        print(meta)
        if doc.tags:
            print("Tags: " + ", ".join(doc.tags))
        if doc.note:
            print("Note: " + " ".join(doc.note.split()))
        if annotations:
            print(f"Highlights: {len(annotations):,} ({PROG} highlights {doc.id} lists them)")
        print()
        print(doc.text)
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from desktop.core.entities import entity_summary

    label = args.label.upper() if args.label else None
    with open_for_cli(args) as library:
        if label is not None:
            _check_label(library, label)
        rows = entity_summary(library.db, label=label)
        if not note_waiting_entities(library) and not rows and label is None:
            say(NO_ENTITIES)
    if args.json:
        _print_json(rows)
    else:
        width = terminal_width()
        for line in _entity_lines(rows):
            print(fit(line, width))
    return 0


def _entity_lines(rows: list[dict]) -> list[str]:
    """One line per entity: its type, the articles and mentions counted, then its name (last, so
    a long name or one in Chinese never pushes the columns after it out of line)."""
    if not rows:
        return []
    label = max(len(row["label"]) for row in rows)
    articles = len(f"{max(row['documents'] for row in rows):,}")
    mentions = len(f"{max(row['mentions'] for row in rows):,}")

    def count(n: int, width: int, noun: str) -> str:
        return f"{n:>{width},} {noun if n == 1 else noun + 's':<{len(noun) + 1}}"

    return [f"{row['label']:<{label}}  {count(row['documents'], articles, 'article')}  "
            f"{count(row['mentions'], mentions, 'mention')}  {row['name']}" for row in rows]


NO_ENTITIES = f"the library has no entities yet ({PROG} extract finds them)"


def _check_label(library, label: str) -> None:
    """Refuse a type of entity Dossier does not know (exit 2); say so on stderr when the
    library has none of a type it does know."""
    from desktop.core.entities import labels_in_use
    from desktop.core.entities.pipeline import KEPT_LABELS

    used = labels_in_use(library.db)
    has = f"the library has {', '.join(used)}" if used else NO_ENTITIES
    if label not in used and label not in KEPT_LABELS:
        raise UsageError(f"--label {label} is not a type of entity: {has}")
    if label not in used:
        say(f"no {label} entities: {has}")


def cmd_tag(args: argparse.Namespace) -> int:
    """Put a tag on articles or take it off; says which articles it changed and which already had it
    (or did not have it), by their ids with ``--json``."""
    from desktop.core.tags import add_tag, find_tag, remove_tag

    ids = list(dict.fromkeys(args.ids))
    adding = args.add is not None
    with open_for_cli(args) as library:
        _require_documents(library, ids)
        change = add_tag(library.db, ids, args.add) if adding else remove_tag(library.db, ids, args.remove)
        name = find_tag(library.db, args.add if adding else args.remove)["name"]
    changed = [doc_id for doc_id in ids if doc_id in change.changes.tagged]
    unchanged = [doc_id for doc_id in ids if doc_id not in change.changes.tagged]
    payload = {"tag": name, "added": changed if adding else [], "removed": [] if adding else changed,
               "unchanged": unchanged}
    print_outcome(args, payload, _tag_line(name, adding=adding, changed=len(changed), unchanged=len(unchanged)))
    return 0


def _tag_line(name: str, *, adding: bool, changed: int, unchanged: int) -> str:
    """``tagged 2 articles with 'to read'; 1 already had it`` (or ``removed 'to read' from …``)."""
    from desktop.core.undo import plural

    if not changed:
        return (f"{plural(unchanged, 'article')} already had the tag {name!r}" if adding
                else f"{plural(unchanged, 'article')} did not have the tag {name!r}")
    line = (f"tagged {plural(changed, 'article')} with {name!r}" if adding
            else f"removed {name!r} from {plural(changed, 'article')}")
    if unchanged:
        line += f"; {unchanged:,} already had it" if adding else f"; {unchanged:,} did not have it"
    return line


def _require_documents(library, ids: Sequence[int]) -> None:
    from desktop.core.documents import get_document

    for doc_id in ids:
        get_document(library.db, doc_id)


def cmd_annotate(args: argparse.Namespace) -> int:
    from desktop.core.annotations import create_annotation, short_quote

    with open_for_cli(args) as library:
        annotation, _ = create_annotation(
            library.db, args.id, args.start, args.end, note=args.note, colour=args.colour
        )
    quote = short_quote(annotation["quote"], length=SHORT_QUOTE)
    print_outcome(args, annotation, f"highlighted “{quote}” in article {args.id} (highlight {annotation['id']})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export to the file ``--out`` names, or to standard output for ``--out -`` (streamed as it is
    written; the line saying how many were written then goes to stderr)."""
    to_stdout = args.out == STDOUT
    if to_stdout and is_terminal(sys.stdout):
        args.quiet = True  # the progress line would be drawn over the articles on the same terminal
    with (standard_output() if to_stdout else nullcontext(output_file(args.out, force=args.force))) as out:
        if to_stdout and args.format == "csv" and (args.bom or _redirected_to_file(sys.stdout)):
            out.write("\ufeff")  # what a CSV file written by --out FILE begins with, for spreadsheets
        return _export(args, out, where="stdout" if to_stdout else str(out), to_stdout=to_stdout)


def _redirected_to_file(stream) -> bool:
    """Whether ``stream`` is a file on disk (``> results.csv``), not a pipe to another program or a terminal."""
    try:
        return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False


def _export(args: argparse.Namespace, out, *, where: str, to_stdout: bool) -> int:
    """Write the export ``args`` ask for to ``out`` (a file, or standard output) and say so."""
    from desktop.core import export, webannotation
    from desktop.core.search import search_ids
    from desktop.core.undo import plural

    with open_for_cli(args) as library:
        filters = stored_names(library, args)
        ids = (search_ids(library.db, args.query, filters=filters, sort="relevance" if args.query else "published",
                          follow_names=not args.exact)
               if args.query or not filters.is_empty() else None)
        nothing = filter_matching_nothing(library, args) if ids == [] else ""
        if args.format in ("jsonl", "csv"):
            write = functools.partial(
                export.export_results, library.db,
                ids if ids is not None else search_ids(library.db, "", sort="published"),
                args.format, out, one_per_story=args.one_per_story)
        elif args.format == "annotations":
            write = functools.partial(webannotation.export_annotations, library.db, out, doc_ids=ids)
        else:
            write = functools.partial(export.export_markdown, library.db, out, doc_ids=ids)
        unwritten = "the export on stdout is incomplete" if to_stdout else f"{out} was not written"
        written = _write_with_progress(write, args, unwritten=unwritten)
        if written is None:
            say(f"cancelled: {unwritten}")
            return 1
    if args.format == "annotations":
        line = f"wrote {plural(written, 'annotation')} to {where}"
    else:
        kept = " (only articles with highlights or a note go into Markdown)" if args.format == "markdown" else ""
        line = f"wrote {plural(written, 'article')} to {where}{kept}"
    if to_stdout:
        say(line)  # stdout holds the export
    else:
        print(line)
    if nothing:
        say(f"nothing to export{nothing}")
    return 0


def _write_with_progress(write, args: argparse.Namespace, *, unwritten: str) -> int | None:
    """Run ``write(progress=..., cancel=...)`` (an export) with the progress line; returns what it
    returns (how many it wrote), or None when Ctrl+C cancelled it (``unwritten`` says what that
    left, after a second Ctrl+C too)."""
    from desktop.core.errors import Cancelled
    from desktop.core.jobs import PhaseProgress

    with _long_job(args, kept=lambda: unwritten) as (progress, cancel):
        writing = PhaseProgress(progress, "writing", "articles") if progress else None
        try:
            return write(progress=writing, cancel=cancel)
        except Cancelled:
            return None
