"""W3C Web Annotation JSON-LD: the exported shape and the round trip between two libraries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from desktop.core.annotations import (
    content_hash, create_annotation, document_annotations, document_note, set_document_note,
)
from desktop.core.documents import tags_of
from desktop.core.errors import InvalidInput
from desktop.core.library import open_library
from desktop.core.search import search_ids
from desktop.core.tags import add_tag, tagged_documents
from desktop.core.webannotation import export_annotations
from desktop.core.webannotation_import import import_annotations
from tests.core.helpers import SEED_FILES, add_article, add_seeds, span

QUOTES = ("Innovation requires openness", "Andrei Rudskoy", "Irina Ganus")
SCHEMAS = Path(__file__).parents[1] / "data" / "web-annotation-schemas"
UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _registry() -> Registry:
    """Every vendored schema under its own id, so their references resolve here and never online."""
    resources = []
    for path in SCHEMAS.rglob("*.json"):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append((contents["id"], Resource.from_contents(contents, default_specification=DRAFT4)))
    return Registry().with_resources(resources)


REGISTRY = _registry()


def must_failures(test_file: str, data: dict) -> list[str]:
    """The MUST assertions of the W3C test ``test_file`` (e.g. ``annotations/annotationMusts.test``)
    that ``data`` fails, by schema file name."""
    assertions = json.loads((SCHEMAS / test_file).read_text(encoding="utf-8"))["assertions"]
    failed = []
    for name in assertions:
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        validator = Draft4Validator(schema, registry=REGISTRY, format_checker=Draft4Validator.FORMAT_CHECKER)
        if not validator.is_valid(data):
            failed.append(Path(name).name)
    return failed


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
    assert data["type"] == "AnnotationCollection" and data["total"] == 5
    assert {item["type"] for item in data["first"]["items"]} == {"Annotation"}
    assert [item["motivation"] for item in data["first"]["items"]].count("tagging") == 1


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


def test_a_highlights_note_is_a_commenting_textual_body(db, annotated, tmp_path):
    item = exported(db, tmp_path, doc_ids=[annotated[0]])["first"]["items"][0]
    assert [(b["type"], b["purpose"], b["value"]) for b in item["body"]] == [
        ("TextualBody", "commenting", "embassy view")]
    assert item["motivation"] == "commenting"


def test_import_attaches_highlights_to_the_same_article_by_content_hash(db, annotated, other, tmp_path):
    export_annotations(db, tmp_path / "annotations.jsonld")
    result = import_annotations(other, tmp_path / "annotations.jsonld")
    assert result.imported == 4 and result.skipped_duplicates == 0
    text = other.conn.execute("SELECT text FROM documents WHERE id = 2").fetchone()[0]
    imported = document_annotations(other, 2)
    assert [text[a["start"] : a["end"]] for a in imported] == list(QUOTES)
    assert [a["note"] for a in imported] == ["embassy view", None, None]
    assert imported[1]["colour"] == "blue"
    originals = {a["uuid"] for a in document_annotations(db, annotated[0])}
    assert {a["uuid"] for a in imported} == originals


def test_import_reanchors_by_quote_when_the_positions_disagree(db, annotated, other, tmp_path):
    data = exported(db, tmp_path, doc_ids=[annotated[0]])
    for item in data["first"]["items"][:3]:
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
    assert (again.imported, again.skipped_duplicates) == (0, 4)
    assert other.conn.execute("SELECT count(*) FROM annotations").fetchone()[0] == 3


def test_highlights_of_articles_the_library_lacks_are_reported_unmatched(db, annotated, other, tmp_path):
    result = import_annotations(other, exported(db, tmp_path))
    assert [u["quote"] for u in result.unmatched] == ["Chen Linhao"]
    assert result.unmatched[0]["reason"] == "no article with this content"


def test_a_highlight_whose_passage_is_not_in_its_article_is_kept_flagged_with_its_note(db, annotated, tmp_path):
    data = exported(db, tmp_path, doc_ids=[annotated[2]])
    item = data["first"]["items"][0]
    item["target"]["selector"][0]["exact"] = "Words that are not in this article"
    item["id"] = "urn:uuid:00000000-0000-4000-8000-000000000001"
    item["body"] = [{"type": "TextualBody", "value": "my reading", "purpose": "commenting"}]
    result = import_annotations(db, data)
    kept = [a for a in document_annotations(db, annotated[2]) if a["uuid"].endswith("0001")]
    assert [(a["quote"], a["note"], a["orphaned"]) for a in kept] == [
        ("Words that are not in this article", "my reading", True)]
    assert result.unmatched == [] and [n["quote"] for n in result.not_placed] == [kept[0]["quote"]]
    assert "1 whose passage is not in the article kept as not found in the text" in result.summary()


def test_highlights_reach_a_copy_of_the_article_that_differs_a_little_once(db, annotated, tmp_path):
    data = exported(db, tmp_path, doc_ids=[annotated[0]])
    original = SEED_FILES[0].read_text(encoding="utf-8")
    with open_library(tmp_path / "third.sqlite") as lib:
        copy = original.replace(QUOTES[1], QUOTES[1] + ",", 1).replace("\n\n", "\n\nAdvertisement.\n\n", 1)
        doc_id = add_article(lib.db, copy, title=SEED_FILES[0].stem)
        first, second = import_annotations(lib.db, data), import_annotations(lib.db, data)
        placed = [copy[a["start"] : a["end"]] for a in document_annotations(lib.db, doc_id)]
        tagged = tagged_documents(lib.db, "Biomed/Forums")
    assert placed == list(QUOTES) and first.unmatched == [] and tagged == [doc_id]
    assert (second.imported, second.skipped_duplicates, second.unmatched) == (0, 4, [])


def test_highlights_are_not_put_on_another_article_of_the_same_title(db, annotated, tmp_path):
    data = exported(db, tmp_path, doc_ids=[annotated[0]])
    with open_library(tmp_path / "third.sqlite") as lib:
        add_article(lib.db, SEED_FILES[1].read_text(encoding="utf-8"), title=SEED_FILES[0].stem)
        result = import_annotations(lib.db, data)
        count = lib.db.conn.execute("SELECT count(*) FROM annotations").fetchone()[0]
        tags = lib.db.conn.execute("SELECT count(*) FROM document_tags").fetchone()[0]
    assert (count, tags) == (0, 0)
    assert [u["reason"] for u in result.unmatched] == ["no article with this content"] * 4


def test_file_that_is_not_json_is_refused_in_one_line(db, tmp_path):
    bad = tmp_path / "broken.jsonld"
    bad.write_text('{"type": "AnnotationCollection", ', encoding="utf-8")
    with pytest.raises(InvalidInput) as err:
        import_annotations(db, bad)
    assert str(err.value).startswith("broken.jsonld is not valid JSON") and "\n" not in str(err.value)


def test_json_that_is_not_annotations_is_refused(db):
    with pytest.raises(InvalidInput, match="not a W3C annotation file"):
        import_annotations(db, {"type": "Person", "name": "Zhang Qiang"})


def test_json_without_a_type_is_refused_saying_what_was_expected(db):
    with pytest.raises(InvalidInput) as err:
        import_annotations(db, {"a": 1})
    assert str(err.value) == ('This file is not a W3C annotation file (an object without a "type"; expected an '
                              "Annotation, AnnotationPage or AnnotationCollection).")


@pytest.fixture
def library_a(db) -> list[int]:
    """Seeds with highlights (notes, colours), article notes, and tags on an article without highlights."""
    ids = add_seeds(db)
    create_annotation(db, ids[0], *span(db, ids[0], QUOTES[0]), note="embassy view", colour="blue")
    create_annotation(db, ids[0], *span(db, ids[0], QUOTES[1]))
    create_annotation(db, ids[2], *span(db, ids[2], "Chen Linhao"), note="who is he?\nfind out")
    set_document_note(db, ids[0], "Read with the 2019 agreement in mind.")
    set_document_note(db, ids[4], "An article note and nothing else.")
    add_tag(db, [ids[0], ids[3]], "Biomed/Forums")
    add_tag(db, [ids[3]], "to check")
    return ids


@pytest.fixture
def library_b(tmp_path):
    """A fresh library holding the same five articles, in reverse order (so under other ids)."""
    with open_library(tmp_path / "b.sqlite") as lib:
        for path in reversed(SEED_FILES):
            add_article(lib.db, path.read_text(encoding="utf-8"))
        yield lib.db


def _annotations_by_article(db) -> dict[str, dict]:
    """Per article content hash: its note, its tags and its highlights' exchanged fields."""
    found = {}
    for doc_id, sha256 in db.conn.execute("SELECT id, sha256 FROM documents"):
        highlights = [
            {k: a[k] for k in ("uuid", "start", "end", "quote", "prefix", "suffix", "note", "colour",
                               "created", "updated")}
            for a in document_annotations(db, doc_id)
        ]
        found[sha256] = {"note": document_note(db, doc_id), "tags": sorted(tags_of(db, [doc_id]).get(doc_id, [])),
                         "highlights": highlights}
    return found


def test_the_collection_and_its_page_pass_the_w3c_musts(db, library_a, tmp_path):
    data = exported(db, tmp_path)
    assert must_failures("collections/collectionMusts.test", data) == []
    assert must_failures("collections/pages/pageMusts.test", data) == []


def test_the_page_taken_out_of_the_collection_passes_the_w3c_musts(db, library_a, tmp_path):
    page = exported(db, tmp_path)["first"]
    assert must_failures("collections/pages/pageMusts.test", page) == []


def test_every_annotation_taken_out_of_the_collection_passes_the_w3c_musts(db, library_a, tmp_path):
    items = exported(db, tmp_path)["first"]["items"]
    assert len(items) == 7
    assert {item["id"]: must_failures("annotations/annotationMusts.test", item) for item in items} == {
        item["id"]: [] for item in items}


def test_every_timestamp_is_utc_written_with_z(db, library_a, tmp_path):
    data = exported(db, tmp_path)
    stamps = [data["generated"]] + [item[k] for item in data["first"]["items"] for k in ("created", "modified")
                                    if k in item]
    assert stamps and [s for s in stamps if not UTC_Z.match(s)] == []


def test_an_articles_note_targets_the_whole_article(db, library_a, tmp_path):
    items = exported(db, tmp_path, doc_ids=[library_a[4]])["first"]["items"]
    text = SEED_FILES[4].read_text(encoding="utf-8")
    assert [(i["motivation"], i["body"][0]["value"], i["target"]["source"]["id"]) for i in items] == [
        ("commenting", "An article note and nothing else.", f"urn:sha256:{content_hash(text)}")]
    assert "selector" not in items[0]["target"]


def test_tags_of_an_article_without_highlights_are_exported_as_tagging_bodies(db, library_a, tmp_path):
    items = exported(db, tmp_path, doc_ids=[library_a[3]])["first"]["items"]
    assert [i["motivation"] for i in items] == ["tagging"]
    assert sorted((b["purpose"], b["value"]) for b in items[0]["body"]) == [
        ("tagging", "Biomed/Forums"), ("tagging", "to check")]
    assert "selector" not in items[0]["target"]


def test_a_round_trip_through_a_fresh_library_loses_nothing(db, library_a, library_b, tmp_path):
    export_annotations(db, tmp_path / "a.jsonld")
    result = import_annotations(library_b, tmp_path / "a.jsonld")
    assert result.unmatched == []
    assert _annotations_by_article(library_b) == _annotations_by_article(db)


def test_a_second_import_of_the_round_trip_changes_nothing(db, library_a, library_b, tmp_path):
    export_annotations(db, tmp_path / "a.jsonld")
    import_annotations(library_b, tmp_path / "a.jsonld")
    again = import_annotations(library_b, tmp_path / "a.jsonld")
    assert (again.imported, again.updated, again.skipped_duplicates) == (0, 0, 7)
    assert _annotations_by_article(library_b) == _annotations_by_article(db)


def test_imported_notes_and_quotes_are_found_by_search_in_the_new_library(db, library_a, library_b, tmp_path):
    export_annotations(db, tmp_path / "a.jsonld")
    import_annotations(library_b, tmp_path / "a.jsonld")
    by_hash = dict(library_b.conn.execute("SELECT sha256, id FROM documents"))
    first, third, fifth = (by_hash[content_hash(SEED_FILES[i].read_text(encoding="utf-8"))] for i in (0, 2, 4))
    assert search_ids(library_b, '"embassy view"') == [first]  # a highlight's note
    assert search_ids(library_b, '"find out"') == [third]  # the last line of another's note
    assert search_ids(library_b, '"2019 agreement in mind"') == [first]  # its article note too
    assert search_ids(library_b, '"nothing else"') == [fifth]  # an article note alone


def test_an_article_note_meets_a_different_note_and_both_are_kept(db, library_a, library_b, tmp_path):
    export_annotations(db, tmp_path / "a.jsonld")
    target = library_b.conn.execute("SELECT id FROM documents WHERE sha256 = ?",
                                    [content_hash(SEED_FILES[4].read_text(encoding="utf-8"))]).fetchone()[0]
    set_document_note(library_b, target, "My own note.")
    result = import_annotations(library_b, tmp_path / "a.jsonld")
    assert result.updated == 1
    assert document_note(library_b, target) == "My own note.\n\nAn article note and nothing else."


def test_an_annotation_of_another_tool_is_matched_by_the_articles_url(db, tmp_path):
    text = SEED_FILES[0].read_text(encoding="utf-8")
    doc_id = add_article(db, text, url="https://example.org/news/1")
    quote = "Andrei Rudskoy"
    item = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://anno.example/1", "type": "Annotation",
            "body": {"type": "TextualBody", "value": "rector"},
            "target": {"source": "https://example.org/news/1",
                       "selector": {"type": "TextQuoteSelector", "exact": quote}}}
    assert import_annotations(db, item).imported == 1
    assert [(a["quote"], a["note"]) for a in document_annotations(db, doc_id)] == [(quote, "rector")]


def test_the_import_reports_what_it_changed(db, library_a, library_b, tmp_path):
    export_annotations(db, tmp_path / "a.jsonld")
    changes = import_annotations(library_b, tmp_path / "a.jsonld").changes
    hashes = [content_hash(path.read_text(encoding="utf-8")) for path in SEED_FILES]
    ids = {sha: i for i, sha in library_b.conn.execute("SELECT id, sha256 FROM documents")}
    assert changes.annotated == {ids[hashes[n]] for n in (0, 2, 4)}
    assert changes.tagged == {ids[hashes[n]] for n in (0, 3)} and changes.tag_definitions


def test_untyped_bodies_of_a_tagging_annotation_are_tags(db):
    doc_id = add_article(db, SEED_FILES[0].read_text(encoding="utf-8"), url="https://example.org/news/1")
    item = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://anno.example/2", "type": "Annotation",
            "motivation": "tagging", "body": [{"type": "TextualBody", "value": "Rectors"}],
            "target": "https://example.org/news/1"}
    assert import_annotations(db, item).tags_added == 1
    assert tags_of(db, [doc_id]) == {doc_id: ["Rectors"]}


def test_a_collection_whose_pages_are_elsewhere_is_refused_in_one_line(db):
    collection = {"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://anno.example/c",
                  "type": "AnnotationCollection", "total": 3, "first": "https://anno.example/c/page1"}
    with pytest.raises(InvalidInput, match="pages are not in the file"):
        import_annotations(db, collection)


def test_the_import_reports_its_progress_a_batch_of_annotations_at_a_time(db, library_a, library_b, tmp_path,
                                                                          monkeypatch):
    from desktop.core import webannotation_import

    monkeypatch.setattr(webannotation_import, "BATCH", 3)
    steps = []
    import_annotations(library_b, exported(db, tmp_path), progress=steps.append)
    assert [(step.done, step.total) for step in steps] == [(0, 7), (3, 7), (6, 7), (7, 7)]


def test_an_import_cancelled_after_its_first_batch_changes_nothing(db, library_a, library_b, tmp_path,
                                                                   monkeypatch):
    from desktop.core import webannotation_import
    from desktop.core.errors import Cancelled
    from desktop.core.jobs import CancelToken

    monkeypatch.setattr(webannotation_import, "BATCH", 3)
    before = _annotations_by_article(library_b)
    token = CancelToken()

    def cancel_after_a_batch(step):
        if step.done:
            token.cancel()

    with pytest.raises(Cancelled):
        import_annotations(library_b, exported(db, tmp_path), progress=cancel_after_a_batch, cancel=token)
    assert _annotations_by_article(library_b) == before
    assert library_b.conn.execute("SELECT count(*) FROM tags").fetchone()[0] == 0
