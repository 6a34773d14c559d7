"""The migrations of importing: resumable import runs, imports that update articles
in place and report the files gone from a folder, imports that tell a file already in
the library as it is (unchanged) from a duplicate, and runs that record how far into a
record export a cancel stopped them.

Registered in order, under their names, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import run_script


def resumable_import_runs(db: Database) -> None:
    """Who runs an import (process, host, boot, last sign of life) and the files it was given,
    so that a run whose process died reads "interrupted" and can be resumed."""
    run_script(
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


def import_updates_and_missing_files(db: Database) -> None:
    """An import may update an article in place (status ``updated``) and report the files a
    re-imported folder no longer holds (status ``missing``): the ``imports`` table is rebuilt
    to allow both, and each run counts them."""
    run_script(
        db,
        """
        ALTER TABLE import_runs ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE import_runs ADD COLUMN missing INTEGER NOT NULL DEFAULT 0;
        """ + _imports_accepting("imported", "updated", "duplicate", "failed", "missing"),
    )


def unchanged_files_on_import(db: Database) -> None:
    """An import tells a file already in the library from the same place with the same text
    (status ``unchanged``) from a duplicate (another file's text): the ``imports`` table is
    rebuilt to allow it, and each run counts them. Earlier runs keep what they recorded."""
    run_script(
        db,
        """
        ALTER TABLE import_runs ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;
        """ + _imports_accepting("imported", "updated", "unchanged", "duplicate", "failed", "missing"),
    )


def import_run_stopped_within(db: Database) -> None:
    """A run cancelled within a record export records how far into it it came (``StoppedWithin``
    as JSON), for the import history and the report."""
    run_script(db, "ALTER TABLE import_runs ADD COLUMN stopped_within TEXT;")


def _imports_accepting(*statuses: str) -> str:
    """The SQL that rebuilds the ``imports`` table (its rows, columns and indexes kept) so that
    its ``status`` accepts ``statuses``: SQLite cannot change a column's CHECK in place."""
    accepted = ", ".join(f"'{status}'" for status in statuses)
    return f"""
        CREATE TABLE imports_new (
            id INTEGER PRIMARY KEY,
            run_id INTEGER REFERENCES import_runs (id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ({accepted})),
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
        """
