"""The suggestions found in a process of their own: the same as found here, and cancellable."""

from __future__ import annotations

import pytest

from desktop.core.entities.suggestions import suggestions
from desktop.core.entities.suggestions_apart import suggestions_apart
from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken
from tests.core.helpers import add_article, add_mention


@pytest.fixture
def duplicates(library):
    for name, articles in (("Lib Dem", 1), ("Lib Dems", 3), ("Blair", 1), ("Tony Blair", 4)):
        for n in range(articles):
            add_mention(library.db, add_article(library.db, f"{name} story {n}"), "ORG", name)
    library.db.conn.commit()  # the process reads the file
    return library


def keys(found) -> list[str]:
    return [s.key for s in found]


def test_the_suggestions_found_apart_are_those_found_here_less_the_skipped(duplicates, monkeypatch):
    from desktop.core.entities import suggestions_apart as apart

    here = suggestions(duplicates.db)
    monkeypatch.setattr(apart, "_found_here", lambda *_: pytest.fail("found on this thread"))
    assert len(here) == 2
    assert keys(suggestions_apart(duplicates, skipped=frozenset(), cancel=CancelToken(), cores=2)) == keys(here)
    assert keys(suggestions_apart(duplicates, skipped=frozenset({here[0].key}), cancel=CancelToken(),
                                  cores=2)) == keys(here[1:])


def test_on_a_single_core_they_are_found_here_alike(duplicates):
    assert keys(suggestions_apart(duplicates, skipped=frozenset(), cancel=CancelToken(), cores=1)) == \
        keys(suggestions(duplicates.db))


def test_a_cancelled_reading_stops(duplicates):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        suggestions_apart(duplicates, skipped=frozenset(), cancel=token, cores=2)
