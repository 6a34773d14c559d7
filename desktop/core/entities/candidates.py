"""Which entity another one most likely is: the ranked choices of the merge picker.

``candidate_pool`` reads every other entity with mentions once; ``CandidatePool.ranked``
orders them by how likely each names the same thing as the entity being merged:

1. a known alias, or the same name ("President Xi" and "Xi", an entity of another type);
2. an initial form ("V. Putin" and "Vladimir Putin");
3. one name inside the other ("Blair" and "Tony Blair", "Xi" and "Xi Jinping");
4. the same surname (last word) of two people;
5. a word in common;
6. string similarity only (rapidfuzz).

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from rapidfuzz import fuzz
from sqlite_utils import Database

from .pipeline import HONORIFICS
from .queries import aliases_of, entity_details
from .store import VALUE_NAMED

DEFAULT_LIMIT = 200
_WORD = re.compile(r"\w+")
_TITLES = frozenset(title.casefold() for title in HONORIFICS)
_MINOR_WORDS = frozenset({"the", "and", "for", "of"})


class Match(IntEnum):
    """How a candidate's name relates to the merged entity's, weakest first."""

    SIMILAR = 0
    SHARED_WORD = 1
    SURNAME = 2
    CONTAINED = 3
    INITIALS = 4
    ALIAS = 5


LIKELY = Match.SURNAME
"""The weakest match that makes a candidate likely to be the same entity."""

_REASONS = {
    Match.SIMILAR: "similar spelling",
    Match.SHARED_WORD: "a word in common",
    Match.SURNAME: "same surname",
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
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` (punctuation dropped)."""
    return tuple(_WORD.findall(fold(text)))


def is_junk(name: str) -> bool:
    """True for a name that starts with punctuation or a symbol ("- Mike Leigh", "» Home")."""
    stripped = name.strip()
    return not stripped or not stripped[0].isalnum()


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


def name_match(first: Sequence[tuple[str, ...]], second: Sequence[tuple[str, ...]], *, people: bool) -> Match:
    """The strongest match between any name of one entity and any name of another (each name as
    ``_name_words``); ``people`` allows the same-surname match."""
    best = Match.SIMILAR
    for a in first:
        for b in second:
            if not a or not b:
                continue
            if a == b:
                return Match.ALIAS
            if _initials_match(a, b):
                best = max(best, Match.INITIALS)
            elif _contained(a, b):
                best = max(best, Match.CONTAINED)
            elif people and a and b and a[-1] == b[-1] and len(a[-1]) > 1:
                best = max(best, Match.SURNAME)
            elif {w for w in a if len(w) > 2} & {w for w in b if len(w) > 2} - _MINOR_WORDS:
                best = max(best, Match.SHARED_WORD)
    return best


@dataclass(frozen=True)
class _Entry:
    candidate: Candidate
    folded: tuple[str, ...]
    words: tuple[tuple[str, ...], ...]


def _typed_rank(entry: _Entry, query: str, query_words: tuple[str, ...]) -> int | None:
    """0 when every typed word starts a word of one of the entry's names, 1 when a name merely
    contains the typed text, None when it does not match."""
    if any(all(any(word.startswith(typed) for word in words) for typed in query_words) for words in entry.words):
        return 0
    if any(query in name for name in entry.folded):
        return 1
    return None


def _order(candidate: Candidate) -> tuple[object, ...]:
    """Strong matches name the same thing, so the form found in more articles goes first; weak ones
    go by spelling, articles breaking ties."""
    spelling, articles = -candidate.similarity, -candidate.documents
    closeness = (articles, spelling) if candidate.match >= LIKELY else (spelling, articles)
    return (candidate.junk, -candidate.match, not candidate.same_label, *closeness, fold(candidate.name))


class CandidatePool:
    """Every entity the merged one could go into, scored once; ``ranked`` orders and filters them."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._entries = sorted(entries, key=lambda entry: _order(entry.candidate))

    def __len__(self) -> int:
        return len(self._entries)

    def ranked(self, text: str = "", *, limit: int | None = DEFAULT_LIMIT) -> list[Candidate]:
        """The candidates, most likely first, narrowed to those matching ``text`` (ignoring case
        and accents; word starts first, then substrings); at most ``limit``."""
        query = " ".join(fold(text).split())
        if not query:
            found = [entry.candidate for entry in self._entries]
        else:
            query_words = tuple(_WORD.findall(query)) or (query,)
            ranks = ((_typed_rank(entry, query, query_words), entry.candidate) for entry in self._entries)
            matched = [(rank, candidate) for rank, candidate in ranks if rank is not None]
            found = [candidate for _, candidate in sorted(
                matched, key=lambda pair: (pair[1].junk, pair[0]))]
        return found if limit is None else found[:limit]


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
    source_words = [_name_words(name) for name in (source["name"], *aliases_of(db, entity_id))]
    source_folded = " ".join(source_words[0])
    aliases = _aliases(db)
    entries = []
    rows = db.conn.execute(
        "SELECT e.id, e.label, e.name, COUNT(*) FROM entities e "
        "JOIN document_entities de ON de.entity_id = e.id WHERE e.id <> ? GROUP BY e.id",
        (entity_id,),
    )
    for other_id, other_label, name, documents in rows:
        same_label = other_label == label
        if not same_label and (label in VALUE_NAMED or other_label in VALUE_NAMED):
            continue
        names = (name, *aliases.get(other_id, ()))
        words = tuple(_name_words(n) for n in names)
        match = name_match(source_words, words, people=same_label and label == "PERSON")
        if not same_label and match < Match.SHARED_WORD:
            continue
        similarity = fuzz.ratio(source_folded, " ".join(words[0]))
        candidate = Candidate(other_id, other_label, name, documents, match, similarity, same_label, is_junk(name))
        entries.append(_Entry(candidate, tuple(fold(n) for n in names), tuple(words_of(n) for n in names)))
    return CandidatePool(entries)


def merge_candidates(db: Database, entity_id: int, *, text: str = "", limit: int | None = DEFAULT_LIMIT
                     ) -> list[Candidate]:
    """The entities ``entity_id`` may be merged into, most likely first (see the module docstring),
    narrowed to names matching ``text``. Raises NotFound for an unknown entity."""
    return candidate_pool(db, entity_id).ranked(text, limit=limit)


def clear_best(candidates: Sequence[Candidate]) -> Candidate | None:
    """The first candidate when it is clearly the one meant: likely, and no other candidate of the
    same type matches as strongly; otherwise None (the picker then preselects nothing)."""
    if not candidates or not candidates[0].likely:
        return None
    best = candidates[0]
    rivals = [other for other in candidates[1:]
              if other.same_label and not other.junk and other.match == best.match]
    return None if rivals else best
