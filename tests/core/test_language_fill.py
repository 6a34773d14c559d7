"""Libraries made before languages were detected: migration 0008 marks them, the fill detects
their articles' languages batch by batch, resumes after a cancel, and tells other windows."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.changes import log_position, outside_changes
from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken
from desktop.core.language_fill import FILL_KEY, detect_batch, fill_languages, fill_pending
from desktop.core.library import data_version, open_library
from tests.core.helpers import add_article, library_before
from tests.core.test_language import CHINESE, ENGLISH, RUSSIAN

LANGUAGE_MIGRATION = "0008_article_languages"


def old_library(path: Path, texts: list[tuple[str, str | None]]) -> tuple[Path, list[int]]:
    """A library as Dossier wrote it before migration 0008, holding ``texts`` (text, language)."""
    with library_before(path, LANGUAGE_MIGRATION) as db:
        ids = [add_article(db, text, title=f"Article {n}", language=language)
               for n, (text, language) in enumerate(texts)]
    return path, ids


def languages(library) -> list[str | None]:
    return [row[0] for row in library.db.execute("SELECT language FROM documents ORDER BY id")]


MIXED = [(RUSSIAN, None), (CHINESE, None), (ENGLISH, "en-US"), (ENGLISH + " Again.", "de"), ("2019 — 12", None)]


def test_a_fresh_or_empty_library_needs_no_fill(library, tmp_path):
    assert fill_pending(library.db) == 0
    path, _ = old_library(tmp_path / "empty.sqlite", [])
    with open_library(path) as migrated:
        assert fill_pending(migrated.db) == 0


def test_the_fill_detects_missing_languages_and_tidies_declared_tags(tmp_path):
    path, ids = old_library(tmp_path / "old.sqlite", MIXED)
    with open_library(path) as library:
        assert fill_pending(library.db) == 4  # "de" is a code already and stays
        changes = fill_languages(library, batch_size=2)
        assert languages(library) == ["ru", "zh", "en", "de", None]
        assert changes.edited == frozenset(ids[:3])
        assert fill_pending(library.db) == 0
        assert library.db.execute("SELECT count(*) FROM meta WHERE key = ?", [FILL_KEY]).fetchone() == (0,)


def test_a_cancelled_fill_keeps_its_batches_and_goes_on_from_there(tmp_path):
    path, _ = old_library(tmp_path / "old.sqlite", MIXED)
    cancel = CancelToken()
    seen = []

    def progress(step):
        seen.append((step.done, step.total))
        cancel.cancel()

    with open_library(path) as library:
        with pytest.raises(Cancelled):
            fill_languages(library, progress=progress, cancel=cancel, batch_size=2)
        assert seen == [(2, 4)]
        assert languages(library) == ["ru", "zh", "en-US", "de", None]
        assert fill_pending(library.db) == 2
    with open_library(path) as library:
        fill_languages(library, batch_size=2)
        assert languages(library) == ["ru", "zh", "en", "de", None]


def test_detecting_a_batch_writes_nothing(tmp_path):
    path, ids = old_library(tmp_path / "old.sqlite", MIXED)
    with open_library(path) as library:
        batch = detect_batch(library.db, limit=3)
        assert batch.found == [(ids[0], None, "ru"), (ids[1], None, "zh"), (ids[2], "en-US", "en")]
        assert batch.last_id == ids[2]
        assert languages(library)[0] is None


def test_a_language_set_meanwhile_is_not_overwritten(tmp_path):
    from desktop.core.language_fill import store_languages

    path, ids = old_library(tmp_path / "old.sqlite", MIXED)
    with open_library(path) as library:
        batch = detect_batch(library.db, limit=1)
        library.db.execute("UPDATE documents SET language = 'uk' WHERE id = ?", [ids[0]])
        assert store_languages(library, batch).edited == frozenset()
        assert languages(library)[0] == "uk"


def test_another_process_sees_the_languages_change(tmp_path):
    path, ids = old_library(tmp_path / "old.sqlite", MIXED)
    with open_library(path) as watcher, open_library(path) as library:
        version = data_version(watcher.db.conn)
        since = log_position(watcher.db.conn)
        fill_languages(library)
        assert data_version(watcher.db.conn) != version
        changes, _ = outside_changes(watcher.db.conn, since)
        assert changes.edited >= set(ids[:3])


def test_the_language_column_is_in_the_covering_index_facets_read(library):
    plan = library.db.execute(
        "EXPLAIN QUERY PLAN SELECT id, language FROM documents INDEXED BY documents_search"
    ).fetchall()
    assert "COVERING INDEX documents_search" in " ".join(row[-1] for row in plan)
