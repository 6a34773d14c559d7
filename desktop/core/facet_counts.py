"""Counting over the current results: which facets exist, documents per facet value, the date histogram.

The text query is asked of FTS5 once per query; filters and counts are array
operations over the connection's facet index (``desktop.core.facet_index``),
so a filter change costs milliseconds whatever the size of the result set.
Per connection, the index, recent result sets (masks) and the counts made over
them are kept until the query, the filters or the library change.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import unicodedata
import weakref
from collections import OrderedDict

import numpy as np
from sqlite_utils import Database

from .errors import InvalidInput
from .facet_index import CACHED_RESULT_SETS, Counts, FacetIndex
from .facets import FACETS, Facet, entity_facet, entity_order, facet_named
from .filters import Filters, after
from .library import data_version, read_snapshot
from .name_search import match_name, named_documents
from .query import CompiledQuery, compile_query, search_errors


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _ResultSets:
    """Per connection: the facet index, recent result sets (masks) and counts made over them."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.index: FacetIndex | None = None
        self.masks: OrderedDict[str, np.ndarray] = OrderedDict()
        self.counts: dict[tuple[str, str], Counts] = {}
        self.stamp: tuple[int, int] | None = None


_RESULT_SETS: weakref.WeakKeyDictionary[Database, _ResultSets] = weakref.WeakKeyDictionary()


def _stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes when this connection or another one writes to the library."""
    return data_version(conn), conn.total_changes


def _fresh_index(db: Database, cache: _ResultSets) -> FacetIndex:
    """The connection's facet index, brought up to date if the library changed."""
    conn = db.conn
    if cache.index is not None and _stamp(conn) == cache.stamp:
        return cache.index
    index, cache.index = cache.index, None  # a failure half-way leaves no index behind
    with read_snapshot(conn):
        stamp = _stamp(conn)
        seq = index.seq if index else None
        if index is None or not index.catch_up(conn):
            index = FacetIndex(conn)
    if index.seq != seq or seq is None:
        cache.masks.clear()
        cache.counts.clear()
    cache.index, cache.stamp = index, stamp
    return index


def available_facets(db: Database) -> list[Facet]:
    """The registered facets, then one per entity label that has mentions in the library."""
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, search_errors():
        labels = _fresh_index(db, cache).entity_labels()
    return [*FACETS, *(entity_facet(label) for label in sorted(labels, key=entity_order))]


def _result_mask(db: Database, index: FacetIndex, compiled: CompiledQuery, filters: Filters,
                 named: list[int]) -> np.ndarray:
    """A mask of the documents matching the query and filters (the same set ``search_ids`` gives);
    ``named``: the articles a name query also finds (``desktop.core.name_search``)."""
    mask = index.exists.copy()
    if compiled.match:
        matching = index.matching(db.conn, compiled.match)
        if named:
            matching = matching.copy()
            matching[[i for i in named if i < len(matching)]] = True
        mask &= matching
    elif compiled.negative_only:
        mask &= ~index.matching(db.conn, compiled.negative_only)
    for name, values in filters.include.items():
        facet = facet_named(name)
        for group in facet.required_groups(values):
            mask &= facet.selecting(index, group)
    for name, values in filters.exclude.items():
        mask &= ~facet_named(name).selecting(index, values)
    if filters.date_from or filters.date_to:
        mask &= index.published_within(
            since=filters.date_from, before=after(filters.date_to) if filters.date_to else None)
    return mask


def _counted(index: FacetIndex, name: str, mask: np.ndarray) -> dict[str, Counts]:
    """Documents per value of the facet ``name`` (or per month for ``month:YYYY``) within ``mask``."""
    if name.startswith("month:"):
        return {name: index.month_counts(mask, name.partition(":")[2])}
    return facet_named(name).counted(index, mask)


def _counts_for(db: Database, name: str, query: str, filters: Filters, follow_names: bool) -> Counts:
    """Documents per value of ``name`` over the results of ``query`` and ``filters``, remembered."""
    compiled = compile_query(query)
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, search_errors():
        match = match_name(db, query) if follow_names and compiled.match else None
        named = named_documents(db, match) if match is not None else []
        key = json.dumps([compiled.match, compiled.negative_only, filters.to_json(), named])
        index = _fresh_index(db, cache)
        if (key, name) not in cache.counts:
            if key not in cache.masks:
                cache.masks[key] = _result_mask(db, index, compiled, filters, named)
                while len(cache.masks) > CACHED_RESULT_SETS:
                    evicted = cache.masks.popitem(last=False)[0]
                    cache.counts = {k: v for k, v in cache.counts.items() if k[0] != evicted}
            cache.masks.move_to_end(key)
            for counted, counts in _counted(index, name, cache.masks[key]).items():
                cache.counts[key, counted] = counts
        return cache.counts[key, name]


def facet_counts(
    db: Database,
    facet: str,
    *,
    query: str = "",
    filters: Filters | None = None,
    contains: str = "",
    limit: int = 100,
    follow_names: bool = True,
) -> list[tuple[str, int]]:
    """(value, documents) of ``facet`` over the current results, most documents first.

    The results are those of ``query`` and ``filters``. For a facet whose
    values are alternatives (a document facet or tags) the facet's own
    included values are not applied, so that the counts show what adding
    another value would bring. A facet whose values are each required (an
    entity facet) counts within all the filters (its chosen entities count
    every result), so each count is what requiring that entity too would
    leave. Values with no documents are left out. ``contains`` keeps values
    containing it, ignoring case and diacritics. At most ``limit`` values are
    returned.
    """
    filters = filters or Filters()
    within = filters if facet_named(facet).each_required else filters.without_facet(facet)
    counts = _counts_for(db, facet, query, within, follow_names)
    chosen = np.flatnonzero(counts.counts)
    if contains:
        needle = _fold(contains)
        chosen = chosen[[needle in _fold(counts.values[i]) for i in chosen]]
    chosen = chosen[np.lexsort((counts.ranks[chosen], -counts.counts[chosen]))][:limit]
    return [(counts.values[i], int(counts.counts[i])) for i in chosen]


def date_histogram(
    db: Database, *, query: str = "", filters: Filters | None = None, year: str | None = None,
    follow_names: bool = True,
) -> list[tuple[str, int]]:
    """Documents per year (``"YYYY"``), or per month (``"YYYY-MM"``) of ``year``, in date order.

    Counts the current results of ``query`` and ``filters``; documents without
    a published date are left out of every bucket.
    """
    if year is not None and not re.fullmatch(r"\d{4}", year):
        raise InvalidInput(f"“{year}” is not a year.")
    bucket = "year" if year is None else f"month:{year}"
    counts = _counts_for(db, bucket, query, filters or Filters(), follow_names)
    return sorted((counts.values[i], int(counts.counts[i])) for i in np.flatnonzero(counts.counts))
