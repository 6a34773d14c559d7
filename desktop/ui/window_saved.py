"""Saved searches in the main window: save the current one, open, rename and delete them.

``SavedSearchesMixin`` fills the sidebar's saved-search list and runs its
requests as the window's other edits run: core operations through ``operations``, so each
joins the undo history (a deleted search comes back with Ctrl+Z) and the list is read again
from the change set (``saved_searches``), whoever made it.
"""

from __future__ import annotations

from typing import Any, Callable

from desktop.core.errors import DossierError
from desktop.core.query import QuerySyntaxError, compile_query, scoped_query
from desktop.core.saved_searches import (
    delete_saved_search,
    find_saved_search,
    get_saved_search,
    list_saved_searches,
    rename_saved_search,
    save_search,
)
from desktop.core.search import Filters
from desktop.core.undo import Change

from .annotate_tagging import done_text
from .errors import report_error
from .window_pickers import Pickers

STATUS_MS = 6000


class SavedSearchesMixin:
    """The ``MainWindow`` part behind the sidebar's saved searches."""

    def _refresh_saved_searches(self) -> None:
        self.sidebar.saved.set_searches(list_saved_searches(self.library.db))

    def _saved_search_write(self, operation: Callable[[Any], Change]) -> None:
        """Run a saved-search operation; what it did, or why it could not, shows in the status bar."""
        try:
            change = self.operations.apply(operation)
        except DossierError as err:
            self.statusBar().showMessage(report_error(err), STATUS_MS)
            return
        self.statusBar().showMessage(done_text(change.label), STATUS_MS)

    def save_current_search(self) -> None:
        """Name the current query, filters and sort order and add them to the saved searches; a name
        already saved is replaced once the person agrees. A query searched "In my notes" is saved with
        its scope (``notes:(…)``), so it searches the notes whenever it is opened."""
        name = Pickers.ask_name(self, title="Save search", label="Name of this search:",
                                text=self.query_text.strip()[:40])
        if name is None:
            return
        existing = find_saved_search(self.library.db, name)
        if existing is not None and not Pickers.ask_replace(self, name=existing.name):
            return
        query, filters = scoped_query(self.query_text, self.query_scope), self.filters.to_json()
        sort, descending = self.sort_key, self.sort_descending
        self._saved_search_write(
            lambda db: save_search(db, name=name, query=query, filters=filters, replace=existing is not None,
                                   sort=sort, descending=descending)[1])

    def open_saved_search(self, search_id: int) -> None:
        """Show the results of a saved search, in the order it was saved in. One whose query no longer
        searches anything (``QuerySyntaxError``) lists what its filters find, its query in the box
        with the reason."""
        try:
            saved = get_saved_search(self.library.db, search_id)
            filters = Filters.from_json(saved.filters)
        except DossierError as err:
            report_error(err, parent=self, title="Cannot open the saved search")
            return
        try:
            compile_query(saved.query)
            broken = None
        except QuerySyntaxError as err:  # saved by hand, or before the query language changed
            broken = str(err)
        self.search_box.set_query(saved.query)
        self.query_text, self._typing = ("" if broken else saved.query), False
        self.query_scope = None  # a search saved "In my notes" holds its scope: notes:(…)
        if saved.sort is not None:  # one saved before sort orders were kept opens in the list's order
            self.sort_key, self.sort_descending = saved.sort, saved.descending
        self.set_filters(filters)
        if broken:  # its filters are listed; the query waits in the box to be put right
            self.search_bar.show_error(broken)

    def rename_saved_search(self, search_id: int) -> None:
        """Ask for a new name for a saved search, starting from its name."""
        try:
            current = get_saved_search(self.library.db, search_id).name
        except DossierError as err:
            report_error(err, parent=self, title="Cannot rename the saved search")
            return
        name = Pickers.ask_name(self, title="Rename saved search", label="New name:", text=current)
        if name is not None and name != current:
            self._saved_search_write(lambda db: rename_saved_search(db, search_id, name=name)[1])

    def delete_saved_search(self, search_id: int) -> None:
        """Remove a saved search (Ctrl+Z puts it back)."""
        self._saved_search_write(lambda db: delete_saved_search(db, search_id))
