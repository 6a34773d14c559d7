"""The entity widgets on their own: legend, panel, entity page, its mention list and CSV export."""

from __future__ import annotations

import csv
import itertools
import math

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox

from desktop.core.annotations import PALETTE
from desktop.ui.entity_legend import STYLES, SWATCH, EntityLegend, css_class, entity_css, style_of
from desktop.ui.entity_page import PAGE_SIZE, EntityDialogs, EntityPage, MentionsModel, continuous_months
from desktop.ui.entity_panel import EntityPanel
from desktop.ui.entity_picker import MergePicker
from desktop.ui.errors import ErrorDialog
from desktop.ui.theme import DARK, LIGHT, mix
from tests.core.helpers import add_article

WORD = "Harbin"
MANY = PAGE_SIZE + 50


def mention_all(db, doc_id: int, *, label: str, name: str, word: str) -> int:
    """Make every ``word`` of article ``doc_id`` a mention of (label, name); returns the entity id."""
    text = db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    db.execute("INSERT OR IGNORE INTO entities (label, name) VALUES (?, ?)", [label, name])
    entity_id = db.execute("SELECT id FROM entities WHERE label = ? AND name = ?", [label, name]).fetchone()[0]
    start = text.find(word)
    while start >= 0:
        db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin) '
                   "VALUES (?, ?, ?, ?, ?, 'user')", [doc_id, entity_id, start, start + len(word), word])
        start = text.find(word, start + 1)
    db.conn.commit()
    return entity_id


@pytest.fixture
def harbin(library) -> int:
    """A place mentioned ``MANY`` times in a 2019-01 article and once in a 2019-03 one beside a person."""
    db = library.db
    fair = add_article(db, " ".join(f"{WORD} fair {n}." for n in range(MANY)), title="Fair", published="2019-01-10")
    talk = add_article(db, f"Chen Linhao spoke in {WORD} today.", title="Talk", published="2019-03-02")
    mention_all(db, talk, label="PERSON", name="Chen Linhao", word="Chen Linhao")
    mention_all(db, talk, label="GPE", name=WORD, word=WORD)
    return mention_all(db, fair, label="GPE", name=WORD, word=WORD)


def test_every_type_offered_for_marking_has_a_distinct_colour_and_underline_pair():
    pairs = {(style.colour, style.underline) for style in STYLES.values()}
    assert len(pairs) == len(STYLES)


def test_a_label_users_define_gets_a_readable_style_and_a_safe_css_class():
    assert style_of("GRANT_PROGRAMME").title == "Grant Programme"
    assert css_class("my label!") == "ent-my_label_"
    assert "span.ent-my_label_" in entity_css(["my label!"])


def test_the_legend_shows_a_box_per_type_and_reports_hidden_types(qtbot):
    legend = EntityLegend()
    qtbot.addWidget(legend)
    legend.set_labels(["GPE", "PERSON", "CUSTOM"])
    assert legend.labels() == ["PERSON", "GPE", "CUSTOM"]
    with qtbot.waitSignal(legend.visibility_changed):
        legend.findChild(QCheckBox, "legend-GPE").setChecked(False)
    assert legend.hidden_labels() == {"GPE"}


def test_a_type_hidden_in_the_legend_stays_hidden_when_the_types_change(qtbot):
    legend = EntityLegend()
    qtbot.addWidget(legend)
    legend.set_labels(["PERSON", "ORG"])
    legend.set_shown("ORG", False)
    legend.set_labels(["PERSON", "ORG", "DATE"])
    assert not legend.findChild(QCheckBox, "legend-ORG").isChecked()


def test_the_panel_model_passes_the_model_checks_empty_and_filled(qtbot, qtmodeltester):
    panel = EntityPanel()
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    panel.set_article(1, [
        {"entity_id": 7, "label": "PERSON", "name": "Chen Linhao", "start": 0, "end": 11},
        {"entity_id": 8, "label": "GPE", "name": "Harbin", "start": 20, "end": 26},
        {"entity_id": 7, "label": "PERSON", "name": "Chen Linhao", "start": 40, "end": 51},
    ])
    qtmodeltester.check(panel.model)
    assert [panel.model.item(row).text() for row in range(panel.model.rowCount())] == ["People (1)", "Places (1)"]


def test_the_panel_steps_backwards_through_mentions_wrapping_around(qtbot):
    panel = EntityPanel()
    qtbot.addWidget(panel)
    panel.set_article(1, [
        {"entity_id": 7, "label": "PERSON", "name": "Chen Linhao", "start": 0, "end": 11},
        {"entity_id": 7, "label": "PERSON", "name": "Chen Linhao", "start": 40, "end": 51},
    ])
    with qtbot.waitSignal(panel.mention_requested) as asked:
        panel.step(7, backward=True)
    assert asked.args == [40, 51]
    assert panel.step(7, backward=True) == (0, 11)
    assert panel.step(99) is None


def test_the_mention_list_passes_the_model_checks_while_fetching_pages(library, harbin, qtmodeltester):
    qtmodeltester.check(MentionsModel(lambda: library.db))
    model = MentionsModel(lambda: library.db)
    model.set_entity(harbin)
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == MANY + 1
    qtmodeltester.check(model)
    model.set_entity(None)
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_a_mention_line_shows_the_words_around_it(library, harbin):
    model = MentionsModel(lambda: library.db)
    model.set_entity(harbin)
    cells = [model.index(0, column).data() for column in range(5)]
    assert cells == ["2019-03-02", "Talk", "Chen Linhao spoke in", "Harbin", "today."]


def test_the_timeline_counts_every_month_between_the_first_and_the_last():
    rows = [{"month": "2019-11", "documents": 2}, {"month": "2020-02", "documents": 1},
            {"month": None, "documents": 4}]
    assert continuous_months(rows) == [("2019-11", 2), ("2019-12", 0), ("2020-01", 0), ("2020-02", 1)]


def test_the_page_shows_counts_chart_and_entities_in_the_same_articles(qtbot, library, harbin):
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    assert page.show_entity(harbin)
    assert page.counts.text() == f"Place · {MANY + 1} mentions in 2 articles"
    assert page.chart.months() == [("2019-01", 1), ("2019-02", 0), ("2019-03", 1)]
    assert page.related.count() == 1 and page.related.item(0).text() == "Chen Linhao — 1 article"


def test_the_page_of_an_entity_that_is_gone_says_so(qtbot, library):
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    assert not page.show_entity(12345)
    assert "no longer" in page.heading.text()
    assert not page.buttons["export"].isEnabled()


def test_export_writes_every_mention_in_context_to_csv(qtbot, library, harbin, tmp_path, monkeypatch):
    target = tmp_path / "harbin.csv"
    monkeypatch.setattr(EntityDialogs, "ask_csv_path", classmethod(lambda cls, parent, **kw: target))
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    page.show_entity(harbin)
    with qtbot.waitSignal(page.export_finished) as done:
        page.buttons["export"].click()
    assert done.args == [str(target), MANY + 1]
    with target.open(encoding="utf-8-sig") as csv_file:
        rows = list(csv.DictReader(csv_file))
    assert len(rows) == MANY + 1
    assert (rows[0]["title"], rows[0]["left"], rows[0]["text"]) == ("Talk", "Chen Linhao spoke in", "Harbin")


def test_exported_mentions_of_a_russian_name_open_in_a_spreadsheet_as_written(qtbot, library, tmp_path,
                                                                             monkeypatch):
    doc_id = add_article(library.db, "Встреча прошла в Москве, сообщил ТАСС.", title="=Встреча в Москве")
    moscow = mention_all(library.db, doc_id, label="GPE", name="Москва", word="Москве")
    target = tmp_path / "moscow.csv"
    monkeypatch.setattr(EntityDialogs, "ask_csv_path", classmethod(lambda cls, parent, **kw: target))
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    page.show_entity(moscow)
    with qtbot.waitSignal(page.export_finished):
        page.buttons["export"].click()
    assert target.read_bytes().startswith(b"\xef\xbb\xbf"), "a spreadsheet reads Cyrillic only after a BOM"
    with target.open(encoding="utf-8-sig") as csv_file:
        (row,) = csv.DictReader(csv_file)
    assert (row["title"], row["left"], row["text"]) == ("'=Встреча в Москве", "Встреча прошла в", "Москве")


def test_mentions_export_that_cannot_be_written_says_why_and_leaves_no_file(qtbot, library, harbin, tmp_path,
                                                                         monkeypatch):
    full = tmp_path / "gone" / "harbin.csv"
    monkeypatch.setattr(EntityDialogs, "ask_csv_path", classmethod(lambda cls, parent, **kw: full))
    shown: list[str] = []
    monkeypatch.setattr(ErrorDialog, "show", classmethod(lambda cls, parent, title, text: shown.append(text)))
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    page.show_entity(harbin)
    page.buttons["export"].click()
    assert shown == [f"there is no folder {full.parent}"] and not full.parent.exists()


def test_merging_on_the_page_asks_which_entity_and_reports_it(qtbot, library, harbin, monkeypatch):
    city = add_article(library.db, "Harbin City hosts it.", title="City")
    other = mention_all(library.db, city, label="GPE", name="Harbin City", word="Harbin City")
    monkeypatch.setattr(MergePicker, "ask", classmethod(lambda cls, parent, *, pool, then, **kw: then(
        pool.ranked("Harbin City")[0].entity_id)))
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    page.show_entity(harbin)
    with qtbot.waitSignal(page.merge_requested) as asked:
        page.buttons["merge"].click()
    assert asked.args == [other, harbin]


def test_the_page_offers_articles_mentioning_both_for_the_chosen_co_occurring_entity(qtbot, library, harbin):
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    page.show_entity(harbin)
    with qtbot.waitSignal(page.both_requested) as asked:
        page.buttons["both"].click()
    assert asked.args == [harbin, page.related_ids()[0]]



COMMON_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "DATE", "MONEY")


def rgb_distance(first: str, second: str) -> float:
    a, b = QColor(first), QColor(second)
    return math.dist(a.getRgb()[:3], b.getRgb()[:3])


@pytest.mark.parametrize("theme", [LIGHT, DARK], ids=["light", "dark"])
def test_common_types_search_hits_and_highlight_colours_all_look_different(theme):
    colours = {label: style_of(label).tint(theme) for label in COMMON_TYPES}
    colours |= {"hit": theme.hit, "current hit": theme.hit_current}
    highlights = {name: mix(theme.paper, hex_colour, 0.55) for name, hex_colour in PALETTE.items()}
    pairs = list(itertools.combinations(colours.items(), 2))
    pairs += [(mine, drawn) for mine in colours.items() for drawn in highlights.items()]
    close = [(a, b) for (a, first), (b, second) in pairs if rgb_distance(first, second) < 18]
    assert close == []


def test_dark_paper_gets_dark_tints_and_light_paper_light_ones():
    for label in STYLES:
        assert QColor(style_of(label).tint(DARK)).lightness() < 120
        assert QColor(style_of(label).tint(LIGHT)).lightness() > 180


def test_the_legend_of_every_type_fits_a_narrow_panel(qtbot):
    legend = EntityLegend()
    qtbot.addWidget(legend)
    legend.set_labels(list(STYLES))
    assert legend.minimumSizeHint().width() <= 240


def test_the_panel_redraws_its_swatches_for_the_dark_theme(qtbot):
    panel = EntityPanel()
    qtbot.addWidget(panel)
    panel.set_article(1, [{"entity_id": 7, "label": "PERSON", "name": "Chen Linhao", "start": 0, "end": 11}])
    light = panel.model.item(0, 0).icon().pixmap(SWATCH).toImage().pixelColor(SWATCH.width() // 2, 4)
    panel.set_theme(DARK)
    dark = panel.model.item(0, 0).icon().pixmap(SWATCH).toImage().pixelColor(SWATCH.width() // 2, 4)
    assert dark.lightness() < light.lightness()


def test_the_mentions_table_of_a_rare_entity_leaves_the_room_to_the_chart_and_related(qtbot, library, harbin):
    person = library.db.execute("SELECT id FROM entities WHERE name = 'Chen Linhao'").fetchone()[0]
    page = EntityPage(lambda: library.db)
    qtbot.addWidget(page)
    page.show()
    page.show_entity(person)
    chart_part, table_part = page.body.sizes()
    assert chart_part > table_part
    page.show_entity(harbin)
    chart_part, table_part = page.body.sizes()
    assert table_part > chart_part
