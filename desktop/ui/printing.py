"""Printing the article in the reader, and saving it as PDF, plugged in by ``install(window)``.

``Printing`` owns *Print…* (``actionPrint``) and *Save as PDF…*
(``actionSaveAsPdf``) in the File menu and the reader's and article list's
context menus. The page is the article as the reader shows it (its headline made
smaller for a word too long for the page's width, as the reader does for its column), in the light
theme's colours whatever the window's theme (``Reader.page_document``): the
headline, the metadata line, the text with the person's highlights and the
entity marking. Each highlight with a note gets a superscript number in the
text; after the text, "Notes" holds the note on the article, then the
numbered highlights with their quotes (in their colours) and notes. Qt
numbers the pages.

The print dialog is behind ``PrintDialogs.ask_printer``; the PDF's file is
chosen through ``file_dialogs`` (the export folder is remembered).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import (
    QColor,
    QPageLayout,
    QPageSize,
    QPagedPaintDevice,
    QPdfWriter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from desktop import __app_name__
from desktop.core.annotations import DEFAULT_COLOUR, PALETTE, document_annotations
from desktop.core.errors import DossierError

from .annotate import highlight_colour
from .errors import report_error
from .file_dialogs import FileKind, ask_save_file
from .headline import fit_headline_to_page
from .originals import NO_ARTICLE_TIP, ArticleActions
from .reader import Reader
from .shortcuts import SHORTCUTS
from .theme import LIGHT

UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
NOTE_STYLE = "margin-top: 0px; margin-bottom: 8px; line-height: 130%"


class PrintDialogs:
    """The system's print dialog; tests replace ``ask_printer``."""

    @classmethod
    def ask_printer(cls, parent: QWidget) -> QPrinter | None:
        """A printer set up by the person (printer, pages, copies), or None when cancelled."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle("Print article")
        return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def file_name_for(title: str) -> str:
    """A file name (without suffix) made of an article's ``title``."""
    return " ".join(UNSAFE_IN_NAMES.sub(" ", title).split())[:80].strip(" .") or "article"


def _html_text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _swatch(colour: str | None) -> str:
    return highlight_colour(PALETTE.get(colour or DEFAULT_COLOUR, PALETTE[DEFAULT_COLOUR]), theme=LIGHT)


def notes_html(article_note: str | None, noted: list[dict[str, Any]]) -> str:
    """The "Notes" section: the note on the article, then each noted highlight by number."""
    parts = ["<h2>Notes</h2>"]
    if article_note:
        parts.append(f'<p style="{NOTE_STYLE}"><i>On the article:</i> {_html_text(article_note)}</p>')
    for number, annotation in enumerate(noted, 1):
        where = " <i>(no longer found in the text)</i>" if annotation["orphaned"] else ""
        parts.append(
            f'<p style="{NOTE_STYLE}"><b>{number}.</b> <span style="background-color: {_swatch(annotation["colour"])}">'
            f'“{html.escape(annotation["quote"])}”</span>{where} — {_html_text(annotation["note"])}</p>'
        )
    return "".join(parts)


def article_page(reader: Reader, db: Any) -> QTextDocument | None:
    """The article in ``reader`` laid out for paper, with its highlights' note numbers and its
    notes; None when the reader shows no article. Raises the core's ``DossierError``."""
    page = reader.page_document(LIGHT)
    document = reader.current_document
    if page is None or document is None:
        return None
    noted = [annotation for annotation in document_annotations(db, document.id) if annotation["note"]]
    marks = QTextCharFormat()
    marks.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
    marks.setForeground(QColor(LIGHT.muted))
    placed = [(reader.position_of(annotation["end"]), number) for number, annotation in enumerate(noted, 1)
              if not annotation["orphaned"]]
    for position, number in sorted((item for item in placed if item[0] is not None), reverse=True):
        cursor = QTextCursor(page)
        cursor.setPosition(position)
        cursor.insertText(str(number), marks)
    if document.note or noted:
        cursor = QTextCursor(page)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertBlock()
        cursor.insertHtml(notes_html(document.note, noted))
    page.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, document.title or "Untitled")
    return page


class Printing(ArticleActions):
    """Print… and Save as PDF… of the article in one main window's reader."""

    def __init__(self, window: Any) -> None:
        super().__init__(window, [("actionPrint", "Print…", self.print_article),
                                  ("actionSaveAsPdf", "Save as PDF…", self.save_as_pdf)])
        self.actions[0].setShortcuts(SHORTCUTS["print"].sequences())

    def _page(self) -> QTextDocument | None:
        try:
            page = article_page(self.window.reader, self.window.library.db)
        except DossierError as err:
            self._status(report_error(err))
            return None
        if page is None:
            self._status(NO_ARTICLE_TIP)
        return page

    def print_article(self) -> None:
        """Ask for a printer and print the article on it."""
        page = self._page()
        if page is None:
            return
        printer = PrintDialogs.ask_printer(self.window)
        if printer is None:
            return
        printer.setDocName(page.metaInformation(QTextDocument.MetaInformation.DocumentTitle))
        printer.setCreator(__app_name__)
        print_page(page, printer)
        self._status(f"Sent “{printer.docName()}” to {printer.printerName() or 'the printer'}.")

    def save_as_pdf(self) -> None:
        """Ask for a file and write the article to it as PDF."""
        page = self._page()
        if page is None:
            return
        title = page.metaInformation(QTextDocument.MetaInformation.DocumentTitle)
        path = ask_save_file(self.window, kind=FileKind.EXPORT, title="Save article as PDF",
                             suggested=f"{file_name_for(title)}.pdf", filters="PDF files (*.pdf)")
        if path is None:
            return
        if not path.suffix:
            path = path.with_suffix(".pdf")
        error = write_pdf(page, path, title=title)
        self._status(error or f"Saved “{title}” as {path}.")


def print_page(page: QTextDocument, device: QPagedPaintDevice) -> None:
    """Print ``page`` on ``device`` with no page margins of the device's own
    (``QTextDocument.print_`` keeps 2 cm of margin inside the printable area and draws the page
    numbers in it), its headline fitted to the page's width as the reader fits it to its column."""
    device.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    fit_headline_to_page(page, device)
    page.print_(device)


def write_pdf(page: QTextDocument, path: Path, *, title: str) -> str | None:
    """Write ``page`` to ``path`` as PDF (A4); the reason as one line when it cannot be written."""
    try:
        path.open("wb").close()
    except OSError as err:
        return f"Cannot write {path}: {err.strerror or err}."
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator(__app_name__)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    print_page(page, writer)
    del writer  # the file is finished when the writer goes
    return None


def install(window: Any) -> Printing:
    """Plug Print… and Save as PDF… into ``window`` (a ``MainWindow``); installing again returns
    the one already there."""
    installed = window.findChild(Printing)
    return installed if isinstance(installed, Printing) else Printing(window)
