"""Decoding imported text files: encodings a China–Russia corpus arrives in, normalisation, refusals."""

from __future__ import annotations

import codecs
import random
import unicodedata

import pytest

from desktop.core.encoding import decode_bytes, decode_text, decoded_pieces, read_text
from desktop.core.errors import ImportFailed
from tests.conftest import CORPORA

RUSSIAN = "Российская академия наук и Китайская академия наук подписали соглашение о сотрудничестве."
CHINESE = "中俄科技合作不断深化，双方在生物医药领域开展交流与合作。"
WESTERN = "Café crème at the Élysée cost £5 — a naïve “price”, said Jürgen Müller in München."


def test_plain_utf8_is_returned_as_written():
    assert decode_text("Zhang Qiang said: “openness”.".encode()) == "Zhang Qiang said: “openness”."


def test_utf8_byte_order_mark_is_dropped():
    assert decode_text(codecs.BOM_UTF8 + RUSSIAN.encode()) == RUSSIAN


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_byte_order_mark_is_read(encoding):
    data = RUSSIAN.encode(encoding)
    if encoding != "utf-16":
        bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
        data = bom + data
    assert decode_text(data) == RUSSIAN


def test_windows_1251_russian_is_read():
    assert decode_text(RUSSIAN.encode("cp1251")) == RUSSIAN


def test_gb18030_chinese_is_read():
    assert decode_text(CHINESE.encode("gb18030")) == CHINESE


def test_western_windows_text_is_read():
    assert decode_text(WESTERN.encode("cp1252")) == WESTERN


def test_latin1_pound_sign_in_english_text_survives():
    data = "Chelsea paid \xa315.8m for the striker last season.".encode("latin-1")
    assert decode_text(data) == "Chelsea paid £15.8m for the striker last season."


@pytest.mark.skipif(not (CORPORA / "bbc").is_dir(), reason="BBC corpus not available")
def test_bbc_sport_199_keeps_its_pound_sign():
    text = decode_text((CORPORA / "bbc" / "sport" / "199.txt").read_bytes())
    assert "a £15.8m signing from Parma" in text


def test_text_is_nfc_normalised():
    decomposed = unicodedata.normalize("NFD", "Élysée Pudong Café")
    assert decode_text(decomposed.encode()) == "Élysée Pudong Café"


def test_windows_and_old_mac_line_endings_become_newlines():
    assert decode_text(b"Title\r\n\r\nFirst line\rSecond line\r\n") == "Title\n\nFirst line\nSecond line\n"


def test_empty_file_is_refused_as_empty():
    with pytest.raises(ImportFailed, match="^empty file$"):
        decode_text(b"")


def test_blank_file_is_refused_as_empty():
    with pytest.raises(ImportFailed, match="^empty file$"):
        decode_text(b" \r\n\t\n")


def test_image_bytes_are_refused_as_binary():
    rng = random.Random(7)
    data = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(2000))
    with pytest.raises(ImportFailed, match="^binary file, not text$"):
        decode_text(data)


def test_binary_junk_without_zero_bytes_is_refused_as_binary():
    rng = random.Random(11)
    data = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises(ImportFailed, match="^binary file, not text$"):
        decode_text(data)


ARTICLE = ("Harbin and Tomsk sign a deal\n\nThe two universities will share a laboratory for new materials, "
           "and their students will spend a term in each other's city from next autumn.\n")


def test_a_stray_nul_inside_a_text_is_removed_and_noted():
    data = ARTICLE.encode()
    read = read_text(data[:40] + b"\x00" + data[40:])
    assert read == (ARTICLE, ("1 NUL byte removed",))


def test_nul_padding_at_the_end_of_a_text_is_removed_and_noted():
    read = read_text(RUSSIAN.encode("cp1251") + b"\x00" * 4096)
    assert read == (RUSSIAN, ("4,096 NUL bytes removed",))


@pytest.mark.parametrize("head", [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n"])
def test_binary_bytes_with_as_few_nuls_as_a_text_may_hold_are_still_refused(head):
    rng = random.Random(3)
    body = bytes(rng.randrange(1, 256) for _ in range(20_000))
    data = head + b"\x00".join(body[i:i + 500] for i in range(0, len(body), 500))
    with pytest.raises(ImportFailed, match="^binary file, not text$"):
        read_text(data)


def test_a_text_with_more_than_one_nul_in_a_hundred_bytes_is_refused_as_binary():
    data = b"\x00".join(ARTICLE.encode()[i:i + 50] for i in range(0, len(ARTICLE), 50))
    with pytest.raises(ImportFailed, match="^binary file, not text$"):
        read_text(data)


@pytest.mark.parametrize(("written", "read"), [
    ("Beyonc&#233; sang", "Beyoncé sang"), ("&lt;BAC&gt; said", "<BAC> said"), ("AT&amp;T", "AT&T"),
    ("&#x4e2d;&#22269;", "中国"), ("AT&T and R&D, &copy; 2005", "AT&T and R&D, &copy; 2005"),
    ("&#0; &#xD800; stay", "&#0; &#xD800; stay"),
])
def test_character_references_left_in_plain_text_are_read_as_their_characters(written, read):
    from desktop.core.encoding import without_character_references

    assert without_character_references(written) == read


def test_a_text_file_with_references_left_by_a_converter_imports_as_a_person_reads_it(tmp_path):
    """BBC files hold "Beyonc&#233;" and Reuters "&lt;BAC>": the reader and the entity list showed
    the references ("Blair&#191;s" as a person)."""
    from pathlib import Path

    from desktop.core.formats import parser_for

    path = Path(tmp_path / "a.txt")
    data = "Singer wins award\n\nBeyonc&#233; won the award, &lt;BAC&gt; shares rose 5&#37;.\n".encode()
    [article] = parser_for(path)(data, path).articles
    assert article.text == "Beyoncé won the award, <BAC> shares rose 5%."


@pytest.mark.parametrize("data", [
    "Сотрудничество в науке\r\nJoint work.\n".encode() * 50,
    "Новосибирск и Харбин\n".encode("cp1251") + "Сотрудничество\n".encode() * 40,
    ("Наука\n合作\n" * 60).encode("utf-16"),
    ("Наука\n" * 60).encode("utf-16-le"),
    b"one long line without a break " * 20,
], ids=["utf-8", "utf-8 with windows-1251 lines", "utf-16", "utf-16 without bom", "one line"])
def test_decoded_pieces_are_the_decoded_text_in_pieces_of_whole_lines(data):
    pieces = list(decoded_pieces(data, size=64))
    assert "".join(text for text, _ in pieces) == decode_bytes(data)
    assert all(text.endswith("\n") for text, _ in pieces[:-1])
    ends = [end for _, end in pieces]
    assert ends == sorted(ends) and ends[-1] == len(data)


def test_decoded_pieces_of_utf8_need_not_end_at_a_line_break_and_never_cut_a_character():
    data = ("Сотрудничество 合作 " * 200).encode()
    pieces = list(decoded_pieces(data, size=7, whole_lines=False))
    assert "".join(text for text, _ in pieces) == decode_bytes(data) and len(pieces) > 100
