"""A number a highlight, an entity or a mention had is never given to a new one (schema 0026):
an undo that writes a deleted row back never overwrites a row made since."""

from __future__ import annotations

from desktop.core.annotations import create_annotation, delete_annotation
from desktop.core.library import open_library
from desktop.core.row_numbers import take_ids
from tests.core.helpers import add_article, library_before, span


def test_a_new_highlight_never_takes_the_number_of_one_deleted(library):
    doc = add_article(library.db, "Andrei Rudskoy met the rector in Tomsk.")
    first, _ = create_annotation(library.db, doc, *span(library.db, doc, "Andrei Rudskoy"))
    delete_annotation(library.db, first["id"])
    second, _ = create_annotation(library.db, doc, *span(library.db, doc, "Tomsk"))
    assert second["id"] == first["id"] + 1


def test_a_library_made_before_numbers_were_kept_counts_its_rows_as_given(tmp_path):
    path = tmp_path / "older.sqlite"
    with library_before(path, "0026_given_numbers_kept") as db:
        db.execute("INSERT INTO entities (id, label, name) VALUES (41, 'PERSON', 'Xi Jinping')")
        db.execute("INSERT INTO entities (id, label, name) VALUES (7, 'GPE', 'Tomsk')")
    with open_library(path) as library:
        library.db.execute("DELETE FROM entities WHERE id = 41")
        with library.db.atomic():
            assert take_ids(library.db.conn, "entities", 3) == 42
            assert take_ids(library.db.conn, "entities") == 45  # the three before were given
            assert take_ids(library.db.conn, "mentions", 0) == take_ids(library.db.conn, "mentions") == 1
