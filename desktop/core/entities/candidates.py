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

Likely matches (kinds 1–4) of the same type come before those of another type ("Tony Blair",
a person, before "Mr Blair" taken for an organisation, when a person "Blair" is merged), then
the other kinds, again the same type first; within a kind, among likely matches the one in
more articles, among the others the closer spelling. Entities of another type are offered only when their names share a word, and never
dates or sums of money. Names that start with punctuation or end with a dash ("- Mike Leigh",
left over from a page's navigation) sort last. A typed text narrows the list ignoring case and
accents: names with a word starting with each typed word come before names merely containing
the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
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


@dataclass(frozen=True)
class _Rows:
    """The entities of the pool as columns, and their names (aliases after a line break) folded and
    joined by NUL into one text that ``str.find`` and ``re`` search at C speed."""

    ids: list[int]
    labels: list[str]
    names: list[str]
    documents: np.ndarray
    folded: list[str]
    searched: list[str]
    text: str
    starts: np.ndarray

    @classmethod
    def read(cls, db: Database, entity_id: int, *, label: str, aliases: dict[int, list[str]]) -> _Rows:
        counts = dict(db.conn.execute(
            "SELECT entity_id, COUNT(*) FROM document_entities WHERE entity_id <> ? GROUP BY entity_id",
            (entity_id,)))
        ids, labels, names = [], [], []
        for other_id, other_label, name in db.conn.execute("SELECT id, label, name FROM entities ORDER BY id"):
            values = label in VALUE_NAMED or other_label in VALUE_NAMED
            if other_id in counts and (other_label == label or not values):
                ids.append(other_id)
                labels.append(other_label)
                names.append(name)
        folded = [fold(name) for name in names]
        searched = list(folded)
        for row, other_id in enumerate(ids):
            if other_id in aliases:
                searched[row] = "\n".join((folded[row], *(fold(alias) for alias in aliases[other_id])))
        lengths = np.fromiter((len(text) + 1 for text in searched), dtype=np.int64, count=len(searched))
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(searched) else np.zeros(0, np.int64)
        documents = np.fromiter((counts[i] for i in ids), dtype=np.int64, count=len(ids))
        return cls(ids, labels, names, documents, folded, searched, "\0".join(searched), starts)

    def containing(self, pattern: re.Pattern[str]) -> np.ndarray:
        """The rows (sorted, distinct) whose searched text matches ``pattern``."""
        found = np.fromiter((match.start() for match in pattern.finditer(self.text)), dtype=np.int64)
        return np.unique(np.searchsorted(self.starts, found, side="right") - 1)


def _literal(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))


def _word_start(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(word))


class CandidatePool:
    """Every entity the merged one could go into, scored once when the pool is read (the names that
    share a word with it in full, the others by spelling alone); ``select`` and ``ranked`` order
    and narrow them and build only the candidates asked for."""

    def __init__(self, *, label: str, source_words: tuple[str, ...], rows: _Rows, matches: dict[int, Match],
                 similarity: np.ndarray) -> None:
        self._label = label
        self._source_length = len(source_words)
        self._rows = rows
        self._matches = matches
        self._similarity = similarity
        self._junk = np.fromiter((is_junk(name) for name in rows.names), dtype=bool, count=len(rows.names))
        self._order = self._ranked_order()
        self._place = np.full(len(rows.ids), -1, dtype=np.int64)
        self._place[self._order] = np.arange(len(self._order))
        self._first_junk = int(np.count_nonzero(~self._junk[self._order]))

    def _ranked_order(self) -> np.ndarray:
        """Row numbers, most likely first: strong matches, then same-type names by spelling; names
        left over from navigation at the end. Other types only when they share a word."""
        rows, matches, similarity = self._rows, self._matches, self._similarity

        def strong_key(row: int) -> tuple[object, ...]:
            match, articles, spelling = matches[row], -int(rows.documents[row]), -float(similarity[row])
            closeness = (articles, spelling) if match >= LIKELY else (spelling, articles)
            return (match < LIKELY, rows.labels[row] != self._label, -match, *closeness, rows.searched[row])

        strong = sorted((row for row, match in matches.items() if match > Match.SIMILAR), key=strong_key)
        weak_mask = np.fromiter((label == self._label for label in rows.labels), dtype=bool, count=len(rows.labels))
        weak_mask[strong] = False
        weak = np.flatnonzero(weak_mask)
        weak = weak[np.lexsort((-rows.documents[weak], -similarity[weak]))]
        ordered = np.concatenate((np.asarray(strong, dtype=np.int64), weak))
        junk = self._junk[ordered]
        return np.concatenate((ordered[~junk], ordered[junk]))

    def __len__(self) -> int:
        return len(self._order)

    def _candidate(self, row: int) -> Candidate:
        rows = self._rows
        label, name = rows.labels[row], rows.names[row]
        return Candidate(
            rows.ids[row], label, name, int(rows.documents[row]), self._matches.get(row, Match.SIMILAR),
            float(self._similarity[row]), label == self._label, bool(self._junk[row]),
            extra_words=len(_name_words(name)) - self._source_length,
        )

    def _places(self, rows: np.ndarray) -> np.ndarray:
        """The listed places of ``rows``, in order (rows the pool does not list left out)."""
        places = self._place[rows]
        return np.sort(places[places >= 0])

    def select(self, text: str = "", *, limit: int | None = DEFAULT_LIMIT) -> Selection:
        """The candidates, most likely first, narrowed to those matching ``text`` (ignoring case and
        accents; names with a word starting with each typed word first, then names containing the
        text): at most ``limit`` of them, and how many match."""
        query = " ".join(fold(text).split())
        if not query:
            places = np.arange(len(self._order))
        else:
            starting: np.ndarray | None = None
            for typed in dict.fromkeys(_WORD.findall(query)):
                found = self._rows.containing(_word_start(typed))
                starting = found if starting is None else np.intersect1d(starting, found, assume_unique=True)
            first = self._places(starting if starting is not None else np.zeros(0, np.int64))
            then = np.setdiff1d(self._places(self._rows.containing(_literal(query))), first, assume_unique=True)
            cut = self._first_junk
            places = np.concatenate((first[first < cut], then[then < cut], first[first >= cut], then[then >= cut]))
        shown = places if limit is None else places[:limit]
        return Selection([self._candidate(int(self._order[place])) for place in shown], len(places))

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
    aliases = _aliases(db)
    rows = _Rows.read(db, entity_id, label=label, aliases=aliases)
    similarity = process.cdist([" ".join(source_names[0])], rows.folded, scorer=fuzz.ratio, workers=1)[0]
    probes = {word for words in source_names for word in words if len(word) > 1}
    sharing = set(np.concatenate([rows.containing(_literal(probe)) for probe in probes]).tolist()) if probes else set()
    sharing.update(row for row, other_id in enumerate(rows.ids) if other_id in aliases)
    matches = {}
    for row in sharing:
        other_id, name = rows.ids[row], rows.names[row]
        names = [_name_words(n) for n in (name, *aliases.get(other_id, ()))]
        matches[row] = name_match(source_names, names, people=label == rows.labels[row] == "PERSON")
    return CandidatePool(label=label, source_words=source_names[0], rows=rows, matches=matches,
                         similarity=similarity)


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
