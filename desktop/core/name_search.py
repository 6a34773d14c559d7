"""Search that follows names across scripts: a query that is a name also finds the articles
mentioning the same entity under any of its names.

A query that is one name (``Putin``, ``Рудской``, ``"Xi Jinping"``, ``习近平``; no operators,
prefixes or columns) is looked up in the entity tables, not in the full-text index: the
entities whose romanised key (``entities.romanise``) equals the query's, whose name is the
query, or that hold the query as an alias (a merge the person made: Putin ↔ 普京); a query of one
word also finds the people whose name it begins or ends (``Putin``: Владимир Путин). A word
the articles write in lower case (``the``, ``day``: ``common_words``) names nobody, though The
Beatles begin with it and 戴秉国 reads Dai.
``match_name`` returns those entities and their other names ("also: Путин, 普京");
``with_named_documents`` adds the articles mentioning them to a list of search results;
``named_snippets`` gives the extra articles a snippet around the mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from .common_words import ordinary_word
from .entities.name_keys import VALUE_LABELS
from .entities.romanise import HAN, name_keys, script_of
from .filters import Filters, filter_conditions
from .query import plain_quotes
from .ranking import ids_array
from .undo import IN_IDS, id_list

MIN_KEY = 3
ALSO_SHOWN = 6
SNIPPET_CONTEXT = 60
NEWEST_FIRST = "d.published DESC NULLS LAST, d.id DESC"
# The people whose key's first or last word is a one-word query's key (indexes of migration 0017);
# a name in Han characters by its first word only: the family name comes first (王毅 is Wang Yi,
# 吴王 the King of Wu). The label is tested on the few entities found (``+``): read through its
# index, it would walk every person of the library (1.5 ms at 15,000).
_FAMILY_NAME = (
    " OR (+e.label = 'PERSON' AND e.id IN ("
    f"SELECT entity_id FROM entity_keys WHERE substr(words, instr(words, ' ') + 1) = ? AND script != '{HAN}' "
    "UNION SELECT entity_id FROM entity_keys WHERE words >= ? || ' ' AND words < ? || '!'))"
)
_SYNTAX = re.compile(r'[()*:]|(?:^|\s)(?:AND|OR|NOT)(?:\s|$)|(?:^|\s)-')


@dataclass(frozen=True)
class NameMatch:
    """The entities a name query stands for and their other names."""

    name: str
    entity_ids: tuple[int, ...]
    names: tuple[str, ...]

    @property
    def also(self) -> str:
        """``"also: Путин, 普京"`` (empty when the entity has no other name)."""
        shown = list(self.names[:ALSO_SHOWN])
        if len(self.names) > ALSO_SHOWN:
            shown.append("…")
        return "also: " + ", ".join(shown) if shown else ""


def query_name(query: str) -> str | None:
    """The name a query is, or None for a query with search syntax in it (a ``*`` ending the
    query, which the window adds to the word being typed, is left out)."""
    text = " ".join(plain_quotes(query).split())
    text = text[:-1] if text.endswith("*") else text  # the word still being typed
    if text.startswith('"'):
        text = text[1:-1] if text.endswith('"') and len(text) > 1 else text[1:]
    if '"' in text or _SYNTAX.search(text) or not text.isprintable():
        return None
    text = text.strip()
    if any("\ud800" <= ch <= "\udfff" for ch in text):  # a lone surrogate names nothing
        return None
    return text if len(text) >= 2 else None


def prepare() -> None:
    """Load what naming any query needs, once per process: CLDR's place names in the languages
    kept (≈ 0.1 s), so that a window's first search does not wait for them. (The Chinese
    reading tables, four times as long to load, wait for the first name in Han characters.)"""
    name_keys("Moscow")


def match_name(db: Database, query: str, *, scripts: bool | None = None) -> NameMatch | None:
    """The entities named by ``query`` in any script (see the module docstring), or None;
    ``scripts``: whether searches read the multi-script index now, when the caller knows."""
    name = query_name(query)
    if name is None:
        return None
    key = name_keys(name).key
    labels = id_list(sorted(VALUE_LABELS))
    family = " " not in name and len(key) >= MIN_KEY
    rows = db.conn.execute(
        f"SELECT e.id FROM entities e WHERE e.label NOT {IN_IDS} AND ("
        "e.id IN (SELECT entity_id FROM entity_keys WHERE key = ? AND (length(key) >= ? OR name = ?)) "
        f"OR e.id IN (SELECT entity_id FROM entity_aliases WHERE name = ?){_FAMILY_NAME if family else ''})",
        (labels, key, MIN_KEY, name, name, *([key] * 3 if family else [])),
    ).fetchall()
    ids = tuple(sorted(r[0] for r in rows))
    if not ids or ordinary_word(db, name, scripts=scripts):
        return None
    names = [r[0] for r in db.conn.execute(
        f"SELECT name FROM entities WHERE id {IN_IDS} UNION "
        f"SELECT name FROM entity_aliases WHERE entity_id {IN_IDS}",
        (id_list(ids), id_list(ids)),
    )]
    script = script_of(name)
    others = [n for n in dict.fromkeys(names) if n.casefold() != name.casefold()]
    others.sort(key=lambda n: (script_of(n) == script, n))
    return NameMatch(name=name, entity_ids=ids, names=tuple(others))


def named_documents(db: Database, match: NameMatch) -> list[int]:
    """Ids of the articles mentioning one of ``match``'s entities, ascending: what a search's
    result set and counts take in. Ordering them (``named_within``) waits until they are
    listed — a frequent name's thousands of articles cost 5–9 ms to sort, and a page of
    ranked hits seldom reaches them."""
    sql = f"SELECT group_concat(document_id) FROM document_entities WHERE entity_id {IN_IDS}"
    return np.unique(ids_array(db.conn.execute(sql, [id_list(match.entity_ids)]).fetchone()[0])).tolist()


def named_within(db: Database, named: Sequence[int], filters: Filters) -> list[int]:
    """The articles ``named`` that are within ``filters``, newest first."""
    if not named:
        return []
    where, params = filter_conditions(filters)
    sql = (f"SELECT d.id FROM documents d WHERE d.id {IN_IDS}{''.join(' AND ' + w for w in where)} "
           f"ORDER BY {NEWEST_FIRST}")
    return [r[0] for r in db.conn.execute(sql, [id_list(named), *params])]


def with_named_documents(db: Database, ids: list[int], named: Sequence[int], *,
                         order: str | None) -> list[int]:
    """``ids`` (the search's results) with the articles ``named`` (those mentioning the entity
    the query names, within the search's filters, newest first) added: after them when
    ``order`` is None (ranked results), else all sorted by ``order`` (an ORDER BY over
    ``documents d``)."""
    found = set(ids)
    extra = [i for i in named if i not in found]
    if not extra:
        return ids
    if order is None:
        return ids + extra
    return [r[0] for r in db.conn.execute(
        f"SELECT d.id FROM documents d WHERE d.id {IN_IDS} ORDER BY {order}", (id_list(ids + extra),)
    )]


def named_snippets(db: Database, match: NameMatch, doc_ids: Sequence[int], *, open_mark: str,
                   close_mark: str, ellipsis: str) -> dict[int, tuple[str, str]]:
    """For each article: (the name it is written under, a snippet around its first mention)."""
    rows = db.conn.execute(
        'SELECT m.document_id, m.text, m.start, m."end", d.text FROM mentions m '
        "JOIN documents d ON d.id = m.document_id "
        f"WHERE m.document_id {IN_IDS} AND m.entity_id {IN_IDS} ORDER BY m.document_id, m.start",
        (id_list(doc_ids), id_list(match.entity_ids)),
    )
    out: dict[int, tuple[str, str]] = {}
    for doc_id, surface, start, end, text in rows:
        if doc_id in out:
            continue
        left, right = max(0, start - SNIPPET_CONTEXT), min(len(text), end + SNIPPET_CONTEXT)
        snippet = (ellipsis if left else "") + text[left:start] + open_mark + text[start:end] \
            + close_mark + text[end:right] + (ellipsis if right < len(text) else "")
        out[doc_id] = (surface, " ".join(snippet.split()))
    return out
