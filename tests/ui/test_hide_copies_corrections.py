"""Hide copies in the window shows a story's latest correction rather than its first version."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox

from tests.stories_variants import ENGLISH, outlet_copy, random_text
from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import click
from tests.ui.test_versions import titles_with_copies_hidden

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


@pytest.fixture
def corrected_library(library_path) -> Path:
    """An agency story, an outlet's copy, the agency's correction of it, and an unrelated article, grouped."""
    from desktop.core.library import open_library
    from desktop.core.stories import group_documents

    rng = random.Random(41)
    text = random_text(rng, ENGLISH)
    title, copy = outlet_copy("Talks continue", text, rng, vocabulary=ENGLISH, share=0.05)
    ids = insert_articles(library_path, [
        {"title": "Talks continue", "text": text, "source": "Agency", "published": "2021-03-01"},
        {"title": title, "text": copy, "source": "Courier", "published": "2021-03-02"},
        {"title": "CORRECTED - Talks continue", "text": "(Corrects the venue in paragraph 2)\n" + text,
         "source": "Agency", "published": "2021-03-03"},
        {"title": "Other news", "text": random_text(rng, ENGLISH), "source": "Agency", "published": "2021-04-01"},
    ])
    with open_library(library_path) as library, library.db.atomic():
        group_documents(library.db.conn, ids)
    return library_path


def test_hide_copies_lists_the_correction_in_place_of_the_first_version(qtbot, open_window, corrected_library):
    window = open_window(corrected_library)
    assert titles_with_copies_hidden(qtbot, window, 2) == ["CORRECTED - Talks continue", "Other news"]
    click(qtbot, window.findChild(QCheckBox, "hideCopies"))
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
