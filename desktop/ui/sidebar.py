"""The filter sidebar (object name ``filterSidebar``): chips, saved searches, date histogram, facets.

The sidebar holds no filter state: it shows what the window gives it
(``set_filters``, ``set_facet_counts``, ``set_histogram``, ``set_saved_searches``)
and reports what the person asks for through signals. ``SidebarScroll`` is the
scroll area it sits in, never narrower than the sidebar's own minimum width. Facet sections are
created from ``desktop.core.facet_counts.available_facets`` (``set_facets``), so a new
facet (an entry of the registry ``desktop.core.facets``, an entity label) appears without
touching this module; any other widget can be added as a titled section with ``add_section`` (placed
above the dates and facets). Every section folds away when its title is
clicked; ``collapsed_sections`` / ``set_collapsed_sections`` let the window
remember which ones across starts (``collapsed_changed`` says when to save).
Values read as their facet says (``value_label``: sums of money with
thousands separators) and are listed as it says (``shown_values``: the Dates
facet lists only ISO-like dates, not "Monday" or "recent years").

This module owns the sidebar's layout and its signals; the parts it is built
from live in their own modules: the chips (``filter_chips``), the sections and
facet lists (``facet_sections``), the date histogram (``date_histogram``) and
the saved searches (``saved_search_list``).
"""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from desktop.core.facets import Facet, shown_values, value_label  # noqa: F401  (imported from here)
from desktop.core.undo import plural

from .date_histogram import DateHistogram, continuous_buckets, single_year
from .facet_sections import FacetModel, FacetSection, Section  # noqa: F401  (FacetModel: imported from here)
from .filter_chips import Chip, FlowLayout, chip_text
from .saved_search_list import SavedSearchList
from .theme import Theme, icon


def _link_button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setProperty("class", "link")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    button.setFlat(True)
    return button


class FilterSidebar(QWidget):
    """Active filter chips, saved searches, the date histogram and one section per facet."""

    include_requested = Signal(str, str)
    exclude_requested = Signal(str, str)
    remove_requested = Signal(str, str)
    clear_requested = Signal()
    dates_requested = Signal(object, object)
    contains_changed = Signal(str, str)
    save_search_requested = Signal()
    collapsed_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterSidebar")
        self.sections: dict[str, FacetSection] = {}
        self._titles: dict[str, str] = {}
        self._year: str | None = None
        self._collapsed: set[str] = set()
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12, 4, 18, 12)
        self._layout.setSpacing(6)

        self.chip_area = QWidget()
        self._chips = FlowLayout(self.chip_area)
        self.clear_button = _link_button("Clear all")
        self.clear_button.clicked.connect(self.clear_requested)
        self._filters_title = QLabel("FILTERS")
        self._filters_title.setProperty("class", "sectionTitle")
        filters_head = QHBoxLayout()
        filters_head.addWidget(self._filters_title)
        filters_head.addStretch(1)
        filters_head.addWidget(self.clear_button)
        self._layout.addLayout(filters_head)
        self._layout.addWidget(self.chip_area)

        self.saved = SavedSearchList()
        save_button = _link_button("Save…")
        save_button.clicked.connect(self.save_search_requested)
        self.saved_empty = QLabel("Name a search to come back to it.")
        self.saved_empty.setProperty("class", "emptyNote")
        saved_section = self._add(Section("saved", "Saved searches", action=save_button))
        saved_section.body_layout.addWidget(self.saved)
        saved_section.body_layout.addWidget(self.saved_empty)
        self.saved.model().modelReset.connect(self._show_saved_hint)
        self.saved.model().rowsInserted.connect(self._show_saved_hint)

        self._extra_area = QVBoxLayout()
        self._extra_area.setSpacing(6)
        self._layout.addLayout(self._extra_area)

        self.histogram = DateHistogram()
        self.histogram.range_requested.connect(self._range_requested)
        self.years_button = _link_button("All years")
        self.years_button.setIcon(icon("back"))
        self.years_button.clicked.connect(self._back_to_years)
        self._published = self._add(Section("published", "Published", action=self.years_button))
        self._published.body_layout.addWidget(self.histogram)
        self.undated_note = QLabel()
        self.undated_note.setObjectName("undatedNote")
        self.undated_note.setProperty("class", "emptyNote")
        self.undated_note.setToolTip("Articles without a published date have no bar; "
                                     "a date filter leaves them out.")
        self._published.body_layout.addWidget(self.undated_note)
        self.undated_note.hide()

        self._facet_area = QVBoxLayout()
        self._facet_area.setSpacing(6)
        self._layout.addLayout(self._facet_area)
        self._layout.addStretch(1)
        self.set_filters_chips([])
        self.years_button.hide()

    # facets ------------------------------------------------------------------

    def set_facets(self, facets: Sequence[Facet]) -> None:
        """One section per facet, in this order (the published year is the histogram instead).

        Sections of facets already shown are kept as they are (their counts, filter text and
        scroll place); only new facets get a section — a facet list of twenty widgets takes
        a quarter of a second to build again, which a new entity label arriving during an
        import must not cost."""
        self._titles = {facet.name: facet.title for facet in facets}
        wanted = [facet for facet in facets if not facet.histogram]
        if [facet.name for facet in wanted] == list(self.sections):
            return
        names = {facet.name for facet in wanted}
        while self._facet_area.count():
            self._facet_area.takeAt(0)
        for name, section in self.sections.items():
            if name not in names:
                section.deleteLater()
        kept, self.sections = self.sections, {}
        for facet in wanted:
            section = kept.get(facet.name) or self._new_section(facet)
            self._facet_area.addWidget(section)
            self.sections[facet.name] = section

    def _new_section(self, facet: Facet) -> FacetSection:
        section = FacetSection(facet)
        section.include_requested.connect(self.include_requested)
        section.exclude_requested.connect(self.exclude_requested)
        section.contains_changed.connect(self.contains_changed)
        return self._track(section)

    def facet_names(self) -> list[str]:
        """The facets that have a section, in order."""
        return list(self.sections)

    def contains_text(self, facet: str) -> str:
        """What the facet's filter box holds."""
        section = self.sections.get(facet)
        return section.filter_box.text() if section is not None else ""

    def set_facet_counts(self, facet: str, rows: Sequence[tuple[str, int]], *, included: frozenset[str]) -> None:
        """Show ``rows`` (value, count) in the facet's section."""
        section = self.sections.get(facet)
        if section is not None:
            section.set_counts(rows, included=included)

    def add_section(self, widget: QWidget, title: str) -> None:
        """Add ``widget`` under a section ``title``, below the saved searches and above the dates."""
        section = Section(title, title)
        section.body_layout.addWidget(widget)
        self._extra_area.addWidget(self._track(section))

    # folding -----------------------------------------------------------------

    def _add(self, section: Section) -> Section:
        self._layout.addWidget(self._track(section))
        return section

    def _track(self, section: Section) -> Section:
        section.set_collapsed(section.key in self._collapsed)
        section.collapsed_changed.connect(self._section_folded)
        return section

    def _section_folded(self, key: str, collapsed: bool) -> None:
        if collapsed:
            self._collapsed.add(key)
        else:
            self._collapsed.discard(key)
        self.collapsed_changed.emit()

    def collapsed_sections(self) -> set[str]:
        """The keys of the folded sections (``saved``, ``published``, facet names, section titles)."""
        return set(self._collapsed)

    def set_collapsed_sections(self, keys: Sequence[str]) -> None:
        """Fold exactly the sections named by ``keys``, including those created later."""
        self._collapsed = set(keys)
        for section in self.findChildren(Section):
            section.set_collapsed(section.key in self._collapsed)

    # chips -------------------------------------------------------------------

    def set_filters_chips(self, chips: Sequence[tuple[str, str, bool]]) -> None:
        """Show one removable chip per active filter (``Filters.chips()``). When the keyboard was
        on a chip (its remove button pressed), it goes on to the chip now in its place, or to the
        sidebar when none is left, rather than nowhere."""
        old = self._chip_widgets()
        focused = QApplication.focusWidget()
        place = None if focused is None else next(
            (number for number, chip in enumerate(old) if chip.isAncestorOf(focused)), None)
        while self._chips.count():
            item = self._chips.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        for facet, value, excluded in chips:
            chip = Chip(facet, value, excluded=excluded,
                        text=chip_text(facet, value, excluded=excluded, titles=self._titles))
            chip.remove_requested.connect(self.remove_requested)
            self._chips.addWidget(chip)
        active = bool(chips)
        for widget in (self.chip_area, self.clear_button, self._filters_title):
            widget.setVisible(active)
        if place is not None:
            self._focus_chip(place)

    def _chip_widgets(self) -> list[Chip]:
        items = (self._chips.itemAt(number) for number in range(self._chips.count()))
        return [item.widget() for item in items
                if isinstance(item, QWidgetItem) and isinstance(item.widget(), Chip)]

    def _focus_chip(self, place: int) -> None:
        chips = self._chip_widgets()
        if chips:
            chip = chips[min(place, len(chips) - 1)]
            chip.show()
            chip.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        scroll = self.parentWidget()
        while scroll is not None and not isinstance(scroll, QScrollArea):
            scroll = scroll.parentWidget()
        (scroll or self).setFocus(Qt.FocusReason.OtherFocusReason)

    def chip_texts(self) -> list[str]:
        """The text of each chip shown."""
        return [chip.findChild(QLabel).text() for chip in self._chip_widgets()]

    # dates -------------------------------------------------------------------

    @property
    def year(self) -> str | None:
        """The year whose months the histogram shows, or None for all years."""
        return self._year

    def set_histogram(self, buckets: Sequence[tuple[str, int]], *, selected: tuple[str, str] | None,
                      undated: int = 0, stories: bool = False) -> None:
        """Show year (or month) buckets; ``selected`` is the active date range, if any.

        Years without articles between the first and last, and the months of
        the year shown, are drawn as empty bars so the time axis stays even. ``undated``
        results (``stories``: counted as stories) have no bar: a line under the bars says how
        many, and that a date range leaves them out.
        """
        noun = plural(undated, "story", "stories") if stories else plural(undated, "article")
        self.undated_note.setText(f"{noun} without a date{' left out' if selected else ''}")
        self.undated_note.setVisible(undated > 0)
        shown = continuous_buckets(buckets, year=self._year)
        self.histogram.set_buckets(shown, selected=selected)
        months_of = self._year or single_year(shown)
        self._published.title.set_title(f"Published {months_of}" if months_of else "Published")
        self.years_button.setVisible(self._year is not None)

    def _range_requested(self, first: str, last: str) -> None:
        if self._year is None and first == last and len(first) == 4:
            self._year = first
        self.dates_requested.emit(first, last)

    def _back_to_years(self) -> None:
        self._year = None
        self.dates_requested.emit(None, None)

    def reset_year(self) -> None:
        """Show years again (the date filter was removed)."""
        self._year = None

    def set_theme(self, theme: Theme) -> None:
        self.histogram.set_theme(theme)

    def _show_saved_hint(self) -> None:
        self.saved_empty.setVisible(self.saved.count() == 0)


class SidebarScroll(QScrollArea):
    """The sidebar's vertical scroll area (``filterSidebarScroll``), wide enough for the whole
    sidebar beside its scroll bar, so no section is clipped on the right. A click in it leaves
    the keyboard focus where it was (a person typing a search goes on typing after choosing a
    filter); Tab still reaches it."""

    def __init__(self, sidebar: FilterSidebar) -> None:
        super().__init__()
        self.setObjectName("filterSidebarScroll")
        self.setWidget(sidebar)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        content = self.widget()
        if content is None:
            return hint
        width = (content.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), width), hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)
