"""The reader's text model: spans, paragraphs, the offsets between them and their HTML.

``ReaderSpan`` is a range of ``documents.text`` drawn with a CSS class;
``shown_part`` is what the reader shows of a very long text, ``paragraphs_of`` cuts a
body into paragraphs, ``soft_wrapped`` undoes the hard wrapping of agency copy, ``MappedParagraph`` converts between text offsets and
QTextDocument positions (UTF-16 units), ``SpanIndex`` finds the spans over a
paragraph, ``render_paragraph`` writes a paragraph's HTML with its spans
stacked in ``SPAN_LAYERS`` order, and ``metadata_line`` the line under the
headline. None of it draws anything: ``desktop/ui/reader.py`` shows the result.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import itertools
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from desktop.core.documents import Document
from desktop.core.textindex import term_spans
from desktop.core.language import language_name

from .theme import Theme

SPAN_SCHEME = "dossier-span"
SEARCH_KIND = "search"
SPAN_LAYERS = ("entity", SEARCH_KIND, "annotation")
"""Kinds of span from the bottom layer to the top; kinds not named here sit with search hits."""
WRAPPED_LINE, WRAPPED_SHARE = 35, 0.75
"""A paragraph is hard-wrapped when this share of its wrapped lines are at least this long."""
_TABLE_ROW = re.compile(r"\.{4,}|\S {3,}\S")
"""A dot leader or a gap between columns: the line is a row of a table, not wrapped prose."""

_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t\r\f\v]*\n))+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class ReaderSpan:
    """A range ``[start, end)`` of ``documents.text`` drawn with ``css_class``.

    ``kind`` names the provider's kind of span ("search", "entity",
    "annotation"); a span with a ``payload`` is clickable and reported by
    ``Reader.span_clicked(kind, payload)``; ``tooltip`` is shown on hover.
    """

    start: int
    end: int
    kind: str
    css_class: str
    tooltip: str = ""
    payload: Any = None


SpanProvider = Callable[[Document], Iterable[ReaderSpan]]
CssSource = str | Callable[[Theme], str]


def _layer(span: ReaderSpan) -> int:
    return SPAN_LAYERS.index(span.kind) if span.kind in SPAN_LAYERS else SPAN_LAYERS.index(SEARCH_KIND)


def soft_wrapped(text: str) -> str:
    """``text`` with the single newlines of a hard-wrapped paragraph as spaces (same length).

    A newline before an indented line starts a new paragraph of agency copy and
    stays. The others end wrapped lines when at least ``WRAPPED_SHARE`` of the
    lines they end are ``WRAPPED_LINE`` characters or longer and not rows of a table
    ("Total vault cash.....25,237 vs....27,327").
    """
    lines = text.split("\n")
    wrapped = [line for line, following in zip(lines, lines[1:]) if not following[:1].isspace()]
    long_lines = sum(len(line.strip()) >= WRAPPED_LINE and not _TABLE_ROW.search(line.strip()) for line in wrapped)
    if not wrapped or long_lines < WRAPPED_SHARE * len(wrapped):
        return text
    return re.sub(r"\n(?![ \t])", " ", text)


def search_hit_spans(text: str, terms: Sequence[str], *, prefixes: Sequence[str] = ()) -> list[ReaderSpan]:
    """Where the query ``terms`` match in ``text`` (``prefixes`` as word starts): every form
    the search index matches (``desktop.core.textindex.term_spans``)."""
    return [ReaderSpan(start, end, SEARCH_KIND, "search-hit")
            for start, end in term_spans(text, terms, prefixes=prefixes)]


def utf16_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class MappedParagraph:
    start: int
    text: str
    position: int

    def position_of(self, offset: int) -> int:
        """Document position of text ``offset`` inside this paragraph."""
        return self.position + utf16_length(self.text[: offset - self.start])

    def offset_of(self, position: int) -> int:
        """Text offset of document ``position`` inside this paragraph."""
        units = position - self.position
        offset = 0
        for char in self.text:
            step = 2 if ord(char) > 0xFFFF else 1
            if units < step:
                break
            units -= step
            offset += 1
        return self.start + offset


SHOWN_CHARS = 1_000_000
"""Characters of an article the reader shows at most: building and setting 19 million characters
as HTML froze the window for 3.3–3.9 s. Entities are found in the same first million
(``desktop.core.entities.pipeline.MAX_CHARS``)."""


def shown_part(text: str) -> str:
    """What the reader shows of ``text``: all of it, or its first ``SHOWN_CHARS`` characters cut
    where a line or a word ends (a prefix, so every offset is the text's own)."""
    if len(text) <= SHOWN_CHARS:
        return text
    cut = max(text.rfind("\n", 0, SHOWN_CHARS), text.rfind(" ", 0, SHOWN_CHARS))
    return text[: cut if cut > SHOWN_CHARS // 2 else SHOWN_CHARS]


def rest_not_shown(shown: int, total: int, *, printed: bool = False) -> str:
    """The notice under an article the reader shows (or, ``printed``, a page holds) only the start of."""
    holds, why = ("This copy holds", "as the reader shows them") if printed else (
        "The reader shows", "so that the window stays quick")
    return (f'<p class="empty">{holds} the first {shown:,} of this article\'s {total:,} characters, '
            f"{why}. File ▸ Export result list… writes it whole.</p>")


def paragraphs_of(text: str) -> list[tuple[int, str]]:
    """The body's paragraphs as (start offset, text): runs separated by blank lines, trimmed."""
    found = []
    for match in _PARAGRAPH.finditer(text):
        chunk = match.group()
        stripped = chunk.strip()
        if stripped:
            found.append((match.start() + chunk.index(stripped[0]), stripped))
    return found


def _format_date(published: str | None) -> str:
    if not published:
        return ""
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return published
    return f"{day.day} {day:%B %Y}"


def metadata_line(document: Document) -> str:
    """The line under the headline: source · date · author · language · word count, or the
    characters of a Chinese article (HTML)."""
    parts = [
        html.escape(part)
        for part in (document.source, _format_date(document.published), document.author,
                     document.language and language_name(document.language))
        if part
    ]
    parts.append(document.length())
    if document.url and document.url.startswith(("http://", "https://")):
        parts.append(f'<a href="{html.escape(document.url, quote=True)}">original</a>')
    return " · ".join(parts)


class SpanIndex:
    """Spans sorted by start, to find those overlapping a paragraph by bisecting.

    ``reach[i]`` is the largest end among the first ``i + 1`` spans; it never
    decreases, so the first span that can reach into a paragraph is found by
    bisection too, and a long span (a highlight across paragraphs) is still found.
    """

    def __init__(self, spans: Sequence[ReaderSpan]) -> None:
        self.spans = spans
        self.starts = [span.start for span in spans]
        self.reach = list(itertools.accumulate((span.end for span in spans), max))

    def overlapping(self, start: int, end: int) -> list[tuple[int, ReaderSpan]]:
        """(number, span) of the spans overlapping ``[start, end)``, in order."""
        first = bisect.bisect_right(self.reach, start)
        last = bisect.bisect_left(self.starts, end)
        return [(number, self.spans[number]) for number in range(first, last)
                if self.spans[number].end > start]


def render_paragraph(start: int, text: str, active: Sequence[tuple[int, ReaderSpan]]) -> str:
    """HTML of one paragraph with its overlapping spans (numbered as in the render).

    Each segment nests its spans from the bottom layer outwards to the top layer
    innermost, inside one link to the topmost clickable span, so that the link
    does not undo the underline of a span beneath.
    """
    if not active:
        return html.escape(_CONTROL.sub(" ", text), quote=False)
    end = start + len(text)
    cuts = sorted({start, end, *(max(start, span.start) for _, span in active),
                   *(min(end, span.end) for _, span in active)})
    out = []
    for left, right in zip(cuts, cuts[1:]):
        piece = html.escape(_CONTROL.sub(" ", text[left - start : right - start]), quote=False)
        covering = sorted(((n, span) for n, span in active if span.start <= left and span.end >= right),
                          key=lambda item: (_layer(item[1]), item[0]))
        for _, span in reversed(covering):
            title = f' title="{html.escape(span.tooltip, quote=True)}"' if span.tooltip else ""
            piece = f'<span class="{span.css_class}"{title}>{piece}</span>'
        clickable = [number for number, span in covering if span.payload is not None]
        if clickable:
            piece = f'<a class="span" href="{SPAN_SCHEME}:{clickable[-1]}">{piece}</a>'
        out.append(piece)
    return "".join(out)
