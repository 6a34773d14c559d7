"""Saved web pages (.html, .htm, .xhtml): the article's main text and its metadata.

trafilatura removes menus, comments, scripts and styles and reads the title,
date, author, site name and canonical URL from the page. It is given text that
is already decoded (by the page's declared charset, else by detection; a few stray
NUL bytes removed first, and noted, as from a text file) and never a URL, so nothing
is fetched and no script runs. A page whose structure defeats the extractor (a
fragment, nesting deeper than the HTML parser goes) still yields its visible text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import trafilatura

from ..errors import ImportFailed
from ..encoding import decode_bytes
from ..newsmeta import extract_page, outlet_at
from ..sniff import FileKind
from . import Article, ParsedFile, contained, register

HTML_LIMIT_MB = 20

_DECLARED_CHARSET = (
    re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]+)", re.IGNORECASE),
    re.compile(rb"<\?xml[^>]{0,100}?encoding\s*=\s*[\"']([A-Za-z0-9_.-]+)", re.IGNORECASE),
)
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_HIDDEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "title"})
_TAG_NAME = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "article", "section", "blockquote"}
    | {"pre", "table", "ul", "ol"}
)
_BLANK_RUNS = re.compile(r"\n\s*\n\s*")
_SPACE_RUNS = re.compile(r"[ \t\r\f\v\xa0]+")


@register(".html", ".htm", ".xhtml", isolated=True)
@contained(accepts=frozenset({FileKind.HTML, FileKind.TEXT}), expected="an HTML page", limit_mb=HTML_LIMIT_MB,
           stray_nuls=True)
def parse_html(data: bytes, path: Path) -> ParsedFile:
    """The main text of a saved web page with its title, date, author, site and canonical URL."""
    markup = decode_bytes(data, declared=declared_charset(data))
    found = trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        # dates from the page's markup only: a year seen in the text is no publication date
        # (htmldate's wider search made "2021-01-01" of it); date lines are read below
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = _tidy(found.text) if found is not None and found.text else ""
    extracted = bool(text)
    if not text:
        text = visible_text(markup)
    if not text:
        raise ImportFailed("no article text found in the page")
    sitename = _clean(found and found.sitename)
    title, site = without_site_name(_clean(found and found.title) or "", sitename)
    if site is None and (head := _TITLE_ELEMENT.search(markup, 0, 65_536)):  # the headline came from <h1>
        site = without_site_name(" ".join(html.unescape(head.group(1)).split()), sitename)[1]
    published, author, source = _clean(found and found.date), _clean(found and found.author), sitename or site
    # what the page shows above its main text is read only for what the markup did not give
    missing = extracted and not (published and author and source)
    page = extract_page(text, title, above=_above(visible_text(markup), text) if missing else "")
    article = Article(
        text=page.text or text,
        title=title or path.stem,
        published=published or page.published,
        source=source or page.source,
        author=author or page.author,
        url=_clean(found and found.url),
        language=_language(markup),
    )
    return ParsedFile([article])


def _above(visible: str, text: str) -> str:
    """What the page shows above its main ``text`` (the headline, date line, byline and menus
    the extractor left out), or '' when the text's opening is not found in it."""
    opening = text.split("\n", 1)[0][:40]
    place = visible.find(opening) if opening else -1
    return visible[:place] if place > 0 else ""


# " - BBC News", " | Reuters", "-新华网", "--科技--人民网", "_中国新闻网": what follows a page's headline in its title
_TITLE_SEPARATOR = re.compile(
    r"\s+[-–—|]\s+|\s*(?:--|——|－|｜|_)\s*|(?<=[\u3400-\u9fff])-(?=[\u3400-\u9fff])")
_TITLE_ELEMENT = re.compile(r"<title\b[^>]*>([^<]{1,500})</title>", re.IGNORECASE)
_SECTION_MAX_CHARS = 12  # "科技", "World News": a section name between the headline and the site


def without_site_name(title: str, sitename: str | None) -> tuple[str, str | None]:
    """A page title without the site's name that follows the headline, and that name: only a
    known outlet, a web domain or the page's declared site name is taken off (with the section
    names between it and the headline), so a headline's own dashes stay."""
    separators = list(_TITLE_SEPARATOR.finditer(title))
    if not separators or separators[0].start() == 0:
        return title, None
    site = title[separators[-1].end() :].strip()
    if not site or not (outlet_at(site) or (sitename and site.casefold() == sitename.casefold())):
        return title, None
    cut = len(separators) - 1
    while cut > 0 and len(title[separators[cut - 1].end() : separators[cut].start()].strip()) <= _SECTION_MAX_CHARS:
        cut -= 1
    return title[: separators[cut].start()].strip(), site


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag or XML declaration near its start.

    A UTF-16/32 declaration read from ASCII-compatible bytes cannot be true and is
    ignored, as browsers do.
    """
    head = data[:4096]
    for pattern in _DECLARED_CHARSET:
        match = pattern.search(head)
        if match:
            label = match.group(1).decode("ascii").lower()
            return None if label.startswith(("utf-16", "utf-32", "ucs")) else label
    return None


def visible_text(markup: str) -> str:
    """The text a browser would show, from markup too broken or too deep for the extractor.

    A single forward scan: a comment, tag or script that never closes ends the
    text there instead of being searched for again, so any input takes linear time.
    """
    lower = markup.lower()
    parts: list[str] = []
    position = 0
    while position < len(markup):
        start = markup.find("<", position)
        if start < 0:
            parts.append(markup[position:])
            break
        parts.append(markup[position:start])
        position = _after_markup(markup, lower=lower, start=start, parts=parts)
    return _tidy(html.unescape("".join(parts)))


def _after_markup(markup: str, *, lower: str, start: int, parts: list[str]) -> int:
    """Where text resumes after the markup at ``start`` (a line break goes to ``parts`` for a block tag)."""
    if lower.startswith("<!--", start):
        return _after(lower, "-->", start=start + 4)
    tag = _TAG_NAME.match(markup, start)
    if tag is None:
        if markup.startswith(("<!", "<?"), start):
            return _after(lower, ">", start=start)
        parts.append("<")
        return start + 1
    end = _after(lower, ">", start=tag.end())
    name = tag.group(1).lower()
    opening = markup[start + 1] != "/" and markup[end - 2 : end] != "/>"
    if name in _HIDDEN_TAGS and opening:
        return _after(lower, ">", start=_after(lower, f"</{name}", start=end))
    if name in _BLOCK_TAGS:
        parts.append("\n")
    return end


def _after(text: str, needle: str, *, start: int) -> int:
    """The index just past the next ``needle`` from ``start``, or the end of ``text``."""
    found = text.find(needle, start)
    return len(text) if found < 0 else found + len(needle)


def _tidy(text: str) -> str:
    lines = (_SPACE_RUNS.sub(" ", line).strip() for line in text.splitlines())
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _language(markup: str) -> str | None:
    match = _LANG.search(markup[:4096])
    return match.group(1).lower() if match else None
