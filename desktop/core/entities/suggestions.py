"""Suggested corrections for the whole library, likeliest first: duplicates and mislabels.

``suggestions(db)`` reads every named entity once and proposes merges, each accepted with
``accept`` (a ``merge_entities`` change, undoable, kept on re-extraction through aliases):

- duplicates of one type: the same name written two ways ("Lib Dem" / "Lib Dems", "Al-Qaeda"
  / "Al Qaeda"), one name inside the other ("Blair" → "Tony Blair"), initials ("V Putin" →
  "Vladimir Putin"), the same surname and first name ("Andrei" / "Andrey Rudskoy"); the
  shorter or rarer name goes into the fuller, more frequent one, and only when one entity
  clearly wins (two people called Blair leave "Blair" alone);
- mislabels: a name that is mostly of another type elsewhere in the library ("Mauresmo" as an
  organisation in 3 articles, a person in 20), or a lone word that is the surname of exactly
  one person mentioned more often.

A name that is a list the model read as one ("House of Commons, European Parliament": parts
between commas or semicolons, two of them names of the library) takes part in no duplicate: it
would otherwise be the fuller name every one of its members is offered to merge into.

Names that compare equal under a *name key* (``NAME_KEYS``: spelling, singular) are duplicates
too, and so are the pairs of names in two scripts with one romanised key that
``name_links.name_suggestions`` leaves to the person (see ``in_other_scripts``); a pair refused
there is not offered here either.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from sqlite_utils import Database

from ..undo import RowChange
from .candidates import _TITLES, LIKELY, Match, _name_words, fold, is_junk, name_match, words_of
from .corrections import merge_entities
from .name_links import MIN_AUTO_KEY, SAME_KEY_OTHER_TYPE, SHORT_KEY, name_suggestions
from .name_links import Suggestion as ScriptPair
from .pipeline import NAME_LABELS

COMMON_WORD = 60
"""A word shared by more entities of one type than this pairs nothing ("united", "bank")."""
CLEAR_SHARE = 0.7
"""The share of the candidates' articles the best one needs to be suggested at all."""
SHORT_IN_OTHER_SCRIPT = 0.7
"""The score of a short name written alike in another script ("КГБ" / "KGB")."""

_STRENGTH = {Match.ALIAS: 0.95, Match.INITIALS: 0.9, Match.SURNAME: 0.85, Match.CONTAINED: 0.8}


@dataclass(frozen=True)
class NameKey:
    """Names with the same ``key(name)`` (not None) are the same name: ``reason`` says why;
    names of the types in ``not_for`` are not compared this way."""

    name: str
    reason: str
    key: Callable[[str], str | None]
    not_for: frozenset[str] = frozenset()


def _spelling_key(name: str) -> str | None:
    words = words_of(name)
    return "".join(words) if words else None


def _singular_key(name: str) -> str | None:
    words = list(words_of(name))
    if not words or len(words[-1]) < 3:
        return None
    last = words[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        words[-1] = last[:-1]
    return " ".join(words)


NAME_KEYS: list[NameKey] = [
    NameKey("spelling", "the same name written another way", _spelling_key),
    NameKey("singular", "singular and plural of one name", _singular_key,
            not_for=frozenset({"PERSON"})),  # Holmes, Jones, Davis are no plurals
]


@dataclass(frozen=True)
class Entity:
    entity_id: int
    label: str
    name: str
    documents: int


@dataclass(frozen=True)
class Suggestion:
    """Merge ``source`` into ``target``: ``kind`` is "duplicate" or "mislabel", ``score`` in 0–1."""

    kind: str
    source: Entity
    target: Entity
    reason: str
    score: float

    @cached_property
    def key(self) -> str:
        """Identifies the suggestion across reads (to remember one skipped); made once, as the
        review compares thousands of them after each correction."""
        return f"{self.source.label}:{self.source.name}→{self.target.label}:{self.target.name}"

    @property
    def entity_ids(self) -> tuple[int, int]:
        return self.source.entity_id, self.target.entity_id


def _read(db: Database) -> tuple[list[Entity], dict[int, list[str]]]:
    labels = sorted(NAME_LABELS)
    marks = ",".join("?" * len(labels))
    entities = [Entity(*row) for row in db.conn.execute(
        "SELECT e.id, e.label, e.name, COUNT(*) FROM entities e "
        f"JOIN document_entities de ON de.entity_id = e.id WHERE e.label IN ({marks}) "
        "GROUP BY e.id ORDER BY e.id", labels)]
    aliases: dict[int, list[str]] = defaultdict(list)
    for entity_id, name in db.conn.execute("SELECT entity_id, name FROM entity_aliases"):
        aliases[entity_id].append(name)
    return entities, aliases


_WORD_BREAK = re.compile(r"[\s-]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LIST_BREAK = re.compile(r"\s*[,;]\s*")


def _lists(entities: list[Entity]) -> set[int]:
    """The entities whose name lists two or more names of ``entities`` between commas or
    semicolons ("House of Commons, European Parliament", "Blair, Gordon Brown")."""
    known = {fold(e.name) for e in entities}
    return {e.entity_id for e in entities
            if sum(fold(part) in known for part in _LIST_BREAK.split(e.name)) >= 2}


def _runs_on(name: str) -> bool:
    """Whether ``name`` starts in lower case in any script with case ("мид", "physio Mark") or
    runs on into a lower-case word ("John Prescott - were", "George Bush-style"). Lower-case
    words inside an English name ("Bank of England") and after the first word of a Russian one
    ("Большой театр", "Министерство иностранных дел") belong to the name."""
    words = [word for word in _WORD_BREAK.split(name) if word]
    if not words:
        return False
    last = words[-1]
    return words[0][:1].islower() or (last[:1].islower() and not _CYRILLIC.search(last))


def _keep_rank(e: Entity) -> tuple[bool, bool, bool, int, int]:
    """How much an entity is the one to keep: a proper name before a page leftover, a name
    ending in punctuation ("Robbie Williams'") or one running on into other words ("John
    Prescott - were", "George Bush-style"), then the fuller name, then more articles."""
    return (not is_junk(e.name), e.name[-1:].isalnum(), not _runs_on(e.name),
            len(_name_words(e.name)), e.documents)


_ROLES = frozenset({
    "mp", "mps", "mep", "msp", "qc", "kc", "obe", "mbe", "cbe", "lords", "backbencher", "minister",
    "secretary", "chancellor", "senator", "sen", "governor", "spokesman", "spokeswoman", "chief"})
"""Words written around a person's name that are a role, not a part of it ("Paul Boateng MP",
"Backbencher Stephen Pound", "Ken Macdonald QC"); titles such as "Dr" or "Lord" are known already."""
_PARTICLES = frozenset({"de", "da", "di", "del", "della", "dos", "das", "van", "von", "der", "den",
                        "le", "la", "lo", "du"})
"""Words that begin a family name ("De Zeeuw", "Lo Cicero"): "De Zeeuw" is a family name alone."""


@dataclass(frozen=True)
class _PersonName:
    """What a person's name is made of: how many words of the name itself it has (no initials,
    titles, roles or particles: "Aart de Zeeuw" 2, "J.F. Kennedy" 1, "H.Onno Ruding" 2) and whether a role is
    written with it."""

    words: int
    with_role: bool
    written: frozenset[str]

    @classmethod
    def of(cls, name: str) -> _PersonName:
        written = [word.strip(".,'’") for word in fold(name).split()]
        written = [word for word in written if word]
        own = [part for n, word in enumerate(written)
               if word not in _ROLES and word not in _TITLES
               and not (word in _PARTICLES and n < len(written) - 1)
               for part in word.split(".") if len(part) > 1 and not part.isdigit()]
        return cls(len(own), any(word in _ROLES for word in written), frozenset(written))


def _person_kept_over(a: Entity, b: Entity) -> bool | None:
    """Between two ways of writing a person's first and family name, the one without a role,
    then the one in more articles: "Paul Boateng" over "Paul Boateng MP", "Yasuhiro Nakasone"
    (82 articles) over "Minsiter Yasuhiro Nakasone" (1), "Stephen Pound" over "Backbencher Stephen
    Pound". None where that does not decide: one of them is a family name alone ("Goldsmith"
    goes into "Peter Goldsmith"), or the longer adds two words or more ("Hashemi Rafsanjani" into
    "Ali Akbar Hashemi Rafsanjani"; "Lib Dem" is no part of "Lib Dem Norman Baker")."""
    first, second = _PersonName.of(a.name), _PersonName.of(b.name)
    if not (first.written <= second.written or second.written <= first.written):
        return None  # "James Miller-Day" is not "James Miller" with a word more
    if min(first.words, second.words) < 2:
        # a family name alone: only a role decides ("Lords Bingham" into "Bingham"), initials
        # do not ("Robinson" goes into "J.W. Robinson" as before)
        if first.words != second.words or first.with_role == second.with_role:
            return None
        return second.with_role
    if abs(first.words - second.words) > 1:
        return None
    own_a = (not first.with_role, a.documents)
    own_b = (not second.with_role, b.documents)
    return None if own_a == own_b else own_a > own_b


def _share(best: Entity, rivals: Iterable[Entity]) -> float:
    total = best.documents + sum(r.documents for r in rivals)
    return best.documents / total if total else 0.0


class _Finder:
    def __init__(self, entities: list[Entity], aliases: dict[int, list[str]]) -> None:
        self.entities = entities
        self.names = {e.entity_id: [_name_words(n) for n in (e.name, *aliases.get(e.entity_id, ()))]
                      for e in entities}
        self.found: dict[int, Suggestion] = {}
        self.rank = {e.entity_id: _keep_rank(e) for e in entities}
        self.lists = _lists(entities)
        self.names_alone = [e for e in entities if e.entity_id not in self.lists]

    def offer(self, suggestion: Suggestion) -> None:
        held = self.found.get(suggestion.source.entity_id)
        if held is None or suggestion.score > held.score:
            self.found[suggestion.source.entity_id] = suggestion

    def by_keys(self) -> None:
        for name_key in NAME_KEYS:
            groups: dict[tuple[str, str], list[Entity]] = defaultdict(list)
            for e in self.names_alone:
                value = name_key.key(e.name) if e.label not in name_key.not_for else None
                if value:
                    groups[(e.label, value)].append(e)
            for group in groups.values():
                if len(group) < 2:
                    continue
                keep = max(group, key=lambda e: (self.rank[e.entity_id][:3], e.documents, len(e.name)))
                for e in group:
                    if e is not keep:
                        self.offer(Suggestion("duplicate", e, keep, name_key.reason, _STRENGTH[Match.ALIAS]))

    def by_words(self) -> None:
        index: dict[tuple[str, str], list[Entity]] = defaultdict(list)
        for e in self.names_alone:
            for word in set(self.names[e.entity_id][0]):
                if len(word) > 1:
                    index[(e.label, word)].append(e)
        for e in self.names_alone:
            matched: dict[int, tuple[Match, Entity]] = {}
            for word in set(self.names[e.entity_id][0]):
                others = index.get((e.label, word), ())
                if len(others) > COMMON_WORD:
                    continue
                for other in others:
                    if other.entity_id == e.entity_id or other.entity_id in matched \
                            or not self._kept_over(other, e):
                        continue
                    match = name_match(self.names[e.entity_id], self.names[other.entity_id],
                                       people=e.label == "PERSON")
                    if match >= LIKELY:
                        matched[other.entity_id] = (match, other)
            self._offer_best(e, matched)

    def _kept_over(self, a: Entity, b: Entity) -> bool:
        """Whether ``a`` is the one kept when ``b`` is the same name written another way."""
        rank_a, rank_b = self.rank[a.entity_id], self.rank[b.entity_id]
        if a.label == b.label == "PERSON" and rank_a[:3] == rank_b[:3]:
            person = _person_kept_over(a, b)
            if person is not None:
                return person
        return rank_a > rank_b

    def _offer_best(self, e: Entity, matched: dict[int, tuple[Match, Entity]]) -> None:
        if not matched:
            return
        strongest = max(match for match, _ in matched.values())
        tied = [other for match, other in matched.values() if match == strongest]
        best = max(tied, key=lambda o: o.documents)
        share = _share(best, (o for o in tied if o is not best))
        if share < CLEAR_SHARE:
            return
        strength = _STRENGTH[strongest] * (1.0 if e.label == "PERSON" or strongest != Match.CONTAINED else 0.8)
        reason = {Match.ALIAS: "a known alias", Match.INITIALS: "the same name with initials",
                  Match.SURNAME: "the same surname and first name",
                  Match.CONTAINED: "one name inside the other"}[strongest]
        self.offer(Suggestion("duplicate", e, best, reason, strength * share))

    def in_other_scripts(self, pairs: Iterable[ScriptPair]) -> None:
        """Offer the pairs of names in two scripts whose romanised keys agree: a short key of one
        type ("КГБ" → "KGB"), and a key of another type where one type clearly wins ("土耳其" as
        an organisation → "Турция", a place); the name kept is the Latin one, or the winning
        type's. Pairs sharing only a family name are left to *Names in other scripts…*."""
        known = {e.entity_id: e for e in self.entities}
        for pair in pairs:
            first, second = known.get(pair.first.id), known.get(pair.second.id)
            if first is None or second is None:
                continue
            if pair.reason == SHORT_KEY:
                self.offer(Suggestion("duplicate", second, first, "a short name written alike in another script",
                                      SHORT_IN_OTHER_SCRIPT))
            elif pair.reason == SAME_KEY_OTHER_TYPE and len(pair.first.key) >= MIN_AUTO_KEY:
                best, other = sorted((first, second), key=lambda e: -e.documents)
                share = _share(best, [other])
                if share >= CLEAR_SHARE:
                    reason = f"written alike in another script, {best.label} in {best.documents} articles"
                    self.offer(Suggestion("mislabel", other, best, reason, 0.9 * share))

    def mislabels(self) -> None:
        by_name: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities:
            by_name[fold(e.name)].append(e)
        for group in by_name.values():
            if len({e.label for e in group}) < 2:
                continue
            best = max(group, key=lambda e: e.documents)
            share = _share(best, (e for e in group if e is not best))
            for e in group:
                if e is not best and e.documents < best.documents and share >= CLEAR_SHARE:
                    reason = f"{best.label} in {best.documents} other articles"
                    self.offer(Suggestion("mislabel", e, best, reason, 0.9 * share))
        self._lone_surnames()

    def _lone_surnames(self) -> None:
        surnames: dict[str, list[Entity]] = defaultdict(list)
        for e in self.entities:
            words = self.names[e.entity_id][0]
            if e.label == "PERSON" and len(words) > 1 and not is_junk(e.name):
                surnames[words[-1]].append(e)
        for e in self.entities:
            words = self.names[e.entity_id][0]
            if e.label == "PERSON" or len(words) != 1 or e.entity_id in self.found:
                continue
            people = surnames.get(words[0], [])
            if len(people) == 1 and people[0].documents > e.documents:
                self.offer(Suggestion("mislabel", e, people[0],
                                      f"the surname of a person in {people[0].documents} articles", 0.6))


def suggestions(db: Database, *, skipped: Iterable[str] = ()) -> list[Suggestion]:
    """Every suggested merge, most confident first (by tenths of ``score``), then those whose
    source is in more articles; at most
    one per source entity, and none whose ``key`` is in ``skipped``."""
    entities, aliases = _read(db)
    finder = _Finder(entities, aliases)
    finder.by_keys()
    finder.by_words()
    finder.in_other_scripts(name_suggestions(db, limit=None))
    finder.mislabels()
    left_out = set(skipped)
    held = finder.found
    found = [s for source, s in held.items()
             if s.key not in left_out
             and not (s.target.entity_id in held and held[s.target.entity_id].target.entity_id == source)]
    return sorted(found, key=lambda s: (-_band(s.score), -s.source.documents, s.source.name))


def _band(score: float) -> int:
    """Scores in tenths: within a tenth, the suggestion touching more articles comes first."""
    return int(score * 10 + 1e-9)


def accept(db: Database, suggestion: Suggestion) -> RowChange:
    """Carry out a suggestion: merge its source entity into its target."""
    return merge_entities(db, [suggestion.source.entity_id], into=suggestion.target.entity_id)
