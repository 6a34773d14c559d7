"""A spelling suggestion for a search that finds nothing: "Did you mean mobile?" for ``mobiel``.

Each word of the query that no article holds is replaced by the closest word the articles do
hold — at most one edit away for a word of up to four letters, two for a longer one (an edit:
a letter added, left out, changed, or two neighbours swapped) — preferring fewer edits, then
the word more articles hold. The candidates are read from the full-text index's own list of
words (``fts5vocab``), among those starting with the typed word's first or second letter (a
swap of the first two letters is found too) and held by at least ``MIN_ARTICLES`` articles,
so that another article's typing mistake is not offered. Operators, field names
(``title:``), prefixes (``mob*``) and words in Han characters (searched as strings) are left
as typed. The suggestion is offered only when it finds articles with the same filters.

Asked only for a search with no result, so its cost (tens of milliseconds at 100,000
articles, reading the index's words that start with two letters) is paid when nothing else is.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

from .errors import InvalidInput
from .filters import Filters

MIN_ARTICLES = 2
_VOCABULARY = "temp.dossier_spelling_words"
_WORD = re.compile(r"(?<![\w*])([^\W\d_]{2,})(?![\w*:])")
_OPERATORS = {"AND", "OR", "NOT"}


def _is_han(word: str) -> bool:
    return any("\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" for char in word)


def edits_within(first: str, second: str, most: int) -> int | None:
    """The number of edits (insertion, deletion, substitution, swap of neighbours) between
    ``first`` and ``second`` if it is at most ``most``, else None."""
    if abs(len(first) - len(second)) > most:
        return None
    previous_row: list[int] | None = None
    row = list(range(len(second) + 1))
    for i, a in enumerate(first, 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(second)
        for j, b in enumerate(second, 1):
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + (a != b))
            if before is not None and i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > most:
            return None
    return row[-1] if row[-1] <= most else None


def _held(conn: sqlite3.Connection, word: str) -> bool:
    """Whether some article holds ``word`` (as the full-text index reads it)."""
    quoted = '"' + word.replace('"', '""') + '"'
    return conn.execute("SELECT 1 FROM documents_fts WHERE documents_fts MATCH ? LIMIT 1",
                        [quoted]).fetchone() is not None


def _candidates(conn: sqlite3.Connection, letter: str) -> list[tuple[str, int]]:
    """The index's words starting with ``letter`` and the number of articles holding each."""
    return conn.execute(
        f"SELECT term, doc FROM {_VOCABULARY} WHERE term >= ? AND term < ?",
        [letter, chr(ord(letter) + 1)]).fetchall()


def _closest(conn: sqlite3.Connection, word: str) -> str | None:
    folded = word.casefold()
    most = 1 if len(folded) <= 4 else 2
    best: tuple[int, int, str] | None = None
    for letter in dict.fromkeys(folded[:2]):
        for term, articles in _candidates(conn, letter):
            if articles < MIN_ARTICLES:
                continue
            edits = edits_within(folded, term, most)
            if edits is not None and (best is None or (edits, -articles) < best[:2]):
                best = (edits, -articles, term)
    return best[2] if best else None


def _cased_as(typed: str, word: str) -> str:
    """``word`` (as the index holds it, in lower case) written in the case of ``typed``."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


def suggest_query(db: Database, query: str, *, finds: Callable[[str], bool]) -> str | None:
    """``query`` with each word no article holds replaced by the closest word they hold, if
    that changed something and ``finds(suggestion)`` (the caller's search, with its filters)
    says it finds articles; else None. None too on a library whose index cannot be read so
    (a read-only connection that cannot make the temporary word list)."""
    conn = db.conn
    try:
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {_VOCABULARY} USING fts5vocab(main, documents_fts, 'row')")
        changed = False
        pieces: list[str] = []
        end = 0
        for match in _WORD.finditer(query):
            word = match.group(1)
            if word in _OPERATORS or _is_han(word) or _held(conn, word):
                continue
            better = _closest(conn, word)
            if better is None:
                continue
            pieces += [query[end:match.start(1)], _cased_as(word, better)]
            end, changed = match.end(1), True
    except sqlite3.Error:
        return None
    if not changed:
        return None
    suggestion = "".join(pieces) + query[end:]
    return suggestion if finds(suggestion) else None


def suggest_search(db: Database, query: str, *, filters: Filters | None = None,
                   follow_names: bool = True) -> str:
    """``suggest_query`` checked by the search itself (``desktop.core.search.search_ids`` with
    ``filters``), as the window and ``dossier search`` offer it; "" when there is none, or when
    the query language refuses the corrected query (a cancelled search stays cancelled)."""
    from .search import search_ids

    def finds(corrected: str) -> bool:
        return bool(search_ids(db, corrected, filters=filters, follow_names=follow_names))

    try:
        return suggest_query(db, query, finds=finds) or ""
    except InvalidInput:
        return ""
