"""Importing a record export of many records: progress within the file by its bytes, batches of
records committed as the file is read, cancel between them, and importing the file again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core import ingest
from desktop.core.formats import records
from desktop.core.formats.records import RECORDS_PER_BATCH
from desktop.core.import_history import list_runs
from desktop.core.ingest import import_paths, resume_import
from desktop.core.jobs import BYTES, CancelToken, Progress

RECORDS = 2 * RECORDS_PER_BATCH + RECORDS_PER_BATCH // 2


def record(n: int) -> dict:
    return {"title": f"Report {n}", "text": f"Tomsk and Harbin sign agreement number {n}."}


def export(folder: Path, name: str = "export.jsonl", count: int = RECORDS) -> Path:
    path = folder / name
    lines = (json.dumps(record(n)) for n in range(count))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def array(folder: Path, name: str = "export.json", count: int = RECORDS) -> Path:
    path = folder / name
    path.write_text("[\n" + ",\n".join(json.dumps(record(n)) for n in range(count)) + "\n]\n", encoding="utf-8")
    return path


def rows(library, sql: str, params=()) -> list[tuple]:
    return library.db.conn.execute(sql, params).fetchall()


def cancel_after_first_batch(token: CancelToken, seen: list[Progress] | None = None):
    def progress(step: Progress) -> None:
        if seen is not None:
            seen.append(step)
        if step.unit == BYTES:
            token.cancel()

    return progress


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

    def small_pieces(data: bytes, **options):
        for piece in whole(data, size=4096, **options):
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


def test_cancel_within_a_record_file_keeps_its_stored_batches_and_says_how_far_it_came(library, source):
    (source / "a.txt").write_text("Joint laboratory opens\n\nScientists from Tomsk met in Harbin.\n")
    big = export(source, "b.jsonl")
    token = CancelToken()
    seen: list[Progress] = []
    report = import_paths(library, [source], progress=cancel_after_first_batch(token, seen), cancel=token)
    assert report.cancelled and len(report.imported) == 1 + RECORDS_PER_BATCH
    assert [(p.unit, p.message) for p in seen] == [("", str(source / "a.txt")), (BYTES, str(big))]
    assert library.document_count() == 1 + RECORDS_PER_BATCH
    stopped = report.stopped_within
    assert (stopped.path, stopped.records, stopped.total) == (str(big), RECORDS_PER_BATCH, big.stat().st_size)
    assert stopped.describe() == (
        f"stopped after the first {RECORDS_PER_BATCH:,} records of b.jsonl (39% of the file)")
    assert report.to_json()["stopped_within"]["records"] == RECORDS_PER_BATCH
    assert rows(library, "SELECT cancelled, imported, files_done FROM import_runs WHERE id = ?",
                [report.run_id]) == [(1, 1 + RECORDS_PER_BATCH, 1)]


def test_a_record_file_cancelled_within_is_finished_by_importing_it_again_without_duplicates(library, source):
    big = array(source)
    token = CancelToken()
    import_paths(library, [big], progress=cancel_after_first_batch(token), cancel=token)
    again = import_paths(library, [big])
    assert not again.cancelled and again.stopped_within is None
    assert (len(again.unchanged), len(again.imported), again.duplicates) == (
        RECORDS_PER_BATCH, RECORDS - RECORDS_PER_BATCH, [])
    assert library.document_count() == RECORDS
    assert rows(library, "SELECT count(DISTINCT title) FROM documents") == [(RECORDS,)]


def test_a_record_file_cancelled_within_is_finished_by_resume(library, source):
    big = export(source)
    token = CancelToken()
    cancelled = import_paths(library, [big], progress=cancel_after_first_batch(token), cancel=token)
    resumed = resume_import(library, cancelled.run_id)
    assert not resumed.cancelled and len(resumed.imported) == RECORDS - RECORDS_PER_BATCH
    assert len(resumed.unchanged) == RECORDS_PER_BATCH
    assert library.document_count() == RECORDS
    assert rows(library, "SELECT imported, cancelled FROM import_runs WHERE id = ?", [cancelled.run_id]) == [
        (RECORDS, 0)]


def test_a_json_array_broken_in_the_middle_keeps_the_records_before_and_names_the_broken_one(library, source):
    path = source / "export.json"
    good = [json.dumps(record(n)) for n in range(RECORDS)]
    good[1500] = '{"title": "Broken", "text": "no closing quote}'
    path.write_text("[\n" + ",\n".join(good) + "\n]\n", encoding="utf-8")
    report = import_paths(library, [path])
    assert len(report.imported) == 1500 and library.document_count() == 1500
    assert report.failed == [(f"{path}:1501", "not valid JSON (Invalid control character at line 1502, "
                                              "column 48); the records after it were not read")]


def test_a_copy_of_a_text_in_a_later_batch_of_the_same_file_is_a_duplicate(library, source):
    path = source / "export.jsonl"
    lines = [json.dumps(record(n)) for n in range(RECORDS)]
    lines[-1] = lines[0]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(library, [path], batch_size=RECORDS_PER_BATCH)
    assert (len(report.imported), report.duplicates, report.unchanged) == (RECORDS - 1, [str(path)], [])


def test_records_of_one_file_sharing_a_title_in_different_batches_are_articles_of_their_own(library, source):
    path = source / "export.jsonl"
    lines = [json.dumps(dict(record(n), title="Press release")) for n in range(RECORDS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_paths(library, [path], batch_size=RECORDS_PER_BATCH)
    assert (len(report.imported), report.updated) == (RECORDS, [])
    assert library.document_count() == RECORDS


def test_a_run_stopped_by_an_error_within_a_record_file_keeps_its_committed_batches_and_resumes(
        library, source, monkeypatch):
    big = export(source)
    real = ingest._outcomes
    calls: list[str] = []

    def fail_at_the_third_batch(name, parsed):
        calls.append(name)
        if len(calls) == 3:
            raise RuntimeError("the disk went away")
        return real(name, parsed)

    monkeypatch.setattr(ingest, "_outcomes", fail_at_the_third_batch)
    with pytest.raises(RuntimeError):
        import_paths(library, [big], batch_size=RECORDS_PER_BATCH)
    assert library.document_count() == 2 * RECORDS_PER_BATCH
    monkeypatch.setattr(ingest, "_outcomes", real)
    [run] = list_runs(library.db)
    resumed = resume_import(library, run.id)
    assert (len(resumed.imported), len(resumed.unchanged)) == (RECORDS - 2 * RECORDS_PER_BATCH, 2 * RECORDS_PER_BATCH)
    assert library.document_count() == RECORDS
