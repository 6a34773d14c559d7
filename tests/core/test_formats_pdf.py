"""PDF files: the text layer, metadata, and the PDFs that cannot be read (with their reasons)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from desktop.core.errors import ImportFailed
from tests.core.helpers import parsers_for

LINES = [
    "China and Russia open a joint laboratory",
    "By Wang Li",
    "HARBIN, 5 March 2019 -- Scientists from the Russian Academy of Sciences and",
    "Harbin Institute of Technology opened a joint laboratory for materials research.",
]


def make_pdf(pages: list[list[str | tuple[int, str]]], *, info: dict[str, str] | None = None) -> bytes:
    """A minimal valid PDF: one page per list of text lines (Helvetica, WinAnsi, 11 pt or a line's
    own size given as ``(size, line)``), optional /Info."""
    count = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
    ]
    font = 3 + 2 * count
    for index, lines in enumerate(pages):
        shown = b"".join(_shown(line) for line in lines)
        stream = b"BT /F1 11 Tf 14 TL 72 740 Td " + shown + b"ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * index} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    trailer_info = ""
    if info:
        entries = b" ".join(b"/%s (%s)" % (key.encode(), _escape(value)) for key, value in info.items())
        objects.append(b"<< " + entries + b" >>")
        trailer_info = f" /Info {len(objects)} 0 R"
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R{trailer_info} >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _shown(line: str | tuple[int, str]) -> bytes:
    size, text = line if isinstance(line, tuple) else (11, line)
    return b"/F1 %d Tf (" % size + _escape(text) + b") Tj T* "


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def encrypted(data: bytes, *, password: str, algorithm: str = "RC4-128") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


parse, only_article = parsers_for("article.pdf")


def test_text_layer_of_every_page_is_imported():
    article = only_article(make_pdf([LINES, ["Second page about Novosibirsk."]]))
    assert "Harbin Institute of Technology opened a joint laboratory" in article.text
    assert article.text.endswith("Second page about Novosibirsk.")


def test_dateline_and_byline_in_the_text_give_date_and_author():
    article = only_article(make_pdf([LINES], info={"Author": "Typist", "CreationDate": "D:20200101120000"}))
    assert article.published == "2019-03-05"
    assert article.author == "Wang Li"


def test_metadata_gives_title_author_and_creation_date_when_the_text_has_none():
    info = {"Title": "Lab report", "Author": "Ivan Petrov", "CreationDate": "D:20210614093000+03'00'"}
    article = only_article(make_pdf([["Plain text without dateline or byline."]], info=info))
    assert (article.title, article.author, article.published) == ("Lab report", "Ivan Petrov", "2021-06-14")


def test_headline_in_the_text_wins_over_the_metadata_title():
    article = only_article(make_pdf([LINES], info={"Title": "Scan 0042"}))
    assert article.title == "China and Russia open a joint laboratory"


def test_file_name_in_the_metadata_title_is_not_used_as_title():
    info = {"Title": "Microsoft Word - draft3.docx"}
    article = only_article(make_pdf([["plain text without a headline."]], info=info))
    assert article.title == "article"


def test_pdf_without_text_layer_fails_asking_for_ocr():
    with pytest.raises(ImportFailed, match="^PDF has no text layer — scanned pages need OCR$"):
        parse(make_pdf([[]]))


def test_password_protected_pdf_fails_as_encrypted():
    with pytest.raises(ImportFailed, match="^encrypted PDF"):
        parse(encrypted(make_pdf([LINES]), password="secret"))


def test_encrypted_pdf_without_user_password_is_read():
    assert "joint laboratory" in only_article(encrypted(make_pdf([LINES]), password="")).text


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_encrypted_pdf_without_user_password_is_read(algorithm):
    assert "joint laboratory" in only_article(encrypted(make_pdf([LINES]), password="", algorithm=algorithm)).text


def test_aes_encrypted_pdf_with_a_password_fails_as_encrypted():
    with pytest.raises(ImportFailed, match="^encrypted PDF"):
        parse(encrypted(make_pdf([LINES]), password="secret", algorithm="AES-256"))


def test_truncated_pdf_fails_as_truncated():
    data = make_pdf([LINES])
    with pytest.raises(ImportFailed, match="truncated PDF"):
        parse(data[: len(data) // 2])


def test_html_named_pdf_fails_saying_it_is_html():
    with pytest.raises(ImportFailed, match="^not a PDF: the file is HTML$"):
        parse(b"<!DOCTYPE html><html><body><p>Access denied</p></body></html>")


def test_binary_junk_named_pdf_fails_as_binary():
    with pytest.raises(ImportFailed, match="^not a PDF: the file is binary data$"):
        parse(bytes(range(256)) * 16)


def test_empty_pdf_fails_as_empty():
    with pytest.raises(ImportFailed, match="^empty file$"):
        parse(b"")


def test_pdf_with_garbage_objects_fails_with_a_reason():
    with pytest.raises(ImportFailed, match="PDF"):
        parse(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\nstartxref\n99999\n%%EOF\n")


def test_pdf_whose_page_tree_contains_itself_fails_with_a_reason():
    data = make_pdf([LINES]).replace(b"/Kids [3 0 R]", b"/Kids [2 0 R]")
    with pytest.raises(ImportFailed):
        parse(data)
