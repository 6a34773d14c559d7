"""Re-importing a changed file: text updated in place, tags and highlights kept, what changed reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.annotations import create_annotation, document_annotations
from desktop.core.documents import get_document
from desktop.core.errors import Cancelled
from desktop.core.ingest import import_paths
from desktop.core.jobs import CancelToken
from desktop.core.reimport import NOT_FROM_FILE, documents_from, reimport_documents, reimport_paths
from desktop.core.tags import add_tag
from tests.core.helpers import add_article, span

FIRST = "Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday. " \
        "The laboratory will study new materials for Arctic pipelines."
SECOND = "Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday. " \
         "Its first project, funded by both academies, studies new materials for Arctic pipelines."


@pytest.fixture
def article(library, tmp_path) -> tuple[Path, int]:
    """One text file imported into the library, with its article id."""
    path = tmp_path / "lab.txt"
    path.write_text(FIRST, encoding="utf-8")
    (doc_id,) = import_paths(library, [path]).imported
    return path, doc_id


def test_a_changed_file_updates_the_article_in_place_keeping_its_id_and_tags(library, article):
    path, doc_id = article
    add_tag(library.db, [doc_id], "Arctic")
    path.write_text(SECOND, encoding="utf-8")
    report = reimport_paths(library, [path])
    assert report.changed_ids == [doc_id]
    document = get_document(library.db, doc_id)
    assert "funded by both academies" in document.text
    assert document.tags == ["Arctic"]
    assert library.document_count() == 1


def test_highlights_follow_the_text_and_lost_ones_are_reported_orphaned(library, article):
    path, doc_id = article
    kept, _ = create_annotation(library.db, doc_id, *span(library.db, doc_id, "new materials"))
    lost, _ = create_annotation(library.db, doc_id, *span(library.db, doc_id, "The laboratory will study"))
    path.write_text(SECOND, encoding="utf-8")
    report = reimport_paths(library, [path])
    assert report.orphaned == [lost["id"]]
    placed = {row["id"]: row for row in document_annotations(library.db, doc_id)}
    text = get_document(library.db, doc_id).text
    assert text[placed[kept["id"]]["start"]:placed[kept["id"]]["end"]] == "new materials"
    assert placed[lost["id"]]["orphaned"]
    assert "1 highlight could not be placed" in report.summary()


def test_an_unchanged_file_changes_nothing(library, article):
    path, doc_id = article
    report = reimport_paths(library, [path])
    assert (report.updated, report.unchanged) == ([], [doc_id])
    assert report.summary() == "0 articles updated, 1 unchanged"


def test_a_deleted_or_foreign_file_is_reported_not_raised(library, article, tmp_path):
    path, _ = article
    path.unlink()
    stranger = tmp_path / "never.txt"
    stranger.write_text(SECOND, encoding="utf-8")
    report = reimport_paths(library, [path, stranger])
    assert report.failed == [
        (str(path), "file not found"),
        (str(stranger), "no article in the library was imported from this file"),
    ]


def test_records_of_an_export_are_matched_by_their_id(library, tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [{"id": 1, "title": "Deal", "text": "Harbin and Omsk sign a deal."},
               {"id": 2, "title": "Lab", "text": "A lab opens in Tomsk."}]
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    first, second = import_paths(library, [feed]).imported
    records[1]["text"] = "A lab opens in Tomsk with forty researchers."
    records.append({"id": 3, "title": "New", "text": "Something never imported."})
    feed.write_text("".join(json.dumps(r) + "\n" for r in reversed(records)), encoding="utf-8")
    report = reimport_paths(library, [feed])
    assert (report.changed_ids, report.unchanged, report.new_articles) == ([second], [first], 1)
    assert get_document(library.db, second).text.endswith("forty researchers.")


def test_reimporting_articles_reads_their_files_and_names_articles_without_one(library, article):
    path, doc_id = article
    manual = add_article(library.db, "Typed in by hand.")
    path.write_text(SECOND, encoding="utf-8")
    report = reimport_documents(library, [doc_id, manual])
    assert report.changed_ids == [doc_id]
    assert report.failed == [(f"article {manual}", NOT_FROM_FILE)]
    assert documents_from(library.db, path) == [doc_id]


def test_a_cancelled_reimport_raises_cancelled(library, article):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        reimport_paths(library, [article[0]], cancel=token)


def test_the_same_text_under_other_headlines_is_an_article_of_its_own(library, tmp_path):
    body = FIRST.split("\n\n", 1)[1]
    (tmp_path / "a_xinhua.txt").write_text(f"Joint lab opens\n\n{body}", encoding="utf-8")
    (tmp_path / "b_tass.txt").write_text(f"Tomsk and Harbin open a laboratory\n\n{body}", encoding="utf-8")
    (tmp_path / "c_copy.txt").write_text(f"JOINT  lab opens\n\n{body}", encoding="utf-8")  # the first again
    report = import_paths(library, [tmp_path])
    assert (len(report.imported), report.duplicates) == (2, [str(tmp_path / "c_copy.txt")])
    titles = {get_document(library.db, doc_id).title for doc_id in report.imported}
    assert titles == {"Joint lab opens", "Tomsk and Harbin open a laboratory"}
    (tmp_path / "d_rt.txt").write_text(f"Arctic pipeline lab\n\n{body}", encoding="utf-8")
    again = import_paths(library, [tmp_path])  # a later import: the new headline only
    assert len(again.imported) == 1 and len(again.unchanged) == 2
    assert again.duplicates == [str(tmp_path / "c_copy.txt")]


def test_a_file_whose_headline_alone_changed_updates_its_article(library, article):
    path, doc_id = article
    path.write_text(FIRST.replace("Joint lab opens", "Joint laboratory opens in Harbin"), encoding="utf-8")
    report = import_paths(library, [path])
    assert (report.imported, report.updated) == ([], [doc_id])
    assert get_document(library.db, doc_id).title == "Joint laboratory opens in Harbin"
    assert import_paths(library, [path]).unchanged == [str(path)]  # unchanged since
