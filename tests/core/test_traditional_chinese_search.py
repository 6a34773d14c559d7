"""Traditional and simplified Chinese find each other: 经济 finds an article written 經濟 and the
other way round, phrases stay phrases, bigrams still work inside longer runs, and the reader's
marks and the snippets fall on the form the text has."""

from __future__ import annotations

import pytest

from desktop.core.han_forms import simplified, simplified_table
from desktop.core.search import search_ids
from desktop.core.shadow_index import build_index, index_outdated, index_ready
from desktop.core.snippets import query_snippet
from desktop.core.textindex import index_text, index_texts, query_tokens, reading_form, term_spans
from desktop.core.workflows import import_and_extract
from tests.core.helpers import text_folder

SIMPLIFIED = "中俄经济合作\n\n新华社北京电 中俄两国经济合作不断深化，俄罗斯总统表示欢迎。\n"
TRADITIONAL = "中俄經濟論壇\n\n中央社台北電 台灣學者討論中俄兩國經濟關係，俄羅斯代表出席。\n"
UNRELATED = "天气预报\n\n明天北京晴。\n"


@pytest.fixture
def imported(library, tmp_path):
    texts = {"simplified": SIMPLIFIED, "traditional": TRADITIONAL, "unrelated": UNRELATED}
    folder = text_folder(tmp_path / "in", {f"{name}.txt": text for name, text in texts.items()})
    import_and_extract(library, sorted(folder.iterdir()), extract=False)
    ids = dict(library.db.execute("SELECT path, id FROM documents").fetchall())
    return {name: ids[str(folder / f"{name}.txt")] for name in texts}


def test_one_traditional_character_is_read_as_one_simplified_character():
    assert simplified("經濟 俄羅斯 習近平 國務院") == "经济 俄罗斯 习近平 国务院"
    assert simplified("经济 abc") == "经济 abc"


def test_every_character_is_read_as_the_table_says_in_any_text():
    table = {**simplified_table(), **{code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}}
    every = "".join(map(chr, range(0x80, 0x110000)))
    assert reading_form(every) == every.translate(table)
    for code in [*table, 0x3400 - 1, 0x4E00, 0xFF00, 0xFF5F, 0xD800, 0x10FFFF]:
        text = f"a {chr(code)} б 中"
        assert reading_form(text) == text.translate(table), hex(code)
    assert reading_form("Москва, «Россия» — 2024") == "Москва, «Россия» — 2024"


def test_the_index_reads_both_forms_alike_in_either_rewriting():
    assert index_text("經濟關係") == index_text("经济关系") == "经济 济关 关系 系"
    assert index_texts(["經濟關係", "中國"]) == ["经济 济关 关系 系", "中国 国"]


def test_a_query_in_either_form_is_rewritten_to_the_same_tokens():
    assert query_tokens("經濟") == query_tokens("经济") == (["经济"], False)
    assert query_tokens("俄羅斯 代表") == (["俄罗", "罗斯", "斯代", "代表"], False)


@pytest.mark.parametrize("query", ["经济", "經濟", '"两国经济"', '"兩國經濟"', "俄羅斯", "俄罗斯"])
def test_either_form_finds_both_articles(library, imported, query):
    found = search_ids(library.db, query, follow_names=False)
    assert sorted(found) == sorted([imported["simplified"], imported["traditional"]])


def test_a_phrase_stays_a_phrase_across_the_forms(library, imported):
    assert search_ids(library.db, '"經濟合作"', follow_names=False) == [imported["simplified"]]
    assert search_ids(library.db, '"经济关系"', follow_names=False) == [imported["traditional"]]
    assert search_ids(library.db, '"经济俄罗斯"', follow_names=False) == []


def test_one_character_typed_alone_still_finds_it_inside_runs(library, imported):
    assert sorted(search_ids(library.db, "濟", follow_names=False)) == sorted(
        [imported["simplified"], imported["traditional"]])


@pytest.mark.parametrize(("text", "query", "marked"), [
    (TRADITIONAL, "经济", ["經濟", "經濟"]),
    (SIMPLIFIED, "經濟", ["经济", "经济"]),
    (TRADITIONAL, "俄罗斯", ["俄羅斯"]),
])
def test_the_reader_marks_the_form_the_text_has(text, query, marked):
    assert [text[start:end] for start, end in term_spans(text, [query])] == marked


def test_the_snippet_marks_the_traditional_form_found_by_a_simplified_query():
    body = TRADITIONAL.split("\n\n", 1)[1]
    snippet, marked = query_snippet(body, ["经济"], marks=("[", "]"), ellipsis="…")
    assert marked and "[經濟]" in snippet


def test_an_index_made_by_the_earlier_rewriting_is_made_again(library, imported):
    conn = library.db.conn
    with conn:
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'search_index_version'")
    assert index_outdated(conn)
    state = build_index(conn)
    assert state.ready and index_ready(conn) and not index_outdated(conn)
    assert sorted(search_ids(library.db, "經濟", follow_names=False)) == sorted(
        [imported["simplified"], imported["traditional"]])
