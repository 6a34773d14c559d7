"""The migration of titles made from an article's first sentence: stored whole, as
``desktop.core.newsmeta.opening_title`` now makes them, so that every word a person is shown
in a title is searched and ranked as title.

Registered in order, under their names, by ``desktop/core/schema.py``.
"""

from __future__ import annotations

from sqlite_utils import Database

RELEASED_MAX_CHARS = 90
"""Where ``opening_title`` cut a first sentence before (Han: ``RELEASED_MAX_HAN_CHARS``)."""
RELEASED_MAX_HAN_CHARS = 40
OPENING_CHARS = 4000
"""Characters of an article read for its first sentence (the title keeps at most 400)."""
SHADOW_RESTART_AFTER = 2_000
"""More articles retitled than this: the multi-script index is built again in the background
instead of within the migration."""


def whole_opening_titles(db: Database) -> None:
    """Each title that ``opening_title`` cut from its article's first sentence at the released
    limits (90 characters, 40 Han characters, ending in "…") becomes the whole sentence, cut only
    past the new limits; every other title stays as it is.

    ``documents_fts`` follows through its triggers, in one statement. The multi-script index
    follows through its change log when the migration commits, unless more than
    ``SHADOW_RESTART_AFTER`` articles were retitled: it is then emptied and built again in the
    background (searches use ``documents_fts`` until it is complete), so a library of 100,000
    such articles does not wait while each one's old and new text are stemmed.
    """
    from ..newsmeta import opening_title
    from ..shadow_index import restart_index

    conn = db.conn
    retitled = []
    for doc_id, title, opening in conn.execute(
            f"SELECT id, title, substr(text, 1, {OPENING_CHARS}) FROM documents WHERE title LIKE '%…'"):
        if opening_title(opening, max_chars=RELEASED_MAX_CHARS, max_han_chars=RELEASED_MAX_HAN_CHARS) != title:
            continue
        if (whole := opening_title(opening)) != title:
            retitled.append((doc_id, whole))
    if not retitled:
        return
    conn.execute("CREATE TEMP TABLE whole_titles (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
    conn.executemany("INSERT INTO temp.whole_titles (id, title) VALUES (?, ?)", retitled)
    conn.execute("UPDATE documents SET title = w.title FROM temp.whole_titles AS w WHERE documents.id = w.id")
    conn.execute("DROP TABLE temp.whole_titles")
    if len(retitled) > SHADOW_RESTART_AFTER:
        restart_index(conn)
