"""The migration of story grouping: copies of one story from many outlets.

Registered in order, under their names, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

from . import run_script


def story_grouping(db: Database) -> None:
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
    run_script(
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
        from ..stories import mark_grouped

        mark_grouped(db.conn)
