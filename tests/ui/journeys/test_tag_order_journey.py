"""Russian tags listed as a person reads them: capitals among small letters, Ёлка with the е's,
in the sidebar's Tags section, the tag editor and the list's Tags column alike."""

from __future__ import annotations

import pytest

from desktop.core.library import open_library
from desktop.core.tags import add_tag
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import cell_text, facet_rows, listed_titles

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

IN_ORDER = ["Авиация", "биология", "Биотех", "Ёлка", "Ель"]
"""SQLite's NOCASE listed them Авиация, Биотех, Ель, Ёлка, биология."""


@pytest.fixture
def russian_tags(agency_library):
    """The agency library with the five Russian tags on its satellite launch article."""
    with open_library(agency_library) as library:
        ids = [row[0] for row in library.db.execute("SELECT id FROM documents WHERE title = 'Satellite launch'")]
        for name in reversed(IN_ORDER):
            add_tag(library.db, ids, name)
    return agency_library


def tag_editor_names(window) -> list[str]:
    from desktop.ui.annotate import Annotator

    model = window.findChild(Annotator).tag_editor.model
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_russian_tags_are_listed_alphabetically_whatever_their_case(qtbot, open_window, russian_tags):
    window = open_window(russian_tags)
    qtbot.waitUntil(lambda: len(facet_rows(window, "tag")) == len(IN_ORDER) + 1)
    assert [value for value, _ in facet_rows(window, "tag")][1:] == IN_ORDER  # after the 4 untagged
    assert tag_editor_names(window) == IN_ORDER
    row = listed_titles(window).index("Satellite launch")
    assert cell_text(window, row, "tags") == ", ".join(IN_ORDER)
