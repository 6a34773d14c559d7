"""The library's schema as append-only named migrations (sqlite-utils ``Migrations``).

Never edit a migration once it has been released: add a new function at the end.
Tables are plain SQL so that Datasette can browse a library file as it is.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database, Migrations

MIGRATION_SET = "dossier"
APPLICATION_ID = 0x444F5353  # "DOSS": marks a SQLite file as a Dossier library

migrations = Migrations(MIGRATION_SET)


def _run_script(db: Database, script: str) -> None:
    """Run statements one by one inside the migration's transaction.

    ``executescript`` would commit the open transaction first, so a failed
    migration could leave half a schema behind.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:60]}")


@migrations(name="0001_initial")
def _initial(db: Database) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT
        );

        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL,
            published TEXT,
            source TEXT,
            author TEXT,
            url TEXT,
            language TEXT,
            path TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            imported_at TEXT NOT NULL,
            modified_at TEXT,
            word_count INTEGER NOT NULL DEFAULT 0,
            extra TEXT,
            note TEXT,
            notes TEXT,
            starred INTEGER NOT NULL DEFAULT 0,
            read_state TEXT NOT NULL DEFAULT 'unread'
                CHECK (read_state IN ('unread', 'to_read', 'read'))
        );
        CREATE INDEX documents_published ON documents (published);
        CREATE INDEX documents_source ON documents (source);
        CREATE INDEX documents_author ON documents (author);
        CREATE INDEX documents_title ON documents (title COLLATE NOCASE);
        CREATE INDEX documents_path ON documents (path);

        CREATE VIRTUAL TABLE documents_fts USING fts5 (
            title, text, notes,
            content='documents', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts (rowid, title, text, notes)
            VALUES (new.id, new.title, new.text, new.notes);
        END;
        CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text, notes)
            VALUES ('delete', old.id, old.title, old.text, old.notes);
        END;
        CREATE TRIGGER documents_au AFTER UPDATE OF title, text, notes ON documents BEGIN
            INSERT INTO documents_fts (documents_fts, rowid, title, text, notes)
            VALUES ('delete', old.id, old.title, old.text, old.notes);
            INSERT INTO documents_fts (rowid, title, text, notes)
            VALUES (new.id, new.title, new.text, new.notes);
        END;

        CREATE TABLE entities (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            UNIQUE (label, name)
        );

        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('model', 'rule', 'user')),
            model TEXT,
            value TEXT
        );
        CREATE INDEX mentions_document ON mentions (document_id, start);
        CREATE INDEX mentions_entity ON mentions (entity_id, document_id);

        CREATE TABLE tags (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            colour TEXT,
            pinned INTEGER UNIQUE,
            created TEXT NOT NULL
        );

        CREATE TABLE document_tags (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
            added_at TEXT,
            PRIMARY KEY (document_id, tag_id)
        );
        CREATE INDEX document_tags_tag ON document_tags (tag_id, document_id);

        CREATE TABLE annotations (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            note TEXT,
            colour TEXT,
            orphaned INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX annotations_document ON annotations (document_id, start);

        CREATE TABLE import_runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            paths TEXT,
            imported INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            cancelled INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES import_runs (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('imported', 'duplicate', 'failed')),
            reason TEXT,
            document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX imports_run ON imports (run_id);
        CREATE INDEX imports_document ON imports (document_id);

        CREATE TABLE saved_searches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            query TEXT NOT NULL DEFAULT '',
            filters TEXT NOT NULL DEFAULT '{}',
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        """
    )


# Append new migrations below this line, each with a new unique name.


@migrations(name="0002_search_facet_index")
def _search_facet_index(db: Database) -> None:
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
    _run_script(
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


@migrations(name="0003_entities_corrections")
def _entities_corrections(db: Database) -> None:
    """Entity corrections that outlive re-extraction: rules, aliases, removed mentions,
    and which documents the model has already read."""
    _run_script(
        db,
        """
        CREATE TABLE entity_rules (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('always', 'never')),
            text TEXT NOT NULL CHECK (text <> ''),
            label TEXT NOT NULL DEFAULT '',
            case_sensitive INTEGER NOT NULL DEFAULT 1,
            created TEXT NOT NULL,
            UNIQUE (kind, text, label, case_sensitive)
        );

        CREATE TABLE entity_aliases (
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            entity_id INTEGER NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
            PRIMARY KEY (label, name)
        );
        CREATE INDEX entity_aliases_entity ON entity_aliases (entity_id);

        CREATE TABLE removed_mentions (
            document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            created TEXT NOT NULL,
            PRIMARY KEY (document_id, start, "end")
        );

        CREATE TABLE entity_extractions (
            document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            extracted_at TEXT NOT NULL
        );
        """
    )


@migrations(name="0004_resumable_import_runs")
def _resumable_import_runs(db: Database) -> None:
    """Who runs an import (process, host, boot, last sign of life) and the files it was given,
    so that a run whose process died reads "interrupted" and can be resumed."""
    _run_script(
        db,
        """
        ALTER TABLE import_runs ADD COLUMN pid INTEGER;
        ALTER TABLE import_runs ADD COLUMN host TEXT;
        ALTER TABLE import_runs ADD COLUMN boot_id TEXT;
        ALTER TABLE import_runs ADD COLUMN owner_token TEXT;
        ALTER TABLE import_runs ADD COLUMN heartbeat_at TEXT;
        ALTER TABLE import_runs ADD COLUMN interrupted_at TEXT;
        ALTER TABLE import_runs ADD COLUMN files_done INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE import_run_files (
            run_id INTEGER NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            path TEXT NOT NULL,
            PRIMARY KEY (run_id, seq)
        ) WITHOUT ROWID;
        """,
    )


@migrations(name="0005_fts_declared_for_datasette")
def _fts_declared_for_datasette(db: Database) -> None:
    """The full-text index declared ``content=[documents]``, the form Datasette and
    sqlite-utils recognise (0001 wrote ``content='documents'``, which both miss, so
    Datasette's ``?_search=`` returned every article).

    Same columns, tokenizer and bm25 rank weights (title 5, body 1, notes 2). The
    triggers live on ``documents`` and name the index, not its declaration, so they
    stay as they are; the index is rebuilt from the articles.
    """
    _run_script(
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


@migrations(name="0006_import_updates_and_missing_files")
def _import_updates_and_missing_files(db: Database) -> None:
    """An import may update an article in place (status ``updated``) and report the files a
    re-imported folder no longer holds (status ``missing``): the ``imports`` table is rebuilt
    to allow both, and each run counts them."""
    _run_script(
        db,
        """
        ALTER TABLE import_runs ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE import_runs ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;

        CREATE TABLE imports_new (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES import_runs (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            status TEXT NOT NULL
                CHECK (status IN ('imported', 'updated', 'duplicate', 'failed', 'missing')),
            reason TEXT,
            document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
            at TEXT NOT NULL
        );
        INSERT INTO imports_new (id, run_id, path, status, reason, document_id, at)
            SELECT id, run_id, path, status, reason, document_id, at FROM imports;
        DROP TABLE imports;
        ALTER TABLE imports_new RENAME TO imports;
        CREATE INDEX imports_run ON imports (run_id);
        CREATE INDEX imports_document ON imports (document_id);
        """,
    )


@migrations(name="0007_search_index_for_all_scripts")
def _search_index_for_all_scripts(db: Database) -> None:
    """A second, contentless full-text index that finds Russian words in every inflected form
    and Chinese words inside runs of Han characters (``desktop.core.shadow_index``), kept in
    step from Python through a change log that triggers on ``documents`` write. The
    articles already in the library are queued and indexed in the background; searches use
    ``documents_fts`` until the index is complete. ``documents_fts`` stays as it is."""
    from .shadow_index import SCHEMA

    _run_script(db, SCHEMA)


@migrations(name="0008_article_languages")
def _article_languages(db: Database) -> None:
    """Language becomes a facet: ``documents_search`` covers ``language`` too (the facet index
    and filters read it without touching the article rows), a change of language is logged
    for other windows like any facet value, and a library that holds articles is marked for
    ``language_fill`` to detect the languages of those imported before detection
    (``meta.language_fill_after``: the id the fill has reached)."""
    _run_script(
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


@migrations(name="0010_entity_name_keys")
def _entity_name_keys(db: Database) -> None:
    """Romanised keys of entity names (one name in Latin, Cyrillic or Han letters reads alike),
    computed here for the entities of a library with up to ``MIGRATION_LIMIT`` of them (larger
    ones in the background), and the cross-script merges the person refused."""
    from .entities.name_keys import MIGRATION_LIMIT, refresh_keys

    _run_script(
        db,
        """
        CREATE TABLE entity_keys (
            entity_id INTEGER PRIMARY KEY REFERENCES entities (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            script TEXT NOT NULL,
            key TEXT NOT NULL,
            words TEXT NOT NULL
        );
        CREATE INDEX entity_keys_key ON entity_keys (key);
        CREATE INDEX entity_aliases_name ON entity_aliases (name);

        CREATE TABLE name_refusals (
            label TEXT NOT NULL,
            name TEXT NOT NULL,
            other_label TEXT NOT NULL,
            other_name TEXT NOT NULL,
            created TEXT NOT NULL,
            PRIMARY KEY (label, name, other_label, other_name)
        );
        """
    )
    if db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] <= MIGRATION_LIMIT:
        refresh_keys(db)


@migrations(name="0011_extraction_queue")
def _extraction_queue(db: Database) -> None:
    """The articles waiting for entity extraction, so that extraction can follow an import in the
    background and resume after a closed window or a killed process.

    An article leaves the queue in the transaction that stores its entities (and its
    ``entity_extractions`` row, which names the model); a process working on a batch claims
    it (its pid and a token) so that two processes never read the same articles.
    """
    _run_script(
        db,
        """
        CREATE TABLE extraction_queue (
            document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            queued_at TEXT NOT NULL,
            claimed_pid INTEGER,
            claimed_by TEXT
        );
        CREATE INDEX extraction_queue_claims ON extraction_queue (claimed_by);
        """,
    )


@migrations(name="0012_facet_index_store")
def _facet_index_store(db: Database) -> None:
    """The facet index kept in the library (``desktop.core.facet_store``): a newly opened
    library shows its sidebar without reading every article's facet values again. A cache,
    valid up to its ``seq`` in ``search_log``; one row at most."""
    _run_script(
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


@migrations(name="0013_story_grouping")
def _story_grouping(db: Database) -> None:
    """Copies of one story from many outlets (see ``desktop.core.stories``).

    - ``story_signatures``: each article's MinHash (128 little-endian 32-bit values) and how
      many shingles made it; an article without a row has not been grouped yet.
    - ``story_bands``: the signature's LSH band keys, indexed, so the candidates of new
      articles are found by lookups instead of reading every signature. Rows of a removed
      article are skipped by joining ``story_signatures`` and dropped at the next rebuild.
    - ``story_members``: the articles that belong to a story of two or more, each with the
      story's id, which is the id of its original (pinned, or else the earliest); removing the
      original hands the story to its lowest remaining id. A change of membership is logged in
      ``search_log`` as a change of the article, so facet indexes and windows catch up.
    - ``story_corrections``: a person's "same story" / "not the same story" between two
      articles (``a`` < ``b``), applied by every regrouping; ``story_originals``: pinned originals.

    A library with no articles yet is marked grouped (its imports group as they go); one with
    articles is grouped in the background when a window opens it, or by ``dossier stories --group``.
    """
    _run_script(
        db,
        """
        CREATE TABLE story_signatures (
            document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            minhash BLOB NOT NULL,
            shingles INTEGER NOT NULL
        );
        CREATE TABLE story_bands (
            key INTEGER NOT NULL,
            document_id INTEGER NOT NULL,
            PRIMARY KEY (key, document_id)
        ) WITHOUT ROWID;
        CREATE TABLE story_members (
            document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            story INTEGER NOT NULL
        );
        CREATE INDEX story_members_story ON story_members (story, document_id);
        CREATE TRIGGER story_members_original_ad AFTER DELETE ON story_members
        WHEN old.story = old.document_id BEGIN
            UPDATE story_members SET story = (
                SELECT min(document_id) FROM story_members WHERE story = old.story
            ) WHERE story = old.story;
        END;
        CREATE TRIGGER search_log_story_members_ai AFTER INSERT ON story_members BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('documents', new.document_id);
        END;
        CREATE TRIGGER search_log_story_members_ad AFTER DELETE ON story_members BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('documents', old.document_id);
        END;
        CREATE TRIGGER search_log_story_members_au AFTER UPDATE OF story ON story_members BEGIN
            INSERT INTO search_log (area, document_id) VALUES ('documents', new.document_id);
        END;
        CREATE TABLE story_corrections (
            a INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            b INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('same', 'different')),
            created TEXT NOT NULL,
            PRIMARY KEY (a, b),
            CHECK (a < b)
        );
        CREATE INDEX story_corrections_b ON story_corrections (b);
        CREATE TABLE story_originals (
            document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
            created TEXT NOT NULL
        );
        """,
    )
    if not db.execute("SELECT EXISTS (SELECT 1 FROM documents)").fetchone()[0]:
        from .stories import mark_grouped

        mark_grouped(db.conn)
