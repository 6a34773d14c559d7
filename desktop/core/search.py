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

Values within one facet are alternatives (OR); facets combine with AND.

Facet counts and the date histogram are computed over the result set, whose ids
are materialised once into a TEMP table of the connection; the table and the
counts made over it are reused until the query, the filters or the library's
contents change. A result set holding most of the library is counted as the
library's counts minus those of the documents outside it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import sqlite3
import threading
import unicodedata
import weakref
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping, Sequence

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
BM25_WEIGHTS = (5.0, 1.0, 2.0)  # title, text, notes: a hit in the title counts most
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

    ``include``: facet -> values, a document needs one of them (per facet).
    ``exclude``: facet -> values no document may have.
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
        """These filters plus ``value`` as an alternative of ``facet`` (no longer excluded)."""
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
    labels = [
        row[0]
        for row in db.conn.execute(
            "SELECT DISTINCT e.label FROM entities e "
            "WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.entity_id = e.id)"
        )
    ]
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
        sql, args = _facet_predicate(facet, values)
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


def _ranked_sql(match: str, filters: Filters, *, columns: str = "rowid") -> tuple[str, list[Any]]:
    sql = f"SELECT {columns} FROM documents_fts WHERE documents_fts MATCH ?"
    params: list[Any] = [match]
    if not filters.is_empty():
        where, args = _conditions(CompiledQuery(None, None, ()), filters)
        sql += f" AND rowid IN (SELECT d.id FROM documents d INDEXED BY documents_search WHERE {where})"
        params += args
    return sql + f" ORDER BY {_BM25}", params


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


_ROW_SQL = """
    SELECT d.id, d.title, d.published, d.source, d.author, d.word_count, d.starred,
           d.read_state, d.path,
           (SELECT json_group_array(name) FROM (
                SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
                WHERE dt.document_id = d.id ORDER BY t.name COLLATE NOCASE)) AS tags
    FROM documents d WHERE d.id IN ({marks})
"""
_HIT_FIELDS = ("id", "title", "published", "source", "author", "path", "tags", "word_count")
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
        sql, params = _ranked_sql(compiled.match, filters, columns=f"rowid, {snippet}")
        params = [SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS, *params, limit]
        with _sqlite_errors():
            found = db.conn.execute(sql + " LIMIT ?", params).fetchall()
    else:
        sql, params = _sorted_sql(
            compiled, filters, sort="relevance", descending=False,
            columns="d.id, substr(d.text, 1, 400)",
        )
        with _sqlite_errors():
            rows = db.conn.execute(sql + " LIMIT ?", [*params, limit]).fetchall()
        found = [(doc_id, _opening(text)) for doc_id, text in rows]
    rows = _rows(db, [doc_id for doc_id, _ in found])
    return [
        {**{key: rows[doc_id][key] for key in _HIT_FIELDS}, "snippet": snippet or ""}
        for doc_id, snippet in found
    ]


def _opening(text: str) -> str:
    words = text.split()
    opening = " ".join(words[: SNIPPET_TOKENS * 2])
    return opening + SNIPPET_ELLIPSIS if len(words) > SNIPPET_TOKENS * 2 else opening


# --- facet counts over a materialised result set -----------------------------------------------


@dataclass(frozen=True)
class _ResultTable:
    name: str
    size: int


class _ResultSets:
    """Per connection: TEMP tables of recent result sets (newest last) and counts made over them.

    Everything is dropped when the library changes (``stamp``).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.tables: OrderedDict[str, _ResultTable] = OrderedDict()
        self.counts: dict[tuple[str | None, str], dict[str, int]] = {}
        self.total: int | None = None
        self.stamp: tuple[int, int] | None = None


_RESULT_SETS: weakref.WeakKeyDictionary[Database, _ResultSets] = weakref.WeakKeyDictionary()
_TABLE_NUMBERS = itertools.count(1)
_DOCUMENT_COLUMNS = "id, published, source, author, starred, read_state"


def _stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes when this connection or another one writes to the library."""
    return conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes


def _drop(conn: sqlite3.Connection, table: str) -> None:
    conn.execute(f"DROP TABLE IF EXISTS temp.{table}")


def _refresh(db: Database, cache: _ResultSets) -> None:
    """Empty the connection's cache if the library changed since it was filled."""
    if _stamp(db.conn) != cache.stamp:
        for table in cache.tables.values():
            _drop(db.conn, table.name)
        cache.tables.clear()
        cache.counts.clear()
        cache.total = None
        cache.stamp = _stamp(db.conn)


def _materialise(conn: sqlite3.Connection, table: str, compiled: CompiledQuery, filters: Filters) -> int:
    """Fill a new TEMP table with the ids of the documents matching; returns how many there are."""
    if compiled.match and filters.is_empty():
        select, params = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [compiled.match]
    else:
        where, params = _conditions(compiled, filters)
        select = f"SELECT d.id FROM documents d INDEXED BY documents_search WHERE {where}"
    opened = not conn.in_transaction
    conn.execute(f"CREATE TEMP TABLE {table} (id INTEGER PRIMARY KEY)")
    try:
        size = conn.execute(f"INSERT INTO temp.{table} (id) {select}", params).rowcount
    except BaseException:
        if opened and conn.in_transaction:
            conn.rollback()
        _drop(conn, table)
        raise
    if opened and conn.in_transaction:
        conn.commit()
    return size


def _result_table(
    db: Database, cache: _ResultSets, compiled: CompiledQuery, filters: Filters
) -> _ResultTable | None:
    """The TEMP table of documents matching the query and filters; None for the whole library."""
    if compiled.is_empty and filters.is_empty():
        return None
    key = json.dumps([compiled.match, compiled.negative_only, filters.to_json()])
    if key in cache.tables:
        cache.tables.move_to_end(key)
        return cache.tables[key]
    name = f"dossier_results_{next(_TABLE_NUMBERS)}"
    table = cache.tables[key] = _ResultTable(name, _materialise(db.conn, name, compiled, filters))
    while len(cache.tables) > CACHED_RESULT_SETS:
        evicted = cache.tables.popitem(last=False)[1].name
        _drop(db.conn, evicted)
        cache.counts = {k: v for k, v in cache.counts.items() if k[0] != evicted}
    cache.stamp = _stamp(db.conn)
    return table


def _value_sql(facet: str, docs: str) -> tuple[str, list[Any]]:
    """(value, documents) of a facet stored in a document column, over the rows ``docs``."""
    params: list[Any] = []
    if facet in ("source", "author"):
        value, where = facet, ""
    elif facet == "year":
        value, where = "substr(published, 1, 4)", ""
    else:
        year = facet.partition(":")[2]
        value, where = "substr(published, 1, 7)", " AND published >= ? AND published < ?"
        params += [year, _after(year)]
    return (
        f"SELECT {value} AS value, count(*) FROM {docs} "
        f"WHERE value IS NOT NULL AND value != ''{where} GROUP BY value",
        params,
    )


def _facet_sql(facet: str, docs: str | None) -> tuple[str, list[Any]]:
    """SQL giving (value, documents) of ``facet`` over the rows ``docs``, or the whole library.

    ``docs`` is a table or subquery with the columns of ``_DOCUMENT_COLUMNS``.
    """
    rows = docs or "documents"
    if facet == "state":
        return (
            f"SELECT 'starred', coalesce(sum(starred), 0) FROM {rows} "
            f"UNION ALL SELECT read_state, count(*) FROM {rows} GROUP BY read_state",
            [],
        )
    if facet == "tag":
        tagged = (
            "SELECT t.name, count(*) FROM tags t CROSS JOIN document_tags dt ON dt.tag_id = t.id"
            if docs is None
            else f"SELECT t.name, count(*) FROM {docs} d CROSS JOIN document_tags dt "
            "ON dt.document_id = d.id CROSS JOIN tags t ON t.id = dt.tag_id"
        )
        return (
            f"{tagged} GROUP BY t.id UNION ALL SELECT ?, count(*) FROM {rows} d "
            "WHERE NOT EXISTS (SELECT 1 FROM document_tags dt WHERE dt.document_id = d.id)",
            [UNTAGGED],
        )
    if facet.startswith("entity:"):
        joined = (
            "entities e CROSS JOIN mentions m ON m.entity_id = e.id"
            if docs is None
            else f"{docs} d CROSS JOIN mentions m INDEXED BY mentions_document_entity "
            "ON m.document_id = d.id CROSS JOIN entities e ON e.id = m.entity_id"
        )
        return (
            f"SELECT 'entity:' || e.label, e.name, count(DISTINCT m.document_id) FROM {joined} "
            "GROUP BY e.id",
            [],
        )
    return _value_sql(facet, rows)


def _run_counts(db: Database, facet: str, sql: str, params: list[Any]) -> dict[str, dict[str, int]]:
    """Run a facet's count SQL: {facet: {value: documents}}; entity SQL counts every label at once."""
    found: dict[str, dict[str, int]] = {facet: {}}
    for row in db.conn.execute(sql, params):
        name, value, n = row if len(row) == 3 else (facet, *row)
        if n:
            found.setdefault(name, {})[str(value)] = n
    return found


def _counts(db: Database, cache: _ResultSets, facet: str, table: _ResultTable | None) -> dict[str, int]:
    """Documents per value of ``facet`` within ``table`` (or the library), remembered in ``cache``.

    A result set holding most of the library is counted as the library's
    counts minus those of the few documents outside it.
    """
    scope = table.name if table else None
    if (scope, facet) in cache.counts:
        return cache.counts[scope, facet]
    if table is None:
        found = _run_counts(db, facet, *_facet_sql(facet, None))
    else:
        if cache.total is None:
            cache.total = count_documents(db)
        if table.size * 2 <= cache.total:
            found = _run_counts(db, facet, *_facet_sql(facet, _rows_in(table)))
        else:
            outside = _run_counts(db, facet, *_facet_sql(facet, _rows_outside(table)))
            found = {name: _subtract(_counts(db, cache, name, None), outside.get(name, {}))
                     for name in {facet, *outside}}
    for name, counts in found.items():
        cache.counts[scope, name] = counts
    return found[facet]


def _rows_in(table: _ResultTable) -> str:
    return (
        f"(SELECT {_DOCUMENT_COLUMNS} FROM documents INDEXED BY documents_search "
        f"WHERE id IN (SELECT id FROM temp.{table.name}))"
    )


def _rows_outside(table: _ResultTable) -> str:
    return (
        f"(SELECT {_DOCUMENT_COLUMNS} FROM documents INDEXED BY documents_search "
        f"WHERE id NOT IN (SELECT id FROM temp.{table.name}))"
    )


def _subtract(whole: dict[str, int], outside: dict[str, int]) -> dict[str, int]:
    return {v: n - outside.get(v, 0) for v, n in whole.items() if n > outside.get(v, 0)}


def _counts_for(db: Database, facet: str, query: str, filters: Filters) -> dict[str, int]:
    compiled = compile_query(query)
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, _sqlite_errors():
        _refresh(db, cache)
        return _counts(db, cache, facet, _result_table(db, cache, compiled, filters))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


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

    The results are those of ``query`` and ``filters``, except that the
    facet's own included values are not applied, so that the counts show
    what adding another value of the same facet would bring. Values with no
    documents are left out. ``contains`` keeps values containing it, ignoring
    case and diacritics. At most ``limit`` values are returned.
    """
    _check_facet(facet)
    counts = _counts_for(db, facet, query, (filters or Filters()).without_facet(facet))
    pairs = list(counts.items())
    if contains:
        needle = _fold(contains)
        pairs = [(value, n) for value, n in pairs if needle in _fold(value)]
    pairs.sort(key=lambda pair: (-pair[1], pair[0].casefold()))
    return pairs[:limit]


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
    return sorted(_counts_for(db, bucket, query, filters or Filters()).items())
