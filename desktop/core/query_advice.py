"""The line of advice shown beside a query that runs but was most likely not read as meant: an
operator written in lower case, an operator with nothing to join (``oil AND``), a ``NEAR`` that
the query language does not have, a field prefix it does not have (``ti:mobile``,
``source:bbc``), a quote left open over several words. The query itself is
searched by the rules of ``desktop.core.query``; this only says how it was read, in one short
line for the search bar's hint and the command line's stderr."""

from __future__ import annotations

import functools

from .query import COLUMNS, _clean, _Token, _tokens, plain_quotes

_LOWER_OPERATORS = {
    "or": "to find articles with either word, write OR",
    "not": "to leave a word out, write NOT or -word",
}
_OPERANDS = ("word", "phrase")
_BEFORE_OPERAND = (*_OPERANDS, "(", "neg", "column")
_JOINERS = ("AND", "OR")
_FILTERS = {  # a field people write: the sidebar filter, and the option of dossier search, doing what they meant
    **dict.fromkeys(("source", "outlet", "publisher", "site", "agency"), ("Source", "--source")),
    **dict.fromkeys(("author", "by", "byline"), ("Author", None)),
    **dict.fromkeys(("tag", "tags"), ("Tags", "--tag")),
    **dict.fromkeys(("language", "lang"), ("Language", "--language")),
    **dict.fromkeys(("date", "year", "published"), ("Published", "--since and --until")),
    **dict.fromkeys(("state", "starred", "read", "unread"), ("Reading state", None)),
}
_SCHEMES = ("http", "https", "ftp", "mailto", "file", "urn", "doi", "isbn")
_FIELDS = f"{', '.join(f'{column}:' for column in COLUMNS[:-1])} or {COLUMNS[-1]}:"


def operator_advice(text: str, *, command_line: bool = False) -> str | None:
    """One line saying how ``text`` was read when that is most likely not what was meant, or None.

    - ``oil or gas``: "or" in lower case is a word, as documented;
    - ``oil AND``, ``OR gas``, ``oil NOT``: an operator with nothing to join is left out;
    - ``Путин NEAR``: there is no NEAR, so it is searched as a word;
    - ``ti:mobile``, ``source:bbc``: there is no such field (only ``title:``, ``text:``,
      ``notes:``), so both words are searched as a phrase; where a sidebar filter does what
      was meant (outlet, author, tag, language, date, reading state) the line names it (with
      ``command_line``, the option of ``dossier search`` that does it, where there is one). A
      colon that is not after a word of letters (``10:30``) or that begins a link
      (``https://…``, ``doi:…``) gets no advice: it is searched as it always was;
    - ``"合作 AND``: a quote left open runs to the end, so all of it is one phrase.
    """
    cleaned = plain_quotes(_clean(text))
    tokens = list(_tokens(cleaned))
    for advise in (_lower_operator, _stray_operator, _near,
                   functools.partial(_unknown_field, command_line=command_line)):
        if advice := advise(tokens):
            return advice
    return _open_quote(cleaned, tokens)


def _lower_operator(tokens: list[_Token]) -> str | None:
    for before, token, after in zip(tokens, tokens[1:], tokens[2:]):
        if (token.kind == "word" and not token.prefix and token.text in _LOWER_OPERATORS
                and before.kind in (*_OPERANDS, ")") and after.kind in _BEFORE_OPERAND):
            return f"“{token.text}” was searched as a word; {_LOWER_OPERATORS[token.text]}."
    return None


def _stray_operator(tokens: list[_Token]) -> str | None:
    for number, token in enumerate(tokens):
        if token.kind != "op":
            continue
        before = tokens[number - 1] if number else None
        after = tokens[number + 1] if number + 1 < len(tokens) else None
        operand_after = after is not None and (after.kind in _BEFORE_OPERAND
                                               or (after.kind == "op" and after.text == "NOT"))
        if token.text in _JOINERS:
            operand_before = before is not None and before.kind in (*_OPERANDS, ")")
            if not (operand_before and operand_after):
                return f"“{token.text}” was left out: it goes between two words (oil {token.text} gas)."
        elif not operand_after:
            return "“NOT” was left out: a word must follow it (oil NOT gas)."
    return None


def _near(tokens: list[_Token]) -> str | None:
    for token in tokens:
        if token.kind == "word" and (token.text == "NEAR" or token.text.startswith("NEAR/")):
            return f"“{token.text}” was searched as a word: there is no NEAR operator."
    return None


def _unknown_field(tokens: list[_Token], *, command_line: bool) -> str | None:
    for token in tokens:
        field, colon, rest = token.text.partition(":")
        if (token.kind != "word" or not colon or not rest or not field.isalpha()
                or field.lower() in _SCHEMES or rest.startswith("/")):
            continue
        named = f"There is no field “{field}:”"
        sidebar, option = _FILTERS.get(field.lower(), (None, None))
        if command_line and option is not None:
            return f"{named}: use {option}, or search {_FIELDS}."
        if sidebar is not None and not command_line:
            return f"{named}: use the {sidebar} filter in the sidebar, or search {_FIELDS}."
        return f"{named}: search {_FIELDS}."
    return None


def _open_quote(cleaned: str, tokens: list[_Token]) -> str | None:
    if cleaned.count('"') % 2 == 0 or not tokens or tokens[-1].kind != "phrase":
        return None
    phrase = " ".join(tokens[-1].text.split())
    if " " not in phrase:
        return None
    shown = phrase if len(phrase) <= 30 else phrase[:29] + "…"
    return f"The quote is not closed, so “{shown}” was searched as one phrase."
