"""Importing a record export of many records: progress within the file, and cancel between its batches."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.core.formats.records import RECORDS_PER_BATCH
from desktop.core.ingest import import_paths, resume_import
from desktop.core.jobs import CancelToken, Progress

RECORDS = 2 * RECORDS_PER_BATCH + RECORDS_PER_BATCH // 2


def export(folder: Path, name: str = "export.jsonl", count: int = RECORDS) -> Path:
    path = folder / name
    lines = (json.dumps({"title": f"Report {n}", "text": f"Tomsk and Harbin sign agreement number {n}."})
             for n in range(count))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(library, sql: str, params=()) -> list[tuple]:
    return library.db.conn.execute(sql, params).fetchall()


def test_progress_counts_the_records_of_a_file_after_every_batch(library, source):
    seen: list[Progress] = []
    import_paths(library, [export(source)], progress=seen.append)
    assert [(p.done, p.total, p.unit) for p in seen] == [
        (RECORDS_PER_BATCH, RECORDS, "records"), (2 * RECORDS_PER_BATCH, RECORDS, "records"),
        (RECORDS, RECORDS, "records"), (1, 1, ""),
    ]


def test_cancel_while_a_record_file_is_read_stops_within_it_keeping_the_files_before(library, source):
    (source / "a.txt").write_text("Joint laboratory opens\n\nScientists from Tomsk met in Harbin.\n")
    big = export(source, "b.jsonl")
    token = CancelToken()
    seen: list[Progress] = []

    def progress(step: Progress) -> None:
        seen.append(step)
        if step.unit == "records":
            token.cancel()

    report = import_paths(library, [source], progress=progress, cancel=token)
    assert report.cancelled and len(report.imported) == 1
    assert [(p.done, p.unit) for p in seen] == [(1, ""), (RECORDS_PER_BATCH, "records")]
    assert library.document_count() == 1
    assert rows(library, "SELECT count(*) FROM imports WHERE path LIKE ?", [f"{big}%"]) == [(0,)]
    assert rows(library, "SELECT cancelled, imported, files_done FROM import_runs WHERE id = ?",
                [report.run_id]) == [(1, 1, 1)]


def test_a_record_file_cancelled_within_is_read_whole_by_resume(library, source):
    big = export(source)
    token = CancelToken()

    def progress(step: Progress) -> None:
        if step.unit == "records":
            token.cancel()

    cancelled = import_paths(library, [big], progress=progress, cancel=token)
    resumed = resume_import(library, cancelled.run_id)
    assert not resumed.cancelled and len(resumed.imported) == RECORDS
    assert library.document_count() == RECORDS
    assert rows(library, "SELECT imported, cancelled FROM import_runs WHERE id = ?", [cancelled.run_id]) == [
        (RECORDS, 0)]
