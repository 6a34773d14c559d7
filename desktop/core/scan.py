"""A look at chosen files and folders before they are imported: what is there, and what is known.

``scan_paths`` lists the files an import of the same paths would read (the
same walk as ``desktop.core.import_files.collect_files``), counts them by type,
names the unsupported ones, the folders that cannot be read, the files that cannot be read
by their name or their ``stat`` alone (a link to something not there, a name that is not UTF-8,
a named pipe or a device, an empty file, a file over its format's size limit: the reason the
import will give) and the paths that
do not exist, and counts the files that look *unchanged* (already in the library as they are)
and those that *look like duplicates* of what the library already holds or of a file read
before them in the same scan (the import keeps the first and skips the others). A file looks
unchanged when

- it was imported before from the same path (as an article, an update or unchanged) and has
  not been modified since that import, or
- it is a plain-text file (``.txt``, ``.md`` …, up to ``TEXT_DIGEST_LIMIT``)
  whose article, read the way import reads it, is already stored from that same path (its
  text under the same headline: ``retitled``);

a plain-text file whose article is already stored from another file, or whose articles an
earlier plain-text file of the scan holds under the same headline, or a file found to be a
duplicate by its latest import and not modified since, looks like a duplicate.

The guess is cheap (one ``stat`` per file, and reading only the small text
files that the first rule did not settle, never a named pipe or a device) and can be wrong both ways: a PDF
copied to a new folder is not recognised, and an export file whose records
are partly new counts as unchanged when not modified since its last import (unless that
import was cancelled within it: then the rest of its records are still to be read).
The import itself decides for certain.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from sqlite_utils import Database

from .annotations import content_hash
from .encoding import normalise_text
from .errors import Cancelled, ImportFailed
from .formats import parser_for, size_problem, supported_suffixes
from .import_files import collect_names, is_folder_name, name_failure, without_library_files
from .jobs import CancelToken, Progress, ProgressCallback, no_progress
from .retitled import copy_digests, heading_key
from .sniff import MB, link_problem, read_bounded, stat_problem

TEXT_DIGEST_LIMIT = MB
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
NO_SUFFIX = "(no extension)"
PROGRESS_EVERY = 200


@dataclass
class ScanSummary:
    """What a scan found: supported files by suffix, unsupported ones, folders that cannot be
    read, files that cannot be read (with why), missing paths, files likely unchanged since their
    import, likely duplicates."""

    files: list[Path] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)
    unsupported: list[Path] = field(default_factory=list)
    unreadable_folders: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    likely_unchanged: list[Path] = field(default_factory=list)
    likely_duplicates: list[Path] = field(default_factory=list)

    @property
    def supported(self) -> int:
        """How many files have a parser."""
        return sum(self.by_type.values())

    def unsupported_by_type(self) -> dict[str, int]:
        """Unsupported files counted by suffix."""
        return dict(Counter(suffix_of(path) for path in self.unsupported).most_common())


def suffix_of(path: Path) -> str:
    """The lower-case suffix that picks a file's parser, or ``NO_SUFFIX``."""
    return path.suffix.lower() or NO_SUFFIX


def scan_paths(
    db: Database,
    paths: Sequence[Path | str],
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ScanSummary:
    """Look at ``paths`` (files and folders, recursively) against the library ``db``, whose own
    files and backups are passed over as the import passes them over.

    ``progress`` hears of every ``PROGRESS_EVERY`` files; raises ``Cancelled``
    when ``cancel`` is set. Nothing is written.
    """
    report = progress or no_progress
    names = without_library_files(db, collect_names(paths))
    summary = ScanSummary(files=[Path(name) for name in names])
    known = set(supported_suffixes())
    types: Counter[str] = Counter()
    candidates: list[Path] = []
    for name, path in zip(names, summary.files):
        if is_folder_name(name):
            summary.unreadable_folders.append(path)
        elif why := name_failure(name) or link_problem(name):
            summary.unreadable.append((path, why))
        elif (status := _stat(name)) is None:
            summary.missing.append(path)
        elif suffix_of(path) not in known:
            summary.unsupported.append(path)
        elif why := stat_problem(status) or size_problem(parser_for(path), status.st_size):
            summary.unreadable.append((path, why))
        else:
            types[suffix_of(path)] += 1
            candidates.append(path)
    summary.by_type = dict(types.most_common())
    last_imports = _last_imports(db, candidates)
    stored = db.conn.execute("SELECT 1 FROM documents LIMIT 1").fetchone() is not None
    seen: dict[str, str] = {}  # the text digests read so far in this scan, with their headlines
    for done, path in enumerate(candidates, start=1):
        if cancel is not None and cancel.cancelled:
            raise Cancelled("The scan was cancelled.")
        last = last_imports.get(str(path))
        if last is not None and _unchanged_since(path, last.at):
            (summary.likely_duplicates if last.status == "duplicate" else summary.likely_unchanged).append(path)
        elif read := _text_read(path):
            if stored and (known_from := _stored_from(db, read)):
                (summary.likely_unchanged if str(path) in known_from else summary.likely_duplicates).append(path)
            elif _read_before(read, seen):
                summary.likely_duplicates.append(path)
            for digest, title, _ in read:
                seen.setdefault(digest, heading_key(title))
        if done % PROGRESS_EVERY == 0:
            report(Progress(done, len(candidates), str(path)))
    report(Progress(len(candidates), len(candidates), ""))
    return summary


def _stat(name: str) -> os.stat_result | None:
    """The file's ``os.stat``, or None when it is not there to be read."""
    try:
        return os.stat(name)
    except (OSError, ValueError):
        return None


class _LastImport(NamedTuple):
    at: str
    status: str  # imported | updated | unchanged | duplicate | missing


def _last_imports(db: Database, files: list[Path]) -> dict[str, _LastImport]:
    """When each of ``files`` was last imported (anything but a failure) and what it was found to
    be then, by path. A record export a run stopped within (the first file of the run's list
    it had not read whole) was not imported: only some of its records were."""
    rows = db.conn.execute(
        """SELECT path, max(at), status FROM imports
           WHERE status != 'failed' AND path IN (SELECT value FROM json_each(?))
             AND NOT EXISTS (SELECT 1 FROM import_runs AS run
                             JOIN import_run_files AS file ON file.run_id = run.id AND file.seq = run.files_done + 1
                             WHERE run.id = imports.run_id AND file.path = imports.path)
           GROUP BY path""",
        [json.dumps([str(path) for path in files])],
    )
    return {path: _LastImport(at, status) for path, at, status in rows.fetchall()}


def _unchanged_since(path: Path, imported_at: str) -> bool:
    try:
        modified = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc)
    except OSError:
        return False
    return modified.replace(microsecond=0) <= dt.datetime.fromisoformat(imported_at)


def _text_read(path: Path) -> list[tuple[str, str, str]]:
    """When ``path`` is a small text file, its articles as import reads them: (text digest,
    headline, text); else nothing."""
    parser = parser_for(path)
    if parser is None or suffix_of(path) not in TEXT_SUFFIXES:
        return []
    try:
        data = read_bounded(path, limit_mb=TEXT_DIGEST_LIMIT / MB, expected="a text file to compare")
        articles = parser(data, path).articles
    except ImportFailed:
        return []
    return [(content_hash(text), article.title.strip(), text)
            for article in articles if (text := normalise_text(article.text).strip())]


def _read_before(read: list[tuple[str, str, str]], seen: dict[str, str]) -> bool:
    """Whether every article of ``read`` came in a file read before, under the same headline (or
    where one of the two has none): the import keeps that one and skips these as duplicates."""
    return all(digest in seen and (not seen[digest] or not heading_key(title) or seen[digest] == heading_key(title))
               for digest, title, _ in read)


def _stored_from(db: Database, read: list[tuple[str, str, str]]) -> set[str]:
    """When the library already has the article texts ``read`` from a file, the files (at least
    one, ``""`` when unknown) the library's copy was imported from; else nothing."""
    copies = copy_digests(db.conn, read)  # the same text under another headline is not known
    digests = [copies.get(n, digest) for n, (digest, _, _) in enumerate(read)]
    found = db.conn.execute(
        "SELECT coalesce(path, '') FROM documents WHERE sha256 IN (SELECT value FROM json_each(?))",
        [json.dumps(digests)],
    )
    return {row[0] for row in found}
