"""Search quality on real Russian and Chinese news (../shared/corpora/multilingual, imported
through the real import path): every inflected form of a Russian word and every Chinese word
inside runs of characters are found, and little else (truth: tests/bench/multiscript_eval.py)."""

from __future__ import annotations

import pytest

from desktop.core.library import open_library
from desktop.core.search import search_ids
from desktop.core.shadow_index import index_state
from tests.bench.multiscript_eval import (
    HELD_OUT, PARADIGMS, articles, chinese_queries, corpus_present, import_corpus, russian_queries, score,
)

pytestmark = pytest.mark.skipif(not corpus_present(),
                                reason="../shared/corpora/multilingual is absent (tests only read it there)")


@pytest.fixture(scope="module")
def corpus_library(tmp_path_factory):
    with open_library(tmp_path_factory.mktemp("multilingual") / "library.sqlite") as library:
        import_corpus(library)
        assert index_state(library.db.conn).ready
        yield library


def test_every_file_of_the_corpus_is_imported(corpus_library):
    assert len(articles(corpus_library.db, "ru")) == 122
    assert len(articles(corpus_library.db, "zh")) == 400


@pytest.mark.parametrize("paradigms", [PARADIGMS, HELD_OUT], ids=["tuning-set", "held-out"])
def test_russian_inflected_forms_are_found_with_recall_and_precision_of_095(corpus_library, paradigms):
    texts = articles(corpus_library.db, "ru")
    result = score(lambda query: search_ids(corpus_library.db, query), russian_queries(texts, paradigms),
                   set(texts))
    assert result.queries > 80
    assert result.recall >= 0.95, str(result)
    assert result.precision >= 0.95, str(result)


def test_chinese_words_and_characters_are_found_with_recall_095_and_precision_090(corpus_library):
    texts = articles(corpus_library.db, "zh")
    every_third = list(chinese_queries(texts))[::3]  # all 4,036 in tests/bench/bench_multiscript_search.py
    result = score(lambda query: search_ids(corpus_library.db, query), every_third, set(texts))
    assert result.queries > 1000
    assert result.recall >= 0.95, str(result)
    assert result.precision >= 0.90, str(result)
