"""The migrations of search and its facets: the search and facet tables, the full-text
index as Datasette reads it, the second index for every script, the stored facet index, the
change log's record of tags renamed, the keys the list sorts titles and outlets by, the
indexes its State and Language sorts read, and the sort order kept with a saved search.

Registered in order, under their names, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import run_script


def search_facet_index(db: Database) -> None:
    """What search ranks by, and what facet counts read instead of the article rows.

    - ``documents_search`` covers every column a filter, a sort or a facet count
      reads, so counts over a result set never touch the article text.
    - ``document_entities`` holds one row per entity per document (however often
      it is mentioned), kept in step with ``mentions`` by triggers, so entity
      facets count rows instead of distinct documents over every mention.
    - ``search_log`` names each document whose facet values, text, tags or entities
      changed (``document_id`` NULL: every document, e.g. a tag renamed), so a
      search's in-memory facet index catches up instead of reading everything
      again. It keeps the latest 10,000 to 11,000 changes.
    - The full-text index ranks with bm25 weighting a title hit 5, a note 2 and
      the body 1, so ``ORDER BY rank`` needs no ranking function of its own.
    """
    run_script(
        db,
        """
        CREATE INDEX documents_search ON documents (
            id, published, source, author, starred, read_state, word_count, imported_at
        );

        CREATE TABLE document_entities (
            entity_id INTEGER NOT NULL,
            document_id INTEGER NOT NULL,
            PRIMARY KEY (entity_id, document_id)
        ) WITHOUT ROWID;
        CREATE INDEX document_entities_document ON document_entities (document_id, entity_id);
        INSERT INTO document_entities (entity_id, document_id)
            SELECT DISTINCT entity_id, document_id FROM mentions;
        CREATE TRIGGER mentions_document_entities_ai AFTER INSERT ON mentions BEGIN
            INSERT OR IGNORE INTO document_entities (entity_id, document_id)
            VALUES (new.entity_id, new.document_id);
        END;
        CREATE TRIGGER mentions_document_entities_ad AFTER DELETE ON mentions BEGIN
            DELETE FROM document_entities
            WHERE entity_id = old.entity_id AND document_id = old.document_id
              AND NOT EXISTS (SELECT 1 FROM mentions
                              WHERE entity_id = old.entity_id AND document_id = old.document_id);
        END;
        CREATE TRIGGER mentions_document_entities_au AFTER UPDATE OF entity_id, document_id
        ON mentions BEGIN
            DELETE FROM document_entities
            WHERE entity_id = old.entity_id AND document_id = old.document_id
              AND NOT EXISTS (SELECT 1 FROM mentions
                              WHERE entity_id = old.entity_id AND document_id = old.document_id);
            INSERT OR IGNORE INTO document_entities (entity_id, document_id)
            VALUES (new.entity_id, new.document_id);
        END;

        CREATE TABLE search_log (
            seq INTEGER PRIMARY KEY,
            area TEXT NOT NULL CHECK (area IN ('documents', 'tags', 'entities')),
            document_id INTEGER
        );
        CREATE TRIGGER search_log_trim AFTER INSERT ON search_log WHEN new.seq % 1000 = 0 BEGIN
            DELETE FROM search_log WHERE seq <= new.seq - 10000;
        END;
        CREATE TRIGGER search_log_documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('documents', new.id);
        END;
        CREATE TRIGGER search_log_documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('documents', old.id);
        END;
        CREATE TRIGGER search_log_documents_au AFTER UPDATE OF
            title, text, notes, published, source, author, starred, read_state ON documents BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('documents', new.id);
        END;
        CREATE TRIGGER search_log_document_tags_ai AFTER INSERT ON document_tags BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('tags', new.document_id);
        END;
        CREATE TRIGGER search_log_document_tags_ad AFTER DELETE ON document_tags BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('tags', old.document_id);
        END;
        CREATE TRIGGER search_log_tags_au AFTER UPDATE OF name ON tags BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('tags', NULL);
        END;
        CREATE TRIGGER search_log_document_entities_ai AFTER INSERT ON document_entities BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('entities', new.document_id);
        END;
        CREATE TRIGGER search_log_document_entities_ad AFTER DELETE ON document_entities BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('entities', old.document_id);
        END;
        CREATE TRIGGER search_log_entities_ai AFTER INSERT ON entities BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('entities', NULL);
        END;
        CREATE TRIGGER search_log_entities_au AFTER UPDATE OF label, name ON entities BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('entities', NULL);
        END;

        INSERT INTO documents_fts (documents_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 2.0)');
        """,
    )


def fts_declared_for_datasette(db: Database) -> None:
    """The full-text index declared ``content=[documents]``, the form Datasette and
    sqlite-utils recognise (0001 wrote ``content='documents'``, which both miss, so
    Datasette's ``?_search=`` returned every article).

    Same columns, tokenizer and bm25 rank weights (title 5, body 1, notes 2). The
    triggers live on ``documents`` and name the index, not its declaration, so they
    stay as they are; the index is rebuilt from the articles.
    """
    run_script(
        db,
        """
        DROP TABLE documents_fts;
        CREATE VIRTUAL TABLE documents_fts USING fts5 (
            title, text, notes,
            content=[documents], content_rowid=[id],
            tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO documents_fts (documents_fts, rank) VALUES ('rank', 'bm25(5.0, 1.0, 2.0)');
        INSERT INTO documents_fts (documents_fts) VALUES ('rebuild');
        """,
    )


def search_index_for_all_scripts(db: Database) -> None:
    """A second, contentless full-text index that finds Russian words in every inflected form
    and Chinese words inside runs of Han characters (``desktop.core.shadow_index``), kept in
    step from Python through a change log that triggers on ``documents`` write. The
    articles already in the library are queued and indexed in the background; searches use
    ``documents_fts`` until the index is complete. ``documents_fts`` stays as it is."""
    from ..shadow_index import SCHEMA

    run_script(db, SCHEMA)


def facet_index_store(db: Database) -> None:
    """The facet index kept in the library (``desktop.core.facet_store``): a newly opened
    library shows its sidebar without reading every article's facet values again. A cache,
    valid up to its ``seq`` in ``search_log``; one row at most."""
    run_script(
        db,
        """
        CREATE TABLE facet_index_store (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            seq INTEGER NOT NULL,
            layout TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            data BLOB NOT NULL
        );
        """,
    )


def tag_looks_logged(db: Database) -> None:
    """A tag's colour and pinned slot are logged in ``search_log`` like its name, so a window
    learns of a tag another process recoloured or pinned (its tag list and pinned-tag keys
    show them) instead of learning of it only with the next change to the tags."""
    run_script(
        db,
        """
        DROP TRIGGER search_log_tags_au;
        CREATE TRIGGER search_log_tags_au AFTER UPDATE OF name, colour, pinned ON tags BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('tags', NULL);
        END;
        """,
    )


def tag_renames_logged(db: Database) -> None:
    """Tags renamed or merged are logged by their old and new names (``tag_rename_log``), so a
    window whose filters name a tag that another process renamed can follow it; the latest
    thousand or so are kept."""
    run_script(
        db,
        """
        CREATE TABLE tag_rename_log (
            seq INTEGER PRIMARY KEY,
            old TEXT NOT NULL,
            new TEXT NOT NULL,
            children INTEGER NOT NULL
        );
        CREATE TRIGGER tag_rename_log_trim AFTER INSERT ON tag_rename_log WHEN new.seq % 100 = 0 BEGIN
            DELETE FROM tag_rename_log WHERE seq <= new.seq - 1000;
        END;
        """,
    )


def sort_keys_in_every_script(db: Database) -> None:
    """Titles and outlets sort ignoring case in every script (``desktop.core.sort_keys``): each
    article gets its ``title_key`` and ``source_key``, each indexed for the whole list, and a
    trigger marks them stale when its title or outlet changes. ``documents_search`` covers the
    keys too, so a search's matches sort by title or outlet without reading their rows, as they
    do by the other columns. About two seconds for 100,000 articles."""
    from ..sort_keys import INDEXES, SCHEMA, fill_sort_keys

    run_script(db, SCHEMA)
    fill_sort_keys(db.conn)
    run_script(db, INDEXES)
    run_script(
        db,
        """
        DROP INDEX documents_search;
        CREATE INDEX documents_search ON documents (
            id, published, source, author, starred, read_state, word_count, imported_at, language,
            title_key, source_key
        );
        """,
    )


def state_and_language_sort_indexes(db: Database) -> None:
    """The State and Language sorts read an index in order instead of sorting every article at
    each click (at 100,000 articles about 150 ms and 260 ms became 40 ms, for 3 MB): each index
    is on the very expression the sort orders by (``desktop.core.search.STATE_ORDER``, and
    ``desktop.core.language.language_order_sql``, each language's place in name order), then the
    id, as the sort's ties are broken. About half a second for 100,000 articles."""
    from ..language import language_order_sql
    from ..search import STATE_ORDER

    run_script(
        db,
        f"""
        CREATE INDEX documents_state_order ON documents ({STATE_ORDER.replace("d.", "")}, id);
        CREATE INDEX documents_language_order ON documents ({language_order_sql("language")}, id);
        """,
    )


def saved_search_sort(db: Database) -> None:
    """The sort order a saved search was saved with: ``sort`` (one of ``search.SORT_KEYS``; NULL
    for a search saved before, which opens in whatever order the list has) and ``descending``."""
    run_script(db, """
        ALTER TABLE saved_searches ADD COLUMN sort TEXT;
        ALTER TABLE saved_searches ADD COLUMN descending INTEGER NOT NULL DEFAULT 0;
    """)
