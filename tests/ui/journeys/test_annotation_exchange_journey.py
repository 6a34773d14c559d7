"""Journey: W3C annotations exported on one laptop are imported in the Highlights and notes window of
another library holding the same articles; the window reports what came in and shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel, QPushButton, QWidget

from desktop.core.annotations import create_annotation, set_document_note
from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.core.tags import add_tag
from desktop.core.webannotation import export_annotations
from tests.conftest import SEEDS
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.journeys.steps import click, facet_rows, menu_action

OFFSCREEN_RAISE = "This plugin does not support raise"
pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, OFFSCREEN_RAISE)

WAIT_MS = 10_000


@pytest.fixture
def exported_elsewhere(tmp_path, user_home) -> Path:
    """Annotations exported from another library of the sample articles: two highlights on one
    article, its note, and a tag on an article without highlights."""
    out = user_home / "Documents" / "from-laptop.jsonld"
    with open_library(tmp_path / "laptop.sqlite") as library:
        import_paths(library, [SEEDS])
        first, other = (row[0] for row in library.db.execute("SELECT id FROM documents ORDER BY id LIMIT 2"))
        create_annotation(library.db, first, 0, 30, note="check the date")
        create_annotation(library.db, first, 40, 60, colour="blue")
        set_document_note(library.db, first, "Compare with the 2019 agreement")
        add_tag(library.db, [other], "Polar")
        export_annotations(library.db, out)
    return out


def test_imported_annotations_are_reported_and_shown(qtbot, open_window, seeds_library, exported_elsewhere,
                                                     monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(exported_elsewhere), "")))
    window = open_window(seeds_library)
    menu_action(window, "actionAnnotations").trigger()
    view = window.findChild(QWidget, "annotationsView")
    status = view.findChild(QLabel, "annotationsStatus")
    qtbot.waitUntil(lambda: view.isVisible() and status.text() == "0 highlights", timeout=WAIT_MS)

    click(qtbot, next(b for b in view.findChildren(QPushButton) if b.text().replace("&", "") == "Import JSON-LD…"))

    qtbot.waitUntil(lambda: status.text() == "Imported 4, updated 0, skipped 0 already here.", timeout=WAIT_MS)
    assert view.model.rowCount() == 2
    qtbot.waitUntil(lambda: ("Polar", "1") in facet_rows(window, "tag"), timeout=WAIT_MS)
