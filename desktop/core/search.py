"""Finding documents: full-text search within filters, sorted or ranked id lists, hits with snippets, list rows.

Searches return ids in order; rows are fetched separately for the ids on screen.
This module is also where the rest of searching is imported from:

- ``Filters`` (``desktop.core.filters``): what the filter sidebar selects
- the facets (``desktop.core.facets``): each facet defined once: its title,
  SQL, facet-index column, counting and how its values read. Built in:
  ``source``, ``author``, ``year`` (the year published, ``"2017"``), ``tag`` (a
  parent tag also selects its children, ``"(untagged)"`` documents without
  tags), ``state`` (``"starred"``, ``"unread"``, ``"to_read"``, ``"read"``), and
  ``entity:LABEL`` (``entity:PERSON``, ...: an entity's canonical name)
- ``facet_counts``, ``date_histogram``, ``available_facets``
  (``desktop.core.facet_counts``): counts over the current results, made with
  numpy over an in-memory facet index (``desktop.core.facet_index``)

Values chosen within a document facet or ``tag`` are alternatives (OR); values
chosen within an ``entity:*`` facet must all be mentioned (AND: the articles
where those entities occur together); facets combine with AND.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from sqlite_utils import Database

from .errors import InvalidInput
from .facet_counts import available_facets, date_histogram, facet_counts
from .facets import STATE_VALUES, UNTAGGED, Facet, marks
from .filters import Filters, filter_conditions
from .query import FTS_TABLE, SCRIPTS_TABLE, CompiledQuery, prefix_terms, search_errors
from .shadow_index import compile_search
from .textindex import query_snippet

__all__ = [
    "BM25_WEIGHTS", "SNIPPET_CLOSE", "SNIPPET_ELLIPSIS", "SNIPPET_OPEN", "SNIPPET_TOKENS", "SORT_KEYS",
    "STATE_VALUES", "UNTAGGED", "Facet", "Filters", "available_facets", "count_documents",
    "date_histogram", "facet_counts", "fetch_rows", "search_hits", "search_ids",
]

SORT_KEYS = ("relevance", "title", "published", "source", "author", "word_count", "imported_at")
SNIPPET_OPEN = "["
SNIPPET_CLOSE = "]"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16
BM25_WEIGHTS = (5.0, 1.0, 2.0)  # title, text, notes; also the index's rank (schema 0002, 0007)


def _bm25(table: str = FTS_TABLE) -> str:
    return f"bm25({table}, {{}}, {{}}, {{}})".format(*BM25_WEIGHTS)


_SORT_COLUMNS = {
    "title": "d.title COLLATE NOCASE",
    "published": "d.published",
    "source": "d.source",
    "author": "d.author",
    "word_count": "d.word_count",
    "imported_at": "d.imported_at",
}


def _conditions(compiled: CompiledQuery, filters: Filters) -> tuple[str, list[Any]]:
    """A WHERE clause over ``documents d`` for the query and filters (``1`` when neither)."""
    conditions, params = filter_conditions(filters)
    fts = f"d.id {{}} (SELECT rowid FROM {compiled.table} WHERE {compiled.table} MATCH ?)"
    if compiled.match:
        conditions.insert(0, fts.format("IN"))
        params.insert(0, compiled.match)
    elif compiled.negative_only:
        conditions.insert(0, fts.format("NOT IN"))
        params.insert(0, compiled.negative_only)
    return " AND ".join(conditions) or "1", params


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
    compiled = compile_search(db.conn, query)
    filters = filters or Filters()
    if sort == "relevance" and compiled.match:
        sql, params = _ranked_sql(compiled.match, filters, table=compiled.table)
    else:
        sql, params = _sorted_sql(compiled, filters, sort=sort, descending=descending)
    with search_errors():
        return [row[0] for row in db.conn.execute(sql, params)]


def _ranked_sql(match: str, filters: Filters, *, columns: str = "",
                hits: bool = False, table: str = FTS_TABLE) -> tuple[str, list[Any]]:
    """SQL for the matches of ``match`` within ``filters``, best first.

    ``hits`` is for a short first page whose ``columns`` read the document as
    ``d``: without filters, ``ORDER BY rank`` (the same bm25 weights, configured
    in the index) lets FTS5 sort the matches itself, so ``snippet()`` and the
    document's columns are read only for the rows returned. Over every match,
    SQLite's own sort by ``bm25()`` is the faster of the two. The filters test
    each match (``+rowid``): handed to FTS5 as a list of rowids to look up, a
    filter matching thousands of articles costs seconds with a frequent word.
    """
    columns = columns or f"{table}.rowid"
    joined = f" CROSS JOIN documents d ON d.id = {table}.rowid" if hits else ""
    sql = f"SELECT {columns} FROM {table}{joined} WHERE {table} MATCH ?"
    params: list[Any] = [match]
    if filters.is_empty():
        return sql + (" ORDER BY rank" if hits else f" ORDER BY {_bm25(table)}"), params
    where, args = _conditions(CompiledQuery(None, None, ()), filters)
    sql += (f" AND +{table}.rowid IN "
            f"(SELECT d.id FROM documents d INDEXED BY documents_search WHERE {where})")
    return sql + f" ORDER BY {_bm25(table)}", params + args


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
        for values in db.conn.execute(_ROW_SQL.format(marks=marks(chunk)), chunk):
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
    compiled = compile_search(db.conn, query)
    filters = filters or Filters()
    if compiled.match and compiled.table == SCRIPTS_TABLE:
        # a contentless index has no snippet(): the text is read and marked in Python
        sql, params = _ranked_sql(compiled.match, filters, columns=f"{_HIT_COLUMNS}, d.text",
                                  hits=True, table=compiled.table)
    elif compiled.match:
        snippet = f"snippet(documents_fts, -1, ?, ?, ?, {SNIPPET_TOKENS})"
        sql, params = _ranked_sql(compiled.match, filters, columns=f"{_HIT_COLUMNS}, {snippet}",
                                  hits=True)
        params = [SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS, *params]
    else:
        sql, params = _sorted_sql(compiled, filters, sort="relevance", descending=False,
                                  columns=f"{_HIT_COLUMNS}, substr(d.text, 1, 400)")
    with search_errors():
        found = db.conn.execute(sql + " LIMIT ?", [*params, limit]).fetchall()
    hits = [_hit(row, opening=not compiled.match) for row in found]
    if compiled.match and compiled.table == SCRIPTS_TABLE:
        for hit in hits:
            hit["snippet"] = hit_snippet(hit["snippet"], compiled.terms, prefixes=prefix_terms(query))
    return hits


def hit_snippet(text: str, terms: Sequence[str], *, prefixes: Sequence[str] = ()) -> str:
    """A snippet of ``text`` with every form of the query ``terms`` that matches marked."""
    return query_snippet(text, terms, prefixes=prefixes, marks=(SNIPPET_OPEN, SNIPPET_CLOSE),
                         ellipsis=SNIPPET_ELLIPSIS)


def _hit(row: Sequence[Any], *, opening: bool) -> dict[str, Any]:
    hit = dict(zip(_HIT_FIELDS, row))
    hit["tags"] = json.loads(hit["tags"])
    hit["snippet"] = _opening(row[-1]) if opening else row[-1] or ""
    return hit


def _opening(text: str) -> str:
    words = text.split()
    opening = " ".join(words[: SNIPPET_TOKENS * 2])
    return opening + SNIPPET_ELLIPSIS if len(words) > SNIPPET_TOKENS * 2 else opening
