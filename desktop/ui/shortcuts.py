"""Every keyboard shortcut of the window, and the sheet that lists them (Help ▸ Keyboard shortcuts).

Actions take their keys from ``SHORTCUTS`` so the sheet can never disagree
with what the keys do.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget


@dataclass(frozen=True)
class Shortcut:
    """A named shortcut: its keys (first is primary), the group it is listed under, what it does."""

    keys: tuple[str, ...]
    group: str
    description: str

    def sequences(self) -> list[QKeySequence]:
        return [QKeySequence(key) for key in self.keys]


SHORTCUTS: dict[str, Shortcut] = {
    "new_library": Shortcut(("Ctrl+Shift+N",), "Library", "New library"),
    "open_library": Shortcut(("Ctrl+O",), "Library", "Open library"),
    "import": Shortcut(("Ctrl+I",), "Library", "Import articles"),
    "export": Shortcut(("Ctrl+E",), "Library", "Export the result list"),
    "print": Shortcut(("Ctrl+P",), "Reading", "Print the article with its highlights and notes"),
    "quit": Shortcut(("Ctrl+Q",), "Library", "Quit"),
    "undo": Shortcut(("Ctrl+Z",), "Edit", "Undo"),
    "redo": Shortcut(("Ctrl+Shift+Z",), "Edit", "Redo"),
    "focus_search": Shortcut(("Ctrl+K", "/"), "Search", "Go to the search box"),
    "save_search": Shortcut(("Ctrl+S",), "Search", "Save the current search"),
    "clear_filters": Shortcut(("Ctrl+Shift+Backspace",), "Search", "Clear search and filters"),
    "find": Shortcut(("Ctrl+F",), "Reading", "Find in the article"),
    "next_hit": Shortcut(("F3",), "Reading", "Next search hit"),
    "previous_hit": Shortcut(("Shift+F3",), "Reading", "Previous search hit"),
    "next_name": Shortcut(("E",), "Reading", "Next highlighted name or link"),
    "previous_name": Shortcut(("Shift+E",), "Reading", "Previous highlighted name or link"),
    "next_article": Shortcut(("Alt+Right", "J"), "Reading", "Next article"),
    "previous_article": Shortcut(("Alt+Left", "K"), "Reading", "Previous article"),
    "caret_browsing": Shortcut(("F7",), "Reading", "Caret browsing: move and select in the article with the keys"),
    "zoom_in": Shortcut(("Ctrl+=", "Ctrl++"), "Reading", "Larger text"),
    "zoom_out": Shortcut(("Ctrl+-",), "Reading", "Smaller text"),
    "zoom_reset": Shortcut(("Ctrl+0",), "Reading", "Default text size"),
    "next_pane": Shortcut(("F6",), "View", "The next pane: search, filters, list, article, panels"),
    "previous_pane": Shortcut(("Shift+F6",), "View", "The previous pane"),
    "toggle_sidebar": Shortcut(("Ctrl+Shift+B",), "View", "Show or hide the filter sidebar"),
    "shortcuts": Shortcut(("F1", "Ctrl+/"), "Help", "This list of shortcuts"),
}

LIST_KEYS: tuple[tuple[str, str], ...] = (
    ("Down (in the search box)", "Go on to the result list"),
    ("Up / Down", "Previous / next article in the list"),
    ("Home / End", "First / last article"),
    ("PgUp / PgDn", "A page up / down the list"),
    ("Enter", "Read the article (moves focus to the reader)"),
    ("Shift+click / Ctrl+click", "Select several articles"),
)

CARET_KEYS: tuple[tuple[str, str], ...] = (
    ("Left / Right", "The caret a character back / on"),
    ("Ctrl+Left / Ctrl+Right", "The caret a word back / on"),
    ("Up / Down", "The caret a line up / down"),
    ("Home / End", "The start / end of the line"),
    ("Ctrl+Home / Ctrl+End", "The start / end of the article"),
    ("PgUp / PgDn", "The caret and the view a page up / down"),
    ("Shift + any of these", "Select as the caret moves (then H highlights, N adds a note)"),
)

READER_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "Leave the article for the next / previous part of the window"),
    ("E / Shift+E", "The next / previous highlighted name or link"),
    ("Enter", "Show the articles mentioning the name E reached"),
    ("Menu key / Shift+F10", "Correct that name or the selected text: type, merge, rename"),
)

FACET_KEYS: tuple[tuple[str, str], ...] = (
    ("Tab", "The next list of values (outlets, authors, people, tags…)"),
    ("Down (in a filter box)", "On to the values it leaves; Up on the first value goes back"),
    ("Up / Down", "The previous / next value"),
    ("Enter / Space", "Show only the articles with the value"),
    ("Del", "Leave out the articles with the value"),
    ("Left / Right (Published)", "The previous / next year or month (with Shift: a range)"),
    ("Enter (Published)", "Show only the articles of that year, month or range"),
)

NOTE_KEYS: tuple[tuple[str, str], ...] = (
    ("Esc", "Leave the note (what was typed is saved) and go back to the article"),
    ("Tab / Shift+Tab", "The next / previous note or button"),
)

SAVED_SEARCH_KEYS: tuple[tuple[str, str], ...] = (
    ("Enter", "Open the saved search"),
    ("F2", "Rename it"),
    ("Menu key / Shift+F10", "Open, rename or delete it"),
)

KEY_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {
    "Article list": LIST_KEYS,
    "Reader": READER_KEYS,
    "Notes, in the panel beside the reader": NOTE_KEYS,
    "Filters, in the sidebar": FACET_KEYS,
    "Saved searches, in the sidebar": SAVED_SEARCH_KEYS,
    "Reader, with caret browsing on (F7)": CARET_KEYS,
}


def _native(keys: tuple[str, ...]) -> str:
    return ", ".join(
        QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) for key in keys
    )


class ShortcutsDialog(QDialog):
    """The keyboard sheet: every shortcut grouped by what it is for."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(700, 600)  # every description in full beside the longest keys
        tree = QTreeWidget(self)
        tree.setHeaderLabels(["Keys", "Action"])
        tree.setRootIsDecorated(False)
        groups: dict[str, QTreeWidgetItem] = {}
        for shortcut in SHORTCUTS.values():
            group = groups.get(shortcut.group)
            if group is None:
                group = groups[shortcut.group] = QTreeWidgetItem(tree, [shortcut.group, ""])
                group.setFirstColumnSpanned(True)
            QTreeWidgetItem(group, [_native(shortcut.keys), shortcut.description])
        for title, rows in KEY_GROUPS.items():
            group = QTreeWidgetItem(tree, [title, ""])
            group.setFirstColumnSpanned(True)
            for keys, description in rows:
                QTreeWidgetItem(group, [keys, description])
        tree.expandAll()
        tree.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tree)
        layout.addWidget(buttons)
