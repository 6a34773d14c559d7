"""The record of past imports: runs newest first, their files, retrying failures, the report text."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.errors import InvalidInput, NotFound
from desktop.core.import_history import (
    failed_paths,
    get_run,
    latest_run_id,
    list_runs,
    recorded_since,
    report_text,
    run_files,
    source_file,
)
from desktop.core.ingest import import_paths
from tests.conftest import SEEDS


@pytest.fixture
def mixed(tmp_path) -> Path:
    """A folder of one good article, one empty file and an export with one broken line."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Lab opens\n\nA joint laboratory opens in Tomsk on Monday.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "feed.jsonl").write_text(
        '{"title": "Deal", "text": "Harbin and Omsk sign a deal."}\n{broken\n', encoding="utf-8")
    return folder


def test_runs_are_listed_newest_first_with_their_totals(library, mixed):
    first = import_paths(library, [SEEDS])
    second = import_paths(library, [mixed])
    runs = list_runs(library.db)
    assert [run.id for run in runs] == [second.run_id, first.run_id]
    assert (runs[1].imported, runs[1].duplicates, runs[1].failed) == (5, 0, 0)
    assert runs[0].paths == [str(mixed)]
    assert runs[0].summary() == "2 imported, 0 duplicates, 2 failed"


def test_a_cancelled_run_says_so_in_its_summary(library, mixed):
    from desktop.core.jobs import CancelToken

    token = CancelToken()
    token.cancel()
    run = get_run(library.db, import_paths(library, [mixed], cancel=token).run_id)
    assert run.state == "cancelled" and run.summary().endswith("(cancelled)")


def test_files_of_a_run_can_be_read_by_status(library, mixed):
    run_id = import_paths(library, [mixed]).run_id
    failed = run_files(library.db, run_id, status="failed")
    assert sorted(Path(f.path).name for f in failed) == ["empty.txt", "feed.jsonl:2"]
    assert all(f.reason for f in failed)
    assert {f.status for f in run_files(library.db, run_id)} == {"imported", "failed"}


def test_retrying_failures_names_each_file_once_and_the_export_not_its_line(library, mixed):
    run_id = import_paths(library, [mixed]).run_id
    assert sorted(p.name for p in failed_paths(library.db, run_id)) == ["empty.txt", "feed.jsonl"]


def test_a_file_whose_name_ends_in_colon_digits_is_kept_whole(tmp_path):
    odd = tmp_path / "notes:12"
    odd.write_text("x", encoding="utf-8")
    assert source_file(str(odd)) == str(odd)
    assert source_file(str(tmp_path / "feed.jsonl:7")) == str(tmp_path / "feed.jsonl")


def test_report_text_lists_each_failed_file_with_its_reason(library, mixed):
    run_id = import_paths(library, [mixed]).run_id
    text = report_text(library.db, run_id)
    assert "2 imported, 0 duplicates, 2 failed" in text
    assert f"{mixed / 'empty.txt'}: empty file" in text


def test_an_unknown_run_or_status_is_refused_with_a_message(library):
    with pytest.raises(NotFound, match="no import run 7"):
        get_run(library.db, 7)
    run_id = import_paths(library, [SEEDS]).run_id
    with pytest.raises(InvalidInput, match="Unknown import status"):
        run_files(library.db, run_id, status="skipped")


def test_committed_files_of_runs_after_a_known_one_are_counted(library, mixed):
    before = latest_run_id(library.db)
    assert before == 0
    import_paths(library, [mixed])
    assert recorded_since(library.db, after_run=before) == (2, 2)
    assert recorded_since(library.db, after_run=latest_run_id(library.db)) == (0, 0)


def test_an_import_report_counts_its_totals_with_thousands_separators_as_the_run_history_does():
    from desktop.core.import_report import ImportReport

    report = ImportReport(run_id=1, imported=list(range(4_047)), duplicates=["copy.txt"],
                          failed=[("empty.txt", "empty file")] * 1_200)
    assert report.totals() == "4,047 imported, 1 duplicate, 1,200 failed"
