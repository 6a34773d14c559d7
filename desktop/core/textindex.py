"""Words as the multi-script search index holds them, and where a query's words occur in a text.

The search index (``desktop.core.shadow_index``) is fed text rewritten here, so that FTS5's
``unicode61`` tokenizer sees one token per searchable unit:

- Han (Chinese) runs become overlapping character bigrams, then the run's last character
  once more: 中国合作 → ``中国 国合 合作 作``. A lone Han character stays itself. Any
  sub-string of two or more characters is then a phrase of bigrams, and one character
  is a prefix search (``国*``: the bigrams it starts, or a run's last character).
- Words with Cyrillic letters become their Snowball (Russian) stems, lower-cased with ё
  folded to е: Москве, Москва and Москвой are all ``москв``.
- Everything else (Latin script, digits, other scripts) passes as it is, full-width digits and
  Latin letters (１３日, ５Ｇ, as Chinese copy often types them) written as ASCII.
- Before all that, each character is read as ``reading_form`` gives it: full-width ASCII forms as
  ASCII, traditional Han characters as simplified (經濟 as 经济: ``desktop.core.han_forms``), one
  character for one, so that either form finds the other and every offset into the original text
  stays right.

``index_text`` makes the indexed text; ``query_tokens`` rewrites a word or phrase of a
query the same way; ``term_spans`` finds where a query's words and phrases occur in an
original text (every inflected form, every Han substring), for the reader and for snippets (``desktop.core.snippets``).
``VERSION`` changes whenever the rewriting changes, so an index made by another version
is rebuilt rather than mixed. An import rewrites each distinct space-separated piece of
Russian text once (a bounded table per process; its new words stemmed in one call), not
each word every time it occurs, and Chinese articles a batch at a time (``index_texts``).
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from functools import lru_cache
from itertools import chain
from typing import Iterator, Sequence

import numpy as np
import Stemmer

from . import han_pairs
from .han_pairs import HAN, pairs_texts

VERSION = "3"
"""1: the first rewriting; 2: full-width digits and Latin letters as ASCII; 3: traditional Han
characters as simplified."""

_HAN = HAN
_PIECE = re.compile(rf"(?P<han>[{_HAN}]+)|(?P<word>[^\W_{_HAN}]+)")
_WORD = re.compile(r"[^\W_]+")
_HAN_ANY = re.compile(f"[{_HAN}]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_HAN_START = re.compile(f"[{_HAN}]")
_REWRITTEN = re.compile(rf"[{_HAN}\u0400-\u04ff]")
_PAST_ASCII = re.compile(r"[^\x00-\x7f]")
_STEMMERS = threading.local()  # a PyStemmer object is not to be shared between threads


def reading_form(text: str) -> str:
    """``text`` as the index reads it, one character for one: its full-width ASCII forms
    (U+FF01–FF5E: １３, Ｇ, ！) as ASCII and its traditional Han characters as simplified
    (經濟 as 经济); ``text`` itself (the same object) when it holds no character from U+3400 on,
    so no Han character either."""
    return text if text.isascii() else han_pairs.reading_form(text)


def parts_between_words(text: str, size: int) -> Iterator[str]:
    """``text`` in consecutive parts of about ``size`` characters, each but the last ending with a
    line end or a space (the first one further on where a part has none), so that no word is
    cut: how a long text's words are counted or hashed a part at a time."""
    start = 0
    while len(text) - start > size:
        cut = max(text.rfind("\n", start, start + size), text.rfind(" ", start, start + size))
        if cut < start:
            found = [at for at in (text.find("\n", start + size), text.find(" ", start + size)) if at >= 0]
            cut = min(found) if found else len(text) - 1
        yield text[start:cut + 1]
        start = cut + 1
    yield text[start:]


@lru_cache(maxsize=16_384)
def stem(word: str) -> str:
    """A word with Cyrillic letters as indexed: its Russian Snowball stem, lower-cased, ё → е."""
    return _stemmer().stemWord(word.lower().replace("ё", "е"))


def _stemmer() -> Stemmer.Stemmer:
    """This thread's Russian Snowball stemmer."""
    stemmer = getattr(_STEMMERS, "russian", None)
    if stemmer is None:
        stemmer = _STEMMERS.russian = Stemmer.Stemmer("russian")
    return stemmer


_ENDINGS = ("", "а", "я", "у", "ю", "е", "и", "ы", "ом", "ем", "ой", "ей", "ам", "ям", "ах", "ях",
            "ами", "ями", "ов", "ев", "ым", "им")
_CONSONANT_END = re.compile("[бвгджзйклмнпрстфхцчшщ]$")
MIN_STEM = 3
_OBLIQUE = re.compile("(?:ом|ем|ой|ей|ам|ям|ах|ях|ами|ями|ым)$")  # not a nominative


@lru_cache(maxsize=4096)
def stem_variants(word: str) -> tuple[str, ...]:
    """The stems a query word stands for: its own first, then those of the other case forms
    of the noun it belongs to. Snowball cuts some nominatives shorter than the other cases
    (Пакистан → ``пакиста`` but Пакистане → ``пакистан``; Медведев → ``медвед``, Медведева →
    ``медведев``) and reads Китая as an adjective (``кит``, Китаю ``кита``), so the query
    word's stem and its bare roots (the word less a case ending, with -й for a final
    vowel; the word itself unless it ends as an oblique case) are given each case ending
    and stemmed again. Stems under ``MIN_STEM`` letters are left out."""
    piece = _PIECE.search(reading_form(word))
    word = piece.group() if piece else word
    own = _word(word)
    if own == word:
        return (own,)
    folded = word.lower().replace("ё", "е")
    bare = [folded[: len(folded) - len(e)] for e in _ENDINGS
            if folded.endswith(e) and len(folded) - len(e) >= 3]
    roots = dict.fromkeys([own] + [root if _CONSONANT_END.search(root) else root + "й"
                                   for root in bare if root != folded or not _OBLIQUE.search(root)])
    variants = (stem(root + ending) for root in roots for ending in _ENDINGS)
    return tuple(dict.fromkeys([own] + [v for v in variants if len(v) >= MIN_STEM]))


@lru_cache(maxsize=65_536)
def _word(word: str) -> str:
    if word.isascii() or not _CYRILLIC.search(word):
        return word
    return stem(word)


def index_text(text: str | None) -> str:
    """``text`` as the search index is fed it (see the module's docstring); '' for None."""
    if not text:
        return ""
    text = reading_form(text)
    if not _REWRITTEN.search(text):
        return text
    if not _HAN_ANY.search(text):
        return _indexed_words(text)
    out: list[str] = []
    for han, word in _PIECE.findall(text):
        if word:
            out.append(_word(word))
        elif len(han) == 1:
            out.append(han)
        else:
            out.append(" ".join(map(str.__add__, han, han[1:])))
            out.append(han[-1])
    return " ".join(out)


_TOGETHER = 1 << 20  # characters rewritten in one pass of ``pairs_texts`` (≈ 40 bytes each meanwhile)


def index_texts(texts: Sequence[str | None]) -> list[str]:
    """``index_text`` of each of ``texts``; those with Han characters and no Cyrillic letters
    (Chinese) rewritten together, up to ``_TOGETHER`` characters in one pass over arrays
    (``han_pairs``) instead of piece by piece."""
    out = [""] * len(texts)
    groups: list[list[int]] = [[]]
    size = 0
    for n, text in enumerate(texts):
        if not text or len(text) > _TOGETHER or not _HAN_ANY.search(text) or _CYRILLIC.search(text):
            out[n] = index_text(text)
            continue
        if size + len(text) > _TOGETHER:
            groups.append([])
            size = 0
        groups[-1].append(n)
        size += len(text)
    for group in groups:
        for n, written in zip(group, pairs_texts([texts[n] or "" for n in group])):
            out[n] = written
    return out


_INDEXED: dict[str, str] = {}  # a text's space-separated piece -> its words as indexed
_INDEXED_MAX = 50_000  # about 17 MB (≈ 340 bytes a piece); emptied when full


def _indexed_words(text: str) -> str:
    """``text`` without Han characters as indexed: each distinct piece between spaces is rewritten
    once (its Cyrillic words stemmed together) and then looked up."""
    pieces = text.split()
    try:
        return " ".join(filter(None, map(_INDEXED.__getitem__, pieces)))
    except KeyError:
        _learn(pieces)
    try:
        return " ".join(filter(None, map(_INDEXED.__getitem__, pieces)))
    except KeyError:  # another thread emptied the table meanwhile
        return " ".join(map(_word, _WORD.findall(text)))


def _learn(pieces: list[str]) -> None:
    """Add to ``_INDEXED`` the ``pieces`` it lacks, their Cyrillic words stemmed in one call."""
    new = [piece for piece in dict.fromkeys(pieces) if piece not in _INDEXED]
    if len(_INDEXED) + len(new) > _INDEXED_MAX:
        _INDEXED.clear()
    words = [[piece] if piece.isalnum() else _WORD.findall(piece) for piece in new]
    distinct = list(dict.fromkeys(chain.from_iterable(words)))
    cyrillic = [word for word in distinct if not word.isascii() and _CYRILLIC.search(word)]
    stems = dict(zip(distinct, distinct))
    stems.update(zip(cyrillic, _stemmer().stemWords([word.lower().replace("ё", "е") for word in cyrillic])))
    _INDEXED.update((piece, " ".join([stems[word] for word in found])) for piece, found in zip(new, words))


def query_tokens(text: str) -> tuple[list[str], bool]:
    """A word or phrase of a query as the index's tokens, and whether the last is a prefix.

    Han characters separated only by spaces are read as one run (people type spaces
    between Chinese words). A run is its bigrams; a run of one character at the end is
    a prefix (a character is found inside longer runs); a run followed by more words
    also gets its last character, as the index does.
    """
    pieces = [(m.lastgroup, m.group()) for m in _PIECE.finditer(_join_han(reading_form(text)))]
    tokens: list[str] = []
    last_is_prefix = False
    for n, (kind, piece) in enumerate(pieces):
        final = n == len(pieces) - 1
        if kind == "word":
            tokens.append(_word(piece))
        elif len(piece) == 1:
            tokens.append(piece)
            last_is_prefix = final
        else:
            tokens.extend(piece[i : i + 2] for i in range(len(piece) - 1))
            if not final:
                tokens.append(piece[-1])
    return tokens, last_is_prefix


_HAN_GAP = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


def _join_han(text: str) -> str:
    return _HAN_GAP.sub("", text)


# --- where a query's words occur -------------------------------------------------------------


@lru_cache(maxsize=65_536)
def _fold(token: str) -> str:
    """A token compared as the index compares it: lower-case, Latin diacritics removed (İ is i:
    ``lower()`` alone gives i and a combining dot)."""
    token = token.replace("İ", "I").lower()
    if token.isascii():
        return token
    return "".join(
        unicodedata.normalize("NFD", char)[0] if char < "\u0250" else char for char in token
    )


def spanned_tokens(text: str) -> list[tuple[str, int, int]]:
    """The index's tokens of ``text`` (folded) with the character span each stands for."""
    tokens: list[tuple[str, int, int]] = []
    if latin_only(text):  # the common case, word by word without the per-word checks below
        return [(match.group().lower(), match.start(), match.end()) for match in _WORD.finditer(text)]
    if not _HAN_ANY.search(text):
        return [(_fold(_word(match.group())), match.start(), match.end()) for match in _WORD.finditer(text)]
    for match in _PIECE.finditer(text):
        piece, start = match.group(), match.start()
        if match.lastgroup == "word":
            tokens.append((_fold(_word(piece)), start, match.end()))
        elif len(piece) == 1:
            tokens.append((piece, start, start + 1))
        else:
            tokens.extend((piece[i : i + 2], start + i, start + i + 2) for i in range(len(piece) - 1))
            tokens.append((piece[-1], match.end() - 1, match.end()))
    return tokens


@lru_cache(maxsize=1024)
def term_keys(term: str, prefix: bool) -> list[tuple[list[str], bool]]:
    """The token sequences ``term`` matches (several for a Russian noun in -ай)."""
    tokens, last_is_prefix = query_tokens(term)
    prefix = prefix or last_is_prefix
    if len(tokens) == 1 and not prefix:
        return [([_fold(variant)], False) for variant in stem_variants(term.strip())]
    return [([_fold(token) for token in tokens], prefix)]


def term_spans(text: str, terms: Sequence[str], *, prefixes: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Where the query ``terms`` (words and phrases; ``prefixes`` as word starts) occur in
    ``text``, as sorted, non-overlapping ``(start, end)`` character spans.

    A Russian word finds its other inflected forms, a Han term any place its characters
    stand together, a phrase its words in order across punctuation — what the search
    index finds. A single Han character is marked alone, not the bigram holding it.
    """
    if not terms or not text:
        return []
    read = reading_form(text)
    return read_term_spans(read, terms, prefixes=prefixes, han=read is not text)


def read_term_spans(text: str, terms: Sequence[str], *, prefixes: Sequence[str] = (),
                    han: bool = True) -> list[tuple[int, int]]:
    """``term_spans`` of a text already in its ``reading_form`` (same offsets); ``han`` False when
    the text is known to hold no Han character (``reading_form`` gave it back as it was)."""
    if not terms or not text:
        return []
    lowered = text.lower() if latin_only(text) else None
    folded: str | None | bool = False  # made when first needed (see _cyrillic_source)
    tokens: list[tuple[str, int, int]] | None = None
    found: list[tuple[int, int]] = []

    def cyrillic_source() -> str | None:
        nonlocal folded
        if folded is False:
            folded = _cyrillic_source(text, han=han)
        return folded

    for term in terms:
        options = term_keys(term, term in prefixes)
        stems = stem_options(tuple(tuple(wanted) for wanted, _ in options), options[0][1]) if options else None
        if stems is not None and (source := cyrillic_source()) is not None:  # one Russian word's forms
            found.extend(_cyrillic_occurrences(text, source, (stems[0],), True, accept=stems[1]))
            continue
        for wanted, prefix in options:
            if not wanted:
                continue
            if lowered is not None and all(key.isascii() for key in wanted):
                found.extend(_ascii_occurrences(lowered, tuple(wanted), prefix))
                continue
            han = _han_string(tuple(wanted), prefix)
            if han is not None:
                found.extend(_han_occurrences(text, *han))
                continue
            if all(map(_CYRILLIC_KEY.fullmatch, wanted)) and (source := cyrillic_source()) is not None:
                found.extend(_cyrillic_occurrences(text, source, tuple(wanted), prefix))
                continue
            if tokens is None:
                tokens = spanned_tokens(text)
                keys = [token[0] for token in tokens]
            found.extend(_occurrences(tokens, keys, wanted, prefix=prefix))
    return _merged(found)


def latin_only(text: str) -> bool:
    """True when every word character of ``text`` is ASCII (other characters — "£", curly
    quotes, dashes — may be anything): its tokens are then its words lower-cased, and
    ``text.lower()`` keeps every offset (no character but a word character changes length
    when lower-cased). The first character past ASCII decides most texts (a Russian or Chinese
    one's is a letter); otherwise only the distinct characters past ASCII are tested (numpy finds
    them: a regular expression tests every character, 10 µs for an article of 2,000 characters)."""
    if text.isascii():
        return True
    if _PAST_ASCII.search(text).group().isalnum():
        return False
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    return not any(chr(code).isalnum() for code in np.unique(codes[codes > 0x7F]).tolist())


def _ascii_occurrences(lowered: str, wanted: tuple[str, ...], prefix: bool) -> Iterator[tuple[int, int]]:
    """What ``_occurrences`` finds among ``spanned_tokens`` of a text whose words are ASCII
    (``latin_only``), found by a scan in C of the text lower-cased (the same offsets),
    overlapping occurrences included."""
    pattern = _words_pattern(wanted, 1 if prefix else 0)
    match = pattern.search(lowered)
    while match is not None:
        yield match.span()
        match = pattern.search(lowered, match.start() + 1)


@lru_cache(maxsize=256)
def _words_pattern(wanted: tuple[str, ...], open_words: int) -> re.Pattern[str]:
    """The words ``wanted`` one after the other, each whole, separated by anything that is not
    a word character; the last ``open_words`` of them word starts (a prefix typed, or Russian
    stems). The pattern opens with the first word's letters (the lookbehind after them), so the
    regular expression engine skips ahead to each place they occur instead of trying every offset."""
    first = re.escape(wanted[0])
    words = [first + rf"(?<![^\W_]{first})", *(re.escape(key) for key in wanted[1:])]
    words = [word + r"[^\W_]*" if n >= len(words) - open_words else word for n, word in enumerate(words)]
    return re.compile(r"[\W_]+".join(words) + r"(?![^\W_])")


@lru_cache(maxsize=256)
def _han_string(wanted: tuple[str, ...], prefix: bool) -> tuple[str, int] | None:
    """The Han characters a sequence of index tokens stands for and the length of a hit, when
    the tokens are all Han and every place those characters stand together is a hit: a run's
    overlapping bigrams, or one character typed alone (a prefix: it is found inside longer
    runs, marked alone). None for anything else (the token walk decides)."""
    if len(wanted) == 1 and len(wanted[0]) == 1 and prefix and _HAN_START.match(wanted[0]):
        return wanted[0], 1
    if not all(len(key) == 2 and _HAN_ANY.fullmatch(key[0]) and _HAN_ANY.fullmatch(key[1]) for key in wanted):
        return None
    if any(a[1] != b[0] for a, b in zip(wanted, wanted[1:])):
        return None
    chars = wanted[0] + "".join(key[1] for key in wanted[1:])
    return chars, len(chars)


def _han_occurrences(text: str, chars: str, width: int) -> Iterator[tuple[int, int]]:
    """Every place ``chars`` stand in ``text``, overlapping ones included: Han characters side
    by side are always one run, so each such place holds the run's bigrams."""
    place = text.find(chars)
    while place >= 0:
        yield place, place + width
        place = text.find(chars, place + 1)


_CYRILLIC_KEY = re.compile("[\u0430-\u044f\u0450-\u045f\u0460-\u04ff]+")  # a lower-case stem


def _cyrillic_source(text: str, *, han: bool = True) -> str | None:
    """``text`` lower-cased with ё as е, where ``_cyrillic_occurrences`` scans for stems; None
    when it holds Han characters (its words are then cut apart differently; not looked for
    when ``han`` is False) or lower-casing moves an offset."""
    if han and _HAN_ANY.search(text):
        return None
    folded = text.lower().replace("ё", "е")
    return folded if len(folded) == len(text) else None


@lru_cache(maxsize=256)
def stem_options(options: tuple[tuple[str, ...], ...], prefix: bool) -> tuple[str, frozenset[str]] | None:
    """For a Russian word standing for several stems (``stem_variants``), the letters they all
    start with and the stems, so that one scan finds every case form; None otherwise."""
    if len(options) < 2 or prefix or any(len(wanted) != 1 for wanted in options):
        return None
    stems = [wanted[0] for wanted in options]
    start = os.path.commonprefix(stems)
    if len(start) < MIN_STEM or not all(map(_CYRILLIC_KEY.fullmatch, stems)):
        return None
    return start, frozenset(stems)


def _cyrillic_occurrences(text: str, folded: str, wanted: tuple[str, ...], prefix: bool, *,
                          accept: frozenset[str] | None = None) -> Iterator[tuple[int, int]]:
    """What ``_occurrences`` finds among ``spanned_tokens`` of a text without Han characters,
    for Russian stems: Snowball only cuts endings, so a word whose stem is wanted starts with
    it. The words starting with the stems (in ``folded``, whose offsets are ``text``'s) are
    found by a scan in C, and only those are stemmed to check them. With ``accept``, one
    word whose stem is any of those."""
    pattern = _words_pattern(wanted, len(wanted))
    if accept is not None:  # one word: each match is a whole word, and words do not overlap
        for match in pattern.finditer(folded):
            if _fold(_word(text[match.start() : match.end()])) in accept:
                yield match.span()
        return
    match = pattern.search(folded)
    while match is not None:
        words = [(_fold(_word(word.group())), word) for word in _WORD.finditer(text, *match.span())]
        if len(words) == len(wanted) and all(
                key == want or (prefix and n == len(wanted) - 1 and key.startswith(want))
                for n, ((key, _), want) in enumerate(zip(words, wanted))):
            yield match.start(), words[-1][1].end()
        match = pattern.search(folded, match.start() + 1)


def _occurrences(tokens: list[tuple[str, int, int]], keys: list[str], wanted: list[str], *,
                 prefix: bool) -> Iterator[tuple[int, int]]:
    width, first, last = len(wanted), wanted[0], wanted[-1]
    middle = wanted[1:-1]
    starts = [i for i, key in enumerate(keys) if key == first or (
        prefix and width == 1 and key.startswith(first))]
    for i in starts:
        if i + width > len(keys) or (width > 2 and keys[i + 1 : i + width - 1] != middle):
            continue
        key, start, end = tokens[i + width - 1]
        if width > 1 and not (key == last or (prefix and key.startswith(last))):
            continue
        if prefix and key != last and _HAN_START.match(key):
            end = start + len(last)  # one Han character of a bigram
        yield tokens[i][1], end


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
