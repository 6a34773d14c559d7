"""Band keys held in memory by a run of many batches: the same stories as looking each key up,
and never blind to keys another process stored meanwhile."""

from __future__ import annotations

import random

import numpy as np
import pytest

from desktop.core.library import open_library
from desktop.core.stories import group_documents, story_ids
from desktop.core.stories_bands import HeldBands
from tests.core.helpers import add_article
from tests.stories_variants import ENGLISH, outlet_copy, random_text


def _stories_in_batches(db, *, copies_of: int, held: HeldBands | None, seed: int = 11) -> list[set[int]]:
    """``copies_of`` originals, each with a copy added three batches later, grouped batch by batch."""
    rng = random.Random(seed)
    originals = [random_text(rng, ENGLISH, paragraphs=4) for _ in range(copies_of)]
    batches = [[add_article(db, text) for text in originals[i::3]] for i in range(3)]
    batches += [[add_article(db, outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1]) for text in originals[i::3]]
                for i in range(3)]
    for batch in batches:
        with db.atomic():
            group_documents(db.conn, batch, held=held)
    ids = [doc for batch in batches for doc in batch]
    stories: dict[int, set[int]] = {}
    for doc, story in story_ids(db.conn, ids).items():
        stories.setdefault(story, set()).add(doc)
    return sorted(stories.values(), key=min)


def test_held_keys_find_the_stories_that_looking_up_finds(library, tmp_path):
    held = HeldBands(60)
    found = _stories_in_batches(library.db, copies_of=30, held=held)
    assert held._packed and not held._off  # the keys were held, not looked up
    with open_library(tmp_path / "looked-up.sqlite") as other:
        assert _stories_in_batches(other.db, copies_of=30, held=None) == found
    assert sum(len(story) == 2 for story in found) >= 27


def test_keys_another_process_stores_between_batches_are_seen(library, library_path):
    db = library.db
    rng = random.Random(5)
    text = random_text(rng, ENGLISH, paragraphs=4)
    held = HeldBands(100)
    first = add_article(db, random_text(rng, ENGLISH, paragraphs=4))
    with db.atomic():
        group_documents(db.conn, [first], held=held)
    with open_library(library_path) as elsewhere:  # another process groups an original meanwhile
        original = add_article(elsewhere.db, text)
        with elsewhere.db.atomic():
            group_documents(elsewhere.db.conn, [original])
    copy = add_article(db, outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1])
    with db.atomic():
        group_documents(db.conn, [copy], held=held)
    assert story_ids(db.conn, [copy])[copy] == original


def test_a_batch_rolled_back_leaves_no_held_keys_behind(library):
    db = library.db
    rng = random.Random(8)
    text = random_text(rng, ENGLISH, paragraphs=4)
    held = HeldBands(100)
    with pytest.raises(RuntimeError), db.atomic():
        gone = add_article(db, text)
        group_documents(db.conn, [gone], held=held)
        raise RuntimeError("the transaction fails after grouping")
    original = add_article(db, random_text(rng, ENGLISH, paragraphs=4))
    copy = add_article(db, outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1])
    with db.atomic():
        changed = group_documents(db.conn, [original, copy], held=held)
    assert story_ids(db.conn, [copy])[copy] == copy  # not joined to the article rolled back
    assert changed == {original, copy}
    stored = sorted(row[0] for row in db.conn.execute("SELECT key << 31 | document_id FROM story_bands"))
    assert sorted(np.concatenate(held._packed).tolist()) == stored  # what it holds is what is stored


def test_a_few_articles_added_to_a_large_library_look_their_keys_up(library):
    db = library.db
    rng = random.Random(9)
    text = random_text(rng, ENGLISH, paragraphs=4)
    stored = [add_article(db, text)] + [add_article(db, random_text(rng, ENGLISH, paragraphs=3)) for _ in range(9)]
    with db.atomic():
        group_documents(db.conn, stored)
    held = HeldBands(1)  # one article against ten stored: loading their keys would cost more
    copy = add_article(db, outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1])
    with db.atomic():
        group_documents(db.conn, [copy], held=held)
    assert held._off and not held._packed
    assert story_ids(db.conn, [copy])[copy] == stored[0]
