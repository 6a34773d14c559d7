"""What each entity type is called in words, for every message and every view.

The labels stay spaCy/OntoNotes codes in the library and on the command line (``PERSON``,
``GPE``); a person reads "Person", "Place", "Nationality or group". ``type_title`` and
``type_plural`` name a type, ``a_type`` with its article for a sentence ("Change 'Friday'
to a date"). A label users defined is titled from its own name ("CONTRACT" → "Contract").
"""

from __future__ import annotations

from functools import cache

TYPE_NAMES: dict[str, tuple[str, str]] = {
    "PERSON": ("Person", "People"),
    "ORG": ("Organisation", "Organisations"),
    "GPE": ("Place", "Places"),
    "LOC": ("Location", "Locations"),
    "FAC": ("Facility", "Facilities"),
    "NORP": ("Nationality or group", "Nationalities and groups"),
    "EVENT": ("Event", "Events"),
    "DATE": ("Date", "Dates"),
    "MONEY": ("Money", "Sums of money"),
    "PRODUCT": ("Product", "Products"),
    "WORK_OF_ART": ("Work", "Works"),
    "LAW": ("Law", "Laws"),
    "LANGUAGE": ("Language", "Languages"),
}
"""The singular and plural name of each type the reader offers for marking, in menu order."""


@cache
def type_title(label: str) -> str:
    """"Person" for ``PERSON``; a label users defined titled from its name."""
    known = TYPE_NAMES.get(label)
    return known[0] if known else label.replace("_", " ").title()


@cache
def type_plural(label: str) -> str:
    """"People" for ``PERSON``; a label users defined as its title."""
    known = TYPE_NAMES.get(label)
    return known[1] if known else type_title(label)


def a_type(label: str) -> str:
    """The type for a sentence, with its article: "a person", "an organisation"."""
    title = type_title(label).lower()
    return f"{'an' if title[:1] in 'aeiou' else 'a'} {title}"
