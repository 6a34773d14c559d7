"""The facet index kept in the library: saved, reused by a newly opened library, kept correct."""

from __future__ import annotations

import pytest

from desktop.core import facet_counts as facet_counts_module
from desktop.core import facet_index, facet_store
from desktop.core.facet_counts import date_histogram, facet_counts
from desktop.core.library import open_library
from desktop.core.tags import add_tag
from desktop.core.removal import remove_documents
from tests.core.helpers import add_article, add_mention

FACETS = ("source", "year", "tag", "state", "entity:PERSON")


@pytest.fixture
def saved(library):
    """A library of 12 articles whose facet index has been counted (and so saved)."""
    db = library.db
    with db.atomic():
        for number in range(12):
            doc_id = add_article(db, f"Story {number} about the harbour", title=f"Story {number}",
                                 source=("Xinhua", "TASS")[number % 2],
                                 published=f"20{10 + number % 3}-05-01")
            add_mention(db, doc_id, "PERSON", ("Zhang Wei", "Anna Petrova")[number % 2])
    add_tag(db, [1, 2, 3], "asia")
    counted(db)
    return library


def counted(db) -> dict:
    """Every facet's counts and the histogram, as a person sees them in the sidebar."""
    counts = {name: dict(facet_counts(db, name)) for name in FACETS}
    counts["histogram"] = dict(date_histogram(db))
    counts["harbour"] = dict(facet_counts(db, "source", query="harbour"))
    return counts


def reopened_counts(path) -> dict:
    with open_library(path) as library:
        return counted(library.db)


def recounted_from_the_articles(path, monkeypatch) -> dict:
    """The counts of a library whose saved index is ignored (read from the articles)."""
    with monkeypatch.context() as patch:
        patch.setattr(facet_store, "load_index", lambda conn: None)
        patch.setattr(facet_store, "save_index", lambda conn, index: False)
        patch.setattr("desktop.core.facet_counts.load_index", lambda conn: None)
        patch.setattr("desktop.core.facet_counts.save_index", lambda conn, index: False)
        return reopened_counts(path)


def forbid_reading_the_articles(monkeypatch) -> None:
    def refuse(self, conn, ids):
        if ids is None:
            raise AssertionError("the facet index was read from the articles")
        return original(self, conn, ids)

    original = facet_index.FacetIndex._read_documents
    monkeypatch.setattr(facet_index.FacetIndex, "_read_documents", refuse)


def test_counting_saves_the_facet_index_in_the_library(saved):
    seq, layout = saved.db.execute("SELECT seq, layout FROM facet_index_store").fetchone()
    assert layout == facet_store.LAYOUT
    assert seq == saved.db.execute("SELECT max(seq) FROM search_log").fetchone()[0]


def test_a_newly_opened_library_counts_from_the_saved_index(saved, monkeypatch):
    expected = counted(saved.db)
    forbid_reading_the_articles(monkeypatch)
    assert reopened_counts(saved.path) == expected


@pytest.mark.parametrize("change", ["import", "delete", "tag", "entity", "star", "outside"])
def test_a_saved_index_catches_up_with_later_changes(saved, monkeypatch, change):
    db = saved.db
    if change == "import":
        with db.atomic():
            add_article(db, "A new harbour story", source="RIA", published="2015-01-01")
    elif change == "delete":
        remove_documents(db, [2, 3])
    elif change == "tag":
        add_tag(db, [5, 6], "europe")
    elif change == "entity":
        with db.atomic():
            add_mention(db, 7, "PERSON", "Li Qiang")
    elif change == "star":
        with db.atomic():
            db.execute("UPDATE documents SET starred = 1, read_state = 'read' WHERE id = 4")
    else:
        with open_library(saved.path) as other, other.db.atomic():
            other.db.execute("UPDATE documents SET source = 'Interfax' WHERE id IN (8, 9)")
    expected = recounted_from_the_articles(saved.path, monkeypatch)
    forbid_reading_the_articles(monkeypatch)
    assert reopened_counts(saved.path) == expected


def test_a_saved_index_older_than_the_change_log_is_read_again_and_saved(saved, monkeypatch):
    with saved.db.atomic():
        saved.db.execute("UPDATE documents SET source = 'Interfax' WHERE id = 1")
        saved.db.execute("DELETE FROM search_log")
        saved.db.execute("INSERT INTO search_log (seq, area, document_id) VALUES (100000, 'tags', 1)")
    assert reopened_counts(saved.path)["source"]["Interfax"] == 1
    assert saved.db.execute("SELECT seq FROM facet_index_store").fetchone()[0] == 100000


def test_a_saved_index_of_another_layout_is_not_used(saved, monkeypatch):
    with saved.db.atomic():
        saved.db.execute("UPDATE facet_index_store SET layout = '[0, []]'")
    expected = counted(saved.db)
    assert reopened_counts(saved.path) == expected
    assert saved.db.execute("SELECT layout FROM facet_index_store").fetchone()[0] == facet_store.LAYOUT


def test_an_unreadable_saved_index_is_read_again_from_the_articles(saved):
    expected = counted(saved.db)
    with saved.db.atomic():
        saved.db.execute("UPDATE facet_index_store SET data = x'00010203'")
    assert reopened_counts(saved.path) == expected


def test_saving_is_skipped_while_another_connection_writes(saved):
    index = facet_store.load_index(saved.db.conn)
    with open_library(saved.path) as other, other.db.atomic():
        other.db.execute("UPDATE documents SET starred = 1 WHERE id = 1")
        assert not facet_store.save_index(saved.db.conn, index)


def test_a_large_import_leaves_an_index_the_next_window_counts_from(library, tmp_path, monkeypatch):
    from desktop.core.ingest import import_paths
    from tests.core.helpers import text_folder

    monkeypatch.setattr(facet_store, "SAVE_AFTER", 5)  # a few files stand for a large import
    folder = text_folder(tmp_path / "in", {
        f"story{number}.txt": f"Harbour story {number}\n\nThe harbour of Tianjin opened berth {number}."
        for number in range(12)})
    import_paths(library, [folder])
    expected = recounted_from_the_articles(library.path, monkeypatch)
    forbid_reading_the_articles(monkeypatch)
    assert reopened_counts(library.path) == expected
    assert sum(expected["state"].values()) >= 12  # the imported articles are counted


def test_a_long_session_saves_its_index_again_so_the_next_window_need_not_read_the_articles(
        saved, monkeypatch):
    monkeypatch.setattr("desktop.core.facet_counts.RESAVE_AFTER", 3)
    db = saved.db
    first = db.execute("SELECT seq FROM facet_index_store").fetchone()[0]
    for number in range(4):
        with db.atomic():
            add_article(db, f"Later story {number}", source="RIA", published="2016-01-01")
        counted(db)  # the window counts after each change
    kept, latest = db.execute("SELECT (SELECT seq FROM facet_index_store), max(seq) FROM search_log").fetchone()
    assert first < kept and latest - kept <= 3


def test_a_save_refused_while_another_connection_wrote_is_tried_again_later(saved, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("desktop.core.facet_counts.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("desktop.core.facet_counts.SAVE_AFTER", 0)
    with saved.db.atomic():
        saved.db.execute("UPDATE facet_index_store SET layout = '[0, []]'")
    with open_library(saved.path) as reader:
        with open_library(saved.path) as other, other.db.atomic():
            other.db.execute("UPDATE documents SET starred = 1 WHERE id = 1")
            counted(reader.db)  # the index is read from the articles; its save is refused
        assert saved.db.execute("SELECT layout FROM facet_index_store").fetchone()[0] != facet_store.LAYOUT
        clock[0] += facet_store.RETRY_AFTER_S + 1
        with saved.db.atomic():
            saved.db.execute("UPDATE documents SET starred = 0 WHERE id = 1")
        counted(reader.db)
        assert saved.db.execute("SELECT layout FROM facet_index_store").fetchone()[0] == facet_store.LAYOUT


def test_an_import_whose_facet_index_cannot_be_read_still_reports_its_articles(library, tmp_path, monkeypatch):
    from desktop.core.ingest import import_paths
    from tests.core.helpers import text_folder

    monkeypatch.setattr(facet_store, "SAVE_AFTER", 0)

    def unreadable(conn):
        raise facet_store.sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(facet_store, "load_index", unreadable)
    folder = text_folder(tmp_path / "in", {"a.txt": "Harbour story\n\nThe harbour of Tianjin opened a berth."})
    report = import_paths(library, [folder])
    assert len(report.imported) == 1


def test_a_held_save_waits_until_it_is_asked_for_and_then_serves_the_next_opening(library, monkeypatch):
    db = library.db
    with db.atomic():
        for number in range(6):
            add_article(db, f"Report {number} from the harbour", source=("Xinhua", "TASS")[number % 2],
                        published=f"2019-0{1 + number}-01")
    facet_counts_module.hold_saving(db)
    expected = counted(db)
    assert db.execute("SELECT count(*) FROM facet_index_store").fetchone()[0] == 0
    assert facet_counts_module.save_held_index(db)
    assert db.execute("SELECT seq FROM facet_index_store").fetchone()[0] == \
        db.execute("SELECT max(seq) FROM search_log").fetchone()[0]
    forbid_reading_the_articles(monkeypatch)
    assert counted(db) == expected  # the saving connection's own counts stay as they were
    assert reopened_counts(library.path) == expected
