"""The reader: one article rendered for reading, with spans contributed by providers.

The HTML is built from the document text plus ``ReaderSpan`` ranges. Spans
come from span providers registered with ``Reader.add_span_provider(name,
provider)``: a provider is ``provider(document) -> iterable of ReaderSpan``
and is asked again on every render (search hits are the built-in provider;
entity highlighting and annotations register their own). A span's
``css_class`` is styled by the reader stylesheet (``Reader.add_css`` adds
rules, fixed or made for the theme); a span with a ``payload`` is clickable
and emits ``span_clicked(kind, payload)``. Where spans overlap, their kinds
stack in ``SPAN_LAYERS`` order: entity marking at the bottom, search hits
above it, a person's highlights on top, so a background drawn by a higher
layer hides the ones below and only their underline shows through. The
current search hit is drawn in the theme's own colour.

Offsets are Python string indices into ``documents.text``. Every paragraph of
the body keeps its characters one-to-one in the QTextDocument (white-space is
preserved, control characters become spaces, a newline is a block break), so
``selected_range()`` and ``scroll_to_offset()`` convert exactly between the
two, including characters outside the Basic Multilingual Plane. A paragraph
that looks hard-wrapped (agency copy) has its single newlines drawn as
spaces, one character for one, except before an indented line.

Nothing remote is ever loaded: ``loadResource`` answers nothing, links never
navigate the reader, and an http(s) link opens in the system browser only
when the person clicks it. The find-in-article line is ``FindBar`` (``find_bar``).

Tab and Shift+Tab leave the reader for the window's next or previous pane;
the keys that step through its highlighted names and links are ``reader_links``.

``add_menu_section(fill)`` lets a feature add entries to the reader's context
menu (``fill(menu, offset)`` runs on every ``context_menu(offset)``, with the text
offset the menu is about, or None);
``page_document(theme)`` is the shown article as a document of its own, in a
theme's colours and without search marks, for printing.

This module owns the widget; the text model it draws (spans, paragraphs,
offsets, the HTML of a paragraph) is ``reader_text``, and moving through search
hits and find matches is ``reader_hits``, caret browsing (F7: a caret the keys move and
select with) is ``reader_caret``, and stepping through names and links is
``reader_links``.
"""

from __future__ import annotations

import bisect
import html
from urllib.parse import quote, unquote
from typing import Any, Callable, Sequence

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import (
    QDesktopServices,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QHelpEvent,
    QResizeEvent,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QToolTip, QWidget

from desktop.core.documents import Document

from .headline import fit_headline, size_headline
from .reader_caret import CaretMixin
from .reader_hits import HitsMixin
from .reader_links import LinksMixin
from .reader_text import (
    SEARCH_KIND,
    SPAN_SCHEME,
    CssSource,
    MappedParagraph,
    ReaderSpan,
    SpanIndex,
    SpanProvider,
    metadata_line,
    paragraphs_of,
    render_paragraph,
    rest_not_shown,
    search_hit_spans,
    shown_part,
    soft_wrapped,
    utf16_length,
)
from .theme import LIGHT, Theme, headline_size, reader_css

READER_FONTS = ("Charter", "Georgia", "Source Serif 4", "Noto Serif", "DejaVu Serif")
DEFAULT_POINT_SIZE = 12
PRINT_POINT_SIZE = 11
MIN_POINT_SIZE, MAX_POINT_SIZE = 8, 32
LINE_CHARACTERS = 72
QUERY_SCHEME = "dossier-query"  # a link that runs its path as the search


class Reader(HitsMixin, CaretMixin, LinksMixin, QTextBrowser):
    """The article reader (object name ``reader``)."""

    span_clicked = Signal(str, object)
    query_suggested = Signal(str)  # the person clicked "Did you mean …?" under an empty result
    selection_changed = Signal()
    zoom_changed = Signal(int)
    theme_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.document().setDocumentMargin(28)
        self.document().setUndoRedoEnabled(False)  # nothing is typed here; the headline is resized
        self._providers: dict[str, SpanProvider] = {SEARCH_KIND: self._search_spans}
        self._extra_css: list[CssSource] = []
        self._menu_sections: list[Callable[[QMenu], None]] = []
        self._theme: Theme = LIGHT
        self._family = default_reader_family()
        self._point_size = DEFAULT_POINT_SIZE
        self._document: Document | None = None
        self._terms: tuple[str, ...] = ()
        self._prefixes: tuple[str, ...] = ()
        self._spans: list[ReaderSpan] = []
        self._paragraphs: list[MappedParagraph] = []
        self._hits: list[ReaderSpan] = []
        self._hit = -1
        self._find_text = ""
        self._redrawing = False
        self.anchorClicked.connect(self._on_anchor)
        self.selectionChanged.connect(self._forward_selection)
        self.selectionChanged.connect(self._selection_moved)
        self._apply_font()
        self.show_placeholder("Select an article to read it.")

    # configuration -------------------------------------------------------

    def add_span_provider(self, name: str, provider: SpanProvider) -> None:
        """Ask ``provider`` for spans on every render from now on; re-renders the article."""
        self._providers[name] = provider
        self.rerender()

    def remove_span_provider(self, name: str) -> None:
        """Stop asking the provider registered as ``name``; re-renders the article."""
        if self._providers.pop(name, None) is not None:
            self.rerender()

    def add_css(self, css: CssSource) -> None:
        """Add stylesheet rules for span classes (e.g. ``span.ent-PERSON { ... }``): a string, or a
        function of the theme that is asked again whenever the theme changes."""
        self._extra_css.append(css)
        self.rerender()

    def add_menu_section(self, fill: Callable[[QMenu, int | None], None]) -> None:
        """Let ``fill(menu, offset)`` add entries, after a separator, to every context menu; ``offset``
        is the text offset the menu is about (under the pointer, or at the caret), or None."""
        self._menu_sections.append(fill)

    def context_menu(self, offset: int | None = None) -> QMenu:
        """The context menu about text ``offset``: the standard entries (Copy, Select All), then
        each section's, in the order they were added."""
        menu = super().createStandardContextMenu()
        for fill in self._menu_sections:
            menu.addSeparator()
            fill(menu, offset)
        return menu

    def createStandardContextMenu(self, *args: Any) -> QMenu:
        return self.context_menu()

    def set_theme(self, theme: Theme) -> None:
        """Use ``theme``'s colours for the text, metadata and highlights; emits ``theme_changed``."""
        shown = self.current_hit_shown()
        self._theme = theme
        self._paint_current_hit(shown)
        self.rerender()
        self.theme_changed.emit(theme)

    def _stylesheet(self, theme: Theme | None = None, point_size: int | None = None) -> str:
        theme = theme or self._theme
        extra = (css if isinstance(css, str) else css(theme) for css in self._extra_css)
        return reader_css(theme, point_size=point_size or self._point_size) + "".join(extra)

    @property
    def theme(self) -> Theme:
        """The theme whose colours the reader uses."""
        return self._theme

    def set_font_family(self, family: str) -> None:
        """Read in ``family``."""
        self._family = family
        self._apply_font()

    def font_family(self) -> str:
        return self._family

    def point_size(self) -> int:
        return self._point_size

    def set_point_size(self, size: int) -> None:
        """Set the reading text size (clamped to a readable range); emits ``zoom_changed``."""
        size = max(MIN_POINT_SIZE, min(MAX_POINT_SIZE, int(size)))
        if size != self._point_size:
            self._point_size = size
            self._apply_font()
            self.zoom_changed.emit(size)

    def zoom_by(self, steps: int) -> None:
        """Make the text ``steps`` points larger (negative: smaller)."""
        self.set_point_size(self._point_size + steps)

    def _apply_font(self) -> None:
        font = QFont(self._family, self._point_size)
        self.document().setDefaultFont(font)
        if self._document is not None:
            self.rerender()
        self._fit_line_length()

    def _fit_line_length(self) -> None:
        metrics = QFontMetricsF(self.document().defaultFont())
        wanted = metrics.averageCharWidth() * LINE_CHARACTERS
        spare = self.viewport().width() - wanted
        margin = max(28.0, spare / 2)
        root = self.document().rootFrame()
        frame = root.frameFormat()
        if frame.leftMargin() != margin:
            frame.setLeftMargin(margin)
            frame.setRightMargin(margin)
            root.setFrameFormat(frame)
        self._fit_headline(self.viewport().width() - 2 * margin - 4)

    def _fit_headline(self, room: float) -> None:
        """Draw the headline at ``headline_size``, smaller when its longest word is wider than the
        column (``fit_headline``)."""
        if self._document is not None:
            fit_headline(self.document(), family=self._family, point_size=self._point_size, room=room)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_line_length()

    def loadResource(self, type: int, name: QUrl) -> Any:  # noqa: A002 - Qt's signature
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            point = self.viewport().mapFrom(self, event.pos())
            offset = self.offset_at(self.cursorForPosition(point).position())
            spans = self.spans_at(offset) if offset is not None else []
            tips = [span.tooltip for span in spans if span.tooltip]
            if tips:
                QToolTip.showText(event.globalPos(), "\n".join(dict.fromkeys(tips)), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # rendering -------------------------------------------------------------

    @property
    def current_document(self) -> Document | None:
        """The article shown, or None for the placeholder."""
        return self._document

    def show_placeholder(self, text: str) -> None:
        """Show a quiet message instead of an article."""
        self._document = None
        self._spans, self._paragraphs, self._hits, self._hit = [], [], [], -1
        self._paint_current_hit(False)
        self.document().setDefaultStyleSheet(self._stylesheet())
        self.setHtml(f'<p class="empty">{html.escape(text)}</p>')

    def show_no_match(self, suggestion: str = "") -> None:
        """Say that no article matches the search, offering ``suggestion`` (a query that finds
        articles: ``desktop.core.spelling``) as a link when there is one."""
        self.show_placeholder("No article matches this search.")
        if suggestion:
            link = f'{QUERY_SCHEME}:{quote(suggestion, safe="")}'
            self.append(f'<p class="empty">Did you mean <a href="{html.escape(link)}">'
                        f'{html.escape(suggestion)}</a>?</p>')

    def show_document(self, document: Document) -> None:
        """Render ``document`` from the top."""
        self._document = document
        self._hit = -1
        self._paint_current_hit(False)
        self._render()
        self.verticalScrollBar().setValue(0)

    def update_document(self, document: Document) -> None:
        """Show a changed version of the current article, keeping the scroll position."""
        self._document = document
        self.rerender()

    def set_search_terms(self, terms: Sequence[str], *, prefixes: Sequence[str] = ()) -> bool:
        """Highlight ``terms`` (``prefixes`` as word starts) from the next render on.

        Returns whether they differ from the terms highlighted so far.
        """
        changed = (tuple(terms), tuple(prefixes)) != (self._terms, self._prefixes)
        self._terms = tuple(terms)
        self._prefixes = tuple(prefixes)
        return changed

    def rerender(self) -> None:
        """Render the current article again (spans changed), keeping the scroll position and
        the selection (and the caret, with caret browsing on)."""
        if self._document is None:
            return
        scroll = self.verticalScrollBar().value()
        caret, selected = self._caret_position(), self.selected_range()
        self._redrawing = True
        try:
            self._render()
            self._restore_caret(caret)
        finally:
            self._redrawing = False
        self.verticalScrollBar().setValue(scroll)
        if self.selected_range() != selected:
            self.selection_changed.emit()

    def _forward_selection(self) -> None:
        if not self._redrawing:  # a selection kept through a redraw has not changed
            self.selection_changed.emit()

    def _search_spans(self, document: Document) -> list[ReaderSpan]:
        return search_hit_spans(shown_part(document.text), self._terms, prefixes=self._prefixes)

    def _render(self) -> None:
        document = self._document
        assert document is not None
        spans: list[ReaderSpan] = []
        for provider in self._providers.values():
            spans.extend(provider(document))
        spans.sort(key=lambda span: (span.start, -span.end))
        self._spans = spans
        shown = shown_part(document.text)
        self._hits = [span for span in spans if span.kind == SEARCH_KIND]
        paragraphs = paragraphs_of(shown)
        self.document().setDefaultStyleSheet(self._stylesheet())
        self.setHtml(self._html(document, paragraphs, spans, title_hits=True)
                     + (rest_not_shown(len(shown), len(document.text)) if len(shown) < len(document.text) else ""))
        self._fit_line_length()
        self._paragraphs = self._map_paragraphs(paragraphs)
        if self._find_text:
            self._mark_find_matches()

    def _html(self, document: Document, paragraphs: list[tuple[int, str]], spans: list[ReaderSpan], *,
              title_hits: bool) -> str:
        index = SpanIndex(spans)
        body = "".join(
            f'<p class="body">{render_paragraph(start, soft_wrapped(text), index.overlapping(start, start + len(text)))}'
            "</p>"
            for start, text in paragraphs
        ) or '<p class="empty">This article has no text.</p>'
        title = document.title or "Untitled"
        title_html = self._render_title(title) if title_hits else html.escape(title)
        return f'<h1>{title_html}</h1><p class="meta">{metadata_line(document)}</p>{body}'

    def _render_title(self, title: str) -> str:
        """The headline's HTML with the search terms marked, as in the body."""
        hits = search_hit_spans(title, self._terms, prefixes=self._prefixes)
        return render_paragraph(0, title, list(enumerate(hits)))

    def page_document(self, theme: Theme = LIGHT, *, point_size: int = PRINT_POINT_SIZE) -> QTextDocument | None:
        """The shown article as a document of its own for printing: the same text, highlights and
        entity marking in the reader's typeface at ``point_size`` and ``theme``'s colours, without
        search marks; None for the placeholder. Its character positions are the reader's
        (``position_of`` applies to both), and so is its text: a very long article's first
        ``SHOWN_CHARS`` characters, then a line saying so (a PDF of 19 million characters froze
        the window for 5.3 s, 0.9 s now)."""
        document = self._document
        if document is None:
            return None
        page = QTextDocument()
        page.setDefaultFont(QFont(self._family, point_size))
        page.setDefaultStyleSheet(self._stylesheet(theme, point_size))
        spans = [span for span in self._spans if span.kind != SEARCH_KIND]
        shown = shown_part(document.text)
        rest = rest_not_shown(len(shown), len(document.text), printed=True) if len(shown) < len(document.text) else ""
        page.setHtml(self._html(document, paragraphs_of(shown), spans, title_hits=False) + rest)
        size_headline(page, float(headline_size(point_size)))  # as the reader draws it, not at 2×
        return page

    def _map_paragraphs(self, paragraphs: list[tuple[int, str]]) -> list[MappedParagraph]:
        block = self.document().begin().next().next()
        position = block.position() if block.isValid() else 0
        mapped = []
        for start, text in paragraphs:
            mapped.append(MappedParagraph(start, text, position))
            position += utf16_length(text) + 1
        return mapped

    # offsets -----------------------------------------------------------------

    def offset_at(self, position: int) -> int | None:
        """The text offset of a QTextDocument ``position`` in the body, or None outside it."""
        starts = [paragraph.position for paragraph in self._paragraphs]
        index = bisect.bisect_right(starts, position) - 1
        if index < 0:
            return None
        paragraph = self._paragraphs[index]
        if position > paragraph.position + utf16_length(paragraph.text):
            return paragraph.start + len(paragraph.text)
        return paragraph.offset_of(position)

    def position_of(self, offset: int) -> int | None:
        """The QTextDocument position of text ``offset``, or None without an article."""
        if not self._paragraphs:
            return None
        starts = [paragraph.start for paragraph in self._paragraphs]
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        paragraph = self._paragraphs[index]
        offset = max(paragraph.start, min(offset, paragraph.start + len(paragraph.text)))
        return paragraph.position_of(offset)

    def spans_at(self, offset: int) -> list[ReaderSpan]:
        """The spans of the current render that cover text ``offset``, outermost first."""
        return [span for span in self._spans if span.start <= offset < span.end]

    def selected_range(self) -> tuple[int, int] | None:
        """The selection as (start, end) offsets into ``documents.text``, or None.

        A selection reaching into the headline starts at the first body
        character; a selection only in the headline or metadata gives None.
        """
        cursor = self.textCursor()
        if not cursor.hasSelection() or not self._paragraphs:
            return None
        first = self._paragraphs[0].position
        begin, end = max(cursor.selectionStart(), first), cursor.selectionEnd()
        if end <= first:
            return None
        start_offset, end_offset = self.offset_at(begin), self.offset_at(end)
        if start_offset is None or end_offset is None or end_offset <= start_offset:
            return None
        return start_offset, end_offset

    def select_range(self, start: int, end: int) -> None:
        """Select text offsets ``[start, end)`` and scroll them into view."""
        begin, finish = self.position_of(start), self.position_of(end)
        if begin is None or finish is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(begin)
        cursor.setPosition(finish, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that text ``offset`` is visible, near the top of the reader."""
        position = self.position_of(offset)
        if position is None:
            return
        block = self.document().findBlock(position)
        layout = self.document().documentLayout()
        top = layout.blockBoundingRect(block).top()
        line = block.layout().lineForTextPosition(position - block.position())
        if line.isValid():
            top += line.y()
        bar = self.verticalScrollBar()
        bar.setValue(int(top) - self.viewport().height() // 4)

    # links ---------------------------------------------------------------------

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == SPAN_SCHEME:
            number = int(url.path()) if url.path().isdigit() else -1
            if 0 <= number < len(self._spans):
                span = self._spans[number]
                self.span_clicked.emit(span.kind, span.payload)
        elif url.scheme() == QUERY_SCHEME:
            self.query_suggested.emit(unquote(url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
                                              .partition(":")[2]))
        elif url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)


def default_reader_family() -> str:
    """The first installed of the preferred reading serifs, else the generic serif."""
    installed = set(QFontDatabase.families())
    for family in READER_FONTS:
        if family in installed:
            return family
    return "serif"
