"""What the main window remembers between runs: geometry, splitters, header, panes, theme, font, caret browsing.

``WindowStateMixin`` restores the window's layout and reading preferences from
``Settings`` when it opens (fitting a first start to the screen), saves them
when it closes, and applies the theme and reader font the person chooses.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFontDialog, QWidget

from .theme import apply_theme

FOLDED_SECTIONS_KEY = "sidebar/folded_sections"
DEFAULT_SIZE = QSize(1440, 900)
FRAME_ROOM = QSize(8, 40)  # what a window manager's frame (borders, title bar) takes, roughly


def size_on_screen(widget: QWidget, wanted: QSize) -> QSize:
    """``wanted``, or the room on ``widget``'s screen (less a window frame) where that is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return wanted if screen is None else wanted.boundedTo(screen.availableGeometry().size() - FRAME_ROOM)


class WindowStateMixin:
    """The ``MainWindow`` part that restores and saves its layout and preferences."""

    def _restore(self) -> None:
        s = self.settings
        geometry = s.blob("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self._fit_to_screen()
        state = s.blob("window/state")
        if state is not None:
            self.restoreState(state)
        for key, splitter in (("window/splitter", self.splitter),
                              ("window/reader_splitter", self.reader_splitter)):
            blob = s.blob(key)
            if blob is not None:
                splitter.restoreState(blob)
        header = s.blob("list/header")
        if header is not None:
            self.list_view.horizontalHeader().restoreState(header)
        self._apply_hidden_columns(range(len(self.model.columns)))
        self.sidebar.set_collapsed_sections(_json_list(s.text(FOLDED_SECTIONS_KEY, "[]")))
        self.action_sidebar.setChecked(s.flag("window/sidebar", True))
        self.sidebar_scroll.setVisible(self.action_sidebar.isChecked())
        self.action_panels.setChecked(s.flag("window/panels", False))
        self.action_caret.setChecked(s.flag("reader/caret_browsing", False))
        family = s.text("reader/family")
        if family:
            self.reader.set_font_family(family)
        self.reader.set_point_size(int(s.number("reader/point_size", self.reader.point_size())))
        self.set_theme(s.text("view/theme", "system"))

    def _fit_to_screen(self) -> None:
        """First start: ``DEFAULT_SIZE``, or the whole screen (less a frame) when it is smaller,
        so a laptop's 1366×768 shows every toolbar button whatever the window manager does."""
        size = size_on_screen(self, DEFAULT_SIZE)
        self.resize(size)
        if size != DEFAULT_SIZE:
            self.move(self.screen().availableGeometry().topLeft())

    def _remember_folded_sections(self) -> None:
        folded = sorted(self.sidebar.collapsed_sections())
        self.settings.set(FOLDED_SECTIONS_KEY, json.dumps(folded))

    def save_settings(self) -> None:
        """Remember window layout, columns, panes and reading preferences for the next start."""
        s = self.settings
        s.set("window/geometry", self.saveGeometry())
        s.set("window/state", self.saveState())
        s.set("window/splitter", self.splitter.saveState())
        s.set("window/reader_splitter", self.reader_splitter.saveState())
        s.set("list/header", self.list_view.horizontalHeader().saveState())
        s.set("window/sidebar", self.action_sidebar.isChecked())
        s.set("window/panels", self.action_panels.isChecked())
        s.set("reader/caret_browsing", self.action_caret.isChecked())
        s.set("reader/family", self.reader.font_family())
        s.set("reader/point_size", self.reader.point_size())
        s.sync()

    def set_theme(self, mode: str) -> None:
        """Switch to the light, dark or system theme and remember the choice."""
        app = QApplication.instance()
        theme = apply_theme(app, mode) if isinstance(app, QApplication) else None
        for action in self.theme_actions.actions():
            action.setChecked(action.data() == mode)
        if theme is not None:
            self.reader.set_theme(theme)
            self.sidebar.set_theme(theme)
        self.settings.set("view/theme", mode)

    def choose_reader_font(self) -> None:
        """Ask for the reader's font family and size."""
        ok, font = QFontDialog.getFont(self.reader.document().defaultFont(), self, "Reader font")
        if ok:
            self.reader.set_font_family(font.family())
            self.reader.set_point_size(font.pointSize())
            self.settings.set("reader/family", font.family())


def _json_list(text: str) -> list[str]:
    """The strings of a JSON list stored in the settings; [] when it is not one."""
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
