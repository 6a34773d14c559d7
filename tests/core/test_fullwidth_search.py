"""Full-width digits and Latin letters (１３日, ５Ｇ, ＣＧＴＮ), as Chinese copy often types them, are the
same to search as their ASCII forms, both ways, and the hits are marked on the characters found."""

from __future__ import annotations

import pytest

from desktop.core.search import search_ids
from desktop.core.snippets import query_snippet
from desktop.core.textindex import term_spans
from desktop.core.workflows import import_and_extract

WIDE = "中俄联合实验室\n\n中俄联合实验室１３日在哈尔滨揭牌，将开展５Ｇ通信研究，ＣＧＴＮ报道。\n"
NARROW = "中俄科技合作\n\n双方13日在北京签署5G合作协议，CGTN报道。\n"


@pytest.fixture
def imported(library, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wide.txt").write_text(WIDE, encoding="utf-8")
    (folder / "narrow.txt").write_text(NARROW, encoding="utf-8")
    import_and_extract(library, sorted(folder.iterdir()), extract=False)
    ids = dict(library.db.execute("SELECT path, id FROM documents").fetchall())
    return {name: ids[str(folder / f"{name}.txt")] for name in ("wide", "narrow")}


@pytest.mark.parametrize("query", ["13日", "１３日", "5G", "５Ｇ", "cgtn", "ＣＧＴＮ"])
def test_full_width_and_ascii_forms_find_each_other(library, imported, query):
    assert sorted(search_ids(library.db, query, follow_names=False)) == sorted(imported.values())


@pytest.mark.parametrize(("query", "marked"), [("13日", "１３日"), ("5g", "５Ｇ"), ("ＣＧＴＮ", "ＣＧＴＮ")])
def test_a_full_width_form_is_marked_where_its_ascii_form_was_searched(query, marked):
    text = WIDE.split("\n\n", 1)[1]
    assert [text[start:end] for start, end in term_spans(text, [query])] == [marked]


def test_the_snippet_marks_the_full_width_form():
    text = WIDE.split("\n\n", 1)[1]
    snippet, marked = query_snippet(text, ["13日"], marks=("[", "]"), ellipsis="…")
    assert marked and "[１３日]" in snippet
