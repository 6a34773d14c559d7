"""What the filter sidebar selects: the ``Filters`` value and the SQL conditions it compiles to.

``Filters`` is immutable (every change returns a new value) and is what saved
searches store as JSON. Which facets exist and how each one selects documents
is the registry's (``desktop.core.facets``); date bounds are handled here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from .changes import TagRename, renamed_tags
from .errors import InvalidInput
from .facets import COPIES, COPY, facet_named

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
DATES_CHIP = "dates"
"""The chip of the date bounds; its value is the ISO 8601 interval ``from/to`` (``..`` for no bound)."""
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
"""English month names, whatever the system's locale."""


def _normalise_date(value: str | None) -> str | None:
    """``value`` as YYYY, YYYY-MM or YYYY-MM-DD, or None when blank; raises InvalidInput."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    parts = _DATE.match(value)
    try:
        if parts is None:
            raise ValueError(value)
        year, month, day = (int(p) if p else 1 for p in parts.groups())
        dt.date(year, month, day)
    except ValueError:
        raise InvalidInput(f"“{value}” is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.") from None
    return value


def after(value: str) -> str:
    """The first date after the whole period ``value`` (a year, month or day) names."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return f"{parts[0] + 1:04d}"
    if len(parts) == 2:
        year, month = parts
        return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
    return (dt.date(*parts) + dt.timedelta(days=1)).isoformat()


def _frozen(mapping: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    result = {}
    for facet, values in mapping.items():
        facet_named(facet)
        if isinstance(values, str):
            values = [values]
        chosen = frozenset(str(v) for v in values)
        if chosen:
            result[facet] = chosen
    return result


@dataclass(frozen=True)
class Filters:
    """What the filter sidebar selects; immutable, every change returns a new value.

    ``include``: facet -> values. For ``source``, ``author``, ``year``,
    ``state`` and ``tag`` a document needs one of them (an article has one
    source). For an entity facet (``entity:PERSON``, ...) a document must
    mention every one of them: two people chosen give the articles mentioning
    both.
    ``exclude``: facet -> values no document may have (for every facet).
    ``date_from`` / ``date_to``: inclusive bounds on the published date, each
    a year, month or day (``"2017"``, ``"2017-06"``, ``"2017-06-15"``); with a
    bound set, documents without a date are left out.
    """

    include: Mapping[str, frozenset[str]] = field(default_factory=dict)
    exclude: Mapping[str, frozenset[str]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "include", _frozen(self.include))
        object.__setattr__(self, "exclude", _frozen(self.exclude))
        object.__setattr__(self, "date_from", _normalise_date(self.date_from))
        object.__setattr__(self, "date_to", _normalise_date(self.date_to))

    def __hash__(self) -> int:
        return hash(self.to_json())

    def _with(self, *, include: Mapping[str, frozenset[str]] | None = None,
              exclude: Mapping[str, frozenset[str]] | None = None) -> Filters:
        return Filters(
            include=self.include if include is None else include,
            exclude=self.exclude if exclude is None else exclude,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def including(self, facet: str, value: str) -> Filters:
        """These filters plus ``value`` of ``facet`` (no longer excluded): one more alternative,
        or for an entity facet one more entity the articles must mention."""
        facet_named(facet)
        return self._with(
            include=_added(self.include, facet, value),
            exclude=_removed(self.exclude, facet, value),
        )

    def excluding(self, facet: str, value: str) -> Filters:
        """These filters plus "not ``value``" for ``facet`` (no longer included)."""
        facet_named(facet)
        return self._with(
            include=_removed(self.include, facet, value),
            exclude=_added(self.exclude, facet, value),
        )

    def without(self, facet: str, value: str) -> Filters:
        """These filters without ``value`` of ``facet``; ``"date_from"``/``"date_to"`` clear a bound,
        ``DATES_CHIP`` both."""
        if facet == DATES_CHIP:
            return self.with_dates(None, None)
        if facet == "date_from":
            return self.with_dates(None, self.date_to)
        if facet == "date_to":
            return self.with_dates(self.date_from, None)
        return self._with(
            include=_removed(self.include, facet, value),
            exclude=_removed(self.exclude, facet, value),
        )

    def with_tags_renamed(self, renames: Sequence[TagRename]) -> Filters:
        """These filters naming each tag ``renames`` renamed by its new name."""
        def follow(selection: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
            return {facet: renamed_tags(values, renames) if facet == "tag" else values
                    for facet, values in selection.items()}

        return self._with(include=follow(self.include), exclude=follow(self.exclude))

    def with_values_renamed(self, facet: str, renames: Mapping[str, str]) -> Filters:
        """These filters naming each value of ``facet`` that ``renames`` maps (old → new) by its
        new name (an entity renamed, or merged into another)."""
        def follow(selection: Mapping[str, frozenset[str]]) -> dict[str, frozenset[str]]:
            return {name: frozenset(renames.get(v, v) for v in values) if name == facet else values
                    for name, values in selection.items()}

        return self._with(include=follow(self.include), exclude=follow(self.exclude))

    def without_facet(self, facet: str) -> Filters:
        """These filters with nothing included for ``facet`` (its exclusions stay)."""
        return self._with(include={k: v for k, v in self.include.items() if k != facet})

    def with_dates(self, date_from: str | None, date_to: str | None) -> Filters:
        """These filters with new date bounds; raises InvalidInput for a malformed date."""
        return Filters(include=self.include, exclude=self.exclude,
                       date_from=date_from, date_to=date_to)

    @property
    def hides_copies(self) -> bool:
        """Whether these filters exclude later copies (*Hide copies*): one article per story of
        the results is kept, not a fixed set left out (``FacetIndex.one_per_story``)."""
        return COPY in self.exclude.get(COPIES, frozenset())

    def showing_copies(self) -> Filters:
        """These filters without *Hide copies*: the results each story's kept article is chosen from."""
        return self._with(exclude=_removed(self.exclude, COPIES, COPY)) if self.hides_copies else self

    def is_empty(self) -> bool:
        """True when nothing is filtered."""
        return not (self.include or self.exclude or self.date_from or self.date_to)

    def chips(self) -> list[tuple[str, str, bool]]:
        """(facet, value, excluded) for each selection, the dates last as one ``DATES_CHIP``."""
        chips = [
            (facet, value, excluded)
            for excluded, selection in ((False, self.include), (True, self.exclude))
            for facet in sorted(selection)
            for value in sorted(selection[facet], key=str.casefold)
        ]
        if self.date_from or self.date_to:
            chips.append((DATES_CHIP, f"{self.date_from or '..'}/{self.date_to or '..'}", False))
        return chips

    def to_json(self) -> str:
        """A JSON text of these filters (what saved searches store)."""
        return json.dumps(
            {
                "include": {k: sorted(v) for k, v in self.include.items()},
                "exclude": {k: sorted(v) for k, v in self.exclude.items()},
                "date_from": self.date_from,
                "date_to": self.date_to,
            },
            sort_keys=True,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, s: str) -> Filters:
        """Filters from ``to_json`` text (``"{}"`` is no filter); raises InvalidInput if damaged."""
        try:
            data = json.loads(s or "{}")
            if not isinstance(data, dict):
                raise TypeError("not an object")
            return cls(
                include=dict(data.get("include") or {}),
                exclude=dict(data.get("exclude") or {}),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        except (ValueError, TypeError, AttributeError) as err:
            raise InvalidInput(f"The saved filters cannot be read: {err}.") from None


def _date_words(value: str) -> list[str]:
    """``"1987-02-03"`` as ``["3", "February", "1987"]``: day, month and year as they read."""
    year, *rest = value.split("-")
    words = [year]
    if rest:
        words.insert(0, MONTH_NAMES[int(rest[0]) - 1])
    if len(rest) > 1:
        words.insert(0, str(int(rest[1])))
    return words


def dates_label(interval: str) -> str:
    """How the date bounds ``from/to`` (a ``DATES_CHIP`` value) read: "February 1987",
    "February – May 1987", "1987 – 1990", "from 3 March 2017", "until 2018"."""
    date_from, _, date_to = interval.partition("/")
    if date_from == "..":
        return f"until {' '.join(_date_words(date_to))}"
    if date_to == "..":
        return f"from {' '.join(_date_words(date_from))}"
    first, last = _date_words(date_from), _date_words(date_to)
    if first == last:
        return " ".join(first)
    shared = 0  # the words both ends share at their end are said once: "February – May 1987"
    while len(first) == len(last) and shared < len(first) - 1 and first[-1 - shared] == last[-1 - shared]:
        shared += 1
    return f"{' '.join(first[:len(first) - shared])} – {' '.join(last)}"


def _added(selection: Mapping[str, frozenset[str]], facet: str, value: str) -> dict:
    result = dict(selection)
    result[facet] = selection.get(facet, frozenset()) | {value}
    return result


def _removed(selection: Mapping[str, frozenset[str]], facet: str, value: str) -> dict:
    result = dict(selection)
    result[facet] = selection.get(facet, frozenset()) - {value}
    return result


def filter_conditions(filters: Filters) -> tuple[list[str], list[Any]]:
    """The SQL conditions over ``documents d`` (with their parameters) that ``filters`` make."""
    conditions: list[str] = []
    params: list[Any] = []
    for name, values in sorted(filters.include.items()):
        facet = facet_named(name)
        for group in facet.required_groups(values):
            sql, args = facet.where(group)
            conditions.append(f"({sql})")
            params += args
    for name, values in sorted(filters.exclude.items()):
        sql, args = facet_named(name).where(values)
        conditions.append(f"NOT coalesce(({sql}), 0)")
        params += args
    if filters.date_from:
        conditions.append("d.published >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        conditions.append("d.published < ?")
        params.append(after(filters.date_to))
    return conditions, params
