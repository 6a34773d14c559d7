"""Word documents: paragraphs, headings and tables in order, core properties, and bad files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest

from desktop.core.errors import ImportFailed
from desktop.core.formats import docx as docx_format
from tests.core.helpers import parsers_for

PARAGRAPHS = [
    "MOSCOW -- The Russian Academy of Sciences and the Chinese Academy of Sciences agreed on joint work.",
    "The programme covers materials science and biomedicine, said Alexander Sergeyev.",
]


def make_docx(
    paragraphs: list[str],
    *,
    heading: str | None = None,
    title: str = "",
    author: str = "",
    created: dt.datetime | None = None,
) -> bytes:
    """A Word document with an optional Title heading, paragraphs and core properties."""
    document = docx.Document()
    if heading:
        document.add_heading(heading, level=0)
    for text in paragraphs:
        document.add_paragraph(text)
    properties = document.core_properties
    properties.title, properties.author = title, author
    if created:
        properties.created = created
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


parse, only_article = parsers_for("report.docx")


def test_paragraphs_are_imported_in_order_separated_by_blank_lines():
    assert only_article(make_docx(PARAGRAPHS)).text == "\n\n".join(PARAGRAPHS)


def test_core_properties_give_title_author_and_date():
    created = dt.datetime(2018, 7, 2, 9, 30)
    article = only_article(make_docx(PARAGRAPHS, title="Academies agree", author="Wang Li", created=created))
    assert (article.title, article.author, article.published) == ("Academies agree", "Wang Li", "2018-07-02")


def test_title_heading_is_the_title_when_properties_have_none():
    article = only_article(make_docx(PARAGRAPHS, heading="Academies agree on joint work"))
    assert article.title == "Academies agree on joint work"
    assert article.text.startswith("MOSCOW")  # the headline is not repeated in the body, as for text files


def test_a_date_line_and_byline_under_the_heading_are_metadata_and_the_lead_names_the_agency():
    document = docx.Document()
    document.add_heading("Российские и китайские физики запустят общий ускоритель", level=1)
    for line in ("Опубликовано: 5 апреля 2022 года", "Автор: Иван Петров",
                 "НОВОСИБИРСК, 5 апреля. /ТАСС/. Институт ядерной физики и Институт физики высоких энергий "
                 "договорились о совместной работе."):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    article = only_article(out.getvalue())
    assert (article.title, article.published, article.author, article.source) == (
        "Российские и китайские физики запустят общий ускоритель", "2022-04-05", "Иван Петров", "ТАСС")
    assert article.text.startswith("НОВОСИБИРСК, 5 апреля.")


def test_template_creation_date_of_generated_files_is_not_the_date():
    assert only_article(make_docx(PARAGRAPHS, author="Wang Li")).published is None


def test_template_author_of_generated_files_is_not_the_author():
    assert only_article(make_docx(PARAGRAPHS, author="python-docx")).author is None


def test_table_rows_are_imported_as_tab_separated_lines():
    document = docx.Document()
    document.add_paragraph("Budget of the joint programme:")
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("Year", "Funding"), ("2019", "5 mln roubles")]):
        for col, text in enumerate(cells):
            table.cell(row, col).text = text
    out = io.BytesIO()
    document.save(out)
    expected = "Budget of the joint programme:\n\nYear\tFunding\n\n2019\t5 mln roubles"
    assert only_article(out.getvalue()).text == expected


def test_document_without_text_fails_with_reason():
    with pytest.raises(ImportFailed, match="^the Word document has no text$"):
        parse(make_docx([]))


def test_zip_that_is_not_a_word_document_fails_saying_so():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ImportFailed, match=r"^not a Word document \(.docx\): the file is a ZIP archive$"):
        parse(out.getvalue())


def test_old_word_doc_renamed_docx_fails_saying_so():
    with pytest.raises(ImportFailed, match="the file is an old Microsoft Office file"):
        parse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))


def test_truncated_docx_fails_with_a_reason():
    data = make_docx(PARAGRAPHS)
    with pytest.raises(ImportFailed, match="^damaged Word document — the file is truncated"):
        parse(data[: len(data) // 2])


def test_document_unpacking_beyond_the_limit_is_refused_as_a_bomb(monkeypatch):
    monkeypatch.setattr(docx_format, "DOCX_UNPACKED_LIMIT_MB", 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (2 * 1024 * 1024))
    with pytest.raises(ImportFailed, match="^Word document unpacks to more than 1 MB — refused$"):
        parse(out.getvalue())


def test_text_file_named_docx_fails_as_plain_text():
    with pytest.raises(ImportFailed, match="the file is plain text"):
        parse("Просто текст.".encode())


def test_empty_docx_fails_as_empty():
    with pytest.raises(ImportFailed, match="^empty file$"):
        parse(b"")


def test_without_a_heading_the_headline_and_date_line_are_found_as_in_a_text_file():
    lines = ["中俄联合实验室在莫斯科揭牌", "2022年04月05日 来源：中国新闻网",
             "中新社莫斯科4月5日电（记者 田冰）中俄生物医药联合实验室5日在莫斯科国立大学揭牌。双方将在疫苗研发和基因治疗领域开展合作。"]
    article = only_article(make_docx(lines))
    assert (article.title, article.published, article.source, article.author) == (
        "中俄联合实验室在莫斯科揭牌", "2022-04-05", "中国新闻网", "田冰")
    assert article.text == lines[2]
