"""The main window's search: its state and the orchestration of result sets.

``SearchMixin`` owns the query text, scope, ``Filters`` and sort order; it
turns them into a ``ResultRequest``, runs it through ``compute_results`` on the
query worker (the newest request cancels the one before it, so typing never
waits for a slow query), and shows the ``ResultSet`` that comes back: the
list and the reader at once, keeping the person's place by article id, then
the sidebar in short slices of event-loop turns.
"""

from __future__ import annotations

import functools
import time
from dataclasses import replace
from typing import Callable, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHeaderView

from desktop.core.errors import DossierError
from desktop.core.facet_counts import hold_saving, save_held_index
from desktop.core.query import (
    QuerySyntaxError,
    compile_query,
    highlight_terms,
    prefix_terms,
    scoped_query,
    typing_query,
)
from desktop.core.query_advice import operator_advice
from desktop.core.search import Filters
from desktop.core.undo import plural

from .doc_list_view import selected_rows, successor_of
from .errors import report_error
from .results import ResultRequest, ResultSet, compute_results
from .sort_arrows import keep_sort_indicator
from .workers import run_now

SIDEBAR_SLICE_S = 0.015  # the longest the sidebar's steps hold the event loop before it paints
QUIET_MS = 3_000  # how long no search may have started before ``when_quiet`` calls back
QUIET_WAIT_MS = 30_000  # the longest ``when_quiet`` waits
QUIET_POLL_MS = 100
SAVE_TRIES = 5  # times the first facet index save is tried again while other writes hold the library


class SearchMixin:
    """The ``MainWindow`` part that runs the current search and shows its results."""

    _stories: int | None = None  # with Count stories: how many stories the list holds

    def set_query(self, text: str, *, typing: bool = False) -> None:
        """Search for ``text``; with ``typing`` (a pause while typing) its last word is
        searched as a prefix, while ``query_text`` keeps the text as typed."""
        self.query_text = text
        self._typing = typing
        if self.search_box.text() != text:
            self.search_box.set_query(text)
        self.reload()

    def set_filters(self, filters: Filters) -> None:
        """Apply ``filters`` together with the current query."""
        self.filters = filters
        if not (filters.date_from or filters.date_to):
            self.sidebar.reset_year()
        self.reload()

    def set_query_scope(self, column: str | None) -> None:
        """Search only ``column`` of the query language (``"notes"``), or everywhere (None)."""
        if column != self.query_scope:
            self.query_scope = column
            self.reload()

    def search_query(self) -> str:
        """The query sent to the library: the typed text, limited to the scope if one is set.

        While typing, the last bare word is searched as a prefix. An empty
        query lists every article whatever the scope.
        """
        text = typing_query(self.query_text) if self._typing else self.query_text
        return scoped_query(text, self.query_scope)

    def clear_search(self) -> None:
        """Drop the query and every filter."""
        self.search_box.set_query("")
        self.query_text, self._typing = "", False
        self.set_filters(Filters())

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def focus_list(self) -> None:
        """Down in the search box: go on to the result list, at the article being read or else
        at the first one."""
        if not self.model.rowCount():
            return
        if not self.list_view.currentIndex().isValid():
            self.list_view.setCurrentIndex(self.model.index(0, 0))
        self.list_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _sort_requested(self, key: str, descending: bool) -> None:
        self.sort_key, self.sort_descending = key, descending
        self.reload()

    def _sort_on_clicks(self, header: QHeaderView) -> None:
        """A click on a header sorts by its column; one on a column that cannot sort leaves the arrow."""
        header.sectionClicked.connect(self._header_clicked)
        keep_sort_indicator(header, sortable=lambda section: self.model.columns[section].sort_key is not None)

    def _header_clicked(self, section: int) -> None:
        column = self.model.columns[section]
        if column.sort_key is None:
            self._show_sort_indicator()  # the header moved its arrow here: the list is not sorted so
            return
        if column.sort_key == self.sort_key:
            descending = not self.sort_descending
        else:
            descending = column.sort_key in ("published", "word_count", "imported_at")
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.model.sort(section, order)

    def _show_sort_indicator(self) -> None:
        header = self.list_view.horizontalHeader()
        column = self.model.column_of_sort_key(self.sort_key)
        header.setSortIndicatorShown(column >= 0)
        order = Qt.SortOrder.DescendingOrder if self.sort_descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)

    def _save_facet_index_when_quiet(self) -> None:
        """A facet index the first counts had to read from the articles (a library made by an
        older version) is saved in the library once the window is quiet, not before the first
        sidebar shows; the next window over the library then counts at once. While the window's
        own upkeep on opening (sort keys, languages, the search index) holds the library, the
        save is tried again a few seconds later."""
        db = self._read.db
        hold_saving(db)  # before the first search, which reads the index
        tries = iter(range(SAVE_TRIES))

        def save() -> None:
            if self._read.db is db and not self._closed:
                self.queries.start(lambda progress, cancel: save_held_index(db), on_finished=saved)

        def saved(done: bool | None) -> None:  # False: another write held the library
            if done is False and next(tries, None) is not None:
                QTimer.singleShot(QUIET_MS, self, lambda: self.when_quiet(save))

        # from the next turn of the loop: the first searches have started by then
        QTimer.singleShot(0, self, lambda: self.when_quiet(save))

    def _request(self, *, facets: Sequence[str] | None = None, list_ids: bool = True,
                 histogram: bool = True) -> ResultRequest:
        """A request for the current search; a new list of ids makes older answers stale.

        Until the sidebar has its facets, every request (but the first list) looks for them.
        """
        if list_ids:
            self._serial += 1
            self._searched_at = time.monotonic()
        discover_facets = not self._facets_known and facets is None
        names = tuple(self.sidebar.facet_names() if facets is None else facets)
        return ResultRequest(
            serial=self._serial, query=self.search_query(), filters=self.filters,
            sort=self.sort_key, descending=self.sort_descending, facets=names,
            contains=tuple((name, self.sidebar.contains_text(name)) for name in names),
            year=self.sidebar.year, list_ids=list_ids, histogram=histogram,
            discover_facets=discover_facets, follow_names=self.follow_names,
            count_stories=self.count_stories,
        )

    def reload(self, *, sync: bool = False) -> None:
        """Run the current search and recount the sidebar; ``sync`` waits for the answer."""
        try:
            compile_query(self.query_text)  # first as typed, so that a message quotes what was typed
            compile_query(self.search_query())
        except QuerySyntaxError as err:
            self.search_bar.show_error(str(err))
            self.sidebar.set_filters_chips(self.filters.chips())  # a filter chosen meanwhile shows
            return
        self.search_bar.clear_error(advice=operator_advice(self.query_text))
        self._start(self._request(), sync=sync)

    def _recount(self, facets: Sequence[str] | None) -> None:
        """Count ``facets`` again (None: every facet, and find those the sidebar lacks)."""
        self._start(self._request(facets=facets, list_ids=False, histogram=False), sync=False)

    def _start(self, request: ResultRequest, *, sync: bool) -> None:
        """Run ``request``; it replaces a pending recount, and a new search replaces everything.
        Nothing runs once the window is closing (a typed search's pause may end after that)."""
        if self._closed:
            return
        replaced = [self._recount_worker]
        if request.list_ids:
            replaced.append(self._query_worker)
        for worker in replaced:
            if worker is not None:
                worker.cancel()
        if sync:
            self.queries.wait()
            self._apply_results(run_now(functools.partial(compute_results, self._read.db, request)))
            return
        worker = self.queries.start(
            functools.partial(compute_results, self._read.db, request),
            on_finished=self._apply_results,
            on_failed=self._query_failed,
            interrupt=self._read.db.conn.interrupt,
        )
        if request.list_ids:
            self._query_worker = worker
        else:
            self._recount_worker = worker

    def _query_failed(self, err: BaseException) -> None:
        if self._closed:
            return
        message = report_error(err)
        if isinstance(err, DossierError):
            self.search_bar.show_error(message)
        else:
            self.statusBar().showMessage(message, 10_000)

    def _apply_results(self, result: ResultSet) -> None:
        """Show a result: the list and reader at once, then the sidebar in slices of event-loop
        turns (chips and dates, then the facets, as many as fit in a slice), so no single
        stall is long."""
        if self._closed or result.request.serial != self._serial:
            return
        if result.ids is not None:
            self._query_worker = None
            self._sidebar_steps.clear()
            self._apply_list(result)
            self.results_ready.emit()
        else:
            self._recount_worker = None
        steps = [functools.partial(self._apply_sidebar_head, result)]
        steps += [functools.partial(self._apply_facet, result, facet) for facet in result.facets]
        self._sidebar_steps.extend(steps)
        QTimer.singleShot(0, self, self._next_sidebar_step)

    def _next_sidebar_step(self) -> None:
        """Apply sidebar steps for up to ``SIDEBAR_SLICE_S``, then let the loop paint and go on:
        one repaint for the cheap steps together, never a long stall for the dear ones."""
        deadline = time.perf_counter() + SIDEBAR_SLICE_S
        while self._sidebar_steps and not self._closed:
            self._sidebar_steps.pop(0)()
            if time.perf_counter() >= deadline:
                break
        if self._sidebar_steps and not self._closed:
            QTimer.singleShot(0, self, self._next_sidebar_step)

    def settled(self) -> bool:
        """True when no search runs and the sidebar shows the latest counts."""
        return self.queries.active == 0 and not self._sidebar_steps

    def when_settled(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the window has ``settled()``: the first list and sidebar shown."""
        self.when_quiet(callback, quiet_ms=0)

    def when_quiet(self, callback: Callable[[], None], *, quiet_ms: int = QUIET_MS,
                   within_ms: int = QUIET_WAIT_MS) -> None:
        """Call ``callback`` once the window has ``settled()`` and no search has started for
        ``quiet_ms``, or after ``within_ms`` at the latest: upkeep started on opening a library
        (its damage check and day's backup, its name keys) leaves the first list, the sidebar
        and the first searches typed the machine to themselves."""
        deadline = time.monotonic() + within_ms / 1000

        def check() -> None:
            if self._closed:
                return
            now = time.monotonic()
            if (self.settled() and now - self._searched_at >= quiet_ms / 1000) or now >= deadline:
                callback()
            else:
                QTimer.singleShot(QUIET_POLL_MS, self, check)

        check()

    def _apply_sidebar_head(self, result: ResultSet) -> None:
        filters = result.request.filters
        if result.request.serial != self._serial:
            return
        if result.available is not None:
            self.sidebar.set_facets(result.available)
            self._facets_known = True
        if result.histogram is not None:
            dated = filters.date_from or filters.date_to
            selected = (filters.date_from or "0000", filters.date_to or "9999") if dated else None
            self.sidebar.set_histogram(result.histogram, selected=selected, undated=result.undated,
                                       stories=result.request.count_stories)
            self._ask_months(result)
        if result.ids is not None:
            self.sidebar.set_filters_chips(filters.chips())

    def _ask_months(self, result: ResultSet) -> None:
        """When every dated result falls in one year, show that year's months instead (counted
        at once: one histogram over the facet index the search has just built)."""
        histogram, request = result.histogram or [], result.request
        if request.year is None and len(histogram) == 1 and len(histogram[0][0]) == 4:
            self._start(replace(request, year=histogram[0][0], facets=(), contains=(), list_ids=False,
                                discover_facets=False), sync=True)

    def _apply_facet(self, result: ResultSet, facet: str) -> None:
        if result.request.serial == self._serial:
            included = result.request.filters.include.get(facet, frozenset())
            self.sidebar.set_facet_counts(facet, result.facets[facet], included=included)

    def _apply_list(self, result: ResultSet) -> None:
        """Show a new result list. The list keeps the person's selection and place by article
        id; a refresh of the same search neither scrolls nor takes the article being read away."""
        request = result.request
        assert result.ids is not None
        current = self.current_id()
        searched = (request.query, request.filters, request.sort, request.descending)
        same_search, self._searched = searched == self._searched, searched
        listed = self.model.id_at(self.list_view.currentIndex().row())
        successor = successor_of(listed, old=self.model.ids, new=result.ids) if same_search else None
        if result.ids == self.model.ids:
            self.model.invalidate()
        else:
            self.model.set_ids(result.ids)
        self._fit_empty_columns()
        self._show_sort_indicator()
        self._also, self._suggestion, self._stories = result.also, result.suggestion, result.stories
        self._show_count()
        terms = highlight_terms(request.query)
        terms_changed = self.reader.set_search_terms(  # the entity's other names are hits too
            (*terms, *result.names), prefixes=[prefix for prefix in prefix_terms(request.query) if prefix in terms])
        if not self._restore_current(current, refresh=same_search, successor=successor) and terms_changed:
            self.reader.rerender()

    def _show_count(self) -> None:
        shown = len(self.model.ids)
        if self._total == 0:
            self.statusBar().show_count("No articles yet — use File ▸ Import to add some")
            self.reader.show_placeholder(
                "This library has no articles yet. Use File ▸ Import… to add some.")
        else:
            noun = "article" if self._total == 1 else "articles"
            also = f" · {self._also}" if self._also else ""
            stories = f" · {plural(self._stories, 'story', 'stories')}" if self._stories is not None else ""
            self.statusBar().show_count(f"{shown:,} of {self._total:,} {noun}{stories}{also}")

    def _restore_current(self, current: int | None, *, refresh: bool = False,
                         successor: int | None = None) -> bool:
        """Keep reading ``current`` and make its row current if it is still listed.

        Otherwise, on a ``refresh`` of the same search, an article that left the list but is
        still in the reader stays there (marking it read in an "unread" list does not move
        on); else the first selected article still listed is read, or ``successor`` (the
        article that took the place of one removed), or the first article. Rows the list
        kept selected stay selected. The list scrolls to the current row unless a refresh
        kept it. True when another article (or the placeholder) replaced the reader's content.
        """
        selection = self.list_view.selectionModel()
        row = self.model.row_of(current) if current is not None else None
        if row is None and refresh and current is not None:
            return False
        if row is None:
            kept = selected_rows(selection)
            row = kept[0] if kept else self.model.row_of(successor) if successor is not None else None
        if row is None:
            row = 0 if self.model.rowCount() else None
        if row is None:
            if self._total:
                self.reader.show_no_match(self._suggestion)
            return True
        index = self.model.index(row, 0)
        flag = selection.SelectionFlag
        selection.setCurrentIndex(
            index, flag.NoUpdate if selection.hasSelection() else flag.ClearAndSelect | flag.Rows)
        moved = self.model.id_at(row) != current
        if moved or not refresh:
            self.list_view.scrollTo(index)
        if not moved:
            return False
        self._show_article(self.model.id_at(row))
        return True
