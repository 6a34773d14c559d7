"""An automatic cross-script merge shows on the entity page ("Also written: Путин") and the
person takes a name back out with Split, for good."""

from __future__ import annotations

import pytest

from desktop.core.entities.name_links import link_names
from desktop.core.library import open_library
from desktop.ui.entities import install
from desktop.ui.entity_page import EntityDialogs
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers
from tests.ui.journeys.test_script_names_journey import scripts_library  # noqa: F401 - fixture

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")


def test_an_automatic_merge_shows_on_the_entity_page_and_split_takes_it_back(
        qtbot, open_window, scripts_library, monkeypatch):  # noqa: F811
    with open_library(scripts_library) as library:
        assert link_names(library.db) is not None  # as after an extraction: Путин joins Putin
    window = open_window(scripts_library)
    highlighter = install(window)
    db = window.library.db
    putin = db.conn.execute("SELECT id FROM entities WHERE name = 'Putin'").fetchone()[0]
    page = highlighter.open_page(putin)
    assert page.aliases.text() == "Also written: Путин"

    monkeypatch.setattr(EntityDialogs, "ask_choice", classmethod(lambda cls, parent, **kw: "Путин"))
    page.buttons["split"].click()
    finish_workers(window)
    qtbot.waitUntil(lambda: page.aliases.text() == "No other names.")
    assert link_names(db) is None  # the split name is not merged again
    assert db.conn.execute("SELECT count(*) FROM entities WHERE name = 'Путин'").fetchone()[0] == 1
