"""Whether a word typed as a query is an ordinary word of the library's articles rather than a
name, so that a search for ``the`` does not follow The Beatles nor ``day`` the Chinese family
name Dai.

The articles decide: a word that they write in lower case more often than capitalised, counted
where it stands inside a sentence (a capital after a full stop says nothing) in at most
``SAMPLE`` of the articles holding it, is an ordinary word (``the``, ``but``, ``new``, ``day``);
a name is written capitalised (``Blair``, ``London``, ``Путин``). A word the articles do not hold,
and a word in Han characters (which have no case), is not found ordinary.
"""

from __future__ import annotations

from sqlite_utils import Database

from .query import QuerySyntaxError, compile_query
from .shadow_index import compile_search
from .textindex import term_spans

SAMPLE = 50
"""How many of the articles holding a word are read to see how they write it."""
_SENTENCE_END = ".!?…:;\n"
_OPENING = " \t\"'“‘«(—–-"


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 12):start].rstrip(_OPENING)
    return not before or before[-1] in _SENTENCE_END


def ordinary_word(db: Database, word: str, *, scripts: bool | None = None) -> bool:
    """Whether the library's articles write the one word ``word`` in lower case more often than
    capitalised (see the module docstring). ``scripts``: whether to read the multi-script
    index, when the caller knows (None asks the library)."""
    if word.lower() == word.upper() or len(word.split()) != 1:
        return False
    try:
        compiled = compile_search(db.conn, word) if scripts is None else compile_query(word, scripts=scripts)
    except QuerySyntaxError:
        return False
    if compiled.match is None:
        return False
    table = compiled.table
    texts = db.conn.execute(
        f"SELECT text FROM documents WHERE id IN (SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?)",
        (compiled.match, SAMPLE),
    )
    lower = capital = 0
    for (text,) in texts:
        for start, _ in term_spans(text or "", compiled.terms):
            if text[start].islower():
                lower += 1
            elif text[start].isupper() and not _starts_sentence(text, start):
                capital += 1
    return lower > capital
