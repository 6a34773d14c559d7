"""The facets of the filter sidebar, each defined once: the registry ``FACETS`` and ``entity_facet``.

A ``Facet`` holds every fact about one facet: the name ``Filters`` use, the
title the sidebar shows, the SQL that selects its values, the column of the
in-memory facet index that holds them, how its values are counted there, how a
value reads to a person and whether the sidebar lists it. Searching
(``desktop.core.filters``), the facet index (``desktop.core.facet_index``),
counting (``desktop.core.facet_counts``) and the sidebar all read them from
here, so a facet over one more document column is one more entry in
``FACETS``, e.g. ``Facet("language", "Language", column="d.language")``.

Values chosen within one facet are alternatives (OR), except in an entity
facet (``entity:PERSON``, ...), where every chosen entity must be mentioned
(``each_required``); facets combine with AND.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence

import numpy as np

from .errors import InvalidInput
from .language import language_name
from .library import CASEFOLD_SQL

if TYPE_CHECKING:
    from .facet_index import Counts, FacetIndex

STATE_VALUES = ("starred", "unread", "to_read", "read")
UNTAGGED = "(untagged)"
ENTITY_PREFIX = "entity:"
ENTITY_TITLES = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Places",
    "LOC": "Locations",
    "FAC": "Facilities",
    "NORP": "Nationalities and groups",
    "EVENT": "Events",
    "DATE": "Dates",
    "TIME": "Times",
    "MONEY": "Sums of money",
    "PERCENT": "Percentages",
    "QUANTITY": "Quantities",
    "PRODUCT": "Products",
    "WORK_OF_ART": "Works",
    "LAW": "Laws",
    "LANGUAGE": "Languages",
    "ORDINAL": "Ordinals",
    "CARDINAL": "Numbers",
}
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_AMOUNT = re.compile(r"(\d{4,})((?:\.\d+)?)(.*)", re.DOTALL)

Predicate = tuple[str, list[Any]]


def marks(values: Sequence[Any]) -> str:
    """As many ``?`` placeholders as ``values``, comma-separated."""
    return ", ".join("?" * len(values))


def like_escape(value: str) -> str:
    """``value`` for a LIKE pattern with ``ESCAPE '\\'``: its ``%``, ``_`` and backslash taken literally."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --- how a facet selects and counts: column facets by default, special ones below -------------


def _column_predicate(facet: Facet, values: frozenset[str]) -> Predicate:
    ordered = sorted(values)
    return f"{facet.column} IN ({marks(ordered)})", ordered


def _column_mask(facet: Facet, index: FacetIndex, values: frozenset[str]) -> np.ndarray:
    return index.columns[facet.name].has(values)


def _column_counts(facet: Facet, index: FacetIndex, mask: np.ndarray) -> dict[str, Counts]:
    return {facet.name: index.column_counts(facet.name, mask)}


def _tag_predicate(facet: Facet, values: frozenset[str]) -> Predicate:
    """A parent tag also selects its children, names matching in any case in every script (through
    ``CASEFOLD_SQL`` for names beyond ASCII); ``UNTAGGED`` selects documents without tags."""
    names = sorted(values - {UNTAGGED})
    clauses, params = [], []
    if names:
        ascii_only = all(name.isascii() for name in names)
        column = "t.name" if ascii_only else f"{CASEFOLD_SQL}(t.name)"
        names = names if ascii_only else sorted({name.casefold() for name in names})
        children = " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for _ in names)
        clauses.append(
            "d.id IN (SELECT dt.document_id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
            f"WHERE {column} IN ({marks(names)}) OR {children})"
        )
        params += names + [like_escape(name) + "/%" for name in names]
    if UNTAGGED in values:
        clauses.append("NOT EXISTS (SELECT 1 FROM document_tags dt WHERE dt.document_id = d.id)")
    return " OR ".join(clauses), params


def _tag_mask(facet: Facet, index: FacetIndex, values: frozenset[str]) -> np.ndarray:
    return index.tagged_with(values)


def _tag_counts(facet: Facet, index: FacetIndex, mask: np.ndarray) -> dict[str, Counts]:
    return {facet.name: index.tag_counts(mask)}


def _state_predicate(facet: Facet, values: frozenset[str]) -> Predicate:
    """``starred`` is a flag of its own; the other states are values of ``read_state``."""
    states = sorted(values & set(STATE_VALUES) - {"starred"})
    clauses = [f"{facet.column} IN ({marks(states)})"] if states else []
    if "starred" in values:
        clauses.append("d.starred = 1")
    return (" OR ".join(clauses) or "0"), states


def _state_mask(facet: Facet, index: FacetIndex, values: frozenset[str]) -> np.ndarray:
    mask = index.columns[facet.name].has(values & set(STATE_VALUES))
    return mask | index.starred if "starred" in values else mask


def _state_counts(facet: Facet, index: FacetIndex, mask: np.ndarray) -> dict[str, Counts]:
    states = index.column_counts(facet.name, mask)
    return {facet.name: states.prepended("starred", index.count(mask & index.starred))}


def _entity_predicate(facet: Facet, values: frozenset[str]) -> Predicate:
    ordered = sorted(values)
    return (
        "d.id IN (SELECT m.document_id FROM mentions m JOIN entities e ON e.id = m.entity_id "
        f"WHERE e.label = ? AND e.name IN ({marks(ordered)}))",
        [entity_label(facet.name), *ordered],
    )


def _entity_mask(facet: Facet, index: FacetIndex, values: frozenset[str]) -> np.ndarray:
    return index.mentioning(entity_label(facet.name), values)


def _entity_counts(facet: Facet, index: FacetIndex, mask: np.ndarray) -> dict[str, Counts]:
    """Every entity facet at once (one pass over the links), this one included even when empty."""
    counted = {entity_facet_name(label): counts for label, counts in index.entity_counts(mask).items()}
    return {facet.name: counted.get(facet.name, index.no_counts())} | counted


def _as_is(value: str) -> str:
    return value


def _always(value: str) -> bool:
    return True


@dataclass(frozen=True)
class Facet:
    """One facet: everything searching, counting and the sidebar need to know about it.

    ``name``: the key in ``Filters`` (``"source"``, ``"entity:PERSON"``);
    ``title``: the sidebar's heading; ``group``: ``"document"``, ``"tag"`` or
    ``"entity"``. ``column``: SQL over ``documents d`` giving a document's
    one value; the facet index keeps a column of it under ``name``.
    ``predicate(facet, values)``: SQL over ``documents d`` (with parameters)
    true for a document having one of ``values``. ``mask(facet, index,
    values)``: the same set as a boolean array over the facet index.
    ``counts(facet, index, mask)``: documents per value within ``mask``, as
    ``{facet name: Counts}`` (a facet may count its siblings in the same pass).
    The defaults of these three serve a facet with a ``column``.
    ``each_required``: chosen values must all hold (AND) rather than one of
    them. ``format_value``: how a value reads to a person; ``listed``: whether the
    sidebar lists a value; ``histogram``: the sidebar draws the facet as the
    date histogram instead of a list. ``area``: the kind of change that makes
    its counts stale (``ChangeSet.facet_areas``: ``"documents"``, ``"state"``,
    ``"tags"``, ``"entities"``).
    """

    name: str
    title: str
    group: str = "document"
    column: str | None = None
    predicate: Callable[[Facet, frozenset[str]], Predicate] = _column_predicate
    mask: Callable[[Facet, FacetIndex, frozenset[str]], np.ndarray] = _column_mask
    counts: Callable[[Facet, FacetIndex, np.ndarray], dict[str, Counts]] = _column_counts
    each_required: bool = False
    format_value: Callable[[str], str] = _as_is
    listed: Callable[[str], bool] = _always
    histogram: bool = False
    area: str = "documents"

    def where(self, values: frozenset[str]) -> Predicate:
        """SQL over ``documents d`` true for a document having one of ``values``."""
        return self.predicate(self, values)

    def selecting(self, index: FacetIndex, values: frozenset[str]) -> np.ndarray:
        """A mask over ``index`` of the documents having one of ``values``."""
        return self.mask(self, index, values)

    def counted(self, index: FacetIndex, mask: np.ndarray) -> dict[str, Counts]:
        """Documents per value within ``mask``, keyed by facet name."""
        return self.counts(self, index, mask)

    def required_groups(self, values: frozenset[str]) -> list[frozenset[str]]:
        """The groups of included ``values`` a document must each have one of."""
        if self.each_required:
            return [frozenset({value}) for value in sorted(values)]
        return [values]


_STATE_LABELS = {"starred": "Starred", "unread": "Unread", "to_read": "To read", "read": "Read"}
COPIES = "copies"
COPY = "copy"  # the one value of the Copies facet: a later version of a story another article carries

FACETS: tuple[Facet, ...] = (
    Facet("source", "Source", column="d.source"),
    Facet("author", "Author", column="d.author"),
    Facet("language", "Language", column="d.language", format_value=language_name),
    Facet("year", "Published", column="substr(d.published, 1, 4)", histogram=True),
    Facet("tag", "Tags", group="tag", predicate=_tag_predicate, mask=_tag_mask, counts=_tag_counts,
          area="tags"),
    Facet("state", "Reading state", column="d.read_state", predicate=_state_predicate,
          mask=_state_mask, counts=_state_counts,
          format_value=lambda value: _STATE_LABELS.get(value, value), area="state"),
    Facet(COPIES, "Copies", column="(SELECT 'copy' FROM story_members AS m "
                                   "WHERE m.document_id = d.id AND m.story <> d.id)",
          format_value=lambda value: "Later copies" if value == COPY else value),
)
_BY_NAME = {facet.name: facet for facet in FACETS}


def _money(value: str) -> str:
    """A sum of money with thousands separators: ``1000000 USD`` reads ``1,000,000 USD``."""
    amount = _AMOUNT.fullmatch(value)
    if amount is None:
        return value
    whole, fraction, rest = amount.groups()
    return f"{int(whole):,}{fraction}{rest}"


def _iso_date(value: str) -> bool:
    """Whether ``value`` is an ISO-like date (``2019``, ``2019-03``, ``2019-03-02``)."""
    return _ISO_DATE.fullmatch(value) is not None


_ENTITY_FORMATS: Mapping[str, Callable[[str], str]] = {"MONEY": _money}
_ENTITY_LISTED: Mapping[str, Callable[[str], bool]] = {"DATE": _iso_date}


def entity_facet_name(label: str) -> str:
    """The facet name of the entities labelled ``label`` (``entity:PERSON``)."""
    return f"{ENTITY_PREFIX}{label}"


def entity_label(name: str) -> str:
    """The entity label of the facet ``name`` (``PERSON`` for ``entity:PERSON``)."""
    return name.partition(":")[2]


@lru_cache(maxsize=None)
def entity_facet(label: str) -> Facet:
    """The facet of the entities labelled ``label``: their canonical names, all required."""
    return Facet(
        entity_facet_name(label),
        ENTITY_TITLES.get(label, label.replace("_", " ").title()),
        group="entity",
        predicate=_entity_predicate,
        mask=_entity_mask,
        counts=_entity_counts,
        each_required=True,
        format_value=_ENTITY_FORMATS.get(label, _as_is),
        listed=_ENTITY_LISTED.get(label, _always),
        area="entities",
    )


def entity_order(label: str) -> tuple[int, str]:
    """Where the facet of ``label`` sits among entity facets: known labels first, in ``ENTITY_TITLES`` order."""
    known = list(ENTITY_TITLES)
    return (known.index(label) if label in known else len(known), label)


def find_facet(name: str) -> Facet | None:
    """The facet called ``name`` (a registered one or ``entity:LABEL``), or None."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    kind, colon, label = name.partition(":")
    if f"{kind}{colon}" == ENTITY_PREFIX and label.strip():
        return entity_facet(label)
    return None


def facet_named(name: str) -> Facet:
    """The facet called ``name``; raises InvalidInput for a name Dossier does not know."""
    facet = find_facet(name)
    if facet is None:
        raise InvalidInput(f"“{name}” is not a filter Dossier knows.")
    return facet


def value_label(name: str, value: str) -> str:
    """How a value of the facet ``name`` reads to a person ("To read" for the state ``to_read``,
    "1,000,000 USD" for the sum of money ``1000000 USD``); unknown facets show values as stored."""
    facet = find_facet(name)
    return value if facet is None else facet.format_value(value)


def shown_values(name: str, rows: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """The (value, count) rows the facet ``name`` lists: the Dates facet keeps only ISO-like dates."""
    facet = find_facet(name)
    return [(value, count) for value, count in rows if facet is None or facet.listed(value)]
