"""The search box's query language and its translation into an FTS5 ``MATCH`` expression.

What a person can type:

- ``word word``: both words (AND is implied; ``AND`` may also be written)
- ``"exact phrase"``; an unclosed quote runs to the end of the query. Typographic double
  quotes (“…”, „…“, «…», 「…」, 『…』, ＂…＂) mark a phrase as ``"`` does (``plain_quotes``)
- ``a OR b``; OR binds tighter than the implied AND, as in web search engines:
  ``russia china OR beijing`` means russia AND (china OR beijing)
- ``-word``, ``NOT word``, ``-"a phrase"``, ``-(a OR b)``: leave matches out
- ``prefix*``: any word starting with ``prefix``
- ``title:word``, ``title:"a phrase"``, ``title:(a OR b)``; ``notes:`` searches the
  user's notes, ``text:`` the article body only
- parentheses group; unbalanced ones are closed or ignored

A word or group repeated within an AND or an OR is searched once (``a* a*`` is
``a*``); a query left with more than ``MAX_TERMS`` words and phrases is refused
(``QueryTooLong``) rather than left to run for minutes.

Case and diacritics are folded by the index's tokenizer (Rudskoy finds Rudskój).
Every word and phrase is passed to FTS5 as a quoted string, so punctuation inside
words (``China-Russia``, ``Mo Hong'e``, ``U.S.``) is never read as syntax.
A query that only excludes (``-russia``) means "everything except": its excluded
part is returned in ``CompiledQuery.negative_only`` and ``match`` is ``None``.
``search_errors`` turns what SQLite says about a search that cannot run into
typed errors.

With ``scripts=True`` the query is compiled for the multi-script index
(``desktop.core.shadow_index``): each word and phrase is rewritten as that index
holds text (``desktop.core.textindex``): a Russian word becomes its stem (a prefix
the stem of what was typed), a Han run a phrase of its bigrams (one Han character a
prefix), so a phrase stays a phrase and ``title:`` scoping keeps working.

Before compiling, the text typed may be rewritten: ``typing_query`` searches
the last word of text still being typed as a prefix, ``scoped_query`` limits a
query to one column; ``prefix_terms`` lists the words written as prefixes, for
highlighting them as word starts.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from .errors import Cancelled, InvalidInput, LibraryUnavailable
from .textindex import query_tokens, stem_variants

COLUMNS = ("title", "text", "notes")
FTS_TABLE = "documents_fts"
SCRIPTS_TABLE = "documents_fts_shadow"  # desktop.core.shadow_index.TABLE
OPERATORS = ("AND", "OR", "NOT")
MAX_DEPTH = 16
MAX_TERMS = 64
"""Words and phrases one query may search for, repeats merged; each is read by FTS5 on its own.
Measured: 64 usual prefixes (``econ* OR financ* …``) take 0.06 s on the 2,093 BBC articles and
0.6 s on 100,000; 64 of the broadest (``a* OR b* … th* OR an*``) 1.1 s and 15 s; a one-letter
prefix repeated in 32 groups (``(a* OR x0) (a* OR x1) …``) 4 s and 48 s."""
_BREAKS = frozenset('()"')
_QUOTES = str.maketrans(dict.fromkeys("“”„‟«»「」『』＂〝〞〟", '"'))


class QuerySyntaxError(InvalidInput):
    """The query cannot be searched: nothing in it can be (only operators or punctuation), or
    too much (``QueryTooLong``)."""


class QueryTooLong(QuerySyntaxError):
    """The query holds more than ``MAX_TERMS`` words and phrases."""


@dataclass(frozen=True)
class CompiledQuery:
    """A query ready for FTS5.

    ``match`` selects the documents to show; when it is ``None`` and
    ``negative_only`` is set, every document except those matching
    ``negative_only`` is meant; when both are ``None`` the query was empty
    and every document is meant. ``terms`` are the positive words, phrases
    and prefixes (without ``*``) that can match an article's title or text (not those searched
    in ``notes:`` only), for marking hits in the reader and in snippets.
    ``table`` is the full-text table the expressions are written for.
    """

    match: str | None
    negative_only: str | None
    terms: tuple[str, ...]
    table: str = FTS_TABLE

    @property
    def is_empty(self) -> bool:
        """True when the query selects every document."""
        return self.match is None and self.negative_only is None


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "phrase", "op", "neg", "column", "(", ")"
    text: str = ""
    prefix: bool = False


def _is_token_char(char: str) -> bool:
    """Whether the index's unicode61 tokenizer keeps ``char`` inside a word."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def _searchable(text: str) -> bool:
    return any(_is_token_char(char) for char in text)


def _clean(text: str) -> str:
    """NFC-normalise and turn control characters and lone surrogates into spaces."""
    text = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cs") else char for char in text
    )
    return unicodedata.normalize("NFC", text)


def plain_quotes(text: str) -> str:
    """``text`` with its typographic double quotes (“…”, „…“, «…», 「…」, 『…』, ＂…＂) written
    as ``"``, so that a phrase pasted or typed with them is searched as a phrase. Single quotes
    are left alone: ’ is also the apostrophe (Blair’s)."""
    return text.translate(_QUOTES)


def _word_token(word: str) -> Iterator[_Token]:
    """One bare word: an operator, column prefixes, then a prefix search or a plain word."""
    if word in OPERATORS:
        yield _Token("op", word)
        return
    column, colon, rest = word.partition(":")
    while colon and column.lower() in COLUMNS:
        yield _Token("column", column.lower())
        word = rest
        column, colon, rest = word.partition(":")
    stripped = word.rstrip("*")
    if word:
        yield _Token("word", stripped, prefix=stripped != word)


def _tokens(text: str) -> Iterator[_Token]:
    """Split the query into tokens; never fails."""
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if char.isspace():
            pos += 1
        elif char in "()":
            yield _Token(char)
            pos += 1
        elif char == '"':
            close = text.find('"', pos + 1)
            close = end if close < 0 else close
            phrase = text[pos + 1 : close]
            pos = close + 1
            prefix = pos < end and text[pos] == "*"
            while pos < end and text[pos] == "*":
                pos += 1
            yield _Token("phrase", phrase, prefix=prefix)
        elif char == "-" and pos + 1 < end and not text[pos + 1].isspace():
            yield _Token("neg")
            pos += 1
        else:
            start = pos
            while pos < end and not text[pos].isspace() and text[pos] not in _BREAKS:
                pos += 1
            yield from _word_token(text[start:pos])


@dataclass(frozen=True)
class _Leaf:
    text: str
    prefix: bool


@dataclass(frozen=True)
class _Node:
    kind: str  # "and", "or", "not", "column"
    children: tuple[_Tree, ...]
    column: str = ""


_Tree = _Leaf | _Node


class _Parser:
    """Forgiving recursive descent: whatever cannot be read as syntax is skipped."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> _Tree | None:
        parts = []
        while self.peek() is not None:
            parts.append(self.parse_and())
            if self.peek() is not None and self.peek().kind == ")":
                self.take()
        return _combine("and", parts)

    def parse_and(self) -> _Tree | None:
        parts = []
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "op" and token.text in ("AND", "OR"):
                self.take()
                continue
            parts.append(self.parse_or())
        return _combine("and", parts)

    def parse_or(self) -> _Tree | None:
        parts = [self.parse_unary()]
        while (token := self.peek()) is not None and token.kind == "op" and token.text == "OR":
            self.take()
            parts.append(self.parse_unary())
        return _combine("or", parts)

    def parse_unary(self) -> _Tree | None:
        negations, column = 0, ""
        while (token := self.peek()) is not None:
            if token.kind == "neg" or (token.kind == "op" and token.text == "NOT"):
                negations += 1
            elif token.kind == "column":
                column = token.text
            else:
                break
            self.take()
        if token is None or token.kind == ")":
            return None
        node = self.parse_primary()
        if node is not None and column:
            node = _Node("column", (node,), column=column)
        if node is not None and negations % 2:
            node = _Node("not", (node,))
        return node

    def parse_primary(self) -> _Tree | None:
        token = self.take()
        if token.kind == "(":
            return self.parse_group()
        if token.kind in ("word", "phrase") and _searchable(token.text):
            return _Leaf(token.text, token.prefix)
        return None

    def parse_group(self) -> _Tree | None:
        if self.depth >= MAX_DEPTH:
            return None
        self.depth += 1
        inner = self.parse_and()
        self.depth -= 1
        if self.peek() is not None:
            self.take()
        return inner


def _same(tree: _Tree) -> tuple:
    """What ``tree`` searches for, as the index reads it (case folded, AND and OR in any order),
    to merge repeats."""
    if isinstance(tree, _Leaf):
        return (tree.text.casefold(), tree.prefix)
    return (tree.kind, tree.column, frozenset(_same(child) for child in tree.children))


def _combine(kind: str, parts: list[_Tree | None]) -> _Tree | None:
    """The ``kind`` ("and" / "or") of ``parts``, a part repeated kept once (``a* a*`` is ``a*``)."""
    merged: dict[tuple, _Tree] = {}
    for part in parts:
        if part is not None:
            merged.setdefault(_same(part), part)
    present = tuple(merged.values())
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return _Node(kind, present)


def _leaf_count(tree: _Tree) -> int:
    """The words and phrases of ``tree``: each one FTS5 reads."""
    return 1 if isinstance(tree, _Leaf) else sum(_leaf_count(child) for child in tree.children)


def _trim(text: str) -> str:
    """``text`` without the punctuation around it (``"U.S.,"`` -> ``"U.S"``)."""
    start, end = 0, len(text)
    while not _is_token_char(text[start]):
        start += 1
    while not _is_token_char(text[end - 1]):
        end -= 1
    return text[start:end]


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Compiled:
    """A sub-expression: the documents matching ``expr``, or all except them if ``complement``."""

    expr: str
    complement: bool


def _group(exprs: list[str], joiner: str) -> str:
    return exprs[0] if len(exprs) == 1 else "(" + f" {joiner} ".join(exprs) + ")"


def _and(parts: list[_Compiled]) -> _Compiled:
    positives = [p.expr for p in parts if not p.complement]
    negatives = [p.expr for p in parts if p.complement]
    if not positives:
        return _Compiled(_group(negatives, "OR"), True)
    if not negatives:
        return _Compiled(_group(positives, "AND"), False)
    return _Compiled(f"({_group(positives, 'AND')} NOT {_group(negatives, 'OR')})", False)


def _or(parts: list[_Compiled]) -> _Compiled:
    positives = [p.expr for p in parts if not p.complement]
    negatives = [p.expr for p in parts if p.complement]
    if not negatives:
        return _Compiled(_group(positives, "OR"), False)
    if not positives:
        return _Compiled(_group(negatives, "AND"), True)
    return _Compiled(f"({_group(negatives, 'AND')} NOT {_group(positives, 'OR')})", True)


def _leaf(leaf: _Leaf, *, scripts: bool) -> str:
    """A word or phrase as an FTS5 string, rewritten for the multi-script index if ``scripts``."""
    if scripts:
        tokens, prefix = query_tokens(leaf.text)
        variants = stem_variants(leaf.text) if len(tokens) == 1 and not prefix else []
        if len(variants) > 1 and not leaf.prefix:
            return "(" + " OR ".join(map(_quote, variants)) + ")"
        if tokens:
            return _quote(" ".join(tokens)) + (" *" if prefix or leaf.prefix else "")
    return _quote(leaf.text) + (" *" if leaf.prefix else "")


def _compile(node: _Tree, terms: list[str], *, negated: bool, scripts: bool = False) -> _Compiled:
    if isinstance(node, _Leaf):
        if not negated:
            terms.append(_trim(node.text))
        return _Compiled(_leaf(node, scripts=scripts), False)
    if node.kind == "not":
        inner = _compile(node.children[0], terms, negated=not negated, scripts=scripts)
        return _Compiled(inner.expr, not inner.complement)
    if node.kind == "column":  # a word searched in the notes only is no hit in the article
        inner = _compile(node.children[0], [] if node.column == "notes" else terms, negated=negated,
                         scripts=scripts)
        return _Compiled(f"{node.column} : ({inner.expr})", inner.complement)
    parts = [_compile(child, terms, negated=negated, scripts=scripts) for child in node.children]
    return _and(parts) if node.kind == "and" else _or(parts)


@lru_cache(maxsize=512)
def compile_query(text: str, *, scripts: bool = False) -> CompiledQuery:
    """Translate what the user typed into FTS5 syntax, for ``documents_fts`` or, with
    ``scripts``, for the multi-script index.

    An empty or blank query gives an empty ``CompiledQuery`` (every document).
    Raises ``QuerySyntaxError`` when the query has characters but nothing that
    can be searched (only operators, brackets or punctuation), ``QueryTooLong`` when
    it holds more than ``MAX_TERMS`` words and phrases once repeats are merged
    (``a* a*`` is one; see ``MAX_TERMS``).
    """
    table = SCRIPTS_TABLE if scripts else FTS_TABLE
    cleaned = _clean(text)
    if not cleaned.strip():
        return CompiledQuery(None, None, (), table)
    tree = _Parser(list(_tokens(plain_quotes(cleaned)))).parse()
    if tree is None:
        shown = " ".join(cleaned.split())
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise QuerySyntaxError(
            f"Nothing to search for in “{shown}”: type a word or a \"phrase\"."
        )
    searched = _leaf_count(tree)
    if searched > MAX_TERMS:
        raise QueryTooLong(f"The query has {searched:,} words and phrases; "
                           f"at most {MAX_TERMS} can be searched at once.")
    terms: list[str] = []
    compiled = _compile(tree, terms, negated=False, scripts=scripts)
    unique_terms = tuple(dict.fromkeys(terms))
    if compiled.complement:
        return CompiledQuery(None, compiled.expr, unique_terms, table)
    return CompiledQuery(compiled.expr, None, unique_terms, table)


def highlight_terms(text: str) -> list[str]:
    """The words, phrases and prefixes of a query to highlight in the reader; never raises."""
    try:
        return list(compile_query(text).terms)
    except QuerySyntaxError:
        return []


def typing_query(text: str) -> str:
    """The query searched while ``text`` is still being typed: its last word as a prefix.

    Only a bare word at the very end gets a ``*``: not inside an open quote,
    not after a trailing space, not an operator, a field name or a word that
    already ends in ``*`` or a closing bracket.
    """
    if not text or text[-1].isspace() or plain_quotes(text).count('"') % 2:
        return text
    word = text.split()[-1]
    bare = word.lstrip("-(").split(":")[-1]
    if not bare or not bare[-1].isalnum() or bare in OPERATORS:
        return text
    return text + "*"


def scoped_query(text: str, column: str | None) -> str:
    """``text`` searched in ``column`` only (``notes:(...)``); ``text`` itself without a column.

    Unbalanced parentheses are dropped inside a scope, so a stray ``)`` cannot
    close the scope early; balanced ones, quotes and operators keep their meaning.
    """
    if column is None or not text.strip():
        return text
    inner = text if _balanced(text) else text.replace("(", " ").replace(")", " ")
    return f"{column}:({inner.strip()})" if inner.strip() else text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def prefix_terms(text: str) -> list[str]:
    """The query's words written with a trailing ``*``, to highlight as word starts."""
    words = plain_quotes(text).split()
    return [word.strip('"()-*').split(":")[-1] for word in words if word.endswith("*")]


@contextmanager
def search_errors() -> Iterator[None]:
    """Turn SQLite errors of a search into typed errors: an interrupted query becomes
    ``Cancelled``, one FTS5 cannot read ``QuerySyntaxError``, any other ``LibraryUnavailable``."""
    try:
        yield
    except sqlite3.OperationalError as err:
        message = str(err)
        if "interrupt" in message:
            raise Cancelled("The search was cancelled.") from err
        if "fts5" in message:
            raise QuerySyntaxError(f"The query cannot be searched ({message}).") from err
        raise LibraryUnavailable(f"The search failed: {message}.") from err
