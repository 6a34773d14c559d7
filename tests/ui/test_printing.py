"""The printed page of an article: its notes, its colours, the print dialog and unwritable files."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QTextCharFormat, QTextCursor
from PySide6.QtPrintSupport import QPrinter

from desktop.core.annotations import PALETTE, create_annotation, set_document_note
from desktop.core.library import open_library
from desktop.ui import printing
from desktop.ui.annotate import highlight_colour
from desktop.ui.printing import PrintDialogs, article_page, file_name_for, write_pdf
from desktop.ui.theme import DARK, LIGHT
from tests.ui.conftest import AGENCY_ARTICLES, QT_LOG_IGNORE, insert_articles

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

TITLE = "Satellite launch"
TEXT = next(article["text"] for article in AGENCY_ARTICLES if article["title"] == TITLE)
FIRST, SECOND = "vaccine", "space cooperation"


@pytest.fixture
def noted_library(agency_library) -> Path:
    """The agency articles; "Satellite launch" has two noted highlights, an orphaned one and a note."""
    with open_library(agency_library) as library:
        doc_id = library.db.execute("SELECT id FROM documents WHERE title = ?", [TITLE]).fetchone()[0]
        for quote, note, colour in ((SECOND, "second", "orange"), (FIRST, "first", "sky blue")):
            start = TEXT.index(quote)
            create_annotation(library.db, doc_id, start, start + len(quote), note=note, colour=colour)
        orphan, _change = create_annotation(library.db, doc_id, 0, 3, note="lost")
        library.db.execute("UPDATE annotations SET orphaned = 1 WHERE id = ?", [orphan["id"]])
        set_document_note(library.db, doc_id, "on the whole")
    return agency_library


@pytest.fixture
def reading(open_window, noted_library):
    """The window over the noted library, reading "Satellite launch"."""
    window = open_window(noted_library)
    with open_library(noted_library) as library:
        doc_id = library.db.execute("SELECT id FROM documents WHERE title = ?", [TITLE]).fetchone()[0]
    assert window.show_article(doc_id)
    assert window.reader.current_document.id == doc_id
    return window


def pdf_text(path: Path) -> str:
    """The words of a PDF, one space apart, ligatures undone."""
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def text_after(page, quote: str) -> str:
    """The page's characters from ``quote`` to the end of its paragraph."""
    found = page.find(quote)
    assert not found.isNull()
    block = found.block()
    return block.text()[found.selectionStart() - block.position():]


def format_at(page, text: str) -> QTextCharFormat:
    cursor = page.find(text)
    assert not cursor.isNull()
    return cursor.charFormat()


def test_noted_highlights_are_numbered_in_the_text_in_reading_order(reading):
    page = article_page(reading.reader, reading.library.db)

    assert text_after(page, FIRST).startswith(f"{FIRST}1 of {SECOND}2:")
    number = QTextCursor(page)
    number.setPosition(page.find(FIRST).selectionEnd() + 1)
    assert number.charFormat().verticalAlignment() == QTextCharFormat.VerticalAlignment.AlignSuperScript


def test_the_notes_follow_the_text_with_the_article_note_first_and_lost_highlights_last(reading):
    page = article_page(reading.reader, reading.library.db)

    plain = page.toPlainText()
    notes = plain[plain.index("Notes"):].splitlines()[1:]
    assert notes == [
        "On the article: on the whole",
        f"1. “{FIRST}” — first",
        f"2. “{SECOND}” — second",
        "3. “The” (no longer found in the text) — lost",
    ]


def test_the_page_has_the_light_theme_colours_while_the_window_is_dark(reading):
    reading.reader.set_theme(DARK)

    page = article_page(reading.reader, reading.library.db)

    painted = format_at(page, SECOND).background().color().name()
    assert painted == highlight_colour(PALETTE["orange"], theme=LIGHT)


def test_search_terms_are_not_marked_on_the_page(reading):
    reading.reader.set_search_terms(["launch"])
    reading.reader.rerender()
    assert reading.reader.hit_count

    page = article_page(reading.reader, reading.library.db)

    assert format_at(page, "launch.").background().style() == Qt.BrushStyle.NoBrush


def test_print_sends_the_page_to_the_printer_the_dialog_set_up(reading, tmp_path, monkeypatch):
    target = tmp_path / "printed.pdf"

    def printer_chosen(cls, parent):
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(PrintDialogs, "ask_printer", classmethod(printer_chosen))
    reading.findChild(QAction, "actionPrint").trigger()

    assert pdf_text(target).startswith(f"{TITLE} Xinhua")
    assert "On the article: on the whole" in pdf_text(target)
    assert reading.statusBar().currentMessage().startswith(f"Sent “{TITLE}”")


def test_cancelling_the_print_dialog_prints_nothing(reading, monkeypatch):
    asked = []
    monkeypatch.setattr(PrintDialogs, "ask_printer", classmethod(lambda cls, parent: asked.append(parent)))

    reading.findChild(QAction, "actionPrint").trigger()

    assert asked == [reading]
    assert reading.statusBar().currentMessage() == ""


def test_a_pdf_that_cannot_be_written_is_one_line_and_no_file(reading, tmp_path, monkeypatch):
    target = tmp_path / "missing folder" / "page.pdf"
    monkeypatch.setattr(printing, "ask_save_file", lambda *args, **kwargs: target)

    reading.findChild(QAction, "actionSaveAsPdf").trigger()

    assert reading.statusBar().currentMessage() == f"Cannot write {target}: No such file or directory."
    assert not target.exists()


def test_a_name_without_suffix_is_saved_as_pdf(reading, tmp_path, monkeypatch):
    monkeypatch.setattr(printing, "ask_save_file", lambda *args, **kwargs: tmp_path / "launch")

    reading.findChild(QAction, "actionSaveAsPdf").trigger()

    assert PdfReader(tmp_path / "launch.pdf").metadata.title == TITLE


def test_printing_is_disabled_with_a_reason_while_no_article_is_shown(open_window, library_path):
    window = open_window(library_path)

    for name in ("actionPrint", "actionSaveAsPdf", "actionOpenOriginal"):
        action = window.findChild(QAction, name)
        assert not action.isEnabled() and action.toolTip() == "Select an article first."


def test_write_pdf_writes_a_page_of_the_document(reading, tmp_path):
    page = article_page(reading.reader, reading.library.db)

    assert write_pdf(page, tmp_path / "a.pdf", title=TITLE) is None
    assert len(PdfReader(tmp_path / "a.pdf").pages) == 1


@pytest.mark.parametrize(("title", "name"), [
    ("Harbin: a fair / a forum?", "Harbin a fair a forum"),
    ("  ...  ", "article"),
    ("Line\nbreak", "Line break"),
])
def test_file_names_leave_out_what_file_systems_refuse(title, name):
    assert file_name_for(title) == name


def test_a_very_long_article_is_saved_as_pdf_as_the_reader_shows_it_and_the_page_says_so(
        open_window, library_path, tmp_path, monkeypatch):
    """Printing a 19 MB article laid out every character and froze the window for 5 s."""
    from desktop.ui import reader_text

    monkeypatch.setattr(reader_text, "SHOWN_CHARS", 2_000)
    text = "The forum on biomedicine met in Pudong and agreed on joint work.\n\n" * 60 + "Kamchatka at last."
    (doc_id,) = insert_articles(library_path, [{"title": "A very long report", "text": text}])
    window = open_window(library_path)
    assert window.show_article(doc_id)
    monkeypatch.setattr(printing, "ask_save_file", lambda *args, **kwargs: tmp_path / "long.pdf")

    window.findChild(QAction, "actionSaveAsPdf").trigger()

    printed = pdf_text(tmp_path / "long.pdf")
    shown = len(reader_text.shown_part(text))
    assert "Kamchatka" not in printed and printed.count("Pudong") == text[:shown].count("Pudong")
    assert f"This copy holds the first {shown:,} of this article's {len(text):,} characters" in printed


def drawn_sizes(path: Path) -> dict[str, float]:
    """The size each run of text is drawn at on a PDF's first page (the font size scaled by the
    text matrix, as a reader of the PDF sees it)."""
    sizes: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.setdefault(" ".join(text.split()), abs(size * tm[3] * cm[3]))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return sizes


def test_a_pdf_draws_the_headline_at_the_size_the_reader_draws_it(reading, tmp_path, monkeypatch):
    from desktop.ui.theme import HEADLINE_SCALE

    monkeypatch.setattr(printing, "ask_save_file", lambda *args, **kwargs: tmp_path / "launch.pdf")
    reading.findChild(QAction, "actionSaveAsPdf").trigger()

    sizes = drawn_sizes(tmp_path / "launch.pdf")
    assert sizes[TITLE] / sizes["vaccine"] == pytest.approx(HEADLINE_SCALE, rel=0.06)


LONG_WORD = "Тетрагидропиранилциклопентилтетрагидропиридопиридиновые"


def test_a_pdf_draws_a_headline_with_a_word_too_long_for_the_page_smaller_and_whole_as_the_reader_does(
        open_window, library_path, tmp_path, monkeypatch):
    """At 1.55× the text's size the word is wider than an A4 page's text: it was cut in two
    (its end on a line of its own), as the reader no longer does."""
    from desktop.ui.theme import HEADLINE_SCALE

    (doc_id,) = insert_articles(library_path, [{"title": f"{LONG_WORD} соединения",
                                                "text": "Новые соединения синтезированы в Новосибирске."}])
    window = open_window(library_path)
    assert window.show_article(doc_id)
    monkeypatch.setattr(printing, "ask_save_file", lambda *args, **kwargs: tmp_path / "word.pdf")

    window.findChild(QAction, "actionSaveAsPdf").trigger()

    sizes = drawn_sizes(tmp_path / "word.pdf")
    body = next(size for run, size in sizes.items() if "Новосибирске" in run)
    headline = next((size for run, size in sizes.items() if LONG_WORD in run), None)
    assert headline is not None, f"the headline's word is cut: {list(sizes)}"
    assert body <= headline < HEADLINE_SCALE * body * 0.97
