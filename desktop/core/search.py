"""Finding documents: full-text search within filters, sorted or ranked id lists, hits with snippets, list rows.

Searches return ids in order; rows are fetched separately for the ids on screen.
The matches of a query come from the facet index's result set (one pass over
FTS5 without scores, shared with the counts of the same search) and are put in
relevance order by ``desktop.core.ranking``: bm25 over a bounded set of
likely best matches when there are many, over every match when there are few
or when ``"exact_relevance"`` is asked for.
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
- ``query_plan`` (``desktop.core.facet_counts``): a query compiled and the name it
  stands for (``.match``: "also: Путин, 普京"), worked out once per query and shared
  by the search and its counts

Values chosen within a document facet or ``tag`` are alternatives (OR); values
chosen within an ``entity:*`` facet must all be mentioned (AND: the articles
where those entities occur together); facets combine with AND.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

from sqlite_utils import Database

from .errors import InvalidInput
from .facet_counts import (
    QueryPlan, available_facets, date_histogram, facet_counts, one_per_story, query_plan, result_ids,
    undated_count,
)
from .facets import STATE_VALUES, UNTAGGED, Facet, marks
from .filters import Filters, filter_conditions
from .language import language_order_sql
from .name_search import NEWEST_FIRST, named_snippets, named_within, with_named_documents
from .query import SCRIPTS_TABLE, CompiledQuery, prefix_terms, search_errors
from .ranking import BM25_WEIGHTS, Ranking, few_matches, rank
from .snippets import query_snippet
from .tag_order import tag_sort_key

__all__ = [
    "BM25_WEIGHTS", "SNIPPET_CLOSE", "SNIPPET_ELLIPSIS", "SNIPPET_OPEN", "SNIPPET_TOKENS", "SORT_KEYS",
    "STATE_VALUES", "UNTAGGED", "Facet", "Filters", "available_facets", "count_documents",
    "date_histogram", "facet_counts", "undated_count", "fetch_rows", "query_plan", "search_hits", "search_ids",
]

SORT_KEYS = ("relevance", "exact_relevance", "title", "published", "source", "author", "word_count",
             "imported_at", "state", "language")
SNIPPET_OPEN = "["
SNIPPET_CLOSE = "]"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16
STATE_ORDER = """((d.starred = 0) * 3
    + CASE d.read_state WHEN 'to_read' THEN 0 WHEN 'unread' THEN 1 ELSE 2 END)"""
"""The reading-state sort: starred articles first, then the others; within each, "to read",
unread, read (the articles asking for attention first)."""
_SORT_COLUMNS = {  # titles and outlets by their keys: case folded in every script (sort_keys)
    "title": "d.title_key",
    "published": "d.published",
    "source": "d.source_key",
    "author": "d.author",
    "word_count": "d.word_count",
    "imported_at": "d.imported_at",
    "state": STATE_ORDER,
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
    follow_names: bool = True,
) -> list[int]:
    """Ids of every document matching ``query`` and ``filters``, in ``sort`` order.

    With ``follow_names``, a query that is a name also finds the articles mentioning that
    entity under any of its names, in any script (``desktop.core.name_search``).

    ``sort`` is one of ``SORT_KEYS``; documents without a value for the sort
    key come last either way. ``"state"`` follows ``STATE_ORDER``; ``"language"``
    sorts by the language's English name as the list shows it, not its code. ``"relevance"`` is best match first (``descending``
    is ignored): with many matches only a bounded set of likely best ones is
    scored and the rest follow shortest first (``desktop.core.ranking``);
    ``"exact_relevance"`` scores every match. Without a query to rank by, both
    list the newest published first. Raises ``QuerySyntaxError`` for a query
    with nothing to search and ``Cancelled`` when ``db.conn.interrupt()`` stops
    the search.
    """
    if sort not in SORT_KEYS:
        raise InvalidInput(f"Cannot sort by “{sort}”: use one of {', '.join(SORT_KEYS)}.")
    plan = query_plan(db, query, follow_names=follow_names)
    compiled = plan.compiled
    hidden, filters = (filters or Filters()).hides_copies, (filters or Filters()).showing_copies()
    ranked = sort in ("relevance", "exact_relevance")
    with search_errors():
        if ranked and compiled.match:
            ids = _ranking(db, compiled, filters, exact=sort == "exact_relevance").ids()
        else:
            sql, params = _sorted_sql(compiled, filters, sort="relevance" if ranked else sort,
                                      descending=descending)
            ids = [row[0] for row in db.conn.execute(sql, params)]
        if plan.match is not None:
            order = None if ranked else _order(sort, descending)
            ids = with_named_documents(db, ids, named_within(db, plan.named_in(db), filters), order=order)
        if hidden:
            ids = one_per_story(db, ids)
    return ids


def search_count(db: Database, query: str = "", *, filters: Filters | None = None,
                 follow_names: bool = True) -> int:
    """How many documents ``search_ids`` lists for ``query`` and ``filters``, without ranking or
    sorting them: the matches from the facet index's result set, with the articles mentioning a
    name the query makes."""
    plan = query_plan(db, query, follow_names=follow_names)
    compiled = plan.compiled
    filters = filters or Filters()
    with search_errors():
        if compiled.match:
            found = set(result_ids(db, compiled, filters)[0].tolist())
        else:
            sql, params = _sorted_sql(compiled, filters, sort="relevance", descending=False)
            found = {row[0] for row in db.conn.execute(sql, params)}
        if plan.match is not None:
            found.update(named_within(db, plan.named_in(db), filters))
    return len(found)


def _ranking(db: Database, compiled: CompiledQuery, filters: Filters, *, exact: bool,
             limit: int = -1) -> Ranking:
    """The matches of ``compiled`` within ``filters`` in relevance order (the matches from the
    facet index's result set, which the counts of the same search share)."""
    hits, by_length = result_ids(db, compiled, filters)
    with search_errors():
        return rank(db.conn, compiled.match, hits, by_length=by_length, exact=exact, limit=limit,
                    filtered=not filters.is_empty(), table=compiled.table)


def _sorted_sql(
    compiled: CompiledQuery, filters: Filters, *, sort: str, descending: bool, columns: str = "d.id"
) -> tuple[str, list[Any]]:
    where, params = _conditions(compiled, filters)
    order = _order(sort, descending)
    indexed = "" if compiled.is_empty else " INDEXED BY documents_search"
    return f"SELECT {columns} FROM documents d{indexed} WHERE {where} ORDER BY {order}", params


def _order(sort: str, descending: bool) -> str:
    """The ORDER BY over ``documents d`` of a sort key (``"relevance"``: newest first)."""
    if sort == "relevance":
        return NEWEST_FIRST
    direction = "DESC" if descending else "ASC"
    column = language_order_sql("d.language") if sort == "language" else _SORT_COLUMNS[sort]
    return f"{column} {direction} NULLS LAST, d.id {direction}"


def count_documents(db: Database) -> int:
    """How many documents the library holds."""
    return db.conn.execute("SELECT count(*) FROM documents").fetchone()[0]


_TAGS_SQL = """(SELECT json_group_array(t.name) FROM document_tags dt JOIN tags t ON t.id = dt.tag_id
    WHERE dt.document_id = d.id)"""  # sorted by ``_tag_names``
_ROW_SQL = f"""
    SELECT d.id, d.title, d.published, d.source, d.author, d.word_count, d.starred,
           d.read_state, d.path, {_TAGS_SQL} AS tags
    FROM documents d WHERE d.id IN ({{marks}})
"""
_HIT_FIELDS = ("id", "title", "published", "source", "author", "path", "tags", "word_count")
_HIT_COLUMNS = f"d.id, d.title, d.published, d.source, d.author, d.path, {_TAGS_SQL}, d.word_count"
_ROW_FIELDS = ("id", "title", "published", "source", "author", "word_count", "starred",
               "read_state", "path", "tags")


def _tag_names(listed: str) -> list[str]:
    """An article's tags from ``_TAGS_SQL``, in the order tags are listed everywhere (``tag_sort_key``)."""
    return sorted(json.loads(listed), key=tag_sort_key)


def _rows(db: Database, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        for values in db.conn.execute(_ROW_SQL.format(marks=marks(chunk)), chunk):
            row = dict(zip(_ROW_FIELDS, values))
            row["tags"] = _tag_names(row["tags"])
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


def search_hits(
    db: Database, query: str, *, filters: Filters | None = None, limit: int = 50, exact: bool = False,
    follow_names: bool = True,
) -> list[dict]:
    """The best ``limit`` matches with a snippet each, best first (title hits weigh most).

    Each hit: id, title, published, source, author, path, tags, word_count,
    snippet. In the snippet, each matched word is wrapped in ``SNIPPET_OPEN``
    and ``SNIPPET_CLOSE`` (``[`` and ``]``) and cut text is marked with ``…``.
    Without positive words to match (an empty or "everything except" query)
    the hits are the newest documents and the snippet is the text's opening.
    The order is that of ``search_ids`` by ``"relevance"``, or by
    ``"exact_relevance"`` with ``exact``. Without filters, few matches (or
    ``exact``) are ranked by FTS5 itself (``ORDER BY rank``: the same scores,
    ties in FTS5's order), in the one query that reads the page's rows and snippets.
    With ``follow_names`` and a query that is a name, every hit carries ``also`` (the
    entity's other names) and the articles found only through the entity follow, with
    ``found_as`` (the name they write) and a snippet around that mention.
    """
    plan = query_plan(db, query, follow_names=follow_names)
    compiled = plan.compiled
    filters = filters or Filters()
    if not compiled.match:
        sql, params = _sorted_sql(compiled, filters, sort="relevance", descending=False,
                                  columns=f"{_HIT_COLUMNS}, substr(d.text, 1, 400)")
        with search_errors():
            found = db.conn.execute(sql + " LIMIT ?", [*params, limit]).fetchall()
        return [_hit(row, opening=True) for row in found]
    table = compiled.table
    with search_errors():
        if filters.is_empty() and (exact or few_matches(db.conn, compiled.match, table=table)):
            # FTS5 ranks and the page's rows come with it, in one query
            sql, params = _hits_sql(compiled, narrowed="ORDER BY rank LIMIT ?")
            found = db.conn.execute(sql, [*params, limit]).fetchall()
        else:
            top = _ranking(db, compiled, filters, exact=exact, limit=limit).top(limit)
            found = _hit_rows(db, compiled, top)
    hits = [_hit(row, opening=False) for row in found]
    if table == SCRIPTS_TABLE:
        prefixes = prefix_terms(query)
        for hit in hits:
            hit["snippet"] = hit_snippet(hit["snippet"], compiled.terms, prefixes=prefixes,
                                         title=hit["title"] or "")
    if plan.match is not None:
        with search_errors():
            hits = _with_named_hits(db, hits, plan, filters=filters, limit=limit)
    return hits


def _hit_rows(db: Database, compiled: CompiledQuery, ids: list[int]) -> list[tuple]:
    """The hit columns and snippet (or text) of the documents ``ids``, in that order."""
    if compiled.table == SCRIPTS_TABLE:  # the snippet is made from the text: no need to match
        sql = (f"SELECT {_HIT_COLUMNS}, d.text FROM documents d "
               "WHERE d.id IN (SELECT value FROM json_each(?))")
        params = [json.dumps(ids)]
    else:
        sql, params = _hits_sql(compiled, narrowed="AND rowid IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(ids))
    rows = {row[0]: row for row in db.conn.execute(sql, params)}
    return [rows[doc_id] for doc_id in ids if doc_id in rows]


def _hits_sql(compiled: CompiledQuery, *, narrowed: str) -> tuple[str, list[Any]]:
    """The hit columns and snippet of the documents matching ``compiled``, narrowed by the SQL
    ``narrowed`` (what follows the MATCH: ``ORDER BY rank LIMIT ?``, a rowid condition), in
    FTS5's order: FTS5 ranks and snips, and only the rows it returns are read. From the
    multi-script index, which has no snippet(), the text comes instead (marked in Python)."""
    table = compiled.table
    if table == SCRIPTS_TABLE:
        snippet, shown, params = "NULL", "d.text", []
    else:
        snippet, shown = f"snippet({table}, -1, ?, ?, ?, {SNIPPET_TOKENS})", "r.snippet"
        params = [SNIPPET_OPEN, SNIPPET_CLOSE, SNIPPET_ELLIPSIS]
    matched = f"SELECT rowid AS id, {snippet} AS snippet FROM {table} WHERE {table} MATCH ? {narrowed}"
    return (f"SELECT {_HIT_COLUMNS}, {shown} FROM ({matched}) r CROSS JOIN documents d ON d.id = r.id",
            [*params, compiled.match])


def hit_snippet(text: str, terms: Sequence[str], *, prefixes: Sequence[str] = (), title: str = "") -> str:
    """A snippet of ``text`` with every form of the query ``terms`` that matches marked; the
    marked ``title`` when only the title matches (as FTS5's ``snippet()`` picks the column)."""
    marked, found = query_snippet(text, terms, prefixes=prefixes, marks=(SNIPPET_OPEN, SNIPPET_CLOSE),
                                  ellipsis=SNIPPET_ELLIPSIS)
    if not found and title:
        in_title, found = query_snippet(title, terms, prefixes=prefixes,
                                        marks=(SNIPPET_OPEN, SNIPPET_CLOSE), ellipsis=SNIPPET_ELLIPSIS)
        if found:
            return in_title
    return marked


def _with_named_hits(db: Database, hits: list[dict], plan: QueryPlan, *, filters: Filters,
                     limit: int) -> list[dict]:
    """``hits`` followed by the articles that mention the entity the query names under another
    name."""
    match = plan.match
    listed = [hit["id"] for hit in hits]
    extra = []
    if len(hits) < limit:  # a full page of matches leaves no room for them
        extra = with_named_documents(db, listed, named_within(db, plan.named_in(db), filters),
                                     order=None)[len(listed):]
        extra = extra[: limit - len(hits)]
    if extra:
        snippets = named_snippets(db, match, extra, open_mark=SNIPPET_OPEN, close_mark=SNIPPET_CLOSE,
                                  ellipsis=SNIPPET_ELLIPSIS)
        rows = {row[0]: row for row in db.conn.execute(
            f"SELECT {_HIT_COLUMNS}, '' FROM documents d WHERE d.id IN ({marks(extra)})", extra)}
        for doc_id in extra:
            hit = _hit(rows[doc_id], opening=False)
            hit["found_as"], hit["snippet"] = snippets.get(doc_id, (match.name, ""))
            hits.append(hit)
    for hit in hits:
        hit["also"] = list(match.names)
    return hits


def _hit(row: Sequence[Any], *, opening: bool) -> dict[str, Any]:
    hit = dict(zip(_HIT_FIELDS, row))
    hit["tags"] = _tag_names(hit["tags"])
    hit["snippet"] = _opening(row[-1]) if opening else row[-1] or ""
    return hit


def _opening(text: str) -> str:
    words = text.split()
    opening = " ".join(words[: SNIPPET_TOKENS * 2])
    return opening + SNIPPET_ELLIPSIS if len(words) > SNIPPET_TOKENS * 2 else opening
