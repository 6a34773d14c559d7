"""The names of entity types in words, for messages and views."""

from __future__ import annotations

import pytest

from desktop.core.entities.type_names import a_type, type_plural, type_title


@pytest.mark.parametrize(("label", "title", "plural", "with_article"), [
    ("PERSON", "Person", "People", "a person"),
    ("ORG", "Organisation", "Organisations", "an organisation"),
    ("GPE", "Place", "Places", "a place"),
    ("NORP", "Nationality or group", "Nationalities and groups", "a nationality or group"),
    ("EVENT", "Event", "Events", "an event"),
    ("INSTITUTE_BRANCH", "Institute Branch", "Institute Branch", "an institute branch"),
])
def test_each_type_is_named_in_words_and_a_type_users_defined_by_its_own_name(label, title, plural, with_article):
    assert (type_title(label), type_plural(label), a_type(label)) == (title, plural, with_article)
