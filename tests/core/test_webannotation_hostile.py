"""Importing annotation files that are broken or hostile: one line, nothing lost, nothing half-imported."""

from __future__ import annotations

import json

import pytest

from desktop.core.annotations import document_annotations
from desktop.core.documents import tags_of
from desktop.core.errors import InvalidInput
from desktop.core.webannotation_import import import_annotations
from tests.core.helpers import SEED_FILES, add_article, span

ADDRESS = "https://example.org/news/1"


@pytest.fixture
def doc_id(db) -> int:
    return add_article(db, SEED_FILES[0].read_text(encoding="utf-8"), url=ADDRESS)


def highlight(annotation_id: str, quote: str, note: str, **selector) -> dict:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": annotation_id, "type": "Annotation",
            "body": {"type": "TextualBody", "value": note},
            "target": {"source": ADDRESS, "selector": [{"type": "TextQuoteSelector", "exact": quote}, *(
                [{"type": "TextPositionSelector", **selector}] if selector else [])]}}


def test_a_file_nested_too_deeply_is_refused_in_one_line_and_writes_nothing(db, doc_id, tmp_path):
    deep = tmp_path / "deep.jsonld"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_annotations(db, deep)
    assert str(err.value) == "deep.jsonld cannot be read: its values are nested too deeply."
    assert document_annotations(db, doc_id) == []


def test_annotations_nested_deeply_in_lists_are_refused_in_one_line(db, doc_id):
    data: list = [highlight("urn:uuid:1", "Andrei Rudskoy", "rector")]
    for _ in range(5_000):
        data = [data]
    with pytest.raises(InvalidInput, match="nested too deeply"):
        import_annotations(db, data)
    assert document_annotations(db, doc_id) == []


def test_two_highlights_sharing_one_id_are_both_imported(db, doc_id):
    items = [highlight("https://anno.example/7", "Andrei Rudskoy", "rector"),
             highlight("https://anno.example/7", "Irina Ganus", "who?")]
    result = import_annotations(db, items)
    assert (result.imported, result.skipped_duplicates) == (2, 0)
    assert sorted((a["quote"], a["note"]) for a in document_annotations(db, doc_id)) == [
        ("Andrei Rudskoy", "rector"), ("Irina Ganus", "who?")]


def test_a_file_with_one_id_twice_imported_again_adds_nothing(db, doc_id):
    items = [highlight("https://anno.example/7", "Andrei Rudskoy", "rector"),
             highlight("https://anno.example/7", "Irina Ganus", "who?")]
    import_annotations(db, items)
    again = import_annotations(db, items)
    assert (again.imported, again.skipped_duplicates) == (0, 2)
    assert len(document_annotations(db, doc_id)) == 2


def test_an_empty_quote_beside_a_position_is_placed_by_the_position(db, doc_id):
    start, end = span(db, doc_id, "Andrei Rudskoy")
    result = import_annotations(db, highlight("urn:uuid:2", "", "rector", start=start, end=end))
    assert result.imported == 1 and result.not_placed == []
    assert [(a["quote"], a["orphaned"]) for a in document_annotations(db, doc_id)] == [("Andrei Rudskoy", False)]


def test_an_empty_quote_without_a_position_is_reported_unmatched(db, doc_id):
    result = import_annotations(db, highlight("urn:uuid:3", "", "rector"))
    assert result.imported == 0 and [u["reason"] for u in result.unmatched] == ["passage not found in the article"]
    assert document_annotations(db, doc_id) == []


def test_a_huge_position_beside_the_quote_still_places_the_quote(db, doc_id):
    result = import_annotations(db, highlight("urn:uuid:4", "Andrei Rudskoy", "rector", start=10**30, end=-5))
    assert result.imported == 1
    annotation, = document_annotations(db, doc_id)
    assert (annotation["quote"], annotation["orphaned"]) == ("Andrei Rudskoy", False)
    json.dumps(annotation)


def tagging(annotation_id: str, *names: str) -> dict:
    return {"@context": "http://www.w3.org/ns/anno.jsonld", "id": annotation_id, "type": "Annotation",
            "motivation": "tagging", "body": [{"type": "TextualBody", "value": name} for name in names],
            "target": ADDRESS}


def test_a_tag_that_cannot_be_a_tag_here_is_left_out_and_named_while_the_rest_is_imported(db, doc_id):
    items = [highlight("urn:uuid:5", "Andrei Rudskoy", "rector"),
             tagging("https://anno.example/t", "Rectors", "http://example.org/tags/x", "")]
    result = import_annotations(db, items)
    assert (result.imported, result.tags_added) == (2, 1)
    assert [(t["tag"], t["id"]) for t in result.tags_refused] == [
        ("http://example.org/tags/x", "https://anno.example/t"), ("", "https://anno.example/t")]
    assert tags_of(db, [doc_id]) == {doc_id: ["Rectors"]}
    assert result.summary().endswith("; 2 tags left out (empty, or with an empty level as in 'a//b').")
