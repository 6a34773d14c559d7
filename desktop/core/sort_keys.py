"""Sort keys of titles and outlets: what the list's Title and Source sorts order by, in every script.

SQLite's ``NOCASE`` folds only the 26 Latin letters: a lower-case Cyrillic title sorted after
every capitalised one and Ё before А. A Python collation would fold every script but is called
for each comparison of a sort (too slow over 100,000 articles), and a file whose indexes need it
could not be written by any other program. So each article stores its keys, ``title_key`` and
``source_key`` (``sort_key`` of its title and outlet), with an index on each: a sort reads an
index in order. The keys are plain text, so Datasette and the sqlite3 shell read and write the
library as before.

Keeping them in step: an article's keys are NULL when it is inserted, and a trigger sets
``title_key`` to NULL when its title or outlet changes; ``fill_sort_keys`` (run by
``desktop.core.library.write_transaction`` before each commit) fills the keys that are NULL,
found through the index. An article another program wrote has no keys until the app's next
write, and sorts last until then: ``keys_missing`` says so cheaply, and ``fill_missing_keys`` is the
write a window makes when it sees another program's change.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .changes import ChangeSet

_LATIN_END = "\u0250"  # Latin letters with diacritics (Latin-1 to Latin Extended-B) lie below
_LEADING_MARKS = re.compile(r"^[\W_]+(?=[^\W_])")


def sort_key(value: str | None) -> str | None:
    """``value`` as it sorts: case folded in every script (``str.casefold``), ё as е, the
    diacritics of Latin letters removed (É with E, ß as ss) and the quotes or marks it opens
    with left out («День гнева» with Д); None for None."""
    if value is None:
        return None
    folded = _LEADING_MARKS.sub("", unicodedata.normalize("NFC", value).casefold().replace("ё", "е"))
    if folded.isascii():
        return folded
    return "".join(unicodedata.normalize("NFD", char)[0] if "\x7f" < char < _LATIN_END else char
                   for char in folded)


SCHEMA = """
ALTER TABLE documents ADD COLUMN title_key TEXT;
ALTER TABLE documents ADD COLUMN source_key TEXT;
"""
"""Migration 0022 before ``fill_sort_keys`` fills every article's keys: the key columns."""
INDEXES = """
CREATE INDEX documents_title_key ON documents (title_key);
CREATE INDEX documents_source_key ON documents (source_key);
DROP INDEX documents_title;
CREATE TRIGGER documents_sort_keys_au AFTER UPDATE OF title, source ON documents
WHEN new.title IS NOT old.title OR new.source IS NOT old.source BEGIN
    UPDATE documents SET title_key = NULL WHERE id = new.id;
END;
"""
"""Migration 0022 after the keys are filled: their indexes (``documents_title``, the ``NOCASE``
index the title sort read, goes), and the trigger that marks an article's keys stale."""


def fill_sort_keys(conn: sqlite3.Connection) -> int:
    """Fill the keys of the articles whose ``title_key`` is NULL (new or changed), inside the
    caller's write transaction; returns how many. Nothing on a library before migration 0022."""
    try:
        stale = conn.execute("SELECT id, title, source FROM documents WHERE title_key IS NULL").fetchall()
    except sqlite3.OperationalError:
        return 0
    conn.executemany("UPDATE documents SET title_key = ?, source_key = ? WHERE id = ?",
                     ((sort_key(title or ""), sort_key(source), doc_id) for doc_id, title, source in stale))
    return len(stale)


def keys_missing(conn: sqlite3.Connection) -> bool:
    """Whether an article lacks its sort keys (another program wrote it), through the key's
    index; False on a library before migration 0022."""
    try:
        return conn.execute("SELECT 1 FROM documents WHERE title_key IS NULL LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def fill_missing_keys(conn: sqlite3.Connection) -> ChangeSet:
    """Fill the sort keys another program left out, in a write transaction of its own; the
    change set names those articles as edited (their place in a list sorted by title or outlet)."""
    from .changes import ChangeSet
    from .library import write_transaction

    with write_transaction(conn):
        ids = [doc_id for (doc_id,) in conn.execute("SELECT id FROM documents WHERE title_key IS NULL")]
        fill_sort_keys(conn)
    return ChangeSet(edited=frozenset(ids))
