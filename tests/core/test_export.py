"""Result lists as CSV and JSONL, entities as CSV and the Markdown digest of highlights and notes."""

from __future__ import annotations

import csv
import json

import pytest
from markdown_it import MarkdownIt

from desktop.core import export, webannotation
from desktop.core.annotations import create_annotation, set_document_note
from desktop.core.errors import Cancelled, InvalidInput
from desktop.core.export import (
    RESULT_FIELDS, export_entities, export_markdown, export_mentions, export_results,
)
from desktop.core.jobs import CancelToken
from desktop.core.tags import add_tag
from desktop.core.webannotation import export_annotations
from tests.core.helpers import SEED_FILES, add_article, add_mention, add_seeds, span


@pytest.fixture
def annotated_seeds(db) -> list[int]:
    ids = add_seeds(db)
    add_tag(db, ids[:2], "Biomed")
    add_tag(db, [ids[0]], "Forum")
    create_annotation(db, ids[0], *span(db, ids[0], "Innovation requires openness"),
                      note="Key claim of the embassy.\nSecond line.")
    create_annotation(db, ids[0], *span(db, ids[0], "Andrei Rudskoy"))
    set_document_note(db, ids[1], "Read again for the Harbin paper.")
    entity = db["entities"].insert({"label": "PERSON", "name": "Zhang Qiang"}).last_pk
    place = db["entities"].insert({"label": "GPE", "name": "Shanghai"}).last_pk
    for doc_id, entity_id in ((ids[0], entity), (ids[0], entity), (ids[0], place), (ids[2], place)):
        db["mentions"].insert({"document_id": doc_id, "entity_id": entity_id, "start": 0, "end": 1,
                               "text": "x", "origin": "model"})
    return ids


def test_jsonl_export_has_one_object_per_article_in_result_order(db, annotated_seeds, tmp_path):
    out = tmp_path / "results.jsonl"
    assert export_results(db, [annotated_seeds[2], annotated_seeds[0]], "jsonl", out) == 2
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [annotated_seeds[2], annotated_seeds[0]]
    first = rows[1]
    assert tuple(first) == RESULT_FIELDS
    assert (first["tags"], first["highlights"], first["entities"]) == (["Biomed", "Forum"], 2, 2)
    assert first["title"] == SEED_FILES[0].stem and first["published"] == "2017-01-15"


def test_csv_export_opens_in_a_spreadsheet_with_tags_joined(db, annotated_seeds, tmp_path):
    out = tmp_path / "results.csv"
    export_results(db, annotated_seeds, "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [int(r["id"]) for r in rows] == annotated_seeds
    assert rows[0]["tags"] == "Biomed; Forum" and rows[1]["note"] == "Read again for the Harbin paper."


def test_unknown_export_format_is_refused(db, annotated_seeds, tmp_path):
    with pytest.raises(InvalidInput, match="jsonl or csv"):
        export_results(db, annotated_seeds, "xlsx", tmp_path / "x.xlsx")


def test_cancelled_export_leaves_no_file_behind(db, annotated_seeds, tmp_path):
    token = CancelToken()
    token.cancel()
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        export_results(db, annotated_seeds, "csv", folder / "results.csv", cancel=token)
    assert list(folder.iterdir()) == []


def test_entities_csv_counts_articles_and_mentions(db, annotated_seeds, tmp_path):
    out = tmp_path / "entities.csv"
    export_entities(db, out)
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows == [["label", "name", "documents", "mentions"],
                    ["GPE", "Shanghai", "2", "2"], ["PERSON", "Zhang Qiang", "1", "2"]]


def test_markdown_digest_has_headline_source_date_quotes_and_notes(db, annotated_seeds, tmp_path):
    out = tmp_path / "notes.md"
    assert export_markdown(db, out) == 2
    text = out.read_text(encoding="utf-8")
    assert f"## {SEED_FILES[0].stem}\n\n*Xinhua · 2017-01-15*" in text
    assert "> Innovation requires openness\n\nKey claim of the embassy.\\\nSecond line." in text
    assert "> Andrei Rudskoy" in text
    assert "Read again for the Harbin paper." in text
    assert SEED_FILES[2].stem not in text


def test_markdown_digest_can_be_limited_to_some_articles(db, annotated_seeds, tmp_path):
    out = tmp_path / "notes.md"
    export_markdown(db, out, doc_ids=[annotated_seeds[1]])
    text = out.read_text(encoding="utf-8")
    assert SEED_FILES[1].stem in text and SEED_FILES[0].stem not in text


def _csv_rows(out) -> list[dict[str, str]]:
    with out.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x.example","click")', "+7 495 123 45 67",
                                   "-2 percent growth", "@channel alert", "\t=1+1"])
def test_csv_title_a_spreadsheet_would_run_as_a_formula_stays_text(db, tmp_path, title):
    doc_id = add_article(db, "Markets moved on Monday.", title=title)
    out = tmp_path / "results.csv"
    export_results(db, [doc_id], "csv", out)
    assert _csv_rows(out)[0]["title"] == "'" + title


def test_csv_keeps_quotes_newlines_and_scripts_of_a_note_in_one_cell(db, tmp_path):
    note = 'He said "no",\nthen: Заметка, 笔记'
    doc_id = add_article(db, "Markets moved on Monday.", title="Москва, 北京", note=note)
    out = tmp_path / "results.csv"
    export_results(db, [doc_id], "csv", out)
    (row,) = _csv_rows(out)
    assert (row["title"], row["note"]) == ("Москва, 北京", note)


def test_entity_csv_name_a_spreadsheet_would_run_as_a_formula_stays_text(db, tmp_path):
    doc_id = add_article(db, "Markets moved on Monday.")
    add_mention(db, doc_id, "ORG", "=cmd|' /C calc'!A0")
    out = tmp_path / "entities.csv"
    export_entities(db, out)
    assert _csv_rows(out)[0]["name"] == "'=cmd|' /C calc'!A0"


def test_mentions_csv_opens_in_a_spreadsheet_with_each_mention_in_context(db, tmp_path):
    doc_id = add_article(db, "-Москва: встреча в Москве.", title="=Встреча")
    db.execute("INSERT INTO entities (label, name) VALUES ('GPE', 'Москва')")
    entity_id = db.execute("SELECT id FROM entities").fetchone()[0]
    for start, end, text in ((1, 7, "Москва"), (19, 25, "Москве")):
        db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin) '
                   "VALUES (?, ?, ?, ?, ?, 'model')", [doc_id, entity_id, start, end, text])
    out = tmp_path / "mentions.csv"
    assert export_mentions(db, entity_id, out) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(out)
    assert [(r["title"], r["left"], r["text"]) for r in rows] == [
        ("'=Встреча", "'-", "Москва"), ("'=Встреча", "'-Москва: встреча в", "Москве")]


MARKDOWN_NOTE = "Key claim: *invisible* ink | _voting_ [link](x) <b>bold</b>\n# not a heading\n> not a quote\n- 1. not a list"


def _rendered(out) -> list[tuple[str, str]]:
    """What a CommonMark reader (with GitHub tables) shows of the digest: its blocks in order as
    (tag, text), a line break as "\\n" and any other markup it found as {its name}."""
    tokens = MarkdownIt("commonmark").enable("table").parse(out.read_text(encoding="utf-8"))
    blocks, opened = [], []
    for token in tokens:
        if token.nesting == 1:
            opened.append(token.tag)
        elif token.nesting == -1:
            opened.pop()
        elif token.type == "inline":
            shown = {"text": lambda c: c.content, "hardbreak": lambda c: "\n"}
            text = "".join(shown.get(c.type, lambda c: f"{{{c.type}}}")(c) for c in token.children)
            blocks.append(("/".join(opened), text))
    return blocks


def test_markdown_digest_shows_notes_headlines_and_tags_as_typed(db, tmp_path):
    doc_id = add_article(db, "Исследователи *сообщили* об открытии. 研究人员_发现_了。", title="*Учёные* | #1 _x_",
                         source="ТАСС_<news>")
    add_tag(db, [doc_id], "наука/_физика_")
    set_document_note(db, doc_id, "Заметка:\n[ссылка] <тег>")
    create_annotation(db, doc_id, *span(db, doc_id, "Исследователи *сообщили*"), note=MARKDOWN_NOTE)
    create_annotation(db, doc_id, *span(db, doc_id, "研究人员_发现_了"), note="笔记 *强调*\n\n第二段")
    out = tmp_path / "notes.md"
    export_markdown(db, out)
    assert _rendered(out) == [
        ("h1", "Highlights and notes"),
        ("h2", "*Учёные* | #1 _x_"),
        ("p", "{em_open}ТАСС_<news>{em_close}"),
        ("p", "Tags: наука/_физика_"),
        ("p", "Заметка:\n[ссылка] <тег>"),
        ("blockquote/p", "Исследователи *сообщили*"),
        ("p", MARKDOWN_NOTE),
        ("blockquote/p", "研究人员_发现_了"),
        ("p", "笔记 *强调*"),
        ("p", "第二段"),
    ]


def _noted(db, count: int) -> list[int]:
    ids = [add_article(db, f"Статья {n}: 研究 {n}.", title=f"Article {n}") for n in range(count)]
    for doc_id in ids:
        set_document_note(db, doc_id, f"note {doc_id}")
    return ids


@pytest.mark.parametrize("write", [export_markdown, export_annotations], ids=["markdown", "annotations"])
def test_annotation_exports_are_written_a_batch_of_articles_at_a_time_with_progress(db, tmp_path, monkeypatch,
                                                                                    write):
    monkeypatch.setattr(export, "BATCH", 2)
    monkeypatch.setattr(webannotation, "BATCH", 2)
    _noted(db, 5)
    steps = []
    write(db, tmp_path / "out", progress=steps.append)
    assert [(step.done, step.total) for step in steps] == [(2, 5), (4, 5), (5, 5)]
    assert (tmp_path / "out").read_text(encoding="utf-8").count("note ") == 5


@pytest.mark.parametrize("write", [export_markdown, export_annotations], ids=["markdown", "annotations"])
def test_annotation_export_cancelled_midway_leaves_no_file_behind(db, tmp_path, monkeypatch, write):
    monkeypatch.setattr(export, "BATCH", 2)
    monkeypatch.setattr(webannotation, "BATCH", 2)
    _noted(db, 5)
    token = CancelToken()
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(Cancelled):
        write(db, folder / "notes", progress=lambda step: token.cancel(), cancel=token)
    assert list(folder.iterdir()) == []


def test_a_jsonl_export_holds_each_article_whole_and_imports_into_another_library_as_the_same_articles(
        db, annotated_seeds, tmp_path):
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    out = tmp_path / "results.jsonl"
    export_results(db, annotated_seeds, "jsonl", out)
    originals = {r["title"]: (r["published"], r["source"], r["text"]) for r in db.query(
        "SELECT title, published, source, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(annotated_seeds)])}
    with open_library(tmp_path / "other.sqlite", create=True) as other:
        import_paths(other, [out])
        copied = {r["title"]: (r["published"], r["source"], r["text"]) for r in other.db.query(
            "SELECT title, published, source, text FROM documents")}
    assert copied == originals and all(text for _, _, text in originals.values())
