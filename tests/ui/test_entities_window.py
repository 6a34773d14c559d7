"""Named entities in the main window: highlighting, legend, panel, clicks, corrections, extraction."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QContextMenuEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QCheckBox, QMenu, QPushButton

from desktop.core.entities import extract_entities
from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.ui import annotate
from desktop.ui.entities import install
from desktop.ui.entity_legend import SWATCH, EntityLegend, style_of
from desktop.ui.entity_page import EntityDialogs
from desktop.ui.entity_picker import MergePicker
from desktop.ui.theme import DARK
from tests.conftest import SEEDS
from tests.core.helpers import add_article
from tests.ui.conftest import QT_LOG_IGNORE, finish_workers

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")

RAW_TITLE = "Raw agency page"


@pytest.fixture(scope="module")
def _extracted_template(tmp_path_factory) -> Path:
    """The sample articles as imported, plus one raw page with its navigation, entities extracted."""
    path = tmp_path_factory.mktemp("entities") / "library.sqlite"
    with open_library(path) as library:
        import_paths(library, [SEEDS])
        raw = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
        add_article(library.db, raw, title=RAW_TITLE, published="2016-01-01")
        extract_entities(library)
    return path


@pytest.fixture
def entity_window(open_window, _extracted_template, tmp_path, monkeypatch):
    """The main window over the extracted sample library, with entities installed."""
    monkeypatch.setattr(annotate, "READ_AFTER_MS", 60_000)
    path = tmp_path / "library.sqlite"
    shutil.copy(_extracted_template, path)
    window = open_window(path)
    highlighter = install(window)
    finish_workers(window)
    return window, highlighter


def doc_id_titled(window, start: str) -> int:
    return window.library.db.conn.execute(
        "SELECT id FROM documents WHERE title LIKE ? || '%'", [start]).fetchone()[0]


def read(window, title_start: str) -> str:
    """Open the article whose title starts with ``title_start``; returns its text."""
    assert window.show_article(doc_id_titled(window, title_start))
    return window.reader.current_document.text


def offset_of(window, quote: str, *, occurrence: int = 0) -> int:
    text = window.reader.current_document.text
    offset = -1
    for _ in range(occurrence + 1):
        offset = text.index(quote, offset + 1)
    return offset


def painted(window, offset: int) -> QTextCharFormat:
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(window.reader.position_of(offset) + 1)
    return cursor.charFormat()


def painted_label(window, offset: int) -> str | None:
    """The entity type whose tint and underline the reader paints at ``offset``, or None."""
    fmt = painted(window, offset)
    colour = fmt.background().color().name() if fmt.background().style() != Qt.BrushStyle.NoBrush else None
    theme = window.reader.theme
    for label in ("PERSON", "ORG", "GPE", "LOC", "EVENT", "DATE", "NORP", "FAC", "MONEY"):
        style = style_of(label)
        if colour == style.tint(theme) and fmt.underlineColor().name() == style.line(theme):
            return label
    return None


def point_of(window, offset: int) -> QPoint:
    """Where the character at ``offset`` is drawn in the reader's viewport (scrolled into view)."""
    window.reader.scroll_to_offset(offset)
    cursor = QTextCursor(window.reader.document())
    cursor.setPosition(window.reader.position_of(offset) + 1)
    return window.reader.cursorRect(cursor).center()


def action_in(menu: QMenu, *path: str) -> QAction:
    """The action reached by following menu texts that start with each of ``path``."""
    for step, text in enumerate(path):
        action = next(a for a in menu.actions() if a.text().startswith(text))
        if step == len(path) - 1:
            return action
        menu = action.menu()
    raise AssertionError(path)


def settle(window) -> None:
    finish_workers(window)
    QApplication.processEvents()


def test_the_sample_articles_people_organisations_and_places_are_painted_with_their_type(entity_window):
    window, _ = entity_window
    read(window, "Video Conference")
    assert painted_label(window, offset_of(window, "Zhang Zhijun")) == "PERSON"
    assert painted_label(window, offset_of(window, "Russian Academy of Sciences")) == "ORG"
    assert painted_label(window, offset_of(window, "Novosibirskaya,")) == "GPE"
    assert painted_label(window, offset_of(window, "conference was held")) is None


def test_the_dark_theme_repaints_mentions_and_the_panel_swatches_with_dark_tints(entity_window):
    window, highlighter = entity_window
    read(window, "Video Conference")
    offset = offset_of(window, "Russian Academy of Sciences")
    window.reader.set_theme(DARK)
    assert painted(window, offset).background().color().name() == style_of("ORG").tint(DARK)
    assert painted_label(window, offset) == "ORG"
    swatch = highlighter.legend.findChild(QCheckBox, "legend-ORG").icon().pixmap(SWATCH).toImage()
    assert swatch.pixelColor(SWATCH.width() // 2, 4).name() == style_of("ORG").tint(DARK)


def test_each_type_has_its_own_underline_style_so_colour_is_not_the_only_cue(entity_window):
    window, _ = entity_window
    read(window, "Video Conference")
    person = painted(window, offset_of(window, "Zhang Zhijun")).underlineStyle()
    org = painted(window, offset_of(window, "Russian Academy of Sciences")).underlineStyle()
    place = painted(window, offset_of(window, "Novosibirskaya,")).underlineStyle()
    assert len({person, org, place}) == 3
    assert QTextCharFormat.UnderlineStyle.NoUnderline not in {person, org, place}


def test_navigation_junk_around_a_raw_page_is_not_highlighted(entity_window):
    window, highlighter = entity_window
    text = read(window, RAW_TITLE)
    tail = text.index("Related news")
    assert [o for o in range(tail, len(text)) if highlighter.mention_at(o) is not None] == []
    assert highlighter.mention_at(offset_of(window, "Zhang Qiang")) is not None


def test_hovering_a_mention_names_its_type_and_canonical_name(entity_window):
    window, _ = entity_window
    read(window, "Innovation in biomedicine")
    family_name = offset_of(window, "Rudskoy", occurrence=1)
    tips = [span.tooltip for span in window.reader.spans_at(family_name) if span.kind == "entity"]
    assert tips == ["Person: Andrei Rudskoy"]


def test_clicking_a_mention_filters_the_corpus_by_that_entity(entity_window, qtbot):
    window, _ = entity_window
    read(window, "Video Conference")
    point = point_of(window, offset_of(window, "Zhang Zhijun"))
    qtbot.mouseClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.filters.include.get("entity:PERSON") == {"Zhang Zhijun"})
    settle(window)
    assert window.model.ids == [doc_id_titled(window, "Video Conference")]


def test_double_clicking_a_mention_opens_its_entity_page_without_filtering(entity_window, qtbot):
    window, highlighter = entity_window
    read(window, "Video Conference")
    point = point_of(window, offset_of(window, "Russian Academy of Sciences"))
    qtbot.mouseDClick(window.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert highlighter.page is not None and highlighter.page.isVisible()
    assert highlighter.page.entity["name"] == "Russian Academy of Sciences"
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    assert window.filters.is_empty()


def test_unticking_a_type_in_the_legend_stops_highlighting_it(entity_window):
    window, highlighter = entity_window
    read(window, "Video Conference")
    legend = window.findChild(EntityLegend, "entityLegend")
    box = legend.findChild(QCheckBox, "legend-PERSON")
    box.setChecked(False)
    assert painted_label(window, offset_of(window, "Zhang Zhijun")) is None
    assert painted_label(window, offset_of(window, "Russian Academy of Sciences")) == "ORG"
    box.setChecked(True)
    assert painted_label(window, offset_of(window, "Zhang Zhijun")) == "PERSON"


def test_the_panel_lists_the_articles_entities_by_type_with_counts(entity_window):
    window, highlighter = entity_window
    read(window, "Video Conference")
    model = highlighter.panel.model
    groups = {model.item(row, 0).text(): model.item(row, 1).text() for row in range(model.rowCount())}
    assert groups["People (3)"] == "5"
    assert highlighter.panel.entity_names("PERSON")[0] == "Zhang Zhijun"


def test_clicking_an_entity_in_the_panel_steps_through_its_mentions(entity_window, qtbot):
    window, highlighter = entity_window
    text = read(window, "Video Conference")
    panel = highlighter.panel
    tree = panel.tree
    [index] = (panel.model.match(panel.model.index(0, 0), Qt.ItemDataRole.DisplayRole, "Zhang Zhijun", 1,
                                   Qt.MatchFlag.MatchRecursive))
    seen = []
    for _ in range(4):
        rect = tree.visualRect(index)
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        start, end = window.reader.selected_range()
        seen.append(start)
        assert text[start:end] == "Zhang Zhijun"
    assert seen[0] < seen[1] < seen[2] and seen[3] == seen[0]
    assert panel.position.text() == "Zhang Zhijun: mention 1 of 3"


def test_marking_selected_text_as_a_type_highlights_it_and_undo_takes_it_back(entity_window):
    window, highlighter = entity_window
    read(window, "Video Conference")
    start = offset_of(window, "Changchun-Novosibirskaya Video Conference")
    window.reader.select_range(start, start + len("Changchun-Novosibirskaya Video Conference"))
    action_in(highlighter.reader_menu(start), "Mark “Changchun-Novosibirskaya", "Event").trigger()
    assert painted_label(window, start + 3) == "EVENT"
    assert window.action_undo.isEnabled()
    window.action_undo.trigger()
    assert painted_label(window, start + 3) is None


def test_a_type_changed_in_the_reader_stays_after_extracting_the_whole_library_again(entity_window):
    window, highlighter = entity_window
    read(window, "Video Conference")
    offset = offset_of(window, "Changchun Hi-tech")
    action_in(highlighter.reader_menu(offset), "Change “Changchun Hi-tech” from person to",
              "Organisation").trigger()
    assert painted_label(window, offset) == "ORG"
    window.findChild(QAction, "actionExtractEntities").trigger()
    settle(window)
    assert "Entities found in 6 articles" in window.statusBar().currentMessage()
    assert painted_label(window, offset) == "ORG"
    assert painted_label(window, offset_of(window, "Zhang Zhijun")) == "PERSON"


def test_never_treat_rule_clears_the_text_everywhere_and_survives_extraction(entity_window):
    window, highlighter = entity_window
    read(window, "China-Russia scientific")
    offset = offset_of(window, "Academy awards")
    action_in(highlighter.reader_menu(offset), "Never treat “Academy”").trigger()
    assert highlighter.mention_at(offset) is None
    window.findChild(QAction, "actionExtractEntities").trigger()
    settle(window)
    assert highlighter.mention_at(offset) is None
    assert highlighter.mention_at(offset_of(window, "Russian Academy of Engineering")) is not None


def test_always_treat_rule_marks_the_text_in_every_article_at_once(entity_window):
    window, highlighter = entity_window
    read(window, "Innovation in biomedicine")
    start = offset_of(window, "biomedicine")
    window.reader.select_range(start, start + len("biomedicine"))
    action_in(highlighter.reader_menu(start), "Always treat “biomedicine”", "Product").trigger()
    assert highlighter.mention_at(start).label == "PRODUCT"
    read(window, "Biomedical international")
    elsewhere = offset_of(window, "biomedicine")
    assert highlighter.mention_at(elsewhere).label == "PRODUCT"


def test_unmarking_a_name_and_undoing_brings_its_mark_back(entity_window):
    window, highlighter = entity_window
    read(window, "Video Conference")
    offset = offset_of(window, "Jilin")
    action_in(highlighter.reader_menu(offset), "Unmark “Jilin” here").trigger()
    assert highlighter.mention_at(offset) is None
    assert window.statusBar().currentMessage() == "Removed the mark of 'Jilin'."
    window.action_undo.trigger()
    assert highlighter.mention_at(offset).name == "Jilin"


def test_merging_from_the_reader_makes_the_canonical_name_drive_facets(entity_window, monkeypatch):
    window, highlighter = entity_window
    read(window, "Video Conference")
    offset = offset_of(window, "Changchun City.")
    monkeypatch.setattr(MergePicker, "ask", classmethod(lambda cls, parent, *, pool, then, **kw: then(
        next(candidate.entity_id for candidate in pool.ranked() if candidate.name == "Changchun"))))
    action_in(highlighter.reader_menu(offset), "Merge “Changchun City” into").trigger()
    settle(window)
    assert highlighter.mention_at(offset).name == "Changchun"
    places = dict(window.sidebar.sections["entity:GPE"].model.values())
    assert "Changchun City" not in places and places["Changchun"] == 1


def test_renaming_an_entity_keeps_the_old_name_as_an_alias(entity_window, monkeypatch):
    window, highlighter = entity_window
    read(window, "Video Conference")
    offset = offset_of(window, "Xi Jinping")
    monkeypatch.setattr(EntityDialogs, "ask_text", classmethod(lambda cls, parent, **kw: "President Xi Jinping"))
    action_in(highlighter.reader_menu(offset), "Rename “Xi Jinping”").trigger()
    assert highlighter.mention_at(offset).name == "President Xi Jinping"
    page = highlighter.open_page(highlighter.mention_at(offset).entity_id)
    assert "Xi Jinping" in page.aliases.text()


def test_articles_mentioning_both_entities_of_different_types(entity_window):
    window, highlighter = entity_window
    db = window.library.db
    xi = db.conn.execute("SELECT id FROM entities WHERE name = 'Xi Jinping'").fetchone()[0]
    academy = db.conn.execute("SELECT id FROM entities WHERE name = 'Russian Academy of Sciences'").fetchone()[0]
    assert highlighter.show_both(xi, academy)
    settle(window)
    assert window.model.ids == [doc_id_titled(window, "Video Conference")]


def person_id(window, name: str) -> int:
    return window.library.db.conn.execute(
        "SELECT id FROM entities WHERE label = 'PERSON' AND name = ?", [name]).fetchone()[0]


def test_articles_mentioning_both_of_two_people(entity_window):
    window, highlighter = entity_window
    assert highlighter.show_both(person_id(window, "Xi Jinping"), person_id(window, "Zhang Zhijun"))
    settle(window)
    assert window.model.ids == [doc_id_titled(window, "Video Conference")]
    assert window.filters.include["entity:PERSON"] == {"Xi Jinping", "Zhang Zhijun"}
    assert window.statusBar().currentMessage() == (
        "Showing the articles mentioning both “Xi Jinping” and “Zhang Zhijun”.")


def test_people_chosen_in_the_sidebar_must_all_be_mentioned_and_the_counts_drill_down(entity_window, qtbot):
    window, _ = entity_window
    settle(window)
    section = window.sidebar.sections["entity:PERSON"]
    for name in ("Xi Jinping", "Zhang Zhijun"):
        row = next(row for row, (value, _) in enumerate(section.model.values()) if value == name)
        rect = section.view.visualRect(section.model.index(row, 0))
        qtbot.mouseClick(section.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        settle(window)
    assert window.model.ids == [doc_id_titled(window, "Video Conference")]
    people = dict(section.model.values())
    assert people["Xi Jinping"] == people["Zhang Zhijun"] == 1
    assert "Zhao Chunhua" not in people


def rudskoy_page(entity_window):
    """The entity page of Andrei Rudskoy, opened."""
    window, highlighter = entity_window
    rudskoy = window.library.db.conn.execute("SELECT id FROM entities WHERE name = 'Andrei Rudskoy'").fetchone()[0]
    return highlighter.open_page(rudskoy)


def test_a_kwic_line_on_the_entity_page_opens_the_article_at_that_mention(entity_window):
    window, _highlighter = entity_window
    page = rudskoy_page(entity_window)
    innovation = doc_id_titled(window, "Innovation in biomedicine")
    rows = [row for row in range(page.mentions.rowCount())
            if page.mentions.line_at(row)["document_id"] == innovation]
    assert len(rows) == 2
    page.table.activated.emit(page.mentions.index(rows[1], 3))
    document = window.reader.current_document
    start, end = window.reader.selected_range()
    assert document.title.startswith("Innovation") and document.text[start:end] == "Rudskoy"


def test_extracting_the_whole_library_can_be_cancelled(entity_window, qtbot):
    window, _ = entity_window
    window.findChild(QAction, "actionExtractEntities").trigger()
    cancel = window.findChild(QPushButton, "statusJobCancel")
    assert cancel.isVisible()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    settle(window)
    assert window.statusBar().currentMessage() == "Cancelled."
    assert window.writer.active == 0


def test_installing_twice_returns_the_same_feature(entity_window):
    window, highlighter = entity_window
    assert install(window) is highlighter


def test_opening_another_library_shows_its_types_in_the_legend(entity_window, tmp_path):
    window, highlighter = entity_window
    assert "PERSON" in highlighter.legend.labels()
    other = tmp_path / "other.sqlite"
    open_library(other).close()
    assert window.open_library_file(other)
    settle(window)
    assert highlighter.legend.labels() == []
    assert highlighter.panel.heading.text() == "No article open."


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")
def test_right_clicking_a_mention_offers_its_corrections(entity_window):
    window, _ = entity_window
    read(window, "Video Conference")
    point = point_of(window, offset_of(window, "Jilin"))
    viewport = window.reader.viewport()
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                       viewport.mapToGlobal(point)))
    menu = QApplication.activePopupWidget()
    texts = [action.text() for action in menu.actions()]
    menu.close()
    assert "Unmark “Jilin” here" in texts and "Open entity page" in texts
    assert "Never treat “Jilin” as an entity" in texts
    assert not [text for text in texts if "highlight" in text.casefold()]  # a highlight is yours, not a mark


def press_menu_key(widget) -> None:
    """The Menu key (or Shift+F10): the platform sends the focused widget a keyboard context menu event."""
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(5, 5),
                                                     widget.mapToGlobal(QPoint(5, 5))))


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")
def test_the_menu_key_on_a_mention_reached_with_e_offers_its_corrections(entity_window, qtbot):
    window, highlighter = entity_window
    read(window, "Video Conference")
    reader = window.reader
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_E)
    reached = reader.textCursor().selectedText()
    assert highlighter.mention_at(reader.offset_at(reader.textCursor().selectionStart())) is not None
    press_menu_key(reader)
    menu = QApplication.activePopupWidget()
    texts = [action.text() for action in menu.actions()]
    menu.close()
    assert f"Unmark “{reached}” here" in texts and "Open entity page" in texts
    assert any(text.startswith(f"Change “{reached}”") for text in texts)


def mentions_in_order(window) -> list[str]:
    reader = window.reader
    return [reader.current_document.text[span.start:span.end]
            for span in reader._spans if span.kind == "entity"]


def test_e_and_shift_e_step_through_the_names_of_the_article_and_wrap_around(entity_window, qtbot):
    window, _ = entity_window
    read(window, "Video Conference")
    names = mentions_in_order(window)
    window.list_view.setFocus()
    qtbot.waitUntil(window.list_view.hasFocus)
    qtbot.keyClick(window.list_view, Qt.Key.Key_E)
    qtbot.waitUntil(window.reader.hasFocus)
    assert window.reader.textCursor().selectedText() == names[0]
    qtbot.keyClick(window.reader, Qt.Key.Key_E)
    assert window.reader.textCursor().selectedText() == names[1]
    qtbot.keyClick(window.reader, Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.reader, Qt.Key.Key_E, Qt.KeyboardModifier.ShiftModifier)
    assert window.reader.textCursor().selectedText() == names[-1]


def test_enter_on_a_name_reached_with_e_lists_the_articles_mentioning_it(entity_window, qtbot):
    window, highlighter = entity_window
    read(window, "Video Conference")
    reader = window.reader
    reader.setFocus()
    qtbot.keyClick(reader, Qt.Key.Key_E)
    reached = highlighter.mention_at(reader.offset_at(reader.textCursor().selectionStart()))
    qtbot.keyClick(reader, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(reached.name in chip for chip in window.sidebar.chip_texts()))


def test_tab_leaves_an_article_full_of_names_for_the_next_pane_and_shift_tab_for_the_list(entity_window, qtbot):
    window, _ = entity_window
    read(window, "Video Conference")
    assert len(mentions_in_order(window)) > 5
    window.action_panels.trigger()
    window.reader.setFocus()
    qtbot.waitUntil(window.reader.hasFocus)
    qtbot.keyClick(window.reader, Qt.Key.Key_Tab)
    assert window.reader_panels.isAncestorOf(QApplication.focusWidget())
    window.reader.setFocus()
    qtbot.waitUntil(window.reader.hasFocus)
    qtbot.keyClick(window.reader, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.list_view


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")
def test_tab_goes_round_the_entity_page_and_leaves_its_mentions_table(entity_window, qtbot):
    page = rudskoy_page(entity_window)
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus() and page.isAncestorOf(QApplication.focusWidget())


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")
def test_esc_closes_an_entity_page(entity_window, qtbot):
    page = rudskoy_page(entity_window)
    qtbot.waitUntil(page.isActiveWindow)
    qtbot.keyClick(page.focusWidget() or page, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.isVisible())


def test_enter_on_an_entity_in_the_panel_steps_through_its_mentions(entity_window, qtbot):
    window, highlighter = entity_window
    text = read(window, "Video Conference")
    tree = highlighter.panel.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus)
    for _ in range(60):
        qtbot.keyClick(tree, Qt.Key.Key_Down)
        if tree.currentIndex().data() == "Zhang Zhijun":
            break
    seen = []
    for _ in range(2):
        qtbot.keyClick(tree, Qt.Key.Key_Return)
        start, end = window.reader.selected_range()
        seen.append(start)
        assert text[start:end] == "Zhang Zhijun"
    assert seen[0] < seen[1]
    assert highlighter.panel.position.text() == "Zhang Zhijun: mention 2 of 3"
