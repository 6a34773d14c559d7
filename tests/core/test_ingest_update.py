"""Importing a folder again after its files changed: changed files update their articles in
place, unchanged ones are counted unchanged (a copy under another name is a duplicate), gone ones
are reported missing, ``as_new`` keeps both."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlite_utils import Database

from desktop.core import schema
from desktop.core.annotations import create_annotation, document_annotations, document_note, set_document_note
from desktop.core.documents import get_document
from desktop.core.import_history import get_run, report_text, run_files
from desktop.core.ingest import import_paths
from desktop.core.tags import add_tag
from desktop.core.workflows import import_and_extract
from tests.core.helpers import span, text_folder

LAB = ("Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday. "
       "The laboratory will study new materials for Arctic pipelines.")
LAB_EDITED = ("Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday. "
              "Its first project, funded by both academies, studies new materials for Arctic pipelines.")
DEAL = "Gas deal signed\n\nGazprom and CNPC signed a supply agreement in Beijing."


@pytest.fixture
def folder(library, tmp_path) -> Path:
    """A folder of two text files, imported once."""
    root = text_folder(tmp_path / "scrape", {"lab.txt": LAB, "deal.txt": DEAL})
    assert len(import_paths(library, [root]).imported) == 2
    return root


def _id_of(library, path: Path) -> int:
    return library.db.conn.execute("SELECT id FROM documents WHERE path = ?", [str(path)]).fetchone()[0]


def test_an_edited_file_updates_its_article_in_place_keeping_highlights_tags_and_notes(library, folder):
    doc_id = _id_of(library, folder / "lab.txt")
    highlight, _ = create_annotation(library.db, doc_id, *span(library.db, doc_id, "new materials"), note="key")
    add_tag(library.db, [doc_id], "Arctic")
    set_document_note(library.db, doc_id, "Follow up with Tomsk.")
    (folder / "lab.txt").write_text(LAB_EDITED, encoding="utf-8")

    report = import_paths(library, [folder])

    assert (report.imported, report.updated, report.unchanged, report.duplicates) == (
        [], [doc_id], [str(folder / "deal.txt")], [])
    assert library.document_count() == 2
    document = get_document(library.db, doc_id)
    assert "funded by both academies" in document.text
    assert document.tags == ["Arctic"]
    assert document_note(library.db, doc_id) == "Follow up with Tomsk."
    (placed,) = document_annotations(library.db, doc_id)
    assert placed["id"] == highlight["id"] and placed["note"] == "key"
    assert document.text[placed["start"]:placed["end"]] == "new materials"


def test_a_highlight_whose_passage_is_gone_is_kept_flagged_and_reported(library, folder):
    doc_id = _id_of(library, folder / "lab.txt")
    lost, _ = create_annotation(library.db, doc_id, *span(library.db, doc_id, "The laboratory will study"))
    (folder / "lab.txt").write_text(LAB_EDITED, encoding="utf-8")
    report = import_paths(library, [folder])
    assert report.orphaned == [lost["id"]]
    (kept,) = document_annotations(library.db, doc_id)
    assert kept["orphaned"]


def test_an_unchanged_folder_is_all_unchanged_not_duplicates_and_writes_no_article(library, folder):
    before = library.db.conn.execute("SELECT id, modified_at FROM documents ORDER BY id").fetchall()
    report = import_paths(library, [folder])
    assert (report.imported, report.updated, report.duplicates, report.missing) == ([], [], [], [])
    assert sorted(report.unchanged) == [str(folder / "deal.txt"), str(folder / "lab.txt")]
    assert report.to_json() == {"imported": 0, "updated": 0, "unchanged": 2, "duplicates": 0, "failed": [],
                                "missing": []}
    assert get_run(library.db, report.run_id).summary() == "0 imported, 2 unchanged, 0 duplicates, 0 failed"
    assert library.db.conn.execute("SELECT id, modified_at FROM documents ORDER BY id").fetchall() == before


def test_a_copy_under_another_name_is_a_duplicate_and_its_original_unchanged(library, folder):
    (folder / "deal copy.txt").write_bytes((folder / "deal.txt").read_bytes())
    (folder / "old").mkdir()
    (folder / "old" / "lab.txt").write_bytes((folder / "lab.txt").read_bytes())
    report = import_paths(library, [folder])
    assert sorted(report.unchanged) == [str(folder / "deal.txt"), str(folder / "lab.txt")]
    assert sorted(report.duplicates) == [str(folder / "deal copy.txt"), str(folder / "old" / "lab.txt")]
    assert (report.to_json()["unchanged"], report.to_json()["duplicates"]) == (2, 2)
    assert library.document_count() == 2


def test_a_record_twice_in_an_export_stays_a_duplicate_when_the_export_is_imported_again(library, tmp_path):
    export = tmp_path / "feed.jsonl"
    export.write_text('{"title": "Deal", "text": "Harbin and Omsk sign a deal."}\n' * 2, encoding="utf-8")
    first = import_paths(library, [export])
    assert (len(first.imported), first.duplicates) == (1, [str(export)])
    again = import_paths(library, [export])
    assert (again.imported, again.unchanged, again.duplicates) == ([], [str(export)], [str(export)])


def test_as_new_keeps_the_old_and_the_edited_version(library, folder):
    old_id = _id_of(library, folder / "lab.txt")
    (folder / "lab.txt").write_text(LAB_EDITED, encoding="utf-8")
    report = import_paths(library, [folder], as_new=True)
    assert report.updated == [] and len(report.imported) == 1
    assert library.document_count() == 3
    assert "The laboratory will study" in get_document(library.db, old_id).text


def test_a_file_gone_from_the_folder_is_reported_missing_and_its_article_kept(library, folder):
    doc_id = _id_of(library, folder / "deal.txt")
    (folder / "deal.txt").unlink()
    report = import_paths(library, [folder])
    assert report.missing == [str(folder / "deal.txt")]
    assert report.to_json()["missing"] == [str(folder / "deal.txt")]
    assert get_document(library.db, doc_id).text.startswith("Gazprom and CNPC")
    run = get_run(library.db, report.run_id)
    assert run.missing == 1 and run.summary().endswith("1 missing")
    (gone,) = run_files(library.db, report.run_id, status="missing")
    assert (gone.path, gone.document_id, gone.reason) == (
        str(folder / "deal.txt"), doc_id, "no longer in the folder; its article is kept")
    assert f"{folder / 'deal.txt'}: no longer in the folder" in report_text(library.db, report.run_id)


def test_a_file_outside_the_reimported_folder_is_never_missing(library, folder, tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("A note kept elsewhere about Harbin.", encoding="utf-8")
    import_paths(library, [elsewhere])
    elsewhere.unlink()
    (folder / "lab.txt").write_text(LAB_EDITED, encoding="utf-8")
    assert import_paths(library, [folder]).missing == []


def test_a_changed_row_of_a_csv_export_updates_its_article_and_a_new_row_is_added(library, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("id,title,text\n1,Deal,Harbin and Omsk sign a deal.\n2,Lab,A lab opens in Tomsk.\n",
                      encoding="utf-8")
    deal, lab = import_paths(library, [export]).imported
    export.write_text("id,title,text\n3,Lab,Another lab opens in Novosibirsk.\n"
                      "1,Deal,Harbin and Omsk sign a deal.\n2,Lab,A lab opens in Tomsk with forty researchers.\n",
                      encoding="utf-8")

    report = import_paths(library, [export])

    assert report.updated == [lab] and len(report.imported) == 1
    assert (report.unchanged, report.duplicates) == ([str(export)], [])
    assert get_document(library.db, lab).text.endswith("forty researchers.")
    assert get_document(library.db, deal).text == "Harbin and Omsk sign a deal."


def test_the_history_names_the_article_each_duplicate_duplicates_and_counts_the_unchanged(library, folder):
    doc_id = _id_of(library, folder / "deal.txt")
    copy = folder / "deal copy.txt"
    copy.write_bytes((folder / "deal.txt").read_bytes())
    report = import_paths(library, [folder])
    (duplicate,) = run_files(library.db, report.run_id, status="duplicate")
    assert (duplicate.path, duplicate.document_id, duplicate.title) == (str(copy), doc_id, "Gas deal signed")
    unchanged = {item.path: item.describe() for item in run_files(library.db, report.run_id, status="unchanged")}
    described = f"unchanged, already in the library as article {doc_id} “Gas deal signed”"
    assert unchanged[str(folder / "deal.txt")] == described
    text = report_text(library.db, report.run_id)
    assert "0 imported, 2 unchanged, 1 duplicate, 0 failed" in text
    assert f"{copy}: duplicate of article {doc_id} “Gas deal signed”" in text
    assert f"{folder / 'deal.txt'}:" not in text


def test_the_workflow_finds_the_entities_of_updated_articles_again(library, folder, monkeypatch):
    doc_id = _id_of(library, folder / "lab.txt")
    asked: list[list[int]] = []
    monkeypatch.setattr("desktop.core.workflows.run_queue", lambda library, **_: asked.append(
        [row[0] for row in library.db.execute("SELECT document_id FROM extraction_queue")]))
    (folder / "lab.txt").write_text(LAB_EDITED, encoding="utf-8")
    outcome = import_and_extract(library, [folder])
    assert outcome.imported.updated == [doc_id]
    assert asked == [[doc_id]]


def test_an_existing_library_keeps_its_import_history_and_can_record_updates(tmp_path):
    db = Database(tmp_path / "old.sqlite")
    db.execute("PRAGMA foreign_keys = ON")
    schema.migrations.apply(db, stop_before="0006_import_updates_and_missing_files")
    db.execute("INSERT INTO import_runs (id, started_at, imported, duplicates) VALUES (1, 'then', 0, 1)")
    db.execute("INSERT INTO imports (run_id, path, status, at) VALUES (1, '/a.txt', 'duplicate', 'then')")

    schema.migrations.apply(db)

    assert get_run(db, 1).summary() == "0 imported, 1 duplicate, 0 failed (interrupted)"
    assert [item.path for item in run_files(db, 1, status="duplicate")] == ["/a.txt"]
    db.execute("INSERT INTO imports (run_id, path, status, at) VALUES (1, '/b.txt', 'updated', 'now')")
    db.execute("INSERT INTO imports (run_id, path, status, at) VALUES (1, '/c.txt', 'missing', 'now')")
    assert [item.status for item in run_files(db, 1)] == ["duplicate", "updated", "missing"]


def test_an_existing_library_keeps_its_import_history_and_can_record_unchanged_files(tmp_path):
    db = Database(tmp_path / "old.sqlite")
    db.execute("PRAGMA foreign_keys = ON")
    schema.migrations.apply(db, stop_before="0015_unchanged_files_on_import")
    db.execute("INSERT INTO import_runs (id, started_at, imported, duplicates, finished_at) "
               "VALUES (1, 'then', 0, 1, 'then')")
    db.execute("INSERT INTO imports (run_id, path, status, at) VALUES (1, '/a.txt', 'duplicate', 'then')")

    schema.migrations.apply(db)

    assert get_run(db, 1).summary() == "0 imported, 1 duplicate, 0 failed"
    db.execute("INSERT INTO imports (run_id, path, status, at) VALUES (1, '/b.txt', 'unchanged', 'now')")
    db.execute("UPDATE import_runs SET unchanged = 1 WHERE id = 1")
    assert [item.status for item in run_files(db, 1)] == ["duplicate", "unchanged"]
    assert get_run(db, 1).summary() == "0 imported, 1 unchanged, 1 duplicate, 0 failed"
