"""The first schema of a library (``0001_initial``): articles, their full-text index,
entities and mentions, tags, annotations, import runs, saved searches.

Registered in order, under their names, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import run_script


def initial(db: Database) -> None:
    run_script(
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
