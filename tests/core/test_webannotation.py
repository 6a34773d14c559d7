"""W3C Web Annotation JSON-LD: the exported shape and the round trip between two libraries."""

from __future__ import annotations

import json

import pytest

from desktop.core.annotations import content_hash, create_annotation, document_annotations
from desktop.core.errors import InvalidInput
from desktop.core.library import open_library
from desktop.core.tags import add_tag, tagged_documents
from desktop.core.webannotation import export_annotations, import_annotations
from tests.core.helpers import SEED_FILES, add_article, add_seeds, span

QUOTES = ("Innovation requires openness", "Andrei Rudskoy", "Irina Ganus")


@pytest.fixture
def db(library):
    return library.db


@pytest.fixture
def annotated(db) -> list[int]:
    """Seeds with three highlights on the first article (one with a note) and one on the third."""
    ids = add_seeds(db)
    add_tag(db, [ids[0]], "Biomed/Forums")
    for n, quote in enumerate(QUOTES):
        create_annotation(db, ids[0], *span(db, ids[0], quote), note="embassy view" if n == 0 else None,
                          colour="blue" if n == 1 else None)
    create_annotation(db, ids[2], *span(db, ids[2], "Chen Linhao"))
    return ids


@pytest.fixture
def other(tmp_path):
    """A second library holding seeds 001 and 000 (in that order, so under other ids)."""
    with open_library(tmp_path / "other.sqlite") as lib:
        for path in (SEED_FILES[1], SEED_FILES[0]):
            add_article(lib.db, path.read_text(encoding="utf-8"))
        yield lib.db


def exported(db, tmp_path, **kwargs) -> dict:
    out = tmp_path / "annotations.jsonld"
    export_annotations(db, out, **kwargs)
    return json.loads(out.read_text(encoding="utf-8"))


def test_export_is_an_annotation_collection_with_every_highlight(db, annotated, tmp_path):
    data = exported(db, tmp_path)
    assert data["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 4
    assert {item["type"] for item in data["first"]["items"]} == {"Annotation"}


def test_each_annotation_has_quote_and_position_selectors_on_the_hashed_article(db, annotated, tmp_path):
    item = exported(db, tmp_path, doc_ids=[annotated[0]])["first"]["items"][0]
    selectors = {s["type"]: s for s in item["target"]["selector"]}
    text = SEED_FILES[0].read_text(encoding="utf-8")
    quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
    assert text[position["start"] : position["end"]] == quote["exact"] == QUOTES[0]
    assert text.endswith(quote["suffix"], 0, position["end"] + len(quote["suffix"]))
    assert text[: position["start"]].endswith(quote["prefix"])
    assert item["target"]["source"]["id"] == f"urn:sha256:{content_hash(text)}"
    assert item["target"]["source"]["dc:title"] == SEED_FILES[0].stem


def test_note_and_tags_are_textual_bodies_with_their_purpose(db, annotated, tmp_path):
    item = exported(db, tmp_path, doc_ids=[annotated[0]])["first"]["items"][0]
    bodies = {(b["purpose"], b["value"]) for b in item["body"]}
    assert bodies == {("commenting", "embassy view"), ("tagging", "Biomed/Forums")}
    assert item["motivation"] == "commenting"


def test_import_attaches_highlights_to_the_same_article_by_content_hash(db, annotated, other, tmp_path):
    export_annotations(db, tmp_path / "annotations.jsonld")
    result = import_annotations(other, tmp_path / "annotations.jsonld")
    assert result["imported"] == 3 and result["skipped_duplicates"] == 0
    text = other.conn.execute("SELECT text FROM documents WHERE id = 2").fetchone()[0]
    imported = document_annotations(other, 2)
    assert [text[a["start"] : a["end"]] for a in imported] == list(QUOTES)
    assert [a["note"] for a in imported] == ["embassy view", None, None]
    assert imported[1]["colour"] == "blue"
    originals = {a["uuid"] for a in document_annotations(db, annotated[0])}
    assert {a["uuid"] for a in imported} == originals


def test_import_reanchors_by_quote_when_the_positions_disagree(db, annotated, other, tmp_path):
    data = exported(db, tmp_path, doc_ids=[annotated[0]])
    for item in data["first"]["items"]:
        item["target"]["selector"][1]["start"] += 50
        item["target"]["selector"][1]["end"] += 50
    import_annotations(other, data)
    text = other.conn.execute("SELECT text FROM documents WHERE id = 2").fetchone()[0]
    assert [text[a["start"] : a["end"]] for a in document_annotations(other, 2)] == list(QUOTES)


def test_import_applies_the_articles_tags(db, annotated, other, tmp_path):
    import_annotations(other, exported(db, tmp_path))
    assert tagged_documents(other, "Biomed") == [2]


def test_second_import_adds_no_duplicates(db, annotated, other, tmp_path):
    data = exported(db, tmp_path)
    import_annotations(other, data)
    again = import_annotations(other, data)
    assert (again["imported"], again["skipped_duplicates"]) == (0, 3)
    assert other.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 3


def test_highlights_of_articles_the_library_lacks_are_reported_unmatched(db, annotated, other, tmp_path):
    result = import_annotations(other, exported(db, tmp_path))
    assert [u["quote"] for u in result["unmatched"]] == ["Chen Linhao"]
    assert result["unmatched"][0]["reason"] == "no article with this content"


def test_a_passage_missing_from_the_article_is_reported_unmatched(db, annotated, tmp_path):
    data = exported(db, tmp_path, doc_ids=[annotated[2]])
    data["first"]["items"][0]["target"]["selector"][0]["exact"] = "Words that are not in this article"
    data["first"]["items"][0]["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    result = import_annotations(db, data)
    assert result["unmatched"][0]["reason"] == "passage not found in the article"


def test_file_that_is_not_json_is_refused_in_one_line(db, tmp_path):
    bad = tmp_path / "broken.jsonld"
    bad.write_text('{"type": "AnnotationCollection", ', encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_annotations(db, bad)
    assert str(err.value).startswith("broken.jsonld is not valid JSON") and "\n" not in str(err.value)


def test_json_that_is_not_annotations_is_refused(db):
    with pytest.raises(InvalidInput, match="not a W3C annotation file"):
        import_annotations(db, {"type": "Person", "name": "Zhang Qiang"})
