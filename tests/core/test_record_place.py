"""Which record of an export an article came from (``documents.record_place``)."""

from __future__ import annotations

import json

from desktop.core.documents import RecordPlace, get_document, record_place
from desktop.core.ingest import import_paths

RECORDS = [
    {"title": "First", "text": "The first article."},
    {"title": "No text"},
    {"title": "Second", "text": "The second article."},
]


def imported(library, path):
    import_paths(library, [path])
    ids = [row[0] for row in library.db.execute("SELECT id FROM documents ORDER BY id").fetchall()]
    return [get_document(library.db, doc_id) for doc_id in ids]


def test_an_article_from_an_export_is_numbered_among_the_records_with_text(library, tmp_path):
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(record) + "\n" for record in RECORDS), encoding="utf-8")

    places = [record_place(document) for document in imported(library, export)]

    assert places == [RecordPlace(1, 2), RecordPlace(2, 2)]


def test_an_export_that_lost_the_article_or_went_away_gives_no_place(library, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("title,text\nOne,The only article.\n", encoding="utf-8")
    document = imported(library, export)[0]

    export.write_text("title,text\nOne,Another text now.\n", encoding="utf-8")
    assert record_place(document) is None
    export.unlink()
    assert record_place(document) is None


def test_a_file_of_one_article_has_no_record_number(library, tmp_path):
    text_file = tmp_path / "report.txt"
    text_file.write_text("A report.\n\nIts text.", encoding="utf-8")

    assert record_place(imported(library, text_file)[0]) is None
