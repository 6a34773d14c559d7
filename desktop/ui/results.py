"""What the window asks of the library for one state of the search: ids, facet counts, histogram.

``compute_results`` is a plain function (no Qt) run by a worker on the
window's read connection; a newer request cancels it through the token and
``sqlite3.Connection.interrupt``, and the token is checked between steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.facet_counts import (
    available_facets, date_histogram, facet_counts, one_per_story, undated_count,
)
from desktop.core.facets import Facet
from desktop.core.filters import Filters
from desktop.core.query import search_errors
from desktop.core.search import query_plan, search_ids
from desktop.core.spelling import suggest_search

FACET_LIMIT = 100


@dataclass(frozen=True)
class ResultRequest:
    """One state of the search and what to compute for it.

    ``list_ids``: the ordered ids of the result; ``histogram``: documents per
    year (or per month of ``year``); ``facets``: the facets to count, with
    ``contains`` texts from their filter boxes; ``discover_facets``: ask the
    library which facets exist and count all of them; ``follow_names``: a name
    also finds its entity's mentions in other scripts (``ResultSet.also`` says which, and
    ``ResultSet.names`` are those names, which the reader marks as hits).
    """

    serial: int
    query: str
    filters: Filters
    sort: str = "relevance"
    descending: bool = False
    facets: tuple[str, ...] = ()
    contains: tuple[tuple[str, str], ...] = ()
    year: str | None = None
    list_ids: bool = True
    histogram: bool = True
    discover_facets: bool = False
    follow_names: bool = True
    count_stories: bool = False


@dataclass
class ResultSet:
    """The answer to a ``ResultRequest``; parts that were not asked for are None."""

    request: ResultRequest
    ids: list[int] | None = None
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    histogram: list[tuple[str, int]] | None = None
    undated: int = 0  # with the histogram: the results (or stories) without a date, which no bar holds
    stories: int | None = None  # with the ids and ``count_stories``: how many stories they hold
    available: list[Facet] | None = None
    also: str = ""
    names: tuple[str, ...] = ()
    suggestion: str = ""  # for a search that found nothing: a query that finds articles


def compute_results(
    db: Database, request: ResultRequest, *, progress: ProgressCallback, cancel: CancelToken
) -> ResultSet:
    """Run the search of ``request`` and count its facets and dates; raises Cancelled."""
    query, filters = request.query, request.filters
    result = ResultSet(request=request)
    if request.list_ids:
        result.ids = search_ids(
            db, query, filters=filters, sort=request.sort, descending=request.descending,
            follow_names=request.follow_names,
        )
        if request.count_stories:
            result.stories = len(one_per_story(db, result.ids))
        with search_errors():  # an interrupted lookup is a cancelled search
            match = query_plan(db, query, follow_names=True).match if request.follow_names and result.ids else None
        if match is not None:
            result.also, result.names = match.also, match.names
        if not result.ids and query.strip():
            cancel.raise_if_cancelled()
            result.suggestion = suggest_search(db, query, filters=filters, follow_names=request.follow_names)
    facets = request.facets
    if request.discover_facets:
        cancel.raise_if_cancelled()
        result.available = available_facets(db)
        facets = tuple(facet.name for facet in result.available)
    if request.histogram:
        cancel.raise_if_cancelled()
        result.histogram = date_histogram(
            db, query=query, filters=filters.with_dates(None, None), year=request.year,
            follow_names=request.follow_names, by_story=request.count_stories,
        )
        result.undated = undated_count(db, query=query, filters=filters.with_dates(None, None),
                                       follow_names=request.follow_names, by_story=request.count_stories)
    contains = dict(request.contains)
    for facet in facets:
        cancel.raise_if_cancelled()
        result.facets[facet] = facet_counts(
            db, facet, query=query, filters=filters, contains=contains.get(facet, ""),
            limit=FACET_LIMIT, follow_names=request.follow_names, by_story=request.count_stories,
        )
    cancel.raise_if_cancelled()
    return result
