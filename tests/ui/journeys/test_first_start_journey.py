"""First start: a new person opens Dossier and sees the sample articles, the first one read."""

from __future__ import annotations

import pytest

from desktop.ui.app import create_main_window
from desktop.ui.entity_legend import style_of
from tests.conftest import SEEDS
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers
from tests.ui.journeys.steps import listed_titles, painted_runs

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "DATE", "MONEY", "EVENT", "FAC")


def test_first_start_lists_the_sample_articles_and_reads_the_first_with_its_entities(qtbot, dossier_home):
    assert not any(dossier_home.iterdir())
    window = create_main_window(None)  # what `dossier gui` opens on a new laptop
    qtbot.addWidget(window)
    try:
        finish_workers(window)
        titles = listed_titles(window)
        assert len(titles) == len(list(SEEDS.iterdir())) == 5 and all(titles)
        assert window.count_label.text() == "5 of 5 articles"
        reader_text = window.reader.toPlainText()
        assert reader_text.startswith(titles[0])
        assert window.list_view.selectionModel().isRowSelected(0)
        tints = {style_of(label).tint(window.reader.theme): label for label in LABELS}
        painted = {tints[colour] for text, colour in painted_runs(window.reader) if colour in tints}
        assert {"PERSON", "ORG", "GPE"} <= painted
    finally:
        window.close()
