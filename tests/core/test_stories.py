"""Grouping copies of one story: at import, incrementally, in three scripts, with corrections kept."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from desktop.core.stories import (
    group_documents, group_library, list_stories, story_ids, ungrouped_count, version_summaries, versions,
)
from desktop.core.stories_corrections import join_story, pin_original, separate_story
from tests.core.helpers import add_article
from tests.stories_variants import CHINESE, ENGLISH, RUSSIAN, outlet_copy, random_text

VOCABULARIES = {"en": ENGLISH, "ru": RUSSIAN, "zh": CHINESE}


def _story_set(db, language: str, *, seed: int, copies: int = 2) -> tuple[list[int], list[int]]:
    """An original and its outlet copies, plus a different report drawn from the same words."""
    rng = random.Random(seed)
    vocabulary = VOCABULARIES[language]
    text = random_text(rng, vocabulary, paragraphs=8)
    ids = [add_article(db, text, title="Original", source="Agency", published="2021-03-01")]
    for n in range(copies):
        title, copy = outlet_copy("Original headline here", text, rng, vocabulary=vocabulary)
        ids.append(add_article(db, copy, title=title, source=f"Outlet {n}", published=f"2021-03-0{n + 2}"))
    other = [add_article(db, random_text(rng, vocabulary, paragraphs=8), title="Other report", source="Agency")]
    return ids, other


def _grouped_story_set(db, language: str, *, seed: int) -> tuple[list[int], list[int]]:
    """``_story_set`` with every article of it grouped."""
    copies, other = _story_set(db, language, seed=seed)
    with db.atomic():
        group_documents(db.conn, copies + other)
    return copies, other


@pytest.mark.parametrize("language", ["en", "ru", "zh"])
def test_copies_group_and_a_different_report_does_not(library, language):
    db = library.db
    copies, other = _grouped_story_set(db, language, seed=3)
    stories = story_ids(db.conn, copies + other)
    assert {stories[i] for i in copies} == {copies[0]}
    assert stories[other[0]] == other[0]


BOND = ("{issuer} is issuing a {amount} mln dlr eurobond due March 31, {due} paying {coupon} pct and "
        "priced at {price} pct, lead manager {manager} said. The non-callable bond is available in "
        "denominations of 5,000 dlrs and will be listed in Luxembourg. The selling concession is "
        "{concession} pct while management and underwriting combined pays 5/8 pct. The payment date "
        "is March 31.")


def test_notices_cast_in_one_mould_with_other_figures_are_not_one_story_but_a_copy_is(library):
    db = library.db
    first = BOND.format(issuer="Caisse des Depots", amount=100, due=1994, coupon="7-1/8", price=101,
                        manager="Mitsubishi Trust International", concession="1-1/4")
    other = BOND.format(issuer="Nederlandse Gasunie", amount=150, due=1992, coupon="8-3/8", price=102,
                        manager="Deutsche Bank Capital Markets", concession="1-3/8")
    copy = "LONDON, March 3 (Reuters) - " + first.replace("The non-callable", "The callable")
    ids = [add_article(db, text, title=title, published="1987-03-03")
           for title, text in (("CDC eurobond", first), ("Gasunie eurobond", other), ("CDC bond", copy))]
    with db.atomic():
        group_documents(db.conn, ids)
    stories = story_ids(db.conn, ids)
    assert stories[ids[0]] == stories[ids[2]] == ids[0] and stories[ids[1]] == ids[1]


def test_a_notice_of_a_few_words_is_never_grouped(library):
    db = library.db
    notice = "Qtly div eight cts vs eight cts prior Pay April one Record March 13 Reuter"
    ids = [add_article(db, notice.replace("eight", word), title=f"Company {n} sets dividend")
           for n, word in enumerate(("eight", "nine", "ten"))]
    with db.atomic():
        group_documents(db.conn, ids)
    assert set(story_ids(db.conn, ids).items()) == {(doc, doc) for doc in ids}


def test_articles_added_later_join_the_stored_story(library):
    db = library.db
    copies, other = _story_set(db, "en", seed=5, copies=3)
    with db.atomic():
        group_documents(db.conn, copies[:2] + other)
    with db.atomic():
        changed = group_documents(db.conn, copies[2:])
    assert copies[2] in changed
    assert set(story_ids(db.conn, copies).values()) == {copies[0]}
    count, outlets = version_summaries(db.conn, [copies[2]])[copies[2]]
    assert count == 4 and outlets == ["Agency", "Outlet 0", "Outlet 1", "Outlet 2"]


def test_the_original_is_the_earliest_and_a_pin_moves_it(library):
    db = library.db
    copies, _ = _story_set(db, "en", seed=7)
    with db.atomic():
        group_documents(db.conn, copies)
    assert [v.id for v in versions(db.conn, copies[1])][0] == copies[0]
    change = pin_original(db, copies[2])
    assert versions(db.conn, copies[0])[0].id == copies[2]
    assert set(story_ids(db.conn, copies).values()) == {copies[2]}
    change.undo(db)
    assert set(story_ids(db.conn, copies).values()) == {copies[0]}


def test_not_the_same_story_survives_regrouping_and_undoes(library):
    db = library.db
    copies, other = _grouped_story_set(db, "ru", seed=11)
    change = separate_story(db, copies[2])
    assert story_ids(db.conn, [copies[2]])[copies[2]] == copies[2]
    assert len(versions(db.conn, copies[0])) == 2
    group_library(library, rebuild=True)
    assert story_ids(db.conn, [copies[2]])[copies[2]] == copies[2]
    assert story_ids(db.conn, [copies[1]])[copies[1]] == copies[0]
    change.undo(db)
    assert set(story_ids(db.conn, copies).values()) == {copies[0]}


def test_same_story_joins_unlike_texts_and_survives_regrouping(library):
    db = library.db
    copies, other = _grouped_story_set(db, "zh", seed=13)
    change = join_story(db, other[0], copies[1])
    assert story_ids(db.conn, other)[other[0]] == copies[0]
    group_library(library, rebuild=True)
    assert story_ids(db.conn, other)[other[0]] == copies[0]
    change.undo(db)
    assert story_ids(db.conn, other)[other[0]] == other[0]


def test_an_existing_library_is_grouped_in_batches_with_progress(library):
    db = library.db
    copies, other = _story_set(db, "en", seed=17)
    assert ungrouped_count(db.conn) == 4
    steps = []
    report = group_library(library, progress=steps.append)
    assert report.grouped == 4 and report.stories == 1
    assert steps[-1].done == steps[-1].total == 4
    assert {(step.phase, step.unit) for step in steps} == {("grouping", "articles")}
    assert ungrouped_count(db.conn) == 0
    assert [s["size"] for s in list_stories(db.conn)] == [3]
    assert len(list_stories(db.conn, min_size=1)) == 2


def test_removing_the_original_hands_the_story_to_a_copy(library):
    db = library.db
    copies, _ = _story_set(db, "en", seed=19)
    with db.atomic():
        group_documents(db.conn, copies)
        db.execute("DELETE FROM documents WHERE id = ?", [copies[0]])
    assert set(story_ids(db.conn, copies[1:]).values()) == {copies[1]}


def test_import_groups_copies_in_the_same_batch(library, tmp_path):
    from desktop.core.ingest import import_paths

    rng = random.Random(23)
    text = random_text(rng, ENGLISH)
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1], encoding="utf-8")
    (tmp_path / "c.txt").write_text(random_text(rng, ENGLISH), encoding="utf-8")
    report = import_paths(library, [tmp_path])
    assert len(report.imported) == 3
    assert [s["size"] for s in list_stories(library.db.conn)] == [2]


def test_facets_count_stories_and_hide_copies_as_the_list_does(library):
    from desktop.core.facet_counts import date_histogram, facet_counts
    from desktop.core.filters import Filters
    from desktop.core.search import search_ids

    db = library.db
    copies, other = _grouped_story_set(db, "en", seed=31)
    assert dict(facet_counts(db, "source"))["Agency"] == 2
    assert dict(facet_counts(db, "source", by_story=True))["Agency"] == 2
    assert dict(facet_counts(db, "year")) == {"2021": 3}
    assert dict(facet_counts(db, "year", by_story=True)) == {"2021": 1}
    assert date_histogram(db, by_story=True) == [("2021", 1)]
    assert dict(facet_counts(db, "copies")) == {"copy": 2}
    hidden = Filters().excluding("copies", "copy")
    assert sorted(search_ids(db, "", filters=hidden)) == sorted([copies[0], *other])
    assert dict(facet_counts(db, "source", filters=hidden)) == {"Agency": 2, "Outlet 0": 1, "Outlet 1": 1}
    assert search_ids(db, "", filters=hidden.including("source", "Outlet 0")) == [copies[1]]
    separate_story(db, copies[1])
    assert dict(facet_counts(db, "copies")) == {"copy": 1}
    assert sorted(search_ids(db, "", filters=hidden)) == sorted([copies[0], copies[1], *other])


def test_the_diff_names_dropped_added_and_changed_words_and_the_headline():
    from desktop.core.stories_diff import ADDED, CHANGED, DROPPED, compare

    diff = compare("Talks go on", "one two three four five six",
                   "Talks continue", "By Ann one two THREE four six seven")
    kinds = [(run.kind, run.text, run.was) for run in diff.text.runs if run.kind != "kept"]
    assert kinds == [(ADDED, "By Ann", ""), (CHANGED, "THREE", "three"), (DROPPED, "five", ""),
                     (ADDED, "seven", "")]
    assert diff.summary() == "Words: 1 dropped, 3 added, 1 changed; headline changed"
    assert compare("A", "same words", "A", "same words").summary() == "Same text"


def test_batch_signatures_are_datasketch_minhashes():
    from datasketch import MinHash

    from desktop.core.stories_signatures import NUM_PERM, minhash_values, shingle_hashes

    rng = random.Random(37)
    sets = [shingle_hashes(random_text(rng, vocabulary)) for vocabulary in (ENGLISH, RUSSIAN, CHINESE)]
    sets.append(shingle_hashes("too short"))
    batch = minhash_values(sets)
    for row, shingles in zip(batch, sets):
        one = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32", hashfunc=lambda value: value)
        if len(shingles):
            one.update_batch(shingles.tolist())
        assert list(row) == list(one.hashvalues)


def test_signing_texts_loads_neither_datasketch_nor_scipy():
    """SciPy costs every process that signs 55 MB: an importer, whose entity workers fork from it
    and count its pages again, and a window after its first import."""
    import subprocess
    import sys

    code = ("import sys; from desktop.core.stories_signatures import signatures; "
            "assert len(signatures(['one two three four five six seven eight nine ten eleven'])) == 1; "
            "print(sorted(m for m in ('scipy', 'datasketch') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.strip() == "[]"


def test_articles_too_short_to_group_are_signed_and_left_alone(library):
    db = library.db
    ids = [add_article(db, "Brief."), add_article(db, "Brief note.")]
    with db.atomic():
        assert group_documents(db.conn, ids) == set(ids)
    assert ungrouped_count(db.conn) == 0 and story_ids(db.conn, ids) == {i: i for i in ids}


def test_a_changed_file_imported_again_leaves_the_story_it_no_longer_copies(library, tmp_path):
    from desktop.core.ingest import import_paths

    rng = random.Random(43)
    text = random_text(rng, ENGLISH, paragraphs=8)
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1], encoding="utf-8")
    import_paths(library, [tmp_path])
    assert [s["size"] for s in list_stories(library.db.conn)] == [2]
    (tmp_path / "b.txt").write_text(random_text(rng, ENGLISH, paragraphs=8), encoding="utf-8")
    report = import_paths(library, [tmp_path])
    assert len(report.updated) == 1
    assert list_stories(library.db.conn) == []


def test_re_importing_an_article_regroups_it(library, tmp_path):
    from desktop.core.ingest import import_paths
    from desktop.core.reimport import reimport_documents

    rng = random.Random(47)
    text = random_text(rng, ENGLISH, paragraphs=8)
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(random_text(rng, ENGLISH, paragraphs=8), encoding="utf-8")
    import_paths(library, [tmp_path])
    assert list_stories(library.db.conn) == []
    (tmp_path / "b.txt").write_text(outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1], encoding="utf-8")
    b = library.db.conn.execute("SELECT id FROM documents WHERE path LIKE '%b.txt'").fetchone()[0]
    reimport_documents(library, [b])
    assert [s["size"] for s in list_stories(library.db.conn)] == [2]


def test_a_report_reusing_half_the_sentences_is_not_a_copy_while_an_edited_copy_is(library):
    from desktop.core.stories_signatures import THRESHOLD, band_keys, signature, similarity

    db = library.db
    rng = random.Random(41)
    parts = [random_text(rng, ENGLISH, paragraphs=1) for _ in range(8)]
    text = "\n\n".join(parts)
    rewrite = "\n\n".join(parts[:4] + [random_text(rng, ENGLISH, paragraphs=1) for _ in range(4)])
    _, copy = outlet_copy("Original headline here", text, rng, vocabulary=ENGLISH)
    a, b = signature(text), signature(rewrite)
    assert similarity(a, b) >= THRESHOLD and set(band_keys(a)) & set(band_keys(b))  # close by signature alone
    ids = [add_article(db, text), add_article(db, rewrite), add_article(db, copy)]
    with db.atomic():
        group_documents(db.conn, ids)
    stories = story_ids(db.conn, ids)
    assert stories[ids[2]] == ids[0]
    assert stories[ids[1]] == ids[1]


@pytest.mark.parametrize("text", [
    "The Minister said: talks (2nd round) resume_today, 10% up; ПРЕЗИДЕНТ Ёлкин сказал «да».",
    "中国与俄罗斯双方在北京举行会谈 and Xinhua said 同意扩大合作 İstanbul ß 🙂 naïve café",
    "",
])
def test_tokens_found_for_a_batch_at_once_hash_as_each_token_alone(text):
    from desktop.core.stories_signatures import _BASE, _token_hashes, tokens

    def alone(token: str) -> int:
        return sum((ord(c) + 1) * pow(int(_BASE), i, 2**64) for i, c in enumerate(token)) % 2**64

    batch = ["plain ascii words first", text, "и ещё один текст"]
    hashes, counts, _ = _token_hashes(batch)
    expected = [alone(token) for one in batch for token in tokens(one)]
    assert hashes.tolist() == expected
    assert counts.tolist() == [len(tokens(one)) for one in batch]


def test_texts_signed_in_small_blocks_and_chunks_have_the_signatures_and_shingles_of_all_at_once(monkeypatch):
    """A 19 MB article signed at once held 760 MB of arrays over its characters and 128
    permutations of all its shingles; texts are now hashed, shingled and permuted a block at a
    time. Blocks far smaller than the texts (a text cut many times, at spaces or line ends)
    must give the same tokens, shingles in the same order, signatures and coverages."""
    from desktop.core import stories_signatures as signing

    rng = random.Random(11)
    texts = [random_text(rng, vocabulary) for vocabulary in (ENGLISH, RUSSIAN, CHINESE, ENGLISH)]
    texts += ["", "too short", "ΣΟΦΟΣ Σας ΟΔΟΣ\nİstanbul 🙂 " * 40, "\n".join(texts[:3]) * 3]
    whole = (signing._token_hashes(texts), signing._shingles(texts), signing.signatures(texts),
             signing.coverages(texts, [(0, 7), (1, 7), (0, 3)]))
    monkeypatch.setattr(signing, "_CHARS_AT_ONCE", 300)
    monkeypatch.setattr(signing, "_TOKENS_AT_ONCE", 50)
    monkeypatch.setattr(signing, "_SHINGLES_AT_ONCE", 37)
    assert sum(1 for _ in signing._blocks(texts)) > 50
    blocks = (signing._token_hashes(texts), signing._shingles(texts), signing.signatures(texts),
              signing.coverages(texts, [(0, 7), (1, 7), (0, 3)]))
    for before, after in zip(whole[:2], blocks[:2]):
        assert all(np.array_equal(x, y) for x, y in zip(before, after))
    assert [(s.values.tolist(), s.shingles) for s in whole[2]] == [(s.values.tolist(), s.shingles) for s in blocks[2]]
    assert whole[3] == blocks[3] and whole[3][0] > 0.5
