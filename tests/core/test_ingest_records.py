"""Importing a record export of many records: progress within the file by its bytes, and cancel between its
batches."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.core.formats import records
from desktop.core.formats.records import RECORDS_PER_BATCH
from desktop.core.ingest import import_paths, resume_import
from desktop.core.jobs import BYTES, CancelToken, Progress

RECORDS = 2 * RECORDS_PER_BATCH + RECORDS_PER_BATCH // 2


def export(folder: Path, name: str = "export.jsonl", count: int = RECORDS) -> Path:
    path = folder / name
    lines = (json.dumps({"title": f"Report {n}", "text": f"Tomsk and Harbin sign agreement number {n}."})
             for n in range(count))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(library, sql: str, params=()) -> list[tuple]:
    return library.db.conn.execute(sql, params).fetchall()


def array(folder: Path, name: str = "export.json", count: int = RECORDS) -> Path:
    path = folder / name
    records_ = (json.dumps({"title": f"Report {n}", "text": f"Tomsk and Harbin sign agreement number {n}."})
                for n in range(count))
    path.write_text("[\n" + ",\n".join(records_) + "\n]\n", encoding="utf-8")
    return path


def test_progress_counts_the_bytes_of_a_file_read_after_every_batch(library, source):
    path = export(source)
    size = path.stat().st_size
    seen: list[Progress] = []
    import_paths(library, [path], progress=seen.append)
    steps = [(p.done, p.total, p.unit) for p in seen]
    assert [unit for _, _, unit in steps] == [BYTES, BYTES, BYTES, ""]
    assert [total for _, total, _ in steps[:3]] == [size] * 3
    assert [round(done / size, 1) for done, _, _ in steps[:3]] == [0.4, 0.8, 1.0]


def test_a_large_json_array_shows_progress_before_it_is_all_read(library, source, monkeypatch):
    path = array(source, count=4 * RECORDS_PER_BATCH)
    read: list[int] = []
    whole = records.decoded_pieces

    def small_pieces(data: bytes):
        for piece in whole(data, size=4096):
            read.append(piece[1])
            yield piece

    monkeypatch.setattr(records, "decoded_pieces", small_pieces)
    first: list[tuple[int, int, int]] = []

    def progress(step: Progress) -> None:
        if step.unit == BYTES and not first:
            first.append((step.done, step.total, read[-1]))

    import_paths(library, [path], progress=progress)
    done, total, read_then = first[0]
    assert 0 < done <= read_then < total / 3
    assert library.document_count() == 4 * RECORDS_PER_BATCH


def test_cancel_while_a_record_file_is_read_stops_within_it_keeping_the_files_before(library, source):
    (source / "a.txt").write_text("Joint laboratory opens\n\nScientists from Tomsk met in Harbin.\n")
    big = export(source, "b.jsonl")
    token = CancelToken()
    seen: list[Progress] = []

    def progress(step: Progress) -> None:
        seen.append(step)
        if step.unit == BYTES:
            token.cancel()

    report = import_paths(library, [source], progress=progress, cancel=token)
    assert report.cancelled and len(report.imported) == 1
    assert [(p.unit, p.message) for p in seen] == [("", str(source / "a.txt")), (BYTES, str(big))]
    assert library.document_count() == 1
    assert rows(library, "SELECT count(*) FROM imports WHERE path LIKE ?", [f"{big}%"]) == [(0,)]
    assert rows(library, "SELECT cancelled, imported, files_done FROM import_runs WHERE id = ?",
                [report.run_id]) == [(1, 1, 1)]


def test_a_record_file_cancelled_within_is_read_whole_by_resume(library, source):
    big = export(source)
    token = CancelToken()

    def progress(step: Progress) -> None:
        if step.unit == BYTES:
            token.cancel()

    cancelled = import_paths(library, [big], progress=progress, cancel=token)
    resumed = resume_import(library, cancelled.run_id)
    assert not resumed.cancelled and len(resumed.imported) == RECORDS
    assert library.document_count() == RECORDS
    assert rows(library, "SELECT imported, cancelled FROM import_runs WHERE id = ?", [cancelled.run_id]) == [
        (RECORDS, 0)]
