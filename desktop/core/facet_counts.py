"""Counting over the current results: which facets exist, documents per facet value, the date histogram.

The text query is asked of FTS5 once per query; filters and counts are array
operations over the connection's facet index (``desktop.core.facet_index``),
so a filter change costs milliseconds whatever the size of the result set.
Per connection, the index, recent result sets (masks) and the counts made over
them are kept until the query, the filters or the library change; so is each
recent query's plan (``query_plan``: the query compiled for the index in use and
the articles a name query also finds), so that a search and its counts look
them up once.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import unicodedata
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from .errors import InvalidInput
from .facet_index import CACHED_RESULT_SETS, Counts, FacetIndex
from .facet_store import RESAVE_AFTER, RETRY_AFTER_S, SAVE_AFTER, load_index, save_index
from .facets import FACETS, Facet, entity_facet, entity_order, facet_named
from .filters import Filters, after
from .library import data_version, read_snapshot
from .name_search import NameMatch, match_name, named_documents
from .query import SCRIPTS_TABLE, CompiledQuery, search_errors
from .shadow_index import compile_search


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class QueryPlan:
    """What a query stands for, worked out once per query and library state: ``compiled``
    for the index searches use now, and with ``follow_names`` the entity ``match`` the
    query names; ``named_in(db)`` the articles mentioning it (every one, ascending ids),
    looked up when first asked — a page of ranked hits without counts never asks."""

    compiled: CompiledQuery
    match: NameMatch | None
    _named: tuple[int, ...] | None = None

    def named_in(self, db: Database) -> tuple[int, ...]:
        """The articles of ``db`` (the library the plan was made for) mentioning the entity."""
        if self._named is None:
            self._named = tuple(named_documents(db, self.match)) if self.match is not None else ()
        return self._named


class _ResultSets:
    """Per connection: the facet index, recent result sets (masks) and counts made over them,
    and recent query plans."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.index: FacetIndex | None = None
        self.masks: OrderedDict[str, np.ndarray] = OrderedDict()
        self.counts: dict[tuple[str, str, bool], Counts] = {}
        self.stamp: tuple[int, int] | None = None
        self.plans: OrderedDict[tuple[str, bool], QueryPlan] = OrderedDict()
        self.plans_stamp: tuple[int, int] | None = None
        self.saved: int | None = None  # the seq of the index saved in the library, as last known
        self.save_after = 0.0  # monotonic time before which a refused save is not tried again
        self.held = False  # saving waits for ``save_held_index`` (a window's first counts come first)


_RESULT_SETS: weakref.WeakKeyDictionary[Database, _ResultSets] = weakref.WeakKeyDictionary()


def _stamp(conn: sqlite3.Connection) -> tuple[int, int]:
    """Changes when this connection or another one writes to the library."""
    return data_version(conn), conn.total_changes


def _fresh_index(db: Database, cache: _ResultSets) -> FacetIndex:
    """The connection's facet index, brought up to date if the library changed.

    A connection's first index is the one saved in the library, caught up; it is
    saved again when it had to be read from the articles or was far behind, and
    later whenever it has run ``RESAVE_AFTER`` changes ahead of the saved one.
    """
    conn = db.conn
    if cache.index is not None and _stamp(conn) == cache.stamp:
        return cache.index
    index, cache.index = cache.index, None  # a failure half-way leaves no index behind
    with read_snapshot(conn):
        stamp = _stamp(conn)
        seq = index.seq if index else None
        if index is None:
            index = load_index(conn)
            cache.saved = index.seq if index else None
        if index is None or not index.catch_up(conn):
            index, cache.saved = FacetIndex(conn), None
    if not cache.held and _save_due(conn, cache, index, first=seq is None):
        stamp = _stamp(conn)
    if index.seq != seq or seq is None:
        cache.masks.clear()
        cache.counts.clear()
    cache.index, cache.stamp = index, stamp
    return index


def _save_due(conn: sqlite3.Connection, cache: _ResultSets, index: FacetIndex, *, first: bool) -> bool:
    """Save ``index`` in the library if the saved one is missing or far behind, unless a save was
    refused less than ``RETRY_AFTER_S`` ago; True when saved."""
    if _behind(cache, index, SAVE_AFTER if first else RESAVE_AFTER) and time.monotonic() >= cache.save_after:
        return _save(conn, cache, index)
    return False


def _behind(cache: _ResultSets, index: FacetIndex, entries: int) -> bool:
    """Whether no index is saved yet or the saved one is more than ``entries`` log entries behind."""
    return cache.saved is None or index.seq - cache.saved > entries


def _save(conn: sqlite3.Connection, cache: _ResultSets, index: FacetIndex) -> bool:
    """Save ``index``; True when saved, False (and no new try before ``RETRY_AFTER_S``) when
    another connection was writing."""
    if save_index(conn, index):
        cache.saved = index.seq
        return True
    cache.save_after = time.monotonic() + RETRY_AFTER_S
    return False


def hold_saving(db: Database) -> None:
    """Leave saving the facet index of ``db``'s connection to ``save_held_index``: a window's
    first sidebar of a library without a saved index (made by an older version) then waits
    for reading the articles, not also for writing the index (half a second at 100,000 articles)."""
    _RESULT_SETS.setdefault(db, _ResultSets()).held = True


def save_held_index(db: Database) -> bool | None:
    """Save the index held back by ``hold_saving`` if it is due (the window calls this once it
    is quiet); later indexes of the connection are saved as they come. True when saved, None
    when there was nothing to save, False when another connection was writing (the window
    tries again once it is quiet again: not ``RETRY_AFTER_S`` later, as for later saves)."""
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock:
        cache.held = False
        if cache.index is None or not _behind(cache, cache.index, SAVE_AFTER):
            return None
        current = cache.stamp == _stamp(db.conn)
        saved = _save(db.conn, cache, cache.index)
        if saved and current:  # the save's own write does not make the index stale
            cache.stamp = _stamp(db.conn)
        return saved


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
    hidden, filters = filters.hides_copies, filters.showing_copies()
    mask = index.exists.copy()
    if compiled.match:
        matching = index.matching(db.conn, compiled.match, table=compiled.table)
        if named:
            matching = matching.copy()
            matching[[i for i in named if i < len(matching)]] = True
        mask &= matching
    elif compiled.negative_only:
        mask &= ~index.matching(db.conn, compiled.negative_only, table=compiled.table)
    for name, values in filters.include.items():
        facet = facet_named(name)
        for group in facet.required_groups(values):
            mask &= facet.selecting(index, group)
    for name, values in filters.exclude.items():
        mask &= ~facet_named(name).selecting(index, values)
    if filters.date_from or filters.date_to:
        mask &= index.published_within(
            since=filters.date_from, before=after(filters.date_to) if filters.date_to else None)
    return index.one_per_story(mask) if hidden else mask


def _counted(index: FacetIndex, name: str, mask: np.ndarray) -> dict[str, Counts]:
    """Documents per value of the facet ``name`` (or per month for ``month:YYYY``) within ``mask``."""
    if name.startswith("month:"):
        return {name: index.month_counts(mask, name.partition(":")[2])}
    return facet_named(name).counted(index, mask)


def _key(compiled: CompiledQuery, filters: Filters, named: list[int]) -> str:
    return json.dumps([compiled.table, compiled.match, compiled.negative_only, filters.to_json(), named])


def _mask_for(db: Database, cache: _ResultSets, index: FacetIndex, compiled: CompiledQuery,
              filters: Filters, named: list[int]) -> np.ndarray:
    """The result set of ``compiled`` and ``filters`` (and the articles ``named``) as a mask,
    remembered (hold the lock)."""
    key = _key(compiled, filters, named)
    if key not in cache.masks:
        cache.masks[key] = _result_mask(db, index, compiled, filters, named)
        while len(cache.masks) > CACHED_RESULT_SETS:
            evicted = cache.masks.popitem(last=False)[0]
            cache.counts = {k: v for k, v in cache.counts.items() if k[0] != evicted}
    cache.masks.move_to_end(key)
    return cache.masks[key]


def query_plan(db: Database, query: str, *, follow_names: bool = True) -> QueryPlan:
    """The plan of ``query`` (see ``QueryPlan``), remembered until the library changes; raises
    ``QuerySyntaxError`` for a query with nothing to search."""
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, search_errors():
        stamp = _stamp(db.conn)
        if stamp != cache.plans_stamp:
            cache.plans.clear()
            cache.plans_stamp = stamp
        key = (query, follow_names)
        plan = cache.plans.get(key)
        if plan is None:
            compiled = compile_search(db.conn, query)
            match = (match_name(db, query, scripts=compiled.table == SCRIPTS_TABLE)
                     if follow_names and compiled.match else None)
            plan = cache.plans[key] = QueryPlan(compiled, match)
            while len(cache.plans) > CACHED_RESULT_SETS:
                cache.plans.popitem(last=False)
        cache.plans.move_to_end(key)
        return plan


def _counts_for(db: Database, name: str, query: str, filters: Filters, follow_names: bool, *,
                by_story: bool = False) -> Counts:
    """Documents (or stories) per value of ``name`` over the results of ``query`` and
    ``filters``, remembered. With *Hide copies* a value counts the stories having an article
    with it: how many articles the list shows once that value is chosen too."""
    if filters.hides_copies:
        filters, by_story = filters.showing_copies(), True
    plan = query_plan(db, query, follow_names=follow_names)
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, search_errors():
        compiled, named = plan.compiled, list(plan.named_in(db))
        key = _key(compiled, filters, named)
        index = _fresh_index(db, cache)
        if (key, name, by_story) not in cache.counts:
            mask = _mask_for(db, cache, index, compiled, filters, named)
            with index.counting(by_story=by_story):
                for counted, counts in _counted(index, name, mask).items():
                    cache.counts[key, counted, by_story] = counts
        return cache.counts[key, name, by_story]


def forget_results(db: Database) -> None:
    """Drop the result sets and counts remembered for ``db`` (its facet index stays), so
    that the next search asks FTS5 for its matches again."""
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock:
        cache.masks.clear()
        cache.counts.clear()
        cache.plans.clear()
        if cache.index is not None:
            cache.index.matches.clear()


def result_ids(db: Database, compiled: CompiledQuery, filters: Filters | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
    """The ids of the results of the query ``compiled`` and ``filters`` (ascending) and every
    id of the library shortest document first (ties to the lower id), from the facet index:
    the same result set the counts are made over, so a search and its counts ask FTS5 for
    the matches once."""
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, search_errors():
        index = _fresh_index(db, cache)
        mask = _mask_for(db, cache, index, compiled, filters or Filters(), [])
        return np.flatnonzero(mask), index.by_length()


def one_per_story(db: Database, ids: list[int]) -> list[int]:
    """``ids`` (a result list, in its order) keeping the one article of each story that *Hide
    copies* keeps among them (``FacetIndex.one_per_story``), as the counts over them do."""
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, search_errors():
        index = _fresh_index(db, cache)
        listed = np.asarray(ids, dtype=np.int64)
        listed = listed[listed < index.size]
        mask = np.zeros(index.size, dtype=bool)
        mask[listed] = True
        return listed[index.one_per_story(mask)[listed]].tolist()


def facet_counts(
    db: Database,
    facet: str,
    *,
    query: str = "",
    filters: Filters | None = None,
    contains: str = "",
    limit: int = 100,
    follow_names: bool = True,
    by_story: bool = False,
) -> list[tuple[str, int]]:
    """(value, documents) of ``facet`` over the current results, most documents first; with
    ``by_story``, (value, stories): the copies of one story count once.

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
    counts = _counts_for(db, facet, query, within, follow_names, by_story=by_story)
    chosen = np.flatnonzero(counts.counts)
    if contains:
        needle = _fold(contains)
        chosen = chosen[[needle in _fold(counts.values[i]) for i in chosen]]
    chosen = chosen[np.lexsort((counts.ranks[chosen], -counts.counts[chosen]))][:limit]
    return [(counts.values[i], int(counts.counts[i])) for i in chosen]


def date_histogram(
    db: Database, *, query: str = "", filters: Filters | None = None, year: str | None = None,
    follow_names: bool = True,
    by_story: bool = False,
) -> list[tuple[str, int]]:
    """Documents (``by_story``: stories) per year (``"YYYY"``), or per month (``"YYYY-MM"``) of
    ``year``, in date order.

    Counts the current results of ``query`` and ``filters``; documents without
    a published date are left out of every bucket.
    """
    if year is not None and not re.fullmatch(r"\d{4}", year):
        raise InvalidInput(f"“{year}” is not a year.")
    bucket = "year" if year is None else f"month:{year}"
    counts = _counts_for(db, bucket, query, filters or Filters(), follow_names, by_story=by_story)
    return sorted((counts.values[i], int(counts.counts[i])) for i in np.flatnonzero(counts.counts))


def undated_count(db: Database, *, query: str = "", filters: Filters | None = None, follow_names: bool = True,
                  by_story: bool = False) -> int:
    """Documents (``by_story``: stories) of the results of ``query`` and ``filters`` without a
    published date: those the date histogram leaves out."""
    plan = query_plan(db, query, follow_names=follow_names)
    cache = _RESULT_SETS.setdefault(db, _ResultSets())
    with cache.lock, search_errors():
        index = _fresh_index(db, cache)
        mask = _mask_for(db, cache, index, plan.compiled, filters or Filters(), list(plan.named_in(db)))
        with index.counting(by_story=by_story):
            return index.count(mask & ~index.dated)
