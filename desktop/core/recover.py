"""Recovering what can still be read from a damaged library into a new one.

``recover`` creates a fresh, migrated library and copies every table of the damaged
file into it row by row, in rowid order. Where a page cannot be read the scan jumps
ahead until it reads again (the rowids an index still lists are tried as well), so
one damaged page costs only the rows on it. Rows that point at an article, entity
or tag that could not be read are dropped, derived tables (entity facets, the
search log) are rebuilt by the schema's triggers, the full-text index is rebuilt
with FTS5's ``rebuild`` and the index for search in Russian and Chinese is built
afresh (``shadow_index.build_index``), with progress. When not one article can be
read, or the copy fails or is cancelled, the new file is removed again. The damaged
file is only ever opened read-only; the changes still only in its ``-wal`` are read through
a private copy of the two (``recover_source.open_damaged``), and the report says whether they were.

A library written by a newer Dossier is refused (``SchemaTooNew``): this version would drop
what it does not know. Only when the file is too damaged to say which version wrote it are
its tables copied; the tables and columns this version does not know are then named in the
report (``RecoveryReport.not_copied``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from desktop import __app_name__

from .errors import Cancelled, InvalidInput, LibraryDamaged, LibraryUnavailable, SchemaTooNew
from .jobs import CancelToken, Progress, ProgressCallback
from .library import open_library, remove_database_files, schema_version
from .recover_notes import stranded_notes, write_lost_highlights
from .recover_source import WalUse, open_damaged
from .schema import APPLICATION_ID
from .shadow_index import build_index, queue_everything
from .undo import plural

BATCH = 500
MAX_JUMP = 1 << 40

# Filled by triggers from the copied rows, rebuilt, or logs of writes before the damage: never copied.
_DERIVED = {"document_entities", "search_log", "tag_rename_log", "_sqlite_migrations"}
# Parents first, so the order reads naturally in the report.
_ORDER = ("meta", "documents", "entities", "tags", "mentions", "document_tags", "annotations",
          "import_runs", "imports", "saved_searches", "entity_rules", "entity_aliases",
          "removed_mentions", "entity_extractions")


@dataclass
class TableRecovery:
    """One table's recovery: rows copied, rows dropped because their parent was lost,
    whether unreadable pages were skipped, and the rows known lost on them (those an
    index still lists; rows no index lists cannot be counted)."""

    copied: int = 0
    dropped: int = 0
    damaged: bool = False
    lost: int = 0


@dataclass
class RecoveryReport:
    """What ``recover`` wrote: the new file and a ``TableRecovery`` per table."""

    out: Path
    tables: dict[str, TableRecovery] = field(default_factory=dict)
    search_index_complete: bool = True
    lost_highlights: list[dict[str, object]] = field(default_factory=list)
    """Highlights dropped because their article was lost: quote, note, colour, created."""
    lost_highlights_file: Path | None = None
    stranded_notes: list[dict[str, object]] = field(default_factory=list)
    """Articles recovered without some of their highlights, whose searchable notes still hold
    those highlights' quotes and notes (``recover_notes.stranded_notes``)."""
    not_copied: list[str] = field(default_factory=list)
    """Tables ("notes") and columns ("documents.summary") of the file that this version does not
    know, so did not copy (a library written by a newer Dossier whose version could not be read)."""
    wal: WalUse | None = None
    """What became of the ``-wal`` beside the damaged file (None: it had none)."""

    def lines(self) -> list[str]:
        """One line per table, for a person (and one when the search index was left to build)."""
        lines = [self.wal.line()] if self.wal is not None else []
        for name, table in self.tables.items():
            line = f"{name}: {plural(table.copied, 'row')} recovered"
            if table.dropped:
                line += f", {table.dropped:,} dropped (their article, entity or tag was lost)"
            if table.lost:
                line += f", at least {table.lost:,} lost on unreadable pages"
            elif table.damaged:
                line += ", unreadable pages skipped"
            lines.append(line)
        if self.lost_highlights_file is not None and self.lost_highlights:
            count = len(self.lost_highlights)
            lines.append(f"{plural(count, 'highlight')} whose article was lost: kept with "
                         f"{'their notes' if count != 1 else 'its note'} in {self.lost_highlights_file}")
        if self.lost_highlights_file is not None and self.stranded_notes:
            lines.append(f"highlights that could not be read on {plural(len(self.stranded_notes), 'article')}: "
                         f"their quotes and notes, as the articles' notes held them, kept in "
                         f"{self.lost_highlights_file}")
        if self.not_copied:
            lines.append(f"not copied, unknown to this version of {__app_name__} (written by a newer "
                         f"one?): {', '.join(self.not_copied)}")
        if not self.search_index_complete:
            lines.append("search in Russian and Chinese: not indexed yet (dossier reindex, or the "
                         "window in the background, completes it)")
        return lines

    def to_json(self) -> dict[str, object]:
        tables = {name: {"recovered": t.copied, "dropped": t.dropped, "damaged": t.damaged, "lost": t.lost}
                  for name, t in self.tables.items()}
        return {"out": str(self.out), "search_index_complete": self.search_index_complete,
                "lost_highlights_file": str(self.lost_highlights_file) if self.lost_highlights_file else None,
                "notes_of_unread_highlights": [a["document_id"] for a in self.stranded_notes],
                "not_copied": self.not_copied, "wal": self.wal.to_json() if self.wal else None,
                "tables": tables}


def recover(
    source: Path, out: Path, *, progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> RecoveryReport:
    """Copy what can be read of the library at ``source`` into a new library at ``out``.

    Raises ``InvalidInput`` when ``out`` exists already, ``LibraryUnavailable`` when
    ``source`` cannot be opened at all, ``SchemaTooNew`` when a newer Dossier wrote it,
    ``LibraryDamaged`` when not one article could be read (no new file is left). Cancelled
    while copying, nothing is left either; cancelled while indexing for search, the new
    library is kept and the report says the index is not complete.
    """
    source, out = source.expanduser(), out.expanduser()
    if out.exists():
        raise InvalidInput(f"{out} exists already; recover into a new file.")
    if not source.is_file():
        raise LibraryUnavailable(f"No library at {source}.")
    report = RecoveryReport(out)
    with open_damaged(source, beside=out) as (damaged, report.wal):
        _recover_into(damaged, source, out, report, progress=progress, cancel=cancel)
    return report


def _recover_into(damaged: sqlite3.Connection, source: Path, out: Path, report: RecoveryReport, *,
                  progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
    try:
        _refuse_newer(damaged, source)
        with open_library(out) as fresh:
            report.not_copied = _unknown(damaged, fresh.db.conn)
            _copy_library(damaged, fresh.db.conn, report, progress=progress, cancel=cancel)
            highlights = report.tables.get("annotations")
            if highlights is None or highlights.damaged:
                report.stranded_notes = stranded_notes(fresh.db.conn)
            if _no_articles(report):
                raise LibraryDamaged(f"Nothing could be recovered from {source}: not one article "
                                     f"can be read (no new library was made); restore a backup "
                                     f"instead (dossier restore FILE).",
                                     detail="not one article can be read")
            report.search_index_complete = _index_for_search(
                fresh.db.conn, progress=progress, cancel=cancel)
        if report.lost_highlights or report.stranded_notes:
            report.lost_highlights_file = write_lost_highlights(
                out, report.lost_highlights, source=source, stranded=report.stranded_notes)
    except BaseException:
        remove_database_files(out)
        raise


def _refuse_newer(damaged: sqlite3.Connection, source: Path) -> None:
    """Raise ``SchemaTooNew`` when the header says a newer Dossier wrote ``source``."""
    try:
        app_id = damaged.execute("PRAGMA application_id").fetchone()[0]
        version = damaged.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        return  # too damaged to tell: what this version does not know is named in the report
    if app_id == APPLICATION_ID and version > schema_version():
        raise SchemaTooNew(
            f"{source} was written by a newer version of {__app_name__} (library format {version}, "
            f"this one reads {schema_version()}): update {__app_name__} first and recover with it; "
            "nothing was written.")


def _unknown(damaged: sqlite3.Connection, fresh: sqlite3.Connection) -> list[str]:
    """The tables and columns of ``damaged`` that the new library has no place for."""
    known = set(_table_names(fresh))
    unknown = []
    for table in _table_names(damaged):
        if table not in known:
            unknown.append(table)
            continue
        columns = set(_readable_columns(fresh, table) or [])
        unknown += [f"{table}.{c}" for c in _readable_columns(damaged, table) or [] if c not in columns]
    return unknown


def _table_names(conn: sqlite3.Connection) -> list[str]:
    try:
        return [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    except sqlite3.DatabaseError:
        return []


def _copy_library(damaged: sqlite3.Connection, conn: sqlite3.Connection, report: RecoveryReport, *,
                  progress: ProgressCallback | None, cancel: CancelToken | None) -> None:
    """Copy every readable table into ``conn``, drop the orphans, rebuild the full-text index."""
    conn.execute("PRAGMA foreign_keys = OFF")
    tables = _tables(damaged, conn)
    for done, name in enumerate(tables):
        if cancel is not None:
            cancel.raise_if_cancelled()
        if progress is not None:
            progress(Progress(done, len(tables), name, phase="recovering", unit="tables"))
        report.tables[name] = _copy_table(damaged, conn, name)
    if progress is not None:
        progress(Progress(len(tables), len(tables), phase="recovering", unit="tables"))
    _drop_orphans(conn, report)
    with conn:
        conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')")
    conn.execute("PRAGMA foreign_keys = ON")


def _index_for_search(conn: sqlite3.Connection, *, progress: ProgressCallback | None,
                      cancel: CancelToken | None) -> bool:
    """Build the multi-script search index of the recovered articles; False when cancelled."""
    queue_everything(conn)
    try:
        build_index(conn, progress=progress, cancel=cancel)
    except Cancelled:
        return False
    return True


def _no_articles(report: RecoveryReport) -> bool:
    """Whether not one article was recovered from a file that had some (an empty library
    recovers into an empty one)."""
    documents = report.tables.get("documents")
    return documents is None or (documents.copied == 0 and documents.damaged)


def _tables(damaged: sqlite3.Connection, fresh: sqlite3.Connection) -> list[str]:
    """The new library's plain tables that the damaged one also has, parents first."""
    wanted = [
        r[0] for r in fresh.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'documents_fts%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        if r[0] not in _DERIVED
    ]
    present = [name for name in wanted if _readable_columns(damaged, name) is not None]
    return sorted(present, key=lambda n: (_ORDER.index(n) if n in _ORDER else len(_ORDER), n))


def _readable_columns(conn: sqlite3.Connection, table: str) -> list[str] | None:
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
    except sqlite3.DatabaseError:
        return None
    return columns or None


def _copy_table(damaged: sqlite3.Connection, fresh: sqlite3.Connection, table: str) -> TableRecovery:
    result = TableRecovery()
    source_columns = set(_readable_columns(damaged, table) or [])
    columns = [c for c in _readable_columns(fresh, table) or [] if c in source_columns]
    listed = ", ".join(f"[{c}]" for c in columns)
    insert = (f"INSERT OR IGNORE INTO [{table}] ({listed}) "
              f"VALUES ({', '.join('?' * len(columns))})")
    if table == "meta":
        insert = insert.replace("INSERT OR IGNORE", "INSERT OR REPLACE")
    if _without_rowid(fresh, table):  # no rowids to page by: all its rows, or none if unreadable
        try:
            rows = damaged.execute(f"SELECT {listed} FROM [{table}]").fetchall()
        except sqlite3.DatabaseError:
            result.damaged, rows = True, []
        with fresh:
            result.copied += fresh.executemany(insert, rows).rowcount
        return result
    select = f"SELECT rowid, {listed} FROM [{table}]"
    with fresh:
        for rows in _readable_rows(damaged, table, select, result):
            result.copied += fresh.executemany(insert, [row[1:] for row in rows]).rowcount
    return result


def _without_rowid(conn: sqlite3.Connection, table: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
    return bool(sql and "WITHOUT ROWID" in sql[0].upper())


def _readable_rows(conn: sqlite3.Connection, table: str, select: str,
                   result: TableRecovery) -> Iterator[list[tuple]]:
    """Batches of rows in rowid order; unreadable stretches are skipped, with the jump
    growing until a read succeeds, then the rowids an index still lists are tried."""
    last = None
    seen: set[int] = set()
    upper = _max_rowid(conn, table)
    while True:
        where = "" if last is None else "WHERE rowid > ?"
        try:
            rows = conn.execute(f"{select} {where} ORDER BY rowid LIMIT {BATCH}",
                                [] if last is None else [last]).fetchall()
        except sqlite3.DatabaseError:
            result.damaged = True
            rows = None
        if rows:
            seen.update(row[0] for row in rows)
            yield rows
            last = rows[-1][0]
            continue
        if rows is not None:
            break
        last = _next_readable(conn, select, last, upper)
        if last is None:
            break
    if result.damaged:
        stray = _rows_by_index(conn, table, select, seen, result)
        if stray:
            yield stray


def _max_rowid(conn: sqlite3.Connection, table: str) -> int:
    try:
        return conn.execute(f"SELECT max(rowid) FROM [{table}]").fetchone()[0] or 0
    except sqlite3.DatabaseError:
        return MAX_JUMP


def _next_readable(conn: sqlite3.Connection, select: str, last: int | None,
                   upper: int) -> int | None:
    """A rowid to resume after, past ``last``: the first jump ahead (1, 2, 4, … rows)
    whose batch reads again; None when nothing up to ``upper`` can be read."""
    start = last or 0
    jump = 1
    while start + jump <= upper:
        try:
            conn.execute(f"{select} WHERE rowid >= ? ORDER BY rowid LIMIT {BATCH}",
                         [start + jump]).fetchall()
            return start + jump - 1
        except sqlite3.DatabaseError:
            jump *= 2
    return None


def _rows_by_index(conn: sqlite3.Connection, table: str, select: str, seen: set[int],
                   result: TableRecovery) -> list[tuple]:
    """Rows an index still lists that the scan of the table could not reach; those that
    cannot be read either are counted in ``result.lost``."""
    candidates: set[int] = set()
    for index in _indexes(conn, table):
        try:
            candidates.update(r[0] for r in conn.execute(f"SELECT rowid FROM [{table}] INDEXED BY [{index}]"))
        except sqlite3.DatabaseError:
            continue
    rows = []
    for rowid in sorted(candidates - seen):
        try:
            row = conn.execute(f"{select} WHERE rowid = ?", [rowid]).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row is not None:
            rows.append(row)
    result.lost = len(candidates - seen) - len(rows)
    return rows


def _indexes(conn: sqlite3.Connection, table: str) -> list[str]:
    """The names of ``table``'s indexes, from the schema SQLite has read (the pages of
    ``sqlite_master`` past the end of a file cut short cannot be read again)."""
    try:
        return [row[1] for row in conn.execute(f"PRAGMA index_list([{table}])")]
    except sqlite3.DatabaseError:
        return []


def _drop_orphans(conn: sqlite3.Connection, report: RecoveryReport) -> None:
    """Delete rows whose parent row was lost, counting them per table."""
    while True:
        broken = conn.execute("PRAGMA foreign_key_check").fetchall()
        if not broken:
            return
        with conn:
            for table, rowid, _parent, _fk in broken:
                if table == "annotations":
                    report.lost_highlights.extend(_highlight(conn, rowid))
                conn.execute(f"DELETE FROM [{table}] WHERE rowid = ?", [rowid])
                entry = report.tables.setdefault(table, TableRecovery())
                entry.dropped += 1
                entry.copied -= 1


def _highlight(conn: sqlite3.Connection, rowid: int) -> list[dict[str, object]]:
    sql = "SELECT quote, prefix, suffix, note, colour, created FROM annotations WHERE rowid = ?"
    return [dict(zip(("quote", "prefix", "suffix", "note", "colour", "created"), row))
            for row in conn.execute(sql, [rowid])]
