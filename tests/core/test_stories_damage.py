"""Grouping stories in a damaged library: it stops with the damage named, never goes round without
end, and writes nothing. A damaged page of ``documents`` lists an article that a lookup by its id
cannot find; grouping read "the next ungrouped batch" again and again and got that article back."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.core import stories
from desktop.core.errors import LibraryDamaged
from desktop.core.library import open_library
from desktop.core.stories import group_documents, group_library
from tests.core.test_damage import ARTICLES, build_library, flip_page_bytes

MOST_BATCHES = ARTICLES // stories.BATCH + 2  # what a run over the whole library needs at most


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    path = build_library(tmp_path_factory.mktemp("healthy") / "library.sqlite")
    with open_library(path) as library, library.db.atomic():
        library.db.execute("DELETE FROM meta WHERE key = 'stories.signature_version'")
    return path


@pytest.fixture
def damaged(healthy, tmp_path) -> Path:
    path = tmp_path / "library.sqlite"
    shutil.copy(healthy, path)
    flip_page_bytes(path, btree="documents", seed=1)
    return path


@pytest.fixture
def batches_counted(monkeypatch) -> list[int]:
    """Fail the test, instead of hanging it, once grouping has run more batches than the library holds."""
    calls: list[int] = []

    def counted(conn, ids, **kwargs):
        calls.append(len(ids))
        if len(calls) > MOST_BATCHES:
            pytest.fail(f"grouping ran {len(calls)} batches over {ARTICLES} articles without end")
        return group_documents(conn, ids, **kwargs)

    monkeypatch.setattr(stories, "group_documents", counted)
    return calls


def signatures_stored(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM story_signatures").fetchone()[0]
    finally:
        conn.close()


def test_grouping_a_damaged_library_is_refused_before_anything_is_written(damaged, batches_counted):
    with open_library(damaged) as library, pytest.raises(LibraryDamaged) as raised:
        group_library(library)
    assert "is damaged" in str(raised.value) and "\n" not in str(raised.value)
    assert batches_counted == []
    assert signatures_stored(damaged) == 0


def test_grouping_a_library_damaged_after_its_check_stops_at_the_article_it_cannot_read(
        damaged, batches_counted):
    with open_library(damaged) as library, pytest.raises(LibraryDamaged) as raised:
        library.verified = True  # damage that came after the check (or that the check missed)
        group_library(library)
    assert raised.value.detail.endswith("is listed but cannot be read")
    assert len(batches_counted) == 1
    assert signatures_stored(damaged) == 0  # the batch was rolled back whole


def test_grouping_articles_of_a_damaged_page_inside_an_import_or_reimport_says_so(damaged):
    with open_library(damaged) as library:
        ids = [row[0] for row in library.db.execute("SELECT id FROM documents")]
        with pytest.raises(LibraryDamaged, match="is listed but cannot be read"), library.db.atomic():
            group_documents(library.db.conn, ids)
    assert signatures_stored(damaged) == 0
