"""Importing a colleague's annotations again after they edited their notes: the newer notes arrive
beside what is here, never dropped as "already here" and never written over a note of one's own."""

from __future__ import annotations

from desktop.core.annotations import document_annotations, update_annotation
from desktop.core.webannotation_import import import_annotations
from tests.core.helpers import SEED_FILES, add_article

ADDRESS = "https://example.org/news/1"


def highlight(note: str) -> dict:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://anno.example/41", "type": "Annotation",
            "body": {"type": "TextualBody", "value": note},
            "target": {"source": ADDRESS, "selector": {"type": "TextQuoteSelector", "exact": "Andrei Rudskoy"}}}


def test_a_highlight_imported_again_with_an_edited_note_gets_the_new_note(db):
    doc_id = add_article(db, SEED_FILES[0].read_text(encoding="utf-8"), url=ADDRESS)
    import_annotations(db, highlight("rector"))
    result = import_annotations(db, highlight("rector of Polytech since 2011"))
    assert (result.imported, result.updated, result.skipped_duplicates) == (0, 1, 0)
    [found] = document_annotations(db, doc_id)
    assert found["note"] == "rector\n\nrector of Polytech since 2011"


def test_a_note_written_here_since_is_kept_beside_the_colleagues_new_one(db):
    doc_id = add_article(db, SEED_FILES[0].read_text(encoding="utf-8"), url=ADDRESS)
    import_annotations(db, highlight("rector"))
    [found] = document_annotations(db, doc_id)
    update_annotation(db, found["id"], note="rector: check his 2019 interview")
    import_annotations(db, highlight("rector of Polytech"))
    [found] = document_annotations(db, doc_id)
    assert found["note"] == "rector: check his 2019 interview\n\nrector of Polytech"


def test_the_same_file_imported_again_changes_nothing(db):
    doc_id = add_article(db, SEED_FILES[0].read_text(encoding="utf-8"), url=ADDRESS)
    import_annotations(db, highlight("rector"))
    again = import_annotations(db, highlight("rector"))
    assert (again.imported, again.updated, again.skipped_duplicates) == (0, 0, 1)
    assert [a["note"] for a in document_annotations(db, doc_id)] == ["rector"]
