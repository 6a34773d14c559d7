"""Relevance order: exact bm25 for few matches or when asked, bm25 over candidates for many."""

from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest

from desktop.core import ranking
from desktop.core.search import Filters, facet_counts, search_hits, search_ids

WORDS = "river stone cloud market bridge harbour winter garden signal paper".split()
SOURCES = ("Xinhua", "TASS", "RIA")


@pytest.fixture
def db(library):
    """300 articles: ``common`` in most of them (in a title now and then, at varying
    frequency and length), ``rare`` in five."""
    rng = random.Random(7)
    db = library.db
    with db.atomic():
        for doc_id in range(1, 301):
            words = [rng.choice(WORDS) for _ in range(rng.randrange(5, 120))]
            for _ in range(rng.randrange(0, 6) if doc_id % 10 else 0):
                words.insert(rng.randrange(len(words) + 1), "common")
            if doc_id % 60 == 0:
                words.append("rare")
            title = f"{rng.choice(WORDS)} {'common ' if doc_id % 13 == 0 else ''}{rng.choice(WORDS)}"
            text = " ".join(words)
            db.execute(
                "INSERT INTO documents (id, title, text, source, sha256, imported_at, word_count) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [doc_id, title, text, SOURCES[doc_id % 3],
                 hashlib.sha256(f"{doc_id}{text}".encode()).hexdigest(), "2024-01-01T00:00:00+00:00",
                 len(words)],
            )
    return db


def exact_order(db, match: str) -> list[int]:
    """Every match by FTS5's bm25 with the index's weights, ties to the lower id."""
    return [row[0] for row in db.conn.execute(
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? "
        "ORDER BY bm25(documents_fts, 5.0, 1.0, 2.0), rowid", [match])]


@pytest.fixture
def few_candidates(monkeypatch):
    """Two-stage ranking for anything over 10 matches, with at most 30 + 8 candidates."""
    monkeypatch.setattr(ranking, "EXACT_LIMIT", 10)
    monkeypatch.setattr(ranking, "TITLE_CANDIDATES", 30)
    monkeypatch.setattr(ranking, "SHORT_CANDIDATES", 8)


def test_few_matches_are_ranked_exactly(db):
    assert search_ids(db, "rare") == exact_order(db, '"rare"')
    assert len(search_ids(db, "rare")) == 5
    assert [hit["id"] for hit in search_hits(db, "rare")] == exact_order(db, '"rare"')


def test_two_stage_top_page_equals_the_exact_order_when_every_match_is_a_candidate(db, monkeypatch):
    monkeypatch.setattr(ranking, "EXACT_LIMIT", 0)
    matches = len(exact_order(db, '"common"'))
    monkeypatch.setattr(ranking, "SHORT_CANDIDATES", matches)
    assert search_ids(db, "common") == exact_order(db, '"common"')
    assert [hit["id"] for hit in search_hits(db, "common", limit=20)] == exact_order(db, '"common"')[:20]


def test_many_matches_score_only_the_candidates_and_keep_every_match(db, few_candidates):
    exact = exact_order(db, '"common"')
    ranking_ = ranking.rank(db.conn, '"common"', sorted(exact), by_length=_by_length(db), filtered=False)
    assert not ranking_.exact
    titled = {row[0] for row in db.conn.execute("SELECT id FROM documents WHERE title LIKE '%common%'")}
    assert titled <= set(ranking_.ranked)
    assert len(ranking_.ranked) <= len(titled) + 8
    assert ranking_.ranked == [doc_id for doc_id in exact if doc_id in set(ranking_.ranked)]
    assert sorted(search_ids(db, "common")) == sorted(exact)
    assert search_ids(db, "common")[: len(ranking_.ranked)] == ranking_.ranked


def test_the_short_candidates_are_the_shortest_matches_ties_to_the_lower_id(db, few_candidates, monkeypatch):
    monkeypatch.setattr(ranking, "TITLE_CANDIDATES", 0)
    lengths = _lengths(db)
    matches = sorted(exact_order(db, '"common"'))
    shortest = sorted(matches, key=lambda doc_id: (lengths[doc_id], doc_id))[:8]
    assert lengths[shortest[-1]] in lengths[sorted(set(matches) - set(shortest))]  # a tie at the cut
    ranking_ = ranking.rank(db.conn, '"common"', matches, by_length=_by_length(db), filtered=False)
    assert sorted(ranking_.ranked) == sorted(shortest)


def test_scoring_candidates_orders_exactly_the_candidates(db):
    exact = exact_order(db, '"common"')
    chosen = sorted({*exact[-5:], *exact[:3], max(exact), min(exact)})
    assert ranking.scored(db.conn, '"common"', np.array(chosen)) == [i for i in exact if i in chosen]
    assert ranking.scored(db.conn, '"common"', np.array(chosen), limit=4) == [i for i in exact if i in chosen][:4]
    assert ranking.scored(db.conn, '"common"', np.array([], dtype=np.int64)) == []


def test_the_first_page_of_many_matches_is_that_of_the_whole_list(db, few_candidates):
    assert [hit["id"] for hit in search_hits(db, "common", limit=20)] == search_ids(db, "common")[:20]


def test_matches_after_the_candidates_follow_shortest_first(db, few_candidates):
    listed = search_ids(db, "common")
    lengths = _lengths(db)
    rest = [lengths[doc_id] for doc_id in listed[38:]]
    assert len(listed) > 38 + 100
    assert rest == sorted(rest)


def test_exact_relevance_scores_every_match(db, few_candidates):
    exact = exact_order(db, '"common"')
    assert search_ids(db, "common", sort="exact_relevance") == exact
    assert scores(db, [hit["id"] for hit in search_hits(db, "common", limit=30, exact=True)]) == \
        scores(db, exact[:30])
    assert search_ids(db, "common") != exact


def test_two_stage_ranking_keeps_within_the_filters(db, few_candidates):
    filters = Filters().including("source", "TASS")
    tass = {row[0] for row in db.conn.execute("SELECT id FROM documents WHERE source = 'TASS'")}
    listed = search_ids(db, "common", filters=filters)
    assert set(listed) == tass & set(exact_order(db, '"common"'))
    exact = search_ids(db, "common", filters=filters, sort="exact_relevance")
    assert exact == [doc_id for doc_id in exact_order(db, '"common"') if doc_id in tass]


def test_counts_of_a_many_match_query_equal_the_exact_counts(db, few_candidates):
    expected = dict(db.conn.execute(
        "SELECT source, count(*) FROM documents WHERE id IN "
        "(SELECT rowid FROM documents_fts WHERE documents_fts MATCH '\"common\"') GROUP BY source"))
    assert dict(facet_counts(db, "source", query="common")) == expected


def test_a_snippet_marks_the_word_in_each_hit_of_a_two_stage_page(db, few_candidates):
    hits = search_hits(db, "common", limit=20)
    assert len(hits) == 20
    assert all("[common]" in hit["snippet"] for hit in hits)


def scores(db, ids: list[int]) -> list[float]:
    """The exact bm25 score of each of ``ids`` for ``common`` (ties make ids interchangeable)."""
    return [db.conn.execute(
        "SELECT bm25(documents_fts, 5.0, 1.0, 2.0) FROM documents_fts "
        "WHERE documents_fts MATCH '\"common\"' AND rowid = ?", [doc_id]).fetchone()[0]
        for doc_id in ids]


def _by_length(db) -> np.ndarray:
    """Every id of the library (0 to 300), shortest first, ties to the lower id."""
    return np.argsort(_lengths(db), kind="stable")


def _lengths(db) -> np.ndarray:
    lengths = np.zeros(301, dtype=np.int64)
    for doc_id, words in db.conn.execute("SELECT id, word_count FROM documents"):
        lengths[doc_id] = words
    return lengths


def test_scoring_leaves_out_a_match_whose_id_is_not_a_candidate_even_when_negative(db):
    """The candidates are a byte each of a mask read by ``substr``, which counts a negative
    position from the mask's end; ids Dossier writes count from 1, but an index holding a negative
    one still never lets it in."""
    db.execute("INSERT INTO documents_fts (rowid, title, text, notes) VALUES (-2, 'common', 'common', '')")
    exact = exact_order(db, '"common"')
    assert exact[0] == -2  # it would rank first
    chosen = sorted(exact[1:6])  # the last byte of the mask is that of a candidate
    assert ranking.scored(db.conn, '"common"', np.array(chosen)) == [i for i in exact if i in chosen]
    assert ranking.scored(db.conn, '"common"', np.array(chosen), limit=3) == [i for i in exact if i in chosen][:3]

