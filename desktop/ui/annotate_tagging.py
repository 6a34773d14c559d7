"""Tags, stars, reading states and removal of the selected articles, for the ``Annotator``.

``TaggingMixin`` applies them to the articles selected in the list (or else
the one being read), through the keys and the list's context menu;
``done_text`` tells a change as done in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QMenu
from sqlite_utils import Database

from desktop.core.documents import tags_of
from desktop.core.errors import DossierError
from desktop.core.tags import (
    add_tag,
    all_in_state,
    all_starred,
    list_tags,
    pinned_tags,
    remove_tag,
    set_read_state,
    set_starred,
)
from desktop.core.removal import remove_documents
from desktop.core.tag_order import tag_sort_key
from desktop.core.undo import Change

from .errors import report_error
from .tag_editor import TagDialogs

MENU_TAGS = 30
_DONE = {
    "Add": "Added", "Remove": "Removed", "Mark": "Marked", "Star": "Starred", "Unstar": "Unstarred",
    "Create": "Created", "Rename": "Renamed", "Change": "Changed", "Merge": "Merged",
    "Delete": "Deleted", "Pin": "Pinned", "Unpin": "Unpinned", "Highlight": "Highlighted",
    "Edit": "Edited", "Clear": "Cleared", "Save": "Saved", "Keep": "Kept",
}


def done_text(label: str) -> str:
    """A change's label told as done, for the status bar: "Add tag 'Biomed' to 3 articles"
    becomes "Added tag 'Biomed' to 3 articles."."""
    verb, space, rest = label.partition(" ")
    return f"{_DONE.get(verb, verb)}{space}{rest}."


class TaggingMixin:
    """The ``Annotator`` part that tags, stars, marks and removes the target articles."""

    def target_ids(self) -> list[int]:
        """The selected articles of the list, or else the article in the reader."""
        selected = self.window.selected_ids()
        if selected:
            return selected
        current = self.window.current_id()
        return [current] if current is not None else []

    def _on_targets(self, operation: Callable[[Database, list[int]], Change], *, doing: str,
                    reading_state: bool = False, ids: list[int] | None = None) -> None:
        """Run ``operation`` on the target articles (or ``ids``); thousands of articles are
        changed in steps in the background (``Operations.apply_steps``), so ``operation`` must do
        the same to every step: a toggle is decided before. A ``reading_state`` the person sets
        on the article being read is not overridden by marking it read a moment later."""
        ids = self.target_ids() if ids is None else ids
        if not ids:
            self._status("Select one or more articles first.")
            return
        if reading_state and self.window.current_id() in ids:
            self.read_timer.stop()
        try:
            self.operations.apply_steps(operation, ids, doing=doing, told=self._status,
                                        then=lambda change: self._status(done_text(change.label)))
        except DossierError as err:
            self._status(report_error(err))

    def add_tag(self, ids: Sequence[int], name: str) -> None:
        """Tag articles ``ids`` with ``name`` (created if new)."""
        self._on_targets(lambda db, some: add_tag(db, some, name), doing="Tagging", ids=list(ids))

    def tag_selection(self, name: str) -> None:
        """Tag the selected articles (or the one being read) with ``name``."""
        self._on_targets(lambda db, ids: add_tag(db, ids, name), doing="Tagging")

    def untag_selection(self, name: str) -> None:
        """Take tag ``name`` off the selected articles."""
        self._on_targets(lambda db, ids: remove_tag(db, ids, name), doing="Untagging")

    def ask_tag(self) -> None:
        """Ask for a tag name and apply it to the selected articles."""
        if not self.target_ids():
            self._status("Select one or more articles first.")
            return
        name = TagDialogs.ask_name(self.window, title="Tag articles", label="Tag (Parent/Child for a child tag):")
        if name is not None:
            self.tag_selection(name)

    def apply_pinned(self, slot: int) -> None:
        """Key 1–9: put the tag pinned there on the selected articles, or take it off if all have it."""
        tag = pinned_tags(self.db).get(slot)
        if tag is None:
            self._status(f"No tag is pinned to key {slot}; pin one from the tag editor.")
            return
        ids = self.target_ids()
        tagged = tags_of(self.db, ids)
        if ids and all(tag["name"] in tagged.get(i, []) for i in ids):
            self.untag_selection(tag["name"])
        else:
            self.tag_selection(tag["name"])

    def toggle_star(self) -> None:
        """S: star the selected articles, or unstar them when all are starred."""
        ids = self.target_ids()
        star = not (ids and all_starred(self.db, ids))
        self._on_targets(lambda db, some: set_starred(db, some, star), ids=ids,
                         doing="Starring" if star else "Unstarring")

    def toggle_read(self) -> None:
        """R: mark the selected articles read, or unread when all are read."""
        self._toggle_state("read")

    def toggle_to_read(self) -> None:
        """T: mark the selected articles "to read", or unread when all are already."""
        self._toggle_state("to_read")

    def _toggle_state(self, state: str) -> None:
        ids = self.target_ids()
        self.set_state("unread" if ids and all_in_state(self.db, ids, state) else state, ids=ids)

    def set_state(self, state: str, *, ids: list[int] | None = None) -> None:
        """Mark the selected articles (or ``ids``) ``unread``, ``to_read`` or ``read``."""
        self._on_targets(lambda db, some: set_read_state(db, some, state), ids=ids, doing="Marking",
                         reading_state=True)

    def set_remove_confirmation(self, confirm: Callable[[Sequence[int]], bool]) -> None:
        """Ask ``confirm(ids)`` before articles are removed; they stay when it returns False."""
        self._confirm_remove = confirm

    def remove_selected(self) -> None:
        """Remove the selected articles from the library once confirmed (Undo brings them back)."""
        ids = self.target_ids()
        if not ids or not self._confirm_remove(ids):
            return
        try:
            change = self.operations.apply(lambda db: remove_documents(db, ids))
        except DossierError as err:
            self._status(report_error(err))
            return
        self._status(f"{done_text(change.label)} Undo (Ctrl+Z) brings {'it' if len(ids) == 1 else 'them'} back.")

    def fill_list_menu(self, menu: QMenu, ids: list[int]) -> None:
        """Add tagging, starring, reading states and removal of articles ``ids`` to the list's menu."""
        add_menu = menu.addMenu("Add tag")
        for tag in list_tags(self.db)[:MENU_TAGS]:
            add_menu.addAction(tag["name"]).triggered.connect(
                lambda _checked=False, name=tag["name"]: self.tag_selection(name))
        add_menu.addSeparator()
        add_menu.addAction(self.action_tag)
        present = sorted({name for names in tags_of(self.db, ids).values() for name in names}, key=tag_sort_key)
        remove_menu = menu.addMenu("Remove tag")
        remove_menu.setEnabled(bool(present))
        for name in present:
            remove_menu.addAction(name).triggered.connect(
                lambda _checked=False, chosen=name: self.untag_selection(chosen))
        menu.addSeparator()
        menu.addAction(self.action_star)
        for state, text in (("read", "Mark read"), ("unread", "Mark unread"), ("to_read", "Mark to read")):
            menu.addAction(text).triggered.connect(lambda _checked=False, chosen=state: self.set_state(chosen))
        menu.addSeparator()
        menu.addAction(self.action_remove)

