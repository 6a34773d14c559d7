"""The migration of article languages: language as a facet, filled in the background.

Registered in order, under their names, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import run_script


def article_languages(db: Database) -> None:
    """Language becomes a facet: ``documents_search`` covers ``language`` too (the facet index
    and filters read it without touching the article rows), a change of language is logged
    for other windows like any facet value, and a library that holds articles is marked for
    ``language_fill`` to detect the languages of those imported before detection
    (``meta.language_fill_after``: the id the fill has reached)."""
    run_script(
        db,
        """
        DROP INDEX documents_search;
        CREATE INDEX documents_search ON documents (
            id, published, source, author, starred, read_state, word_count, imported_at, language
        );

        DROP TRIGGER search_log_documents_au;
        CREATE TRIGGER search_log_documents_au AFTER UPDATE OF
            title, text, notes, published, source, author, language, starred, read_state
            ON documents BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('documents', new.id);
        END;

        INSERT INTO meta (key, value)
            SELECT 'language_fill_after', '0' WHERE EXISTS (SELECT 1 FROM documents);
        """,
    )
