"""News metadata and boilerplate in plain article text: headline, date, outlet, byline, clean body.

Text copied from news sites carries the page around the article: breadcrumbs,
navigation menus, font-size widgets, "Related news" blocks, copyright footers.
``extract_news`` finds the headline among the lines above the first body
paragraph, reads the dateline and byline rows (and drops them from the body),
and removes page furniture while keeping every body line exactly as written.
``extract_page`` does the same below a headline already known (a web page's or a
Word document's), reading the lines a page shows above its main text for dates too. ``opening_title`` makes a
title of the first sentence of an article without a headline.

Such a title is the whole sentence, cut only past ``OPENING_TITLE_MAX_CHARS`` (a "sentence" that
long is a paragraph without full stops), and each view elides it to its own width: the list
column, a terminal's line. Stored whole, the title a person reads in the reader, ``show`` and the
list is the title that ``title:`` searches and that relevance weighs as title, in both search
indexes, with nothing to recompute (a title cut to fit a list and shown whole from the text
would leave the words past the cut unsearchable). Libraries that stored the cut title are
given the whole one by migration 0021.

Everything here is a regular expression or a line-shape rule; the dates themselves are read
by ``desktop.core.newsmeta_dates``, the page furniture by ``desktop.core.newsmeta_furniture``. Fields the text does not give stay ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import newsmeta_cjk as zh
from . import newsmeta_dates as dates
from . import newsmeta_ru as ru
from .formats import Article
from .newsmeta_furniture import CLOSING, ends_sentence, is_head_junk, more_words_than, strip_boilerplate, word_count

_LABELS = (
    rf"Updated|Published|Posted|Released|Date|Time|Source|From|Author|Editor|Reporter|By"
    rf"|{ru.LABELS}|{zh.LABELS}"
)
# What a Russian or Chinese label names, in the English labels' terms.
_LOCAL_LABELS = {
    "обновлено": "updated", "опубликовано": "published", "дата публикации": "date",
    "источник": "source", "автор": "author", "редактор": "editor",
    "来源": "source", "发布时间": "published", "发布日期": "published", "更新时间": "updated", "时间": "time",
    "日期": "date",
    "作者": "author", "记者": "reporter", "编辑": "editor", "责任编辑": "editor", "责编": "editor",
}
_LABEL = re.compile(rf"(?<![A-Za-zА-Яа-яЁё])(?P<label>{_LABELS})\s*[:：]\s*", re.IGNORECASE)
_LABEL_VALUE_END = re.compile(rf"\s*(?:\||$|(?<![A-Za-zА-Яа-яЁё])(?:{_LABELS})\s*[:：])", re.IGNORECASE)
_BYLINE = re.compile(
    r"^By\s+(?P<name>[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|bin|al))*)"
    r"(?=\s*(?:\||,|$|\s+and\s|\s+in\s))"
)
_WHEN = re.compile(rf"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|{dates.MONTH.format(g='when')}|Christmas|Easter",
                   re.IGNORECASE)
_OUTLETS = (
    r"Xinhua(?:net)?|Reuters|AFP|AP|Associated Press|TASS|ITAR-TASS|RIA Novosti|Sputnik|Interfax"
    r"|China News Service|ECNS|CGTN|CCTV|Global Times|China Daily|People's Daily(?: Online)?"
    r"|Science and Technology Daily|China Science Daily|Rossiyskaya Gazeta|Kommersant|RT|BBC|UPI"
    rf"|{ru.OUTLETS}|{zh.OUTLETS}"
)
_OUTLET_AT_START = re.compile(rf"^(?P<outlet>{_OUTLETS})\b")
# The wire named after a dateline's date and a dash ("Новосибирск, 14 сентября 2021 — РИА Новости.",
# "北京，2021年9月14日 — 新华社。"), ending that part of the line: not "— РИА Новости сообщает …".
_OUTLET_AFTER_DATE = re.compile(rf"^\s*(?:[—–-]+|/)\s*/?\s*(?P<outlet>{_OUTLETS})\s*/?(?=\s*(?:$|[.。,，;；|]))")
_DOMAIN = re.compile(
    r"(?<![\w@.-])(?P<domain>(?:[a-z0-9-]+\.)+(?:com|net|org|cn|ru|gov|edu|info|int)(?:\.[a-z]{2})?)"
    r"(?![\w.-])"
)
_LEAD_DATELINE = re.compile(
    r"^[^\n]{0,100}?(?:\s(?:--|—|–|-)\s|\s?\([A-Z][\w .&-]{0,40}\)\s*(?:--|—|–|-|:)?|:\s)"
)
"""The dateline that opens a lead: up to a dash, an agency in brackets or a colon near its start
(and only a place and a date: no word in lower case)."""
_LOWER_WORD = re.compile(r"\b[a-z]{2,}")
_BEFORE_FIGURE = re.compile(r"\s+(?=\d)")
_LEAD_AGENCY = re.compile(rf"^[A-Z][^()\n]{{0,80}}?\((?P<outlet>{_OUTLETS})\)\s*(?:--|—|–|-|:)")

_BLANK_LINES = re.compile(r"\n{3,}")
_TITLE_LABEL = re.compile(r"^(?:Title|Headline|Заголовок)\s*[:：]\s*", re.IGNORECASE)
"""The label a scraper writes before a headline ("Title: …"), which is not part of it."""
_TRAILING_DASH = re.compile(r"\s*[-–—]+\s*$")
_FIRST_SENTENCE = re.compile(
    rf".+?(?:[.!?…](?=[\s{re.escape(CLOSING)}]|$)|[{zh.SENTENCE_ENDS}])[{re.escape(CLOSING)}]*"
)

TITLE_MIN_WORDS = 3
BODY_LINE_MIN_WORDS = 12
BODY_LINE_ANY_WORDS = 40
SENTENCE_MIN_WORDS = 4
META_MAX_WORDS = 30
META_NAME_WORDS = 8  # after "Source:", "By:", "Автор:": a name, an outlet or two, not a sentence
OPENING_TITLE_MAX_CHARS = 400
OPENING_TITLE_MAX_HAN_CHARS = 200  # each Han character is about as wide as two letters
TAIL_META_LINES = 3  # source, author and editor rows under an article
PLACED_DATE_REST_WORDS = 3  # "Moscow, 21 January 2005 (Reuters)": after a place and a date, a time or an outlet


@dataclass
class _Meta:
    """The metadata fields found so far; the first value found for a field wins."""

    published: str | None = None
    source: str | None = None
    author: str | None = None

    def fill(self, other: _Meta) -> None:
        """Take each field of ``other`` that this one lacks."""
        self.published = self.published or other.published
        self.source = self.source or other.source
        self.author = self.author or other.author


def extract_news(text: str) -> Article:
    """Headline, published date (ISO), outlet, byline and the cleaned body of one article's text.

    The body keeps every article line exactly; paragraphs are separated by one
    blank line and the headline is not repeated in it.
    """
    lines = [line.strip() for line in text.split("\n")]
    title_at = _title_index(lines)
    title = _TRAILING_DASH.sub("", _TITLE_LABEL.sub("", lines[title_at])) if title_at >= 0 else ""
    headline = lines[title_at] if title_at >= 0 else None
    return _below_headline(lines[title_at + 1 :], title=title, headline=headline, before=lines[: max(title_at, 0)])


def extract_page(text: str, title: str, *, above: str = "") -> Article:
    """A web page's main text (what the page extractor kept) read as ``extract_news`` reads the
    lines under a headline: the page's own headline ``title`` repeated, its date line and
    byline are metadata, not body; the wire's lead names the outlet; page furniture goes.
    ``above``, what the page shows above the main text, is read for date lines and bylines only."""
    lines = [line.strip() for line in text.split("\n")]
    above_lines = [line.strip() for line in reversed(above.split("\n"))]
    return _below_headline(lines, title=title, headline=title, after=above_lines, extracted=True)


def opening_title(text: str, *, max_chars: int = OPENING_TITLE_MAX_CHARS,
                  max_han_chars: int = OPENING_TITLE_MAX_HAN_CHARS) -> str:
    """A title for an article without a headline: its first sentence without the full stop,
    cut after a word (a Han character) with "…" when longer than ``max_chars`` (a sentence with
    Han characters: ``max_han_chars``)."""
    sentence = _opening_sentence(text)
    limit = max_han_chars if zh.has_han(sentence) else max_chars
    if len(sentence) <= limit:
        return sentence.rstrip(".。")
    cut = sentence[:limit]
    if not zh.has_han(cut[-1]) and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:，、；：") + "…"


def _opening_sentence(text: str) -> str:
    first = text.strip().split("\n", 1)[0].strip()
    return match.group(0) if (match := _FIRST_SENTENCE.match(first)) else first


def _below_headline(body: list[str], *, title: str, headline: str | None, before: Sequence[str] = (),
                    after: Sequence[str] = (), extracted: bool = False) -> Article:
    """The article under its headline: metadata from the lines ``before`` the header rows of
    ``body``, the header rows, then the lines ``after`` them (the first value found wins);
    ``extracted`` as for ``strip_boilerplate``."""
    header_end = _header_end(body, title=headline)
    meta = _Meta()
    for line in [*before, *body[:header_end], *after]:
        found = _meta_of(line)
        if found is not None:
            meta.fill(found)
    kept = strip_boilerplate(body[header_end:], extracted=extracted)
    meta.fill(_tail_meta(kept))
    body_text = "\n".join(kept).strip("\n")
    if "\n\n\n" in body_text:
        body_text = _BLANK_LINES.sub("\n\n", body_text)
    if body_text:
        meta.fill(_lead_meta(body_text.split("\n\n", 1)[0]))
    return Article(
        text=body_text,
        title=title,
        published=meta.published,
        source=meta.source,
        author=meta.author,
    )


def _tail_meta(lines: list[str]) -> _Meta:
    """The source, byline and editor rows under an article ("来源：新华网", "作者：赵亮", "新华社记者
    赵亮", "Редактор: …"), taken off the end of ``lines`` (up to ``TAIL_META_LINES`` of them): only
    labelled rows whose value is a name or a date and reporters' rows, so that a closing sentence
    opening with a label's word stays."""
    meta, taken = _Meta(), 0
    while lines and taken < TAIL_META_LINES:
        line = lines[-1]
        found = _meta_of(line) if line and (_LABEL.match(line) or zh.BYLINE.match(line)) else None
        if line and found is None:
            break
        lines.pop()
        taken += bool(line)
        if found is not None:
            meta.fill(found)
    return meta


def _is_body_line(line: str) -> bool:
    """A line that can only be article text: long, or a sentence closed by a full stop.

    Headlines rarely end in a full stop, so a question or exclamation stays a
    headline candidate unless it is long.
    """
    count = word_count(line, BODY_LINE_ANY_WORDS)
    if count >= BODY_LINE_ANY_WORDS:
        return True
    if count >= BODY_LINE_MIN_WORDS and ends_sentence(line):
        return True
    return count >= SENTENCE_MIN_WORDS and _ends_with_full_stop(line)


def _header_end(lines: list[str], *, title: str | None) -> int:
    """Where the body starts below the headline: after its dateline, byline, widget rows and repeats."""
    for index, line in enumerate(lines):
        if line and line != title and _meta_of(line) is None and not is_head_junk(line):
            return index
    return len(lines)


def _title_index(lines: list[str]) -> int:
    """The headline's line: the first line of several words above the body, else the last short one."""
    last_short = -1
    for index, line in enumerate(lines):
        if _is_body_line(line) or (line.endswith((":", "：")) and _meta_of(line) is None):
            break  # a line ending in a colon introduces the body ("The winners were:"), unless a label
        if _could_be_title(line) and _meta_of(line) is None:
            if more_words_than(line, TITLE_MIN_WORDS - 1):
                return index
            last_short = index
    return last_short


def _could_be_title(line: str) -> bool:
    """A headline does not open with a lower-case word, nor end in one full stop like a sentence."""
    return bool(line) and not (
        is_head_junk(line)
        or _opens_lower_case(line)
        or _ends_with_full_stop(line)
        or (zh.has_han(line) and not zh.could_be_headline(line))
    )


def _ends_with_full_stop(line: str) -> bool:
    """Ends like a sentence: in one full stop that closes no abbreviation ("U.S."), not in capitals."""
    stripped = line.rstrip(CLOSING)
    if stripped.endswith("。"):
        return True
    if not stripped.endswith(".") or stripped.endswith("..") or line.isupper():
        return False
    return "." not in stripped.rsplit(None, 1)[-1][:-1]


def _opens_lower_case(line: str) -> bool:
    first = line.split()[0]
    return first[0].isalpha() and first.islower()


def _meta_of(line: str) -> _Meta | None:
    """Date, outlet and byline of a dateline or byline row; None for a line that is neither."""
    if not line or more_words_than(line, META_MAX_WORDS):
        return None
    byline = _BYLINE.match(line)
    if byline and (ends_sentence(line) or _WHEN.fullmatch(byline.group("name").split()[0])
                   or more_words_than(line[byline.end():], META_NAME_WORDS)):
        byline = None  # "By Monday, the two sides had agreed on a joint laboratory." is the lead
    byline = byline or zh.BYLINE.match(line)
    dated = dates.TIME_BEFORE_DOTTED_DATE.sub("", dates.DATE_LABEL_WORD.sub("", line, count=1))
    placed = dates.PLACE_BEFORE_DATE.sub("", dated, count=1)
    leading = dates.LEADING_DATE.match(placed)
    if leading and (_opens_sentence(placed[leading.end():])
                    or (placed != dated and more_words_than(placed[leading.end():], PLACED_DATE_REST_WORDS))):
        leading = None  # "March 3, 2021 — The minister resigned." is the lead, dated in its dateline
    dated = placed
    local_leading = None if line.isascii() else dates.LOCAL_LEADING_DATE.match(dated)
    opened = leading or local_leading
    wire = _wire_after_date(dated[opened.end():]) if opened else None
    labelled = [found for label in _LABEL.finditer(line)
                if (found := _labelled(label.group("label").lower(), _label_value(line, label.end()))) is not None]
    local_dated = local_leading is not None and not ends_sentence(dated[local_leading.end():].lstrip(" ."))
    if not (byline or leading or labelled or wire or local_dated):
        return None
    meta = _Meta(author=byline.group("name") if byline else None, source=wire.group("outlet") if wire else None)
    for found in labelled:
        meta.fill(found)
    if leading:
        meta.fill(_Meta(published=dates.find_date(leading.group(0))))
        meta.fill(_Meta(source=outlet_at(dated[leading.end():])))
    elif local_dated:  # "2019年3月13日 中国日报": the paper after the date
        meta.fill(_Meta(source=outlet_at(dated[local_leading.end():].lstrip(" \u3000|"))))
    if "|" in line:
        for part in line.split("|"):
            meta.fill(_Meta(source=outlet_at(part.strip())))
    meta.fill(_Meta(published=dates.find_date(line) or (None if line.isascii() else dates.local_date(line))))
    return meta


def _wire_after_date(rest: str) -> re.Match[str] | None:
    """The wire a dateline names after its date, when nothing but a label ("Автор: …") follows it:
    a lead paragraph that opens with the same dateline is the article, not a header line."""
    wire = _OUTLET_AFTER_DATE.match(rest)
    if wire is None:
        return None
    after = rest[wire.end():].lstrip(" .。,，;；|")
    return wire if not after or _LABEL.match(after) else None


def _opens_sentence(rest: str) -> bool:
    """Whether what follows a date at a line's start is a sentence of the article rather than a
    date row's time zone, outlet or byline: three words or more ending as a sentence does, or
    more words than a name or an outlet has."""
    rest = rest.strip(" -—–|:·,")
    return more_words_than(rest, META_NAME_WORDS) or (more_words_than(rest, 2) and ends_sentence(rest))


def _label_value(line: str, start: int) -> str:
    end = _LABEL_VALUE_END.search(line, start)
    return line[start : end.start() if end else len(line)].strip()


def _labelled(label: str, value: str) -> _Meta | None:
    """What a label's value says, or None when it is no metadata: a date or time must follow a
    date label, a name or an outlet the others — not a sentence that happens to open with one of
    the words ("Time: the company said it needs more of it.", "Updated: The minister resigned on
    Friday after weeks of pressure.", "Source: a senior official told us …" stay article text)."""
    if not value:
        return _Meta()
    day_first = ru.is_russian(label)
    label = _LOCAL_LABELS.get(label, label)
    if label in ("source", "from", "author", "reporter", "by", "editor"):
        value = _without_stop(value)
        if (more_words_than(value, META_NAME_WORDS) or ends_sentence(value) or value[:1].islower()
                or "..." in value or "…" in value):
            return None
        name, published = _name_and_date(value)
        if label in ("source", "from"):
            return _Meta(source=name, published=published)
        return _Meta(author=name if label != "editor" else None, published=published)
    published = dates.find_date(value) or dates.local_date(value) or dates.loose_date(value, day_first=day_first)
    return _Meta(published=published) if published is not None else None


def _without_stop(value: str) -> str:
    """A name without the full stop its line ends in ("Автор: Иван Петров.", "Source: Reuters.")."""
    words = value[:-1].split()
    named = 0 < len(words) <= 3 and all(word[:1].isupper() for word in words)
    return value[:-1] if named and value.endswith(".") and not value.endswith("..") else value


def _name_and_date(value: str) -> tuple[str, str | None]:
    """A label's name and the date written after it ("新华网 2019年3月13日", "Xinhua 2019-03-13 10:22")."""
    for gap in _BEFORE_FIGURE.finditer(value):
        rest = value[gap.end() :]
        leading = dates.LEADING_DATE.match(rest) or dates.LOCAL_LEADING_DATE.match(rest)
        published = leading and (dates.find_date(leading.group(0)) or dates.local_date(leading.group(0)))
        if published:
            return value[: gap.start()], published
    return value, None


def outlet_at(text: str) -> str | None:
    """The news outlet or web domain ``text`` opens with ("Xinhua", "ТАСС", "新华网", "bbc.co.uk"), or None."""
    outlet = _OUTLET_AT_START.match(text)
    if outlet:
        return outlet.group("outlet")
    domain = _DOMAIN.match(text)
    return domain.group("domain") if domain else None


def _lead_meta(lead: str) -> _Meta:
    """The date of the lead paragraph's dateline ("MOSCOW, Nov. 15, 2019 (Xinhua) --", "March 3,
    2019 — "), and an agency dateline's outlet ("BEIJING (Xinhua) --").

    A date further on in the lead is an event the story tells of ("vanished … on 1 February
    1995"), not when it was published, and is never taken. A Russian or Chinese lead gives no
    date: there only the header lines date the story.
    """
    agency = _LEAD_AGENCY.match(lead)
    meta = _Meta(source=agency.group("outlet") if agency else None)
    dateline = _LEAD_DATELINE.match(lead)
    if dateline and not _LOWER_WORD.search(dateline.group(0)) and not (zh.has_han(lead) or ru.is_russian(lead)):
        meta.fill(_Meta(published=dates.find_date(dateline.group(0))))
    if lead.isascii():
        return meta
    wire = zh.LEAD_AGENCY.match(lead)
    if wire:
        meta.fill(_Meta(source=wire.group("outlet"), author=wire.group("author")))
    meta.fill(_Meta(source=ru.lead_agency(lead)))
    return meta
