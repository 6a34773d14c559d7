"""The main window's Tab order: the search row, the filter sidebar, the article list, the reader
and its panels, left to right as they sit on screen.

Features add their widgets to the window as they are installed (the search row's check boxes,
the panels' tabs, the sidebar's sections as a library's entity types arrive), so Qt's own
focus chain follows the order they were built in. ``FocusOrderMixin`` orders the chain by the
pane each widget sits in whenever Tab or Shift+Tab leaves a widget, keeping the order within
a pane, except in the sidebar, whose sections (added by features above the dates) are visited
from top to bottom as they are shown. F6 and Shift+F6 (``focus_pane``) skip to the next or
previous pane's first stop, as in most desktop applications, for a person who need not visit
every filter on the way.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget


class FocusOrderMixin:
    """The ``MainWindow`` part that moves Tab and Shift+Tab through its panes in screen order."""

    def tab_panes(self) -> list[QWidget]:
        """The window's panes in the order Tab visits them."""
        return [self.search_bar, self.sidebar_scroll, self.list_view, self.reader_pane,
                self.reader_panels]

    def tab_stops(self) -> list[QWidget]:
        """Every widget Tab can reach now, pane by pane; widgets of no pane come last. A widget that
        hands its focus on (the panels' tabs to their tab bar) is its proxy's stop, not one of its own:
        Shift+Tab from the tab bar went to the tabs, which gave it back to the tab bar."""
        panes = self.tab_panes()
        stops = []
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if (widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value) and widget.isVisible() \
                    and widget.isEnabled() and widget.window() is self and widget.focusProxy() is None:
                stops.append(widget)
            widget = widget.nextInFocusChain()
        sidebar = panes.index(self.sidebar_scroll)

        content = self.sidebar_scroll.widget()

        def place(stop: QWidget) -> tuple[int, int, int]:
            number = _pane_of(panes, stop)
            if number != sidebar or content is None or not content.isAncestorOf(stop):
                return number, -1, 0  # the scroll area itself comes first, whatever is scrolled
            top_left = stop.mapTo(content, QPoint(0, 0))
            return number, top_left.y(), top_left.x()

        return sorted(stops, key=place)

    def focus_pane(self, *, step: int) -> None:
        """Put the keyboard on the first stop of the next (``step`` 1) or previous (-1) pane that
        has one, going round."""
        panes, stops = self.tab_panes(), self.tab_stops()
        current = QApplication.focusWidget()
        here = _pane_of(panes, current) if current is not None else len(panes)
        if here == len(panes):
            here = -1 if step > 0 else len(panes)
        for offset in range(1, len(panes) + 1):
            number = (here + step * offset) % len(panes)
            first = next((stop for stop in stops if _pane_of(panes, stop) == number), None)
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason if step > 0
                               else Qt.FocusReason.BacktabFocusReason)
                return

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 (Qt's name)
        stops = self.tab_stops()
        current = QApplication.focusWidget()
        if current not in stops:
            return super().focusNextPrevChild(next)
        target = stops[(stops.index(current) + (1 if next else -1)) % len(stops)]
        target.setFocus(Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason)
        return True


def _pane_of(panes: list[QWidget], widget: QWidget) -> int:
    """The number of the pane ``widget`` sits in, or ``len(panes)`` for none."""
    return next((number for number, pane in enumerate(panes)
                 if pane is widget or pane.isAncestorOf(widget)), len(panes))
