"""Articles rewritten for the multi-script index a batch at a time (Chinese ones together, in one
pass over arrays) give the index exactly what each rewritten alone gives it."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest

from desktop.core import textindex
from desktop.core.library import open_library
from desktop.core.query import SCRIPTS_TABLE
from desktop.core.textindex import index_text, index_texts
from tests.bench.multiscript_eval import MULTILINGUAL, corpus_present, import_corpus

corpus = pytest.mark.skipif(not corpus_present(),
                            reason="../shared/corpora/multilingual is absent (tests only read it there)")

SAMPLES = [
    "中国合作，５Ｇ网络",  # bigrams, full-width Latin and digits narrowed, a word beside Han
    None, "", "，。", "国", "Xinhua 新华社 2019年3月13日 电",
    "习近平：加强“一带一路”合作！ＡＰＥＣ＿峰会\n\n第二段", "中\U00020001\U0002a6e0国 😀 a_b",
    "俄罗斯 Москва 中国 Пекине", "lone \ud800 surrogate 中", "㐀䶶豈\ufa6e 1½ ⅷ ǅ é",
]


def _one_by_one(texts):
    return [index_text(text) for text in texts]


def test_a_chinese_batch_is_written_as_each_text_alone_is():
    assert index_texts(["中国合作，５Ｇ网络", None, "国", "ＡＢ"]) == ["中国 国合 合作 作 5G 网络 络", "", "国", "AB"]
    assert index_texts(SAMPLES) == _one_by_one(SAMPLES)
    for text in SAMPLES:
        assert index_texts([text]) == [index_text(text)], text


def test_random_mixed_script_batches_are_written_as_each_text_alone_is():
    pieces = list("ab Z9_ ,.\n\t-") + ["中", "国", "合", "，", "。", "１", "Ｇ", "＿", "é", "İ", "٣", "½", "\u0301",
                                       "\u3000", "\uff5e", "\U00020001", "\U0001f600", "\ud800", "\u4db6", "ё", "Москве"]
    rng = random.Random(5)
    for _ in range(3000):
        batch = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(rng.randint(0, 8))]
        assert index_texts(batch) == _one_by_one(batch), batch


def test_texts_past_the_characters_read_together_are_written_the_same(monkeypatch):
    monkeypatch.setattr(textindex, "_TOGETHER", 12)
    assert index_texts(SAMPLES * 3) == _one_by_one(SAMPLES * 3)


def _corpus_texts() -> list[str]:
    """Every Russian and Chinese file of the corpus, and each of its lines."""
    texts = []
    for line in (MULTILINGUAL / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = (MULTILINGUAL / record["file"]).read_bytes().decode(record["encoding"])
        texts += [text, *text.splitlines()]
    return texts


@corpus
@pytest.mark.parametrize("size", [1, 7, 100])
def test_every_russian_and_chinese_corpus_text_is_written_as_alone(size):
    texts = _corpus_texts()
    assert len(texts) > 5000
    for start in range(0, len(texts), size):
        chunk = texts[start : start + size]
        assert index_texts(chunk) == _one_by_one(chunk)


@corpus
def test_the_imported_corpus_index_holds_each_article_as_its_fields_rewritten_alone(tmp_path):
    with open_library(tmp_path / "library.sqlite") as library:
        import_corpus(library)
        conn = library.db.conn
        rows = conn.execute("SELECT id, title, text, notes FROM documents ORDER BY id").fetchall()
        conn.execute(f"CREATE VIRTUAL TABLE temp.held USING fts5vocab(main, {SCRIPTS_TABLE}, instance)")
        held = conn.execute("SELECT term, doc, col, offset FROM temp.held ORDER BY 1, 2, 3, 4").fetchall()
    expected = sqlite3.connect(":memory:")
    expected.execute("CREATE VIRTUAL TABLE fed USING fts5 (title, text, notes, content='', "
                     "tokenize='unicode61 remove_diacritics 2')")
    expected.executemany("INSERT INTO fed (rowid, title, text, notes) VALUES (?, ?, ?, ?)",
                         [(doc_id, *_one_by_one(fields)) for doc_id, *fields in rows])
    expected.execute("CREATE VIRTUAL TABLE temp.fed_terms USING fts5vocab(main, fed, instance)")
    assert len(rows) == 522
    assert held == expected.execute("SELECT term, doc, col, offset FROM temp.fed_terms ORDER BY 1, 2, 3, 4").fetchall()
