"""The migrations of named entities: corrections that outlive re-extraction, romanised
name keys, the queue of articles waiting for extraction.

Registered in order, under their names, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import run_script


def entities_corrections(db: Database) -> None:
    """Entity corrections that outlive re-extraction: rules, aliases, removed mentions,
    and which documents the model has already read."""
    run_script(
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


def entity_name_keys(db: Database) -> None:
    """Romanised keys of entity names (one name in Latin, Cyrillic or Han letters reads alike),
    computed here for the entities of a library with up to ``MIGRATION_LIMIT`` of them (larger
    ones in the background), and the cross-script merges the person refused."""
    from ..entities.name_keys import MIGRATION_LIMIT, refresh_keys

    run_script(
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


def entity_family_names(db: Database) -> None:
    """Indexes on the first and the last word of each name's key (``entity_keys.words``), so that
    a search for a family name finds the people named in full in any script."""
    run_script(
        db,
        """
        CREATE INDEX entity_keys_first_word ON entity_keys (words);
        CREATE INDEX entity_keys_last_word ON entity_keys (substr(words, instr(words, ' ') + 1));
        """,
    )


def entity_keys_keep_j(db: Database) -> None:
    """Keys made again for the names a j between ``ai``/``ei``/``oi``/``ui`` and a vowel may now
    keep apart (Beijing and 北京 from Being): those in Han or Cyrillic letters or with a j, marked
    stale and made here for a library with up to ``MIGRATION_LIMIT`` entities (larger ones in the
    background, as for migration 0010)."""
    from ..entities.name_keys import MIGRATION_LIMIT, refresh_keys

    db.conn.execute("UPDATE entity_keys SET name = '' WHERE script <> 'latin' OR name LIKE '%j%'")
    if db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] <= MIGRATION_LIMIT:
        refresh_keys(db)


def entity_keys_one_han_form(db: Database) -> None:
    """Keys made again for the names that now read alike: traditional Han characters as their
    simplified ones (俄羅斯 = 俄罗斯), a final ``der``/``ter`` as ``dr``/``tr`` (Alexander =
    Александр) and ``iye`` as ``ie`` (Dmitriyev = Дмитриев). The names in Han or Cyrillic letters
    and the Latin ones holding ``der``, ``ter``, ``iy`` or ``ij`` are marked stale and made here for a
    library with up to ``MIGRATION_LIMIT`` entities (larger ones in the background, as for
    migration 0010); the next extraction merges those that now meet."""
    from ..entities.name_keys import MIGRATION_LIMIT, refresh_keys

    db.conn.execute(
        "UPDATE entity_keys SET name = '' WHERE script <> 'latin' OR name LIKE '%der%' "
        "OR name LIKE '%ter%' OR name LIKE '%iy%' OR name LIKE '%ij%'")
    if db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] <= MIGRATION_LIMIT:
        refresh_keys(db)


def entity_keys_short_country_names(db: Database) -> None:
    """Keys made again for the short and official names of the countries agency copy names most
    (US, США, РФ, КНР, 中华人民共和国…: ``romanise.SHORT_AND_OFFICIAL``), which now take their
    country's key; made here for a library with up to ``MIGRATION_LIMIT`` entities (larger ones
    in the background), and the next extraction merges those that now meet."""
    from ..entities.name_keys import MIGRATION_LIMIT, refresh_keys
    from ..entities.romanise import SHORT_AND_OFFICIAL

    names = {name.casefold().replace("ё", "е") for names in SHORT_AND_OFFICIAL.values() for name in names}
    longest = max(len(name) for name in names)
    stale = [(entity_id,) for entity_id, name in db.conn.execute(
        "SELECT entity_id, name FROM entity_keys WHERE length(name) <= ?", [longest])
        if " ".join(name.split()).casefold().replace("ё", "е") in names]
    db.conn.executemany("UPDATE entity_keys SET name = '' WHERE entity_id = ?", stale)
    if db.conn.execute("SELECT count(*) FROM entities").fetchone()[0] <= MIGRATION_LIMIT:
        refresh_keys(db)


def extraction_queue(db: Database) -> None:
    """The articles waiting for entity extraction, so that extraction can follow an import in the
    background and resume after a closed window or a killed process.

    An article leaves the queue in the transaction that stores its entities (and its
    ``entity_extractions`` row, which names the model); a process working on a batch claims
    it (its pid and a token) so that two processes never read the same articles.
    """
    run_script(
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
