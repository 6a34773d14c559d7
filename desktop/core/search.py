"""Finding documents: full-text search, facet filters, facet counts, sorting, snippets, list rows.

Searches return ids in order; rows are fetched separately for the ids on screen.

Facets (the filter sidebar) and their values:

- ``source``, ``author``: the document's outlet and author
- ``year``: the year published (``"2017"``)
- ``tag``: a tag name; a parent tag also selects its children (``asia`` selects
  ``asia/china``), while counts are per tag as named; ``"(untagged)"`` selects
  documents without tags
- ``state``: ``"starred"``, ``"unread"``, ``"to_read"``, ``"read"``
- ``entity:LABEL`` (``entity:PERSON``, ``entity:ORG``, ...): an entity's canonical name

Values chosen within a document facet or ``tag`` are alternatives (OR); values
chosen within an ``entity:*`` facet must all be mentioned (AND: the articles
where those entities occur together); facets combine with AND.

Lists of ids (``search_ids``, ``search_hits``) are SQL. Facet counts and the date
histogram are counted with numpy over a per-connection facet index: every
document's facet values and its tag and entity links as arrays indexed by
document id (a few megabytes for 100,000 articles, no text). The text query is
asked of FTS5 once per query; filters and counts are array operations, so a
filter change costs milliseconds whatever the size of the result set. The index
catches up with the library's changes through ``search_log`` (schema 0002), and
result sets and counts are reused until the query, the filters or the library
change.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
import string
import unicodedata
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from sqlite_utils import Database

from .errors import Cancelled, InvalidInput, LibraryUnavailable
from .query import CompiledQuery, QuerySyntaxError, compile_query

SORT_KEYS = ("relevance", "title", "published", "source", "author", "word_count", "imported_at")
DOCUMENT_FACETS = ("source", "author", "year", "tag", "state")
STATE_VALUES = ("starred", "unread", "to_read", "read")
UNTAGGED = "(untagged)"
SNIPPET_OPEN = "["
SNIPPET_CLOSE = "]"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16
BM25_WEIGHTS = (5.0, 1.0, 2.0)  # title, text, notes; also the index's rank (schema 0002)
CACHED_RESULT_SETS = 8

_BM25 = "bm25(documents_fts, {}, {}, {})".format(*BM25_WEIGHTS)
_SORT_COLUMNS = {
    "title": "d.title COLLATE NOCASE",
    "published": "d.published",
    "source": "d.source",
    "author": "d.author",
    "word_count": "d.word_count",
    "imported_at": "d.imported_at",
}
_FACET_TITLES = {
    "source": "Source",
    "author": "Author",
    "year": "Published",
    "tag": "Tags",
    "state": "Reading state",
}
_ENTITY_TITLES = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Places",
    "LOC": "Locations",
    "FAC": "Facilities",
    "NORP": "Nationalities and groups",
    "EVENT": "Events",
    "DATE": "Dates",
    "TIME": "Times",
    "MONEY": "Sums of money",
    "PERCENT": "Percentages",
    "QUANTITY": "Quantities",
    "PRODUCT": "Products",
    "WORK_OF_ART": "Works",
    "LAW": "Laws",
    "LANGUAGE": "Languages",
    "ORDINAL": "Ordinals",
    "CARDINAL": "Numbers",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DATE_CHIPS = ("date_from", "date_to")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _check_facet(facet: str) -> None:
    if facet in DOCUMENT_FACETS:
        return
    kind, colon, label = facet.partition(":")
    if kind == "entity" and colon and label.strip():
        return
    raise InvalidInput(f"“{facet}” is not a filter Dossier knows.")


def _normalise_date(value: str | None) -> str | None:
    """``value`` as YYYY, YYYY-MM or YYYY-MM-DD, or None when blank; raises InvalidInput."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = _DATE.match(value)
    try:
        if parts is None:
            raise ValueError(value)
        year, month, day = (int(p) if p else 1 for p in parts.groups())
        dt.date(year, month, day)
    except ValueError:
        raise InvalidInput(f"“{value}” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.") from None
    return value


def _after(value: str) -> str:
    """The first date after the whole period ``value`` (a year, month or day) names."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        year, month = parts
        return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    return (dt.date(*parts) + dt.timedelta(days=1)).isoformat()


def _frozen(mapping: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    result = {}
    for facet, values in mapping.items():
        _check_facet(facet)
        if isinstance(values, str):
            values = [values]
        chosen = frozenset(str(v) for v in values)
        if chosen:
            result[facet] = chosen
    return result


@dataclass(frozen=True)
class Filters:
    """What the filter sidebar selects; immutable, every change returns a new value.

    ``include``: facet -> values. For ``source``, ``author``, ``year``,
    ``state`` and ``tag`` a document needs one of them (an article has one
    source). For an entity facet (``entity:PERSON``, ...) a document must
    mention every one of them: two people chosen give the articles mentioning
    both.
    ``exclude``: facet -> values no document may have (for every facet).
    ``date_from`` / ``date_to``: inclusive bounds on the published date, each
    a year, month or day (``"2017"``, ``"2017-06"``, ``"2017-06-15"``); with a
    bound set, documents without a date are left out.
    """

    include: Mapping[str, frozenset[str]] = field(default_factory=dict)
    exclude: Mapping[str, frozenset[str]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "include", _frozen(self.include))
        object.__setattr__(self, "exclude", _frozen(self.exclude))
        object.__setattr__(self, "date_from", _normalise_date(self.date_from))
        object.__setattr__(self, "date_to", _normalise_date(self.date_to))

    def __hash__(self) -> int:
        return hash(self.to_json())

    def _with(self, *, include: Mapping[str, frozenset[str]] | None = None,
              exclude: Mapping[str, frozenset[str]] | None = None) -> Filters:
        return Filters(
            include=self.include if include is None else include,
            exclude=self.exclude if exclude is None else exclude,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def including(self, facet: str, value: str) -> Filters:
        """These filters plus ``value`` of ``facet`` (no longer excluded): one more alternative,
        or for an entity facet one more entity the articles must mention."""
        _check_facet(facet)
        return self._with(
            include=_added(self.include, facet, value),
            exclude=_removed(self.exclude, facet, value),
        )

    def excluding(self, facet: str, value: str) -> Filters:
        """These filters plus "not ``value``" for ``facet`` (no longer included)."""
        _check_facet(facet)
        return self._with(
            include=_removed(self.include, facet, value),
            exclude=_added(self.exclude, facet, value),
        )

    def without(self, facet: str, value: str) -> Filters:
        """These filters without ``value`` of ``facet``; ``"date_from"``/``"date_to"`` clear a bound."""
        if facet == "date_from":
            return self.with_dates(None, self.date_to)
        if facet == "date_to":
            return self.with_dates(self.date_from, None)
        return self._with(
            include=_removed(self.include, facet, value),
            exclude=_removed(self.exclude, facet, value),
        )

    def without_facet(self, facet: str) -> Filters:
        """These filters with nothing included for ``facet`` (its exclusions stay)."""
        return self._with(include={k: v for k, v in self.include.items() if k != facet})

    def with_dates(self, date_from: str | None, date_to: str | None) -> Filters:
        """These filters with new date bounds; raises InvalidInput for a malformed date."""
        return Filters(include=self.include, exclude=self.exclude,
                       date_from=date_from, date_to=date_to)

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.include or self.exclude or self.date_from or self.date_to)

    def chips(self) -> list[tuple[str, str, bool]]:
        """(facet, value, excluded) for each selection, dates last as ``date_from``/``date_to``."""
        chips = [
            (facet, value, excluded)
            for excluded, selection in ((False, self.include), (True, self.exclude))
            for facet in sorted(selection)
            for value in sorted(selection[facet], key=str.casefold)
        ]
        chips += [(name, getattr(self, name), False) for name in _DATE_CHIPS if getattr(self, name)]
        return chips

    def to_json(self) -> str:
        """A JSON text of these filters (what saved searches store)."""
        return json.dumps(
            {
                "include": {k: sorted(v) for k, v in self.include.items()},
                "exclude": {k: sorted(v) for k, v in self.exclude.items()},
                "date_from": self.date_from,
                "date_to": self.date_to,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, s: str) -> Filters:
        """Filters from ``to_json`` text (``"{}"`` is no filter); raises InvalidInput if damaged."""
        try:
            data = json.loads(s or "{}")
            if not isinstance(data, dict):
                raise TypeError("not an object")
            return cls(
                include=dict(data.get("include") or {}),
                exclude=dict(data.get("exclude") or {}),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        except (ValueError, TypeError, AttributeError) as err:
            raise InvalidInput(f"The saved filters cannot be read: {err}.") from None


def _added(selection: Mapping[str, frozenset[str]], facet: str, value: str) -> dict:
    result = dict(selection)
    result[facet] = selection.get(facet, frozenset()) | {value}
    return result


def _removed(selection: Mapping[str, frozenset[str]], facet: str, value: str) -> dict:
    result = dict(selection)
    result[facet] = selection.get(facet, frozenset()) - {value}
    return result


@dataclass(frozen=True)
class Facet:
    """One group of the filter sidebar: ``name`` as used in ``Filters``, a ``title`` to show."""

    name: str
    title: str
    group: str  # "document" | "tag" | "entity"


def available_facets(db: Database) -> list[Facet]:
    """The built-in facets, then one per entity label that has mentions in the library."""
    facets = [
        Facet(name, _FACET_TITLES[name], "tag" if name == "tag" else "document")
        for name in DOCUMENT_FACETS
    ]
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, _sqlite_errors():
        labels = _fresh_index(db, cache).entity_labels()
    known = list(_ENTITY_TITLES)
    labels.sort(key=lambda label: (known.index(label) if label in known else len(known), label))
    facets += [
        Facet(f"entity:{label}", _ENTITY_TITLES.get(label, label.replace("_", " ").title()), "entity")
        for label in labels
    ]
    return facets


# --- SQL for filters -------------------------------------------------------------------------


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _tag_predicate(values: frozenset[str]) -> tuple[str, list[Any]]:
    names = sorted(values - {UNTAGGED})
    clauses, params = [], []
    if names:
        children = " OR ".join("t.name LIKE ? ESCAPE '\\'" for _ in names)
        clauses.append(
            "d.id IN (SELECT dt.document_id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
            f"WHERE t.name IN ({_marks(names)}) OR {children})"
        )
        params += names + [_like_escape(name) + "/%" for name in names]
    if UNTAGGED in values:
        clauses.append("NOT EXISTS (SELECT 1 FROM document_tags dt WHERE dt.document_id = d.id)")
    return " OR ".join(clauses), params


def _state_predicate(values: frozenset[str]) -> tuple[str, list[Any]]:
    states = sorted(values & set(STATE_VALUES) - {"starred"})
    clauses = [f"d.read_state IN ({_marks(states)})"] if states else []
    if "starred" in values:
        clauses.append("d.starred = 1")
    return (" OR ".join(clauses) or "0"), states


def _is_entity_facet(facet: str) -> bool:
    return facet.startswith("entity:")


def _required_groups(facet: str, values: frozenset[str]) -> list[frozenset[str]]:
    """The groups of included ``values`` a document must each have one of: one group of
    alternatives for a document facet or tags, one group per value for an entity facet."""
    if _is_entity_facet(facet):
        return [frozenset({value}) for value in sorted(values)]
    return [values]


def _facet_predicate(facet: str, values: frozenset[str]) -> tuple[str, list[Any]]:
    """SQL over ``documents d`` true for a document having one of ``values`` of ``facet``."""
    ordered = sorted(values)
    if facet in ("source", "author"):
        return f"d.{facet} IN ({_marks(ordered)})", ordered
    if facet == "year":
        return f"substr(d.published, 1, 4) IN ({_marks(ordered)})", ordered
    if facet == "tag":
        return _tag_predicate(values)
    if facet == "state":
        return _state_predicate(values)
    label = facet.partition(":")[2]
    return (
        "d.id IN (SELECT m.document_id FROM mentions m JOIN entities e ON e.id = m.entity_id "
        f"WHERE e.label = ? AND e.name IN ({_marks(ordered)}))",
        [label, *ordered],
    )


def _filter_conditions(filters: Filters) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    for facet, values in sorted(filters.include.items()):
        for group in _required_groups(facet, values):
            sql, args = _facet_predicate(facet, group)
            conditions.append(f"({sql})")
            params += args
    for facet, values in sorted(filters.exclude.items()):
        sql, args = _facet_predicate(facet, values)
        conditions.append(f"NOT coalesce(({sql}), 0)")
        params += args
    if filters.date_from:
        conditions.append("d.published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        conditions.append("d.published < ?")
        params.append(_after(filters.date_to))
    return conditions, params


def _conditions(compiled: CompiledQuery, filters: Filters) -> tuple[str, list[Any]]:
    """A WHERE clause over ``documents d`` for the query and filters (``1`` when neither)."""
    conditions, params = _filter_conditions(filters)
    fts = "d.id {} (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)"
    if compiled.match:
        conditions.insert(0, fts.format("IN"))
        params.insert(0, compiled.match)
    elif compiled.negative_only:
        conditions.insert(0, fts.format("NOT IN"))
        params.insert(0, compiled.negative_only)
    return " AND ".join(conditions) or "1", params


@contextmanager
def _sqlite_errors() -> Iterator[None]:
    """Turn SQLite errors into typed errors: an interrupted query becomes ``Cancelled``."""
    try:
        yield
    except sqlite3.OperationalError as err:
        message = str(err)
        if "interrupt" in message:
            raise Cancelled("The search was cancelled.") from err
        if "fts5" in message:
            raise QuerySyntaxError(f"The query cannot be searched ({message}).") from err
        raise LibraryUnavailable(f"The search failed: {message}.") from err


# --- searching -------------------------------------------------------------------------------


def search_ids(
    db: Database,
    query: str = "",
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    descending: bool = False,
) -> list[int]:
    """Ids of every document matching ``query`` and ``filters``, in ``sort`` order.

    ``sort`` is one of ``SORT_KEYS``; documents without a value for the sort
    key come last either way. ``"relevance"`` is always best match first
    (``descending`` is ignored) and, without a query to rank by, newest
    published first. Raises ``QuerySyntaxError`` for a query with nothing to
    search and ``Cancelled`` when ``db.conn.interrupt()`` stops the search.
    """
    if sort not in SORT_KEYS:
        raise InvalidInput(f"Cannot sort by “{sort}”: use one of {', '.join(SORT_KEYS)}.")
    compiled = compile_query(query)
    filters = filters or Filters()
    if sort == "relevance" and compiled.match:
        sql, params = _ranked_sql(compiled.match, filters)
    else:
        sql, params = _sorted_sql(compiled, filters, sort=sort, descending=descending)
    with _sqlite_errors():
        return [row[0] for row in db.conn.execute(sql, params)]


def _ranked_sql(match: str, filters: Filters, *, columns: str = "documents_fts.rowid",
                hits: bool = False) -> tuple[str, list[Any]]:
    """SQL for the matches of ``match`` within ``filters``, best first.

    ``hits`` is for a short first page whose ``columns`` read the document as
    ``d``: without filters, ``ORDER BY rank`` (the same bm25 weights, configured
    in the index) lets FTS5 sort the matches itself, so ``snippet()`` and the
    document's columns are read only for the rows returned. Over every match,
    SQLite's own sort by ``bm25()`` is the faster of the two. The filters test
    each match (``+rowid``): handed to FTS5 as a list of rowids to look up, a
    filter matching thousands of articles costs seconds with a frequent word.
    """
    joined = " CROSS JOIN documents d ON d.id = documents_fts.rowid" if hits else ""
    sql = f"SELECT {columns} FROM documents_fts{joined} WHERE documents_fts MATCH ?"
    params: list[Any] = [match]
    if filters.is_empty():
        return sql + (" ORDER BY rank" if hits else f" ORDER BY {_BM25}"), params
    where, args = _conditions(CompiledQuery(None, None, ()), filters)
    sql += (" AND +documents_fts.rowid IN "
            f"(SELECT d.id FROM documents d INDEXED BY documents_search WHERE {where})")
    return sql + f" ORDER BY {_BM25}", params + args


def _sorted_sql(
    compiled: CompiledQuery, filters: Filters, *, sort: str, descending: bool, columns: str = "d.id"
) -> tuple[str, list[Any]]:
    where, params = _conditions(compiled, filters)
    if sort == "relevance":
        order = "d.published DESC NULLS LAST, d.id DESC"
    else:
        direction = "DESC" if descending else "ASC"
        order = f"{_SORT_COLUMNS[sort]} {direction} NULLS LAST, d.id {direction}"
    indexed = "" if compiled.is_empty or sort == "title" else " INDEXED BY documents_search"
    return f"SELECT {columns} FROM documents d{indexed} WHERE {where} ORDER BY {order}", params


def count_documents(db: Database) -> int:
    """How many documents the library holds."""
    return db.conn.execute("SELECT count(*) FROM documents").fetchone()[0]


_TAGS_SQL = """(SELECT json_group_array(name) FROM (
    SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
    WHERE dt.document_id = d.id ORDER BY t.name COLLATE NOCASE))"""
_ROW_SQL = f"""
    SELECT d.id, d.title, d.published, d.source, d.author, d.word_count, d.starred,
           d.read_state, d.path, {_TAGS_SQL} AS tags
    FROM documents d WHERE d.id IN ({{marks}})
"""
_HIT_FIELDS = ("id", "title", "published", "source", "author", "path", "tags", "word_count")
_HIT_COLUMNS = f"d.id, d.title, d.published, d.source, d.author, d.path, {_TAGS_SQL}, d.word_count"
_ROW_FIELDS = ("id", "title", "published", "source", "author", "word_count", "starred",
               "read_state", "path", "tags")


def _rows(db: Database, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for values in db.conn.execute(_ROW_SQL.format(marks=_marks(chunk)), chunk):
            row = dict(zip(_ROW_FIELDS, values))
            row["tags"] = json.loads(row["tags"])
            row["starred"] = bool(row["starred"])
            rows[row["id"]] = row
    return rows


def fetch_rows(db: Database, ids: Sequence[int]) -> dict[int, dict]:
    """List columns of each of ``ids`` that exists: id, title, published, source,
    author, word_count, tags (names), starred (bool), read_state."""
    rows = _rows(db, ids)
    for row in rows.values():
        del row["path"]
    return rows


def search_hits(db: Database, query: str, *, filters: Filters | None = None, limit: int = 50) -> list[dict]:
    """The best ``limit`` matches with a snippet each, best first (title hits weigh most).

    Each hit: id, title, published, source, author, path, tags, word_count,
    snippet. In the snippet, each matched word is wrapped in ``SNIPPET_OPEN``
    and ``SNIPPET_CLOSE`` (``[`` and ``]``) and cut text is marked with ``…``.
    Without positive words to match (an empty or "everything except" query)
    the hits are the newest documents and the snippet is the text's opening.
    """
    compiled = compile_query(query)
    filters = filters or Filters()
    if compiled.match:
        snippet = f"snippet(documents_fts, -1, ?, ?, ?, {SNIPPET_TOKENS})"
        sql, params = _ranked_sql(compiled.match, filters, columns=f"{_HIT_COLUMNS}, {snippet}",
                                  hits=True)
        params = [SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS, *params]
    else:
        sql, params = _sorted_sql(compiled, filters, sort="relevance", descending=False,
                                  columns=f"{_HIT_COLUMNS}, substr(d.text, 1, 400)")
    with _sqlite_errors():
        found = db.conn.execute(sql + " LIMIT ?", [*params, limit]).fetchall()
    return [_hit(row, opening=not compiled.match) for row in found]


def _hit(row: Sequence[Any], *, opening: bool) -> dict[str, Any]:
    hit = dict(zip(_HIT_FIELDS, row))
    hit["tags"] = json.loads(hit["tags"])
    hit["snippet"] = _opening(row[-1]) if opening else row[-1] or ""
    return hit


def _opening(text: str) -> str:
    words = text.split()
    opening = " ".join(words[: SNIPPET_TOKENS * 2])
    return opening + SNIPPET_ELLIPSIS if len(words) > SNIPPET_TOKENS * 2 else opening


# --- facet counts over an in-memory facet index ------------------------------------------------
#
# The index holds, per document id, the values the facets count (no text), and the
# tag and entity links. It is read once per connection and then kept in step with the
# library by reading ``search_log``, which triggers fill on every change that matters
# (schema 0002): a starred article costs one row read, not a new index.

_INCREMENTAL_LIMIT = 2_000  # beyond this many changed documents an area is read again whole
_IDS_IN = "IN (SELECT value FROM json_each(?))"


def _nocase(text: str) -> str:
    """``text`` folded as SQLite's NOCASE collation and LIKE fold it (ASCII letters only)."""
    return text.translate(_ASCII_LOWER)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _ranks(values: Sequence[str]) -> np.ndarray:
    """Each value's place when ``values`` are sorted ignoring case (the tie-break of counts)."""
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[sorted(range(len(values)), key=lambda i: values[i].casefold())] = np.arange(len(values))
    return ranks


def _id_array(text: str | None) -> np.ndarray:
    """The integers of a ``group_concat`` of ids (NULL when there were none)."""
    return np.fromstring(text or "", dtype=np.int32, sep=",")


def _grown(array: np.ndarray, size: int, fill: Any) -> np.ndarray:
    if len(array) >= size:
        return array
    grown = np.full(size, fill, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


@dataclass(frozen=True)
class _Counts:
    """Documents per value: ``counts[i]`` documents have ``values[i]``."""

    values: Sequence[str]
    counts: np.ndarray
    ranks: np.ndarray


class _Column:
    """One text value per document id, as codes into ``values`` (-1: NULL or no document)."""

    def __init__(self) -> None:
        self.codes = np.zeros(0, dtype=np.int32)
        self.values: list[str] = []
        self.numbers: dict[str, int] = {}
        self.value_ranks: np.ndarray | None = None

    def set(self, ids: Sequence[int], texts: Sequence[str | None]) -> None:
        """Give each of ``ids`` its text (None: no value); the column must be large enough."""
        for text in set(texts) - self.numbers.keys() - {None}:
            self.numbers[text] = len(self.values)
            self.values.append(text)
            self.value_ranks = None
        lookup = {**self.numbers, None: -1}
        self.codes[list(ids)] = list(map(lookup.__getitem__, texts))

    def has(self, wanted: Iterable[str]) -> np.ndarray:
        """A mask of the documents having one of ``wanted``."""
        return np.isin(self.codes, [self.numbers[v] for v in wanted if v in self.numbers])

    def count(self, mask: np.ndarray) -> _Counts:
        """Documents per value within ``mask``; NULL and empty values are not counted."""
        codes = self.codes[mask]
        counts = np.bincount(codes[codes >= 0], minlength=len(self.values))
        if "" in self.numbers:
            counts[self.numbers[""]] = 0
        if self.value_ranks is None:
            self.value_ranks = _ranks(self.values)
        return _Counts(list(self.values), counts, self.value_ranks)


@dataclass
class _Links:
    """Which documents hold which items (tag or entity ids), as two parallel arrays."""

    documents: np.ndarray
    items: np.ndarray

    @classmethod
    def read(cls, conn: sqlite3.Connection, table: str, column: str, ids: list[int] | None) -> _Links:
        """The links of ``table`` (of the documents ``ids``, or all of them)."""
        sql = f"SELECT group_concat(document_id), group_concat({column}) FROM {table}"
        params = [] if ids is None else [json.dumps(ids)]
        if ids is not None:
            sql += f" WHERE document_id {_IDS_IN}"
        documents, items = conn.execute(sql, params).fetchone()
        return cls(_id_array(documents), _id_array(items))

    def replaced(self, ids: list[int], fresh: _Links) -> _Links:
        """These links with those of the documents ``ids`` replaced by ``fresh``."""
        keep = ~np.isin(self.documents, ids)
        return _Links(np.concatenate((self.documents[keep], fresh.documents)),
                      np.concatenate((self.items[keep], fresh.items)))

    def holding(self, items: Sequence[int], size: int) -> np.ndarray:
        """A mask of the documents holding one of ``items``."""
        mask = np.zeros(size, dtype=bool)
        mask[self.documents[np.isin(self.items, items)]] = True
        return mask

    def count(self, mask: np.ndarray, span: int) -> np.ndarray:
        """Documents within ``mask`` per item id, for ids below ``span``."""
        return np.bincount(self.items[mask[self.documents]], minlength=span)


class _FacetIndex:
    """The facet values and links of every document, as arrays indexed by document id."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.seq = conn.execute("SELECT coalesce(max(seq), 0) FROM search_log").fetchone()[0]
        self.size = 0
        self.exists = np.zeros(0, dtype=bool)
        self.starred = np.zeros(0, dtype=bool)
        self.dates = np.zeros(0, dtype="<U10")
        self.dated = np.zeros(0, dtype=bool)
        self.columns = {name: _Column() for name in ("source", "author", "year", "read_state")}
        self.matches: OrderedDict[str, np.ndarray] = OrderedDict()
        self._read_documents(conn, None)
        self._read_tags(conn, None)
        self._read_entity_names(conn)
        self._read_entity_links(conn, None)

    def catch_up(self, conn: sqlite3.Connection) -> bool:
        """Apply the library's changes since the index was read; False if they are no longer logged."""
        oldest = conn.execute("SELECT min(seq) FROM search_log").fetchone()[0]
        if oldest is not None and oldest > self.seq + 1:
            return False
        changed: dict[str, set[int | None]] = {"documents": set(), "tags": set(), "entities": set()}
        for seq, area, document_id in conn.execute(
            "SELECT seq, area, document_id FROM search_log WHERE seq > ? ORDER BY seq", [self.seq]
        ):
            changed[area].add(document_id)
            self.seq = seq
        if len(changed["documents"]) > _INCREMENTAL_LIMIT:
            return False
        if changed["documents"]:
            self._read_documents(conn, sorted(changed["documents"]))
            self.matches.clear()
        if changed["tags"]:
            self._read_tags(conn, self._incremental(changed["tags"]))
        if None in changed["entities"]:
            self._read_entity_names(conn)
        if changed["entities"] - {None}:
            self._read_entity_links(conn, self._incremental(changed["entities"] - {None}))
        return True

    @staticmethod
    def _incremental(ids: set[int | None]) -> list[int] | None:
        """The documents to read again, or None to read the whole area."""
        if None in ids or len(ids) > _INCREMENTAL_LIMIT:
            return None
        return sorted(ids)

    def _grow(self, size: int) -> None:
        if size <= self.size:
            return
        self.exists = _grown(self.exists, size, False)
        self.starred = _grown(self.starred, size, False)
        self.dates = _grown(self.dates, size, "")
        self.dated = _grown(self.dated, size, False)
        for column in self.columns.values():
            column.codes = _grown(column.codes, size, -1)
        self.size = size

    def _read_documents(self, conn: sqlite3.Connection, ids: list[int] | None) -> None:
        """Read the facet columns of the documents ``ids`` (all when None); absent ones are removed."""
        sql = "SELECT id, published, source, author, starred, read_state FROM documents"
        if ids is None:
            rows = conn.execute(sql + " INDEXED BY documents_search").fetchall()
            ids = []
        else:
            rows = conn.execute(f"{sql} WHERE id {_IDS_IN}", [json.dumps(ids)]).fetchall()
        found, published, sources, authors, starred, states = (
            (list(column) for column in zip(*rows)) if rows else ([] for _ in range(6)))
        self._grow(1 + max([*ids, *found], default=-1))
        self.exists[ids] = False
        self.exists[found] = True
        self.starred[found] = starred
        self.dates[found] = ["" if p is None else p[:10] for p in published]
        self.dated[found] = [p is not None for p in published]
        for name, texts in (("source", sources), ("author", authors), ("read_state", states),
                            ("year", [None if p is None else p[:4] for p in published])):
            self.columns[name].codes[ids] = -1
            self.columns[name].set(found, texts)

    def _read_tags(self, conn: sqlite3.Connection, ids: list[int] | None) -> None:
        self.tag_names = dict(conn.execute("SELECT id, name FROM tags"))
        fresh = _Links.read(conn, "document_tags", "tag_id", ids)
        self.tags = fresh if ids is None else self.tags.replaced(ids, fresh)

    def _read_entity_links(self, conn: sqlite3.Connection, ids: list[int] | None) -> None:
        fresh = _Links.read(conn, "document_entities", "entity_id", ids)
        self.entities = fresh if ids is None else self.entities.replaced(ids, fresh)

    def _read_entity_names(self, conn: sqlite3.Connection) -> None:
        entities = conn.execute("SELECT id, label, name FROM entities ORDER BY id").fetchall()
        self.entity_ids = {(label, name): entity_id for entity_id, label, name in entities}
        self.entity_span = 1 + (entities[-1][0] if entities else 0)
        grouped: dict[str, tuple[list[int], list[str]]] = {}
        for entity_id, label, name in entities:
            ids, names = grouped.setdefault(label, ([], []))
            ids.append(entity_id)
            names.append(name)
        self.labels = {label: (np.array(ids, dtype=np.int64), names, _ranks(names))
                       for label, (ids, names) in grouped.items()}

    def entity_labels(self) -> list[str]:
        """The labels of the entities that some document mentions."""
        mentioned = np.zeros(self.entity_span, dtype=bool)
        mentioned[self.entities.items] = True
        return [label for label, (ids, _, _) in self.labels.items() if mentioned[ids].any()]

    def matching(self, conn: sqlite3.Connection, match: str) -> np.ndarray:
        """A mask of the documents matching the FTS5 expression ``match``, remembered."""
        if match not in self.matches:
            found = _id_array(conn.execute(
                "SELECT group_concat(rowid) FROM documents_fts WHERE documents_fts MATCH ?", [match]
            ).fetchone()[0])
            mask = np.zeros(self.size, dtype=bool)
            mask[found[found < self.size]] = True
            self.matches[match] = mask & self.exists
            while len(self.matches) > CACHED_RESULT_SETS:
                self.matches.popitem(last=False)
        self.matches.move_to_end(match)
        return self.matches[match]

    def has(self, facet: str, values: frozenset[str]) -> np.ndarray:
        """A mask of the documents having one of ``values`` of ``facet``."""
        if facet in ("source", "author", "year"):
            return self.columns[facet].has(values)
        if facet == "state":
            mask = self.columns["read_state"].has(values & set(STATE_VALUES))
            return mask | self.starred if "starred" in values else mask
        if facet == "tag":
            return self._tagged_with(values)
        label = facet.partition(":")[2]
        wanted = [self.entity_ids[label, name] for name in values if (label, name) in self.entity_ids]
        return self.entities.holding(wanted, self.size)

    def _tagged_with(self, values: frozenset[str]) -> np.ndarray:
        names = {_nocase(value) for value in values - {UNTAGGED}}
        wanted = [
            tag_id for tag_id, name in self.tag_names.items()
            if _nocase(name) in names or any(_nocase(name).startswith(n + "/") for n in names)
        ]
        mask = self.tags.holding(wanted, self.size)
        return mask | ~self._tagged() if UNTAGGED in values else mask

    def _tagged(self) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.tags.documents] = True
        return mask

    def published_within(self, *, since: str | None, before: str | None) -> np.ndarray:
        """A mask of the documents published on or after ``since`` and before ``before``."""
        mask = self.dated.copy()
        if since is not None:
            mask &= self.dates >= since
        if before is not None:
            mask &= self.dates < before
        return mask

    def count(self, facet: str, mask: np.ndarray) -> dict[str, _Counts]:
        """Documents per value of ``facet`` within ``mask``; entity facets come all at once."""
        if facet in ("source", "author", "year"):
            return {facet: self.columns[facet].count(mask)}
        if facet == "state":
            states = self.columns["read_state"].count(mask)
            values = ["starred", *states.values]
            counts = np.concatenate(([np.count_nonzero(mask & self.starred)], states.counts))
            return {facet: _Counts(values, counts, _ranks(values))}
        if facet == "tag":
            return {facet: self._tag_counts(mask)}
        if facet.startswith("month:"):
            return {facet: self._month_counts(mask, facet.partition(":")[2])}
        per_entity = self.entities.count(mask, self.entity_span)
        nothing = _Counts([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        return {facet: nothing} | {
            f"entity:{label}": _Counts(names, per_entity[ids], ranks)
            for label, (ids, names, ranks) in self.labels.items()
        }

    def _tag_counts(self, mask: np.ndarray) -> _Counts:
        per_tag = self.tags.count(mask, 1 + max(self.tag_names, default=0))
        values = [*self.tag_names.values(), UNTAGGED]
        counts = [*(per_tag[tag_id] for tag_id in self.tag_names),
                  np.count_nonzero(mask & ~self._tagged())]
        return _Counts(values, np.array(counts, dtype=np.int64), _ranks(values))

    def _month_counts(self, mask: np.ndarray, year: str) -> _Counts:
        within = mask & self.published_within(since=year, before=_after(year))
        months, counts = np.unique(self.dates[within].astype("<U7"), return_counts=True)
        values = [str(month) for month in months]
        return _Counts(values, counts, _ranks(values))


class _ResultSets:
    """Per connection: the facet index, recent result sets (masks) and counts made over them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.index: _FacetIndex | None = None
        self.masks: OrderedDict[str, np.ndarray] = OrderedDict()
        self.counts: dict[tuple[str, str], _Counts] = {}
        self.stamp: tuple[int, int] | None = None


_RESULT_SETS: weakref.WeakKeyDictionary[Database, _ResultSets] = weakref.WeakKeyDictionary()


def _stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes when this connection or another one writes to the library."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


@contextmanager
def _snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction around what is inside, unless the caller already holds one."""
    opened = not conn.in_transaction
    if opened:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if opened and conn.in_transaction:
            conn.execute("COMMIT")


def _fresh_index(db: Database, cache: _ResultSets) -> _FacetIndex:
    """The connection's facet index, brought up to date if the library changed."""
    conn = db.conn
    if cache.index is not None and _stamp(conn) == cache.stamp:
        return cache.index
    index, cache.index = cache.index, None  # a failure half-way leaves no index behind
    with _snapshot(conn):
        stamp = _stamp(conn)
        seq = index.seq if index else None
        if index is None or not index.catch_up(conn):
            index = _FacetIndex(conn)
    if index.seq != seq or seq is None:
        cache.masks.clear()
        cache.counts.clear()
    cache.index, cache.stamp = index, stamp
    return index


def _result_mask(db: Database, index: _FacetIndex, compiled: CompiledQuery, filters: Filters) -> np.ndarray:
    """A mask of the documents matching the query and filters (the same set ``search_ids`` gives)."""
    mask = index.exists.copy()
    if compiled.match:
        mask &= index.matching(db.conn, compiled.match)
    elif compiled.negative_only:
        mask &= ~index.matching(db.conn, compiled.negative_only)
    for facet, values in filters.include.items():
        for group in _required_groups(facet, values):
            mask &= index.has(facet, group)
    for facet, values in filters.exclude.items():
        mask &= ~index.has(facet, values)
    if filters.date_from or filters.date_to:
        mask &= index.published_within(
            since=filters.date_from, before=_after(filters.date_to) if filters.date_to else None)
    return mask


def _counts_for(db: Database, facet: str, query: str, filters: Filters) -> _Counts:
    """Documents per value of ``facet`` over the results of ``query`` and ``filters``, remembered."""
    compiled = compile_query(query)
    key = json.dumps([compiled.match, compiled.negative_only, filters.to_json()])
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, _sqlite_errors():
        index = _fresh_index(db, cache)
        if (key, facet) not in cache.counts:
            if key not in cache.masks:
                cache.masks[key] = _result_mask(db, index, compiled, filters)
                while len(cache.masks) > CACHED_RESULT_SETS:
                    evicted = cache.masks.popitem(last=False)[0]
                    cache.counts = {k: v for k, v in cache.counts.items() if k[0] != evicted}
            cache.masks.move_to_end(key)
            for name, counts in index.count(facet, cache.masks[key]).items():
                cache.counts[key, name] = counts
        return cache.counts[key, facet]


def facet_counts(
    db: Database,
    facet: str,
    *,
    query: str = "",
    filters: Filters | None = None,
    contains: str = "",
    limit: int = 100,
) -> list[tuple[str, int]]:
    """(value, documents) of ``facet`` over the current results, most documents first.

    The results are those of ``query`` and ``filters``. For a document facet
    or tags the facet's own included values are not applied, so that the
    counts show what adding another value (an alternative) would bring. An
    entity facet counts within all the filters (its chosen entities count
    every result), so each count is what requiring that entity too would
    leave. Values with no documents are left out. ``contains`` keeps values
    containing it, ignoring case and diacritics. At most ``limit`` values are
    returned.
    """
    _check_facet(facet)
    filters = filters or Filters()
    within = filters if _is_entity_facet(facet) else filters.without_facet(facet)
    counts = _counts_for(db, facet, query, within)
    chosen = np.flatnonzero(counts.counts)
    if contains:
        needle = _fold(contains)
        chosen = chosen[[needle in _fold(counts.values[i]) for i in chosen]]
    chosen = chosen[np.lexsort((counts.ranks[chosen], -counts.counts[chosen]))][:limit]
    return [(counts.values[i], int(counts.counts[i])) for i in chosen]


def date_histogram(
    db: Database, *, query: str = "", filters: Filters | None = None, year: str | None = None
) -> list[tuple[str, int]]:
    """Documents per year (``"YYYY"``), or per month (``"YYYY-MM"``) of ``year``, in date order.

    Counts the current results of ``query`` and ``filters``; documents without
    a published date are left out of every bucket.
    """
    if year is not None and not re.fullmatch(r"\d{4}", year):
        raise InvalidInput(f"“{year}” is not a year.")
    bucket = "year" if year is None else f"month:{year}"
    counts = _counts_for(db, bucket, query, filters or Filters())
    return sorted((counts.values[i], int(counts.counts[i])) for i in np.flatnonzero(counts.counts))
