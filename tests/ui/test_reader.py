"""The reader: typography from text and spans, offsets back into the text, hits, find, zoom, links."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QPalette, QTextCursor

from desktop.core.documents import Document
from desktop.ui.reader import Reader, ReaderSpan, paragraphs_of, search_hit_spans, soft_wrapped
from tests.ui.conftest import QT_LOG_IGNORE

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

TEXT = (
    "Zhang Qiang met Andrei Rudskój in St. Petersburg.\n\n"
    "  The forum 😀 on biomedicine\nwas held in Pudong.\n\n\n"
    "Russia and China\tsigned contracts worth 1 million U.S. dollars."
)


def make_document(text: str = TEXT, **fields) -> Document:
    values = dict(id=1, title="Forum on biomedicine", text=text, published="2017-11-15",
                  source="Xinhua", author="Mo Hong'e", url="https://example.org/a", language="en",
                  path=None, sha256="x", imported_at="2020-01-01", word_count=len(text.split()))
    values.update(fields)
    return Document(**values)


@pytest.fixture
def reader(qtbot) -> Reader:
    widget = Reader()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show_document(make_document())
    return widget


def select_positions(reader: Reader, start: int, end: int) -> None:
    cursor = QTextCursor(reader.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)


def test_reader_shows_headline_metadata_line_and_paragraphs(reader):
    text = reader.toPlainText()
    assert text.startswith("Forum on biomedicine\nXinhua · 15 November 2017 · Mo Hong'e · ")
    assert [p for _, p in paragraphs_of(TEXT)][1] == "The forum 😀 on biomedicine\nwas held in Pudong."
    assert reader.objectName() == "reader"


@pytest.mark.parametrize("word", ["Rudskój", "Pudong", "dollars", "biomedicine\nwas"])
def test_selecting_text_in_the_reader_gives_its_offsets_in_the_document_text(reader, word):
    start = TEXT.index(word)
    reader.select_range(start, start + len(word))
    assert reader.selected_range() == (start, start + len(word))
    selected = reader.textCursor().selectedText().replace("\u2029", "\n")
    assert selected == word


def test_a_selection_starting_in_the_headline_starts_at_the_first_body_character(reader):
    end_word = "Qiang"
    end = TEXT.index(end_word) + len(end_word)
    body_end = reader.position_of(end)
    select_positions(reader, 0, body_end)
    assert reader.selected_range() == (0, end)


def test_no_selection_means_no_range(reader):
    select_positions(reader, 2, 2)
    assert reader.selected_range() is None


def test_search_hits_ignore_case_and_accents_and_match_whole_words():
    spans = search_hit_spans(TEXT, ["rudskoj", "china", "u.s. dollars"])
    assert [TEXT[s.start:s.end] for s in spans] == ["Rudskój", "China", "U.S. dollars"]
    assert search_hit_spans("Chinese and China", ["chin"]) == []
    prefix = search_hit_spans("Chinese and China", ["chin"], prefixes=["chin"])
    assert len(prefix) == 2


def test_f3_moves_through_search_hits_and_wraps(reader):
    reader.set_search_terms(["biomedicine", "russia"])
    reader.rerender()
    assert reader.hit_count == 2
    reader.next_hit()
    assert reader.textCursor().selectedText() == "biomedicine"
    reader.next_hit()
    assert reader.textCursor().selectedText() == "Russia"
    reader.next_hit()
    assert reader.current_hit == 0
    reader.next_hit(backward=True)
    assert reader.textCursor().selectedText() == "Russia"


def test_spans_from_a_provider_are_styled_and_report_clicks(qtbot, reader):
    start = TEXT.index("Zhang Qiang")
    reader.add_css("span.person { background-color: #abcdef; }")
    reader.add_span_provider(
        "entities", lambda doc: [ReaderSpan(start, start + 11, "entity", "person", "PERSON", 42)])
    assert "#abcdef" in reader.toHtml()
    with qtbot.waitSignal(reader.span_clicked) as blocker:
        reader.anchorClicked.emit(QUrl("dossier-span:0"))
    assert blocker.args == ["entity", 42]
    assert [span.tooltip for span in reader.spans_at(start + 3)] == ["PERSON"]
    reader.remove_span_provider("entities")
    assert "#abcdef" not in reader.toHtml()


def test_overlapping_spans_keep_the_text_intact(reader):
    start = TEXT.index("Russia and China")
    reader.add_span_provider("a", lambda doc: [ReaderSpan(start, start + 16, "x", "a")])
    reader.add_span_provider("b", lambda doc: [ReaderSpan(start + 7, start + 20, "y", "b")])
    assert "Russia and China\tsigned" in reader.toPlainText()
    reader.select_range(start, start + 16)
    assert reader.selected_range() == (start, start + 16)


def test_find_in_article_counts_matches_and_moves_between_them(reader):
    assert reader.set_find_text("in") >= 3
    first = reader.textCursor().selectionStart()
    reader.find_next()
    assert reader.textCursor().selectionStart() > first
    assert reader.set_find_text("nowhere to be found") == 0


def test_zoom_changes_the_text_size_within_limits(qtbot, reader):
    with qtbot.waitSignal(reader.zoom_changed) as blocker:
        reader.zoom_by(2)
    assert blocker.args == [14]
    reader.zoom_by(-100)
    assert reader.point_size() == 8
    assert reader.document().defaultFont().pointSize() == 8


def test_remote_resources_are_never_loaded(reader):
    assert reader.loadResource(2, QUrl("https://example.org/tracker.png")) is None
    assert not reader.openLinks() and not reader.openExternalLinks()


def test_scroll_to_offset_brings_the_end_of_a_long_article_into_view(qtbot):
    widget = Reader()
    qtbot.addWidget(widget)
    widget.resize(600, 300)
    widget.show()
    text = "\n\n".join(f"Paragraph {n} about cooperation." for n in range(300))
    widget.show_document(make_document(text))
    widget.scroll_to_offset(text.index("Paragraph 290"))
    assert widget.verticalScrollBar().value() > 0
    position = widget.position_of(text.index("Paragraph 290"))
    cursor = QTextCursor(widget.document())
    cursor.setPosition(position)
    assert widget.viewport().rect().contains(widget.cursorRect(cursor).center())


def test_an_article_without_text_says_so(reader):
    reader.show_document(make_document("   "))
    assert "This article has no text." in reader.toPlainText()


@pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support raise")
def test_hovering_a_span_shows_its_tooltip(qtbot, reader):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    start = TEXT.index("Pudong")
    reader.show()
    reader.add_span_provider(
        "places", lambda doc: [ReaderSpan(start, start + 6, "entity", "place", "GPE: Pudong")])
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.position_of(start + 2))
    point = reader.viewport().mapTo(reader, reader.cursorRect(cursor).center())
    QApplication.sendEvent(reader, QHelpEvent(QEvent.Type.ToolTip, point, reader.mapToGlobal(point)))
    assert QToolTip.text() == "GPE: Pudong"
    QToolTip.hideText()


def test_a_clicked_web_link_opens_in_the_system_browser_and_the_reader_stays(reader, monkeypatch):
    from desktop.ui import reader as reader_module

    opened: list[str] = []
    monkeypatch.setattr(reader_module.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url.toString())))
    assert reader.toPlainText().splitlines()[1].endswith("· original")
    reader.anchorClicked.emit(QUrl("https://example.org/a"))
    reader.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == ["https://example.org/a"]
    assert reader.current_document.title == "Forum on biomedicine"


def painted_background(reader: Reader, offset: int) -> str:
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.position_of(offset) + 1)
    return cursor.charFormat().background().color().name()


def test_a_span_across_paragraphs_is_painted_in_each_of_them(reader):
    start, end = TEXT.index("St. Petersburg"), TEXT.index("Pudong")
    short = TEXT.index("Russia")
    reader.add_css("span.long { background-color: #abcdef; } span.short { background-color: #fedcba; }")
    reader.add_span_provider("spans", lambda doc: [ReaderSpan(start, end + 6, "x", "long"),
                                                   ReaderSpan(short, short + 6, "y", "short")])
    assert painted_background(reader, start) == "#abcdef"
    assert painted_background(reader, TEXT.index("biomedicine")) == "#abcdef"
    assert painted_background(reader, end + 1) == "#abcdef"
    assert painted_background(reader, short) == "#fedcba"
    assert painted_background(reader, TEXT.index("contracts")) != "#abcdef"


def test_search_terms_in_the_headline_are_marked(reader):
    reader.set_search_terms(["biomedicine"])
    reader.rerender()
    cursor = QTextCursor(reader.document())
    cursor.setPosition(len("Forum on b"))
    assert cursor.block().text() == "Forum on biomedicine"
    assert cursor.charFormat().background().color().name() == reader.theme.hit
    assert reader.hit_count == 1


REUTERS = (
    "Showers continued throughout the week in\n"
    "the Bahia cocoa zone, alleviating the drought since early\n"
    "January and improving prospects for the coming temporao,\n"
    "although normal humidity levels have not been restored,\n"
    "Comissaria Smith said in its weekly review.\n"
    "    The dry period means the temporao will be late this year.\n"
    "    Arrivals for the week ended February 22 were 155,221 bags\n"
    "of 60 kilos making a cumulative total for the season of 5.93\n"
    "mln against 5.81 at the same stage last year. Again it seems\n"
    "that cocoa delivered earlier on consignment was included in the\n"
    "arrivals figures.\n"
    "    Comissaria Smith said there is still some doubt as to how\n"
    "much old crop cocoa is still available as harvesting has\n"
    "practically come to an end."
)


@pytest.fixture
def wire(qtbot) -> Reader:
    widget = Reader()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show_document(make_document(REUTERS))
    return widget


def test_a_hard_wrapped_paragraph_reads_as_running_text_broken_only_before_indented_lines(wire):
    body = wire.toPlainText()
    assert "week in the Bahia cocoa zone, alleviating the drought since early January and" in body
    assert "weekly review.\n    The dry period" in body
    assert "bags of 60 kilos" in body
    assert "included in the arrivals figures.\n    Comissaria" in body


@pytest.mark.parametrize("words", ["early\nJanuary", "155,221 bags\nof 60", "5.81"])
def test_selecting_across_a_soft_wrapped_line_break_gives_exact_offsets(wire, words):
    start = REUTERS.index(words)
    wire.select_range(start, start + len(words))
    assert wire.selected_range() == (start, start + len(words))
    assert wire.textCursor().selectedText() == words.replace("\n", " ")


def test_every_offset_of_a_hard_wrapped_paragraph_maps_to_a_position_and_back(wire):
    assert all(wire.offset_at(wire.position_of(offset)) == offset for offset in range(len(REUTERS)))


def test_scrolling_to_an_offset_after_soft_wrapped_lines_shows_that_text(wire):
    offset = REUTERS.index("5.81")
    wire.scroll_to_offset(offset)
    cursor = QTextCursor(wire.document())
    cursor.setPosition(wire.position_of(offset))
    assert wire.viewport().rect().contains(wire.cursorRect(cursor).center())


def test_a_paragraph_of_short_lines_keeps_its_line_breaks():
    address = "Zhang Qiang\nSecretary for science\nChinese Embassy, Moscow"
    assert soft_wrapped(address) == address


def test_a_table_of_figures_keeps_one_row_a_line(qtbot):
    table = ("Two weeks ended Feb 25\n"
             "Total vault cash...........25,237 vs....27,327\n"
             "Inc cash equal to req res..22,834 vs....24,680\n"
             "One week ended Feb 25      Daily avgs-Mlns\n"
             "Bank borrowings...............614 down.....131\n"
             "Including seasonal loans.......88 up........14\n"
             "Float.........................511 down.....320\n"
             "Currency..................206,490 down.....519")
    widget = Reader()
    qtbot.addWidget(widget)
    widget.resize(700, 300)
    widget.show_document(make_document(table))
    assert table in widget.toPlainText()


def test_a_highlight_is_drawn_over_an_entity_it_covers_and_the_entity_keeps_its_underline(reader):
    highlight_start, place = TEXT.index("in St. Petersburg"), TEXT.index("Petersburg")
    reader.add_css("span.ent-GPE { background-color: #aaccaa; text-underline-style: dashed; } "
                   "span.hl-yellow { background-color: #f7f0a0; }")
    reader.add_span_provider("entities", lambda doc: [ReaderSpan(place, place + 10, "entity", "ent-GPE", payload=1)])
    reader.add_span_provider("highlights", lambda doc: [
        ReaderSpan(highlight_start, highlight_start + 17, "annotation", "hl-yellow", payload=2)])
    cursor = QTextCursor(reader.document())
    cursor.setPosition(reader.position_of(place) + 1)
    assert cursor.charFormat().background().color().name() == "#f7f0a0"
    assert cursor.charFormat().underlineStyle() == cursor.charFormat().UnderlineStyle.DashUnderline


def test_a_search_hit_is_drawn_over_an_entity_mention(reader):
    place = TEXT.index("Pudong")
    reader.add_css("span.ent-GPE { background-color: #aaccaa; }")
    reader.add_span_provider("entities", lambda doc: [ReaderSpan(place, place + 6, "entity", "ent-GPE")])
    reader.set_search_terms(["Pudong"])
    reader.rerender()
    assert painted_background(reader, place) == reader.theme.hit


def test_the_current_search_hit_has_its_own_colour_until_the_selection_moves(reader):
    reader.set_search_terms(["Russia", "Pudong"])
    reader.rerender()
    assert reader.next_hit()
    assert reader.palette().color(QPalette.ColorRole.Highlight).name() == reader.theme.hit_current
    assert reader.theme.hit_current != reader.theme.hit
    reader.select_range(0, 5)
    assert not reader.current_hit_shown()


def test_a_very_long_article_shows_its_start_and_says_how_much_is_left(qtbot, monkeypatch):
    """A 19 MB article froze the window for seconds while the reader set it whole as HTML; the
    reader now shows its first ``SHOWN_CHARS`` characters (here 2,000) and says so."""
    from desktop.ui import reader_text

    monkeypatch.setattr(reader_text, "SHOWN_CHARS", 2_000)
    paragraph = "The forum on biomedicine met in Pudong and agreed on joint work.\n\n"
    text = paragraph * 60 + "At the very end the delegates flew to Kamchatka."
    widget = Reader()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.set_search_terms(["pudong", "kamchatka"])
    widget.show_document(make_document(text))
    shown = widget.toPlainText()
    start = reader_text.shown_part(text)
    assert text.startswith(start) and 1_000 < len(start) <= 2_000
    assert f"The reader shows the first {len(start):,} of this article's {len(text):,} characters" in shown
    assert "Kamchatka" not in shown and shown.count("Pudong") == start.count("Pudong") > 20
    assert widget.hit_count == shown.count("Pudong")  # no hit is counted that cannot be shown
    last = text.rindex("Pudong", 0, 1_900)
    widget.select_range(last, last + len("Pudong"))
    assert widget.selected_range() == (last, last + len("Pudong"))  # offsets stay the text's own
