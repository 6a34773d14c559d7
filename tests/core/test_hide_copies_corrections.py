"""A later copy that says it corrects the story ("CORRECTED - …", "(Corrects …)", "исправлено",
"更正") is the one Hide copies and an export of one row per story keep; a pinned original still wins,
and a filter that finds only the first version still finds it."""

from __future__ import annotations

import json
import random

import pytest

from desktop.core.export import export_results
from desktop.core.facets import COPIES, COPY
from desktop.core.filters import Filters
from desktop.core.search import search_ids
from desktop.core.stories import group_documents, one_per_story, story_ids
from desktop.core.stories_corrections import pin_original
from desktop.core.tags import add_tag
from desktop.core.wire_corrections import is_correction
from tests.core.helpers import add_article
from tests.stories_variants import ENGLISH, outlet_copy, random_text

HIDDEN = Filters().excluding(COPIES, COPY)


def _versions(db, *corrections: tuple[str, str, str]) -> tuple[int, int, list[int]]:
    """The first version of a report, an outlet's copy, and the ``corrections`` (title, opening, date)."""
    rng = random.Random(5)
    text = random_text(rng, ENGLISH, paragraphs=8)
    first = add_article(db, text, title="Lunar station opens", source="Xinhua", published="2023-03-14")
    title, copy = outlet_copy("Lunar station opens", text, rng, vocabulary=ENGLISH)
    copied = add_article(db, copy, title=title, source="ECNS", published="2023-03-15")
    corrected = [add_article(db, f"{opening}{text}\nSent {date}.", title=title, source="Xinhua", published=date)
                 for title, opening, date in corrections]
    with db.atomic():
        group_documents(db.conn, [first, copied, *corrected])
    assert set(story_ids(db.conn, [copied, *corrected]).values()) == {first}
    return first, copied, corrected


MARKS = [
    ("CORRECTED - Lunar station opens", ""),
    ("(CORRECTED) - Lunar station opens", ""),
    ("Lunar station opens", "(Corrects the date of the launch in paragraph 2)\n"),
    ("Lunar station opens", "CORRECTION - In the item headlined \"Lunar station\" please read\n"),
    ("ИСПРАВЛЕНО: Лунная станция открыта", ""),
    ("Лунная станция открыта", "(исправлено: дата запуска)\n"),
    ("更正：月球站启用", ""),
]


@pytest.mark.parametrize("title, opening", MARKS)
def test_hide_copies_keeps_the_correction_rather_than_the_first_version(library, title, opening):
    first, copied, (corrected,) = _versions(library.db, (title, opening, "2023-03-16"))
    assert search_ids(library.db, "", filters=HIDDEN) == [corrected]


def test_hide_copies_keeps_the_latest_of_two_corrections(library):
    first, copied, (earlier, later) = _versions(
        library.db, ("CORRECTED - Lunar station opens", "", "2023-03-16"),
        ("Lunar station opens", "(Corrects the name of the module)\n", "2023-03-17"))
    for sort in ("published", "relevance"):
        assert search_ids(library.db, "", filters=HIDDEN, sort=sort) == [later]


def test_a_pinned_original_is_kept_over_a_correction(library):
    first, copied, (corrected,) = _versions(library.db, ("CORRECTED - Lunar station opens", "", "2023-03-16"))
    assert search_ids(library.db, "", filters=HIDDEN) == [corrected]
    pin_original(library.db, first)  # the original already: its story does not change
    assert search_ids(library.db, "", filters=HIDDEN) == [first]


def test_a_filter_that_finds_only_the_first_version_still_finds_the_story(library):
    first, copied, (corrected,) = _versions(library.db, ("CORRECTED - Lunar station opens", "", "2023-03-16"))
    add_tag(library.db, [first], "lunar")
    assert search_ids(library.db, "", filters=HIDDEN.including("tag", "lunar")) == [first]


def test_one_row_per_story_exports_the_correction(library, tmp_path):
    first, copied, (corrected,) = _versions(library.db, ("CORRECTED - Lunar station opens", "", "2023-03-16"))
    other = add_article(library.db, random_text(random.Random(9), ENGLISH, paragraphs=6), title="Navigation")
    assert one_per_story(library.db.conn, [first, copied, corrected, other]) == [corrected, other]
    export_results(library.db, [first, copied, corrected, other], "jsonl", tmp_path / "out.jsonl",
                   one_per_story=True)
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [row["id"] for row in rows] == [corrected, other]


@pytest.mark.parametrize("title, opening", [
    ("Jamaica corrects size of Paris Club rescheduling", ""),
    ("Silver State Mining corrects net", "Silver State Mining Corp said it has\ncorrected its 1986 net income"),
    ("GDP rises", "Output rose 2 pct (corrected for seasonal factors) in March"),
    ("UPDATE 1-Lunar station opens", ""),
    ("Правительство исправило прогноз", "Министерство опубликовало исправленные данные"),
])
def test_news_about_a_correction_is_not_taken_for_a_corrected_copy(title, opening):
    assert not is_correction(title, opening)
