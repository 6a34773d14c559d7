"""Copies of one story: Hide copies keeps one article per story among the results, whichever copy
the other filters keep, and each version says what the person added to it."""

from __future__ import annotations

import random

from desktop.core.facets import COPIES, COPY
from desktop.core.filters import Filters
from desktop.core.search import date_histogram, facet_counts, search_ids
from desktop.core.stories import group_documents, story_ids
from desktop.core.tags import add_tag
from tests.core.helpers import add_article
from tests.stories_variants import ENGLISH, outlet_copy, random_text

HIDDEN = Filters().excluding(COPIES, COPY)


def _story(db) -> tuple[int, int, int]:
    """An agency's report (the original), one outlet's copy and a different report, grouped."""
    rng = random.Random(11)
    text = random_text(rng, ENGLISH, paragraphs=8)
    original = add_article(db, text, title="Lunar station", source="Xinhua", published="2023-03-14")
    title, copy = outlet_copy("Lunar station", text, rng, vocabulary=ENGLISH)
    copied = add_article(db, copy + " Editor: Li Wei", title=title, source="ECNS", published="2023-03-15")
    other = add_article(db, random_text(rng, ENGLISH, paragraphs=8), title="Navigation", source="ECNS",
                        published="2023-05-19")
    with db.atomic():
        group_documents(db.conn, [original, copied, other])
    assert story_ids(db.conn, [original, copied])[copied] == original
    return original, copied, other


def test_hide_copies_keeps_one_article_per_story(library):
    original, copied, other = _story(library.db)
    assert sorted(search_ids(library.db, "", filters=HIDDEN)) == [original, other]


def test_hide_copies_keeps_the_copy_a_tag_filter_finds(library):
    original, copied, other = _story(library.db)
    add_tag(library.db, [copied], "lunar")
    assert search_ids(library.db, "", filters=HIDDEN.including("tag", "lunar")) == [copied]


def test_hide_copies_keeps_the_copy_an_outlet_filter_finds_and_counts_it(library):
    original, copied, other = _story(library.db)
    filters = HIDDEN.including("source", "ECNS")
    assert sorted(search_ids(library.db, "", filters=filters)) == [copied, other]
    assert dict(facet_counts(library.db, "source", filters=filters))["ECNS"] == 2
    assert dict(date_histogram(library.db, filters=filters)) == {"2023": 2}


def test_hide_copies_keeps_the_copy_a_search_finds_in_relevance_and_date_order(library):
    original, copied, other = _story(library.db)
    for sort in ("relevance", "published"):
        assert search_ids(library.db, '"Editor Li Wei"', filters=HIDDEN, sort=sort) == [copied]


def test_hide_copies_keeps_the_original_when_both_are_found(library):
    original, copied, other = _story(library.db)
    add_tag(library.db, [original, copied], "lunar")
    assert search_ids(library.db, "", filters=HIDDEN.including("tag", "lunar")) == [original]



def test_each_version_says_what_the_person_added_to_it(library):
    from desktop.core.annotations import create_annotation, set_document_note
    from desktop.core.stories import versions

    original, copied, other = _story(library.db)
    create_annotation(library.db, copied, 0, 5, note="check")
    set_document_note(library.db, copied, "Ask Xinhua")
    add_tag(library.db, [copied], "lunar")
    marks = {v.id: v.yours for v in versions(library.db.conn, original)}
    assert marks == {original: "", copied: "1 highlight, a note, tagged lunar"}
