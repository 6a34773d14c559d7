"""The reader panels beside the main window's reader, and the room they take.

``PanelsMixin`` adds panels as tabs beside the reader and shows or hides them
(View ▸ Reader panels). Panels that appear take their room from the list (its
titles keep their minimum width, its other columns give way), never leave the
reader narrower than ``READER_MIN_WIDTH``, and give the room back to the list
when they go.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

PANEL_WIDTH = 260
READER_MIN_WIDTH = 420


class PanelsMixin:
    """The ``MainWindow`` part that shows the reader panels and makes room for them."""

    def add_reader_panel(self, widget: QWidget, title: str) -> int:
        """Add ``widget`` as a tab titled ``title`` beside the reader; returns its tab index."""
        index = self.reader_panels.addTab(widget, title)
        self._show_panels(self.action_panels.isChecked())
        return index

    def show_reader_panel(self, widget: QWidget) -> None:
        """Bring the reader panel ``widget`` to the front, turning the panels on if they were off."""
        if not self.action_panels.isChecked():
            self.action_panels.setChecked(True)
            self._toggle_panels(True)
        self.reader_panels.setCurrentWidget(widget)

    def _toggle_panels(self, visible: bool) -> None:
        """View ▸ Reader panels: panels that appear take their room from the list (see
        ``_panel_room``); panels that go give it back to the list."""
        if self.reader_panels.count() and visible == self.reader_panels.isHidden():
            sidebar, listed, reading = self.splitter.sizes()
            if visible:
                from_sidebar, from_list = self._panel_room(sidebar=sidebar, listed=listed,
                                                           reading=reading)
                room = from_sidebar + from_list
                self._show_panels(True)
                self.splitter.setSizes([sidebar - from_sidebar, listed - from_list, reading + room])
                self.reader_splitter.setSizes([reading + room - PANEL_WIDTH, PANEL_WIDTH])
            else:
                panel = self.reader_splitter.sizes()[1] + self.reader_splitter.handleWidth()
                self._show_panels(False)
                self.splitter.setSizes([sidebar, listed + panel, reading - panel])
            return
        self._show_panels(visible)

    def _panel_room(self, *, sidebar: int, listed: int, reading: int) -> tuple[int, int]:
        """What the sidebar and the list give up for a panel ``PANEL_WIDTH`` wide.

        The list gives the panel's width while it keeps its title and one column beside it;
        when the reader would then be narrower than ``READER_MIN_WIDTH``, the list gives more,
        down to the title alone, and then the sidebar, down to its own minimum.
        """
        panel = PANEL_WIDTH + self.reader_splitter.handleWidth()
        title = self.list_view.title_min_width
        from_list = min(panel, max(0, listed - self.list_view.minimum_width()))
        short = max(0, READER_MIN_WIDTH + panel - reading - from_list)
        from_list += min(short, max(0, listed - title - from_list))
        short = max(0, READER_MIN_WIDTH + panel - reading - from_list)
        sidebar_min = self.sidebar_scroll.minimumSizeHint().width() if sidebar else 0
        return min(short, max(0, sidebar - sidebar_min)), from_list

    def _show_panels(self, visible: bool) -> None:
        shown = visible and self.reader_panels.count() > 0
        self.reader_panels.setVisible(shown)
        self.reader_pane.setMinimumWidth(READER_MIN_WIDTH if shown else 0)
