"""Which entity another one most likely is: the ranked choices of the merge picker.

``candidate_pool`` reads every other entity with mentions once; ``CandidatePool.ranked``
orders them by how likely each names the same thing as the entity being merged:

1. a known alias, or the same name ("President Xi" and "Xi", an entity of another type);
2. an initial form ("V. Putin" and "Vladimir Putin");
3. one name inside the other ("Blair" and "Tony Blair", "Xi" and "Xi Jinping");
4. the same surname (last word) of two people, and the same first name, its initial or another
   spelling of it ("Andrei Rudskoy" / "Andrey Rudskoy");
5. the same surname and another first name ("Mike Leigh" / "Edward Leigh"), which is not
   enough to preselect it;
6. a word in common;
7. string similarity only (rapidfuzz).

Within each kind of match entities of the same type come first; among strong matches (a
surname or better) the one in more articles, among weak ones the closer spelling. Entities of another type are offered only when
their names share a word, and never dates or sums of money. Names that start with
punctuation ("- Mike Leigh", left over from a page's navigation) sort last. A typed text
narrows the list ignoring case and accents: names with a word starting with each typed
word come before names merely containing the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz, process
from sqlite_utils import Database

from .pipeline import HONORIFICS
from .queries import aliases_of, entity_details
from .store import VALUE_NAMED

DEFAULT_LIMIT = 200
FIRST_NAME_SPELLING = 80
"""How alike (rapidfuzz ratio) two first names must be to count as one name spelt two ways."""
_WORD = re.compile(r"\w+")
_TITLES = frozenset(title.casefold() for title in HONORIFICS)
_MINOR_WORDS = frozenset({"the", "and", "for", "of"})
_JUNK_ENDS = frozenset("-–—|•»«:/\\")


class Match(IntEnum):
    """How a candidate's name relates to the merged entity's, weakest first."""

    SIMILAR = 0
    SHARED_WORD = 1
    FAMILY = 2
    SURNAME = 3
    CONTAINED = 4
    INITIALS = 5
    ALIAS = 6


LIKELY = Match.SURNAME
"""The weakest match that makes a candidate likely to be the same entity."""

_REASONS = {
    Match.SIMILAR: "similar spelling",
    Match.SHARED_WORD: "a word in common",
    Match.FAMILY: "same surname, another first name",
    Match.SURNAME: "same surname and first name or initial",
    Match.CONTAINED: "one name inside the other",
    Match.INITIALS: "same name with initials",
    Match.ALIAS: "same name or a known alias",
}


@dataclass(frozen=True)
class Candidate:
    """An entity the merged one may be: how it is named, in how many articles, how it matches."""

    entity_id: int
    label: str
    name: str
    documents: int
    match: Match
    similarity: float
    same_label: bool
    junk: bool
    extra_words: int = 0
    """How many more words its name has than the merged entity's (negative: fewer)."""

    @property
    def likely(self) -> bool:
        """True when the candidate is very probably the same entity (same type, a strong match)."""
        return self.same_label and not self.junk and self.match >= LIKELY

    @property
    def reason(self) -> str:
        """Why it is offered, in words ("same surname")."""
        return _REASONS[self.match]


def fold(text: str) -> str:
    """``text`` without case or accents, so "Ángela" and "angela" compare equal."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` (punctuation dropped)."""
    return tuple(_WORD.findall(fold(text)))


def is_junk(name: str) -> bool:
    """True for a name that starts with punctuation or a symbol, or ends with a dash or a separator:
    what a page's navigation leaves ("- Mike Leigh", "» Home", "Mike Leigh -")."""
    stripped = name.strip()
    return not stripped or not stripped[0].isalnum() or stripped[-1] in _JUNK_ENDS


def _name_words(name: str) -> tuple[str, ...]:
    """The words that make a name: folded, titles such as "President" left out."""
    words = words_of(name)
    kept = tuple(word for word in words if word not in _TITLES)
    return kept or words


def _initials_match(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Same words in the same order where some are written as initials ("v putin" / "vladimir putin")."""
    if len(first) != len(second) or len(first) < 2 or first == second:
        return False
    full = False
    for a, b in zip(first, second):
        if a == b:
            full = full or len(a) > 1
        elif not ((len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))):
            return False
    return full


def _contained(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """One name's words are a run of the other's ("xi" in "xi jinping")."""
    short, long = sorted((first, second), key=len)
    if not short or len(short) == len(long) or all(len(word) < 2 for word in short):
        return False
    return any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))


def _first_names_agree(first: str, second: str) -> bool:
    """The same first name, one the other's initial, or two spellings of it ("andrei" / "andrey")."""
    if len(first) == 1 or len(second) == 1:
        return first[0] == second[0]
    return fuzz.ratio(first, second) >= FIRST_NAME_SPELLING


def name_match(first: Sequence[tuple[str, ...]], second: Sequence[tuple[str, ...]], *, people: bool) -> Match:
    """How two entities' names match, each entity's names given as ``_name_words`` with its canonical
    name first: any two names equal is an alias; the other matches compare the canonical names
    only (a first name alone among the ways a person is written says little). ``people`` allows
    the same-surname match."""
    if any(a and a == b for a in first for b in second):
        return Match.ALIAS
    a, b = first[0], second[0]
    if not a or not b:
        return Match.SIMILAR
    if _initials_match(a, b):
        return Match.INITIALS
    if _contained(a, b):
        return Match.CONTAINED
    if people and a[-1] == b[-1] and len(a[-1]) > 1:
        return Match.SURNAME if _first_names_agree(a[0], b[0]) else Match.FAMILY
    if {w for w in a if len(w) > 2} & {w for w in b if len(w) > 2} - _MINOR_WORDS:
        return Match.SHARED_WORD
    return Match.SIMILAR


@dataclass(frozen=True)
class Selection:
    """What a typed text leaves of the pool: the first ``candidates`` and how many match in all."""

    candidates: list[Candidate]
    total: int


class CandidatePool:
    """Every entity the merged one could go into, scored once when the pool is read (the names that
    share a word with it in full, the others by spelling alone); ``select`` and ``ranked`` order
    and narrow them and build only the candidates asked for."""

    def __init__(self, *, label: str, source_words: tuple[str, ...], rows: Sequence[tuple[int, str, str, int]],
                 aliases: dict[int, list[str]], matches: dict[int, Match], similarity: Sequence[float]) -> None:
        self._label = label
        self._source_length = len(source_words)
        self._rows = rows
        self._matches = matches
        self._similarity = similarity
        self._search = [fold("\n".join((name, *aliases.get(entity_id, ()))))
                        for entity_id, _, name, _ in rows]
        self._junk = [is_junk(name) for _, _, name, _ in rows]
        self._order = self._ranked_order()

    def _ranked_order(self) -> list[int]:
        """Row numbers, most likely first: strong matches, then same-type names by spelling; names
        left over from navigation at the end. Other types only when they share a word."""
        rows, matches = self._rows, self._matches

        def strong_key(row: int) -> tuple[object, ...]:
            match, documents = matches[row], rows[row][3]
            spelling, articles = -self._similarity[row], -documents
            closeness = (articles, spelling) if match >= LIKELY else (spelling, articles)
            return (-match, rows[row][1] != self._label, *closeness, self._search[row])

        strong = sorted((row for row, match in matches.items() if match > Match.SIMILAR), key=strong_key)
        weak = [row for row in range(len(rows)) if row not in matches or matches[row] == Match.SIMILAR]
        weak = [row for row in weak if rows[row][1] == self._label]
        weak.sort(key=lambda row: (-self._similarity[row], -rows[row][3]))
        ordered = strong + weak
        return [row for row in ordered if not self._junk[row]] + [row for row in ordered if self._junk[row]]

    def __len__(self) -> int:
        return len(self._order)

    def _candidate(self, row: int) -> Candidate:
        entity_id, label, name, documents = self._rows[row]
        return Candidate(
            entity_id, label, name, documents, self._matches.get(row, Match.SIMILAR),
            float(self._similarity[row]), label == self._label, self._junk[row],
            extra_words=len(_name_words(name)) - self._source_length,
        )

    def _typed_rank(self, row: int, query: str, query_words: tuple[str, ...]) -> int | None:
        """0 when every typed word starts a word of one of the entity's names, 1 when a name merely
        contains the typed text, None when it does not match."""
        text = self._search[row]
        if query not in text and not all(typed in text for typed in query_words):
            return None
        words = _WORD.findall(text)
        if all(any(word.startswith(typed) for word in words) for typed in query_words):
            return 0
        return 1 if query in text else None

    def select(self, text: str = "", *, limit: int | None = DEFAULT_LIMIT) -> Selection:
        """The candidates, most likely first, narrowed to those matching ``text`` (ignoring case and
        accents; word starts first, then substrings): at most ``limit`` of them, and how many match."""
        query = " ".join(fold(text).split())
        if not query:
            found = self._order
        else:
            query_words = tuple(_WORD.findall(query)) or (query,)
            buckets: tuple[list[int], ...] = ([], [], [], [])
            for row in self._order:
                rank = self._typed_rank(row, query, query_words)
                if rank is not None:
                    buckets[2 * self._junk[row] + rank].append(row)
            found = [row for bucket in buckets for row in bucket]
        shown = found if limit is None else found[:limit]
        return Selection([self._candidate(row) for row in shown], len(found))

    def ranked(self, text: str = "", *, limit: int | None = DEFAULT_LIMIT) -> list[Candidate]:
        """The first candidates of ``select``."""
        return self.select(text, limit=limit).candidates


def _aliases(db: Database) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for entity_id, name in db.conn.execute("SELECT entity_id, name FROM entity_aliases"):
        names[entity_id].append(name)
    return names


def candidate_pool(db: Database, entity_id: int) -> CandidatePool:
    """Every other entity with mentions that ``entity_id`` could be merged into, scored against its
    name and the other ways it is written. Raises NotFound for an unknown entity."""
    source = entity_details(db, entity_id)
    label = source["label"]
    source_names = [_name_words(name) for name in (source["name"], *aliases_of(db, entity_id))]
    probes = {word for words in source_names for word in words if len(word) > 1}
    aliases = _aliases(db)
    rows = [
        row for row in db.conn.execute(
            "SELECT e.id, e.label, e.name, COUNT(*) FROM entities e "
            "JOIN document_entities de ON de.entity_id = e.id WHERE e.id <> ? GROUP BY e.id ORDER BY e.id",
            (entity_id,),
        )
        if row[1] == label or not (label in VALUE_NAMED or row[1] in VALUE_NAMED)
    ]
    folded = [fold(name) for _, _, name, _ in rows]
    similarity = process.cdist([" ".join(source_names[0])], folded, scorer=fuzz.ratio, workers=1)[0]
    matches = {}
    for number, (other_id, other_label, name, _) in enumerate(rows):
        if other_id in aliases or any(probe in folded[number] for probe in probes):
            names = [_name_words(n) for n in (name, *aliases.get(other_id, ()))]
            matches[number] = name_match(source_names, names, people=label == other_label == "PERSON")
    return CandidatePool(label=label, source_words=source_names[0], rows=rows, aliases=aliases,
                         matches=matches, similarity=similarity)


def merge_candidates(db: Database, entity_id: int, *, text: str = "", limit: int | None = DEFAULT_LIMIT
                     ) -> list[Candidate]:
    """The entities ``entity_id`` may be merged into, most likely first (see the module docstring),
    narrowed to names matching ``text``. Raises NotFound for an unknown entity."""
    return candidate_pool(db, entity_id).ranked(text, limit=limit)


def clear_best(candidates: Sequence[Candidate], *, keep_candidate: bool = True) -> Candidate | None:
    """The first candidate when it is clearly the one meant, otherwise None (the picker then
    preselects nothing). Clearly meant: likely, no other candidate of the same type matches as
    strongly, and the name kept is the fuller one: ``keep_candidate`` (the entity is merged into
    the candidate) passes over a shorter candidate ("Tony Blair" is not merged into "Blair"), and
    merging the candidate into the entity passes over a longer one."""
    if not candidates or not candidates[0].likely:
        return None
    best = candidates[0]
    if (best.extra_words < 0) if keep_candidate else (best.extra_words > 0):
        return None
    rivals = [other for other in candidates[1:]
              if other.same_label and not other.junk and other.match == best.match]
    return None if rivals else best
