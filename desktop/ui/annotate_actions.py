"""The Annotate menu of the main window and the keys of annotating, for the ``Annotator``.

``ANNOTATE_SHORTCUTS`` names each key (added to ``SHORTCUTS``, the shortcuts sheet lists them
with the window's own); ``ActionsMixin`` builds the actions bound to them (highlight, note,
star, read, to read, tag, the nine pinned tags, the highlights list and removal in the article
list) and puts them in an "Annotate" menu before Help.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from .shortcuts import SHORTCUTS, Shortcut

_GROUP = "Annotating"
ANNOTATE_SHORTCUTS: dict[str, Shortcut] = {
    "highlight": Shortcut(("H",), _GROUP, "Highlight the selected text"),
    "add_note": Shortcut(("N",), _GROUP, "Highlight the selected text and write a note"),
    "star": Shortcut(("S",), _GROUP, "Star or unstar the selected articles"),
    "toggle_read": Shortcut(("R",), _GROUP, "Mark the selected articles read or unread"),
    "to_read": Shortcut(("T",), _GROUP, "Mark the selected articles to read"),
    "tag_articles": Shortcut(("Ctrl+T",), _GROUP, "Tag the selected articles"),
    "pinned_tags": Shortcut(tuple("123456789"), _GROUP, "Put a pinned tag on the selected articles, or take it off"),
    "remove_articles": Shortcut(("Del",), _GROUP, "Remove the selected articles (in the list)"),
    "annotations": Shortcut(("Ctrl+Shift+H",), _GROUP, "Every highlight and note of the library"),
}


class ActionsMixin:
    """The ``Annotator`` part that builds its actions and the Annotate menu."""

    def _action(self, name: str, text: str, keys: Sequence[str], slot: Callable[[], Any], *,
                widget: QWidget | None = None) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.triggered.connect(lambda _checked=False: slot())
        if widget is not None:
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            widget.addAction(action)
        else:
            self.window.addAction(action)
        return action

    def _build_actions(self) -> None:
        for name, shortcut in ANNOTATE_SHORTCUTS.items():
            SHORTCUTS.setdefault(name, shortcut)
        keys = {name: shortcut.keys for name, shortcut in ANNOTATE_SHORTCUTS.items()}
        a = self._action
        self.action_highlight = a("actionHighlight", "&Highlight selection", keys["highlight"],
                                  lambda: self.highlight_selection())
        self.action_add_note = a("actionAddNote", "Highlight and add &note", keys["add_note"],
                                 lambda: self.highlight_selection(with_note=True))
        self.action_star = a("actionStar", "&Star / unstar", keys["star"], self.toggle_star)
        self.action_read = a("actionToggleRead", "Mark &read / unread", keys["toggle_read"], self.toggle_read)
        self.action_to_read = a("actionToRead", "Mark &to read", keys["to_read"], self.toggle_to_read)
        self.action_tag = a("actionTagArticles", "&Tag selected articles…", keys["tag_articles"], self.ask_tag)
        self.action_annotations = a("actionAnnotations", "Highlights and &notes…", keys["annotations"],
                                    self.show_annotations_view)
        self.action_remove = a("actionRemoveArticles", "Remove from library", keys["remove_articles"],
                               self.remove_selected, widget=self.window.list_view)
        self.pin_actions = [
            a(f"actionPinnedTag{slot}", f"Pinned tag {slot}", [key],
              lambda chosen=slot: self.apply_pinned(chosen))
            for slot, key in enumerate(keys["pinned_tags"], start=1)
        ]
        bar = self.window.menuBar()
        menu = QMenu("&Annotate", bar)
        menu.setObjectName("annotateMenu")
        help_action = next((action for action in bar.actions() if action.text() == "&Help"), None)
        if help_action is not None:
            bar.insertMenu(help_action, menu)
        else:
            bar.addMenu(menu)
        menu.addActions([self.action_highlight, self.action_add_note])
        menu.addSeparator()
        menu.addActions([self.action_star, self.action_read, self.action_to_read, self.action_tag])
        self.pinned_menu = menu.addMenu("Pinned tags")
        self.pinned_menu.addActions(self.pin_actions)
        menu.addSeparator()
        menu.addActions([self.action_annotations, self.action_remove])
