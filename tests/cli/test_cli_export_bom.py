"""CSV to standard output and the UTF-8 byte-order mark a spreadsheet needs to read Russian and Chinese:
there when stdout is redirected to a file (the same bytes as ``--out FILE``) or ``--bom`` asks for it,
not when stdout is piped to another program."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import DOSSIER, TIMEOUT, run

BOM = "\ufeff".encode()


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("bom")
    (folder / "articles").mkdir()
    (folder / "articles" / "ru.txt").write_text("Учёные из Новосибирска\n\nРоссийские и китайские учёные "
                                               "испытали вакцину в Новосибирске.\n", encoding="utf-8")
    (folder / "articles" / "zh.txt").write_text("哈尔滨大学联盟\n\n中俄两国大学在哈尔滨签署联盟协议。\n", encoding="utf-8")
    path = folder / "x.sqlite"
    run("--library", str(path), "import", str(folder / "articles"), "--no-entities", "--quiet")
    return str(path)


def _export_redirected(library: str, out: Path, *extra: str) -> bytes:
    """``dossier export --format csv --out - > out``, as a shell redirects it."""
    with out.open("wb") as stdout:
        subprocess.run([DOSSIER, "--library", library, "export", "--format", "csv", "--out", "-", *extra],
                       stdout=stdout, stderr=subprocess.PIPE, check=True, timeout=TIMEOUT, env=dict(os.environ))
    return out.read_bytes()


def test_csv_redirected_to_a_file_begins_with_the_byte_order_mark_as_an_exported_file_does(library, tmp_path):
    run("--library", library, "export", "--format", "csv", "--out", str(tmp_path / "file.csv"))
    written = (tmp_path / "file.csv").read_bytes()
    redirected = _export_redirected(library, tmp_path / "redirected.csv")
    assert written.startswith(BOM) and redirected == written
    assert "Учёные из Новосибирска" in redirected.decode("utf-8-sig")
    assert "哈尔滨大学联盟" in redirected.decode("utf-8-sig")


def test_csv_piped_to_another_program_has_no_byte_order_mark(library):
    piped = subprocess.run([DOSSIER, "--library", library, "export", "--format", "csv", "--out", "-"],
                           capture_output=True, check=True, timeout=TIMEOUT).stdout
    assert piped.startswith(b"id,title,")


def test_bom_asks_for_the_byte_order_mark_on_a_pipe_too(library):
    piped = subprocess.run([DOSSIER, "--library", library, "export", "--format", "csv", "--out", "-", "--bom"],
                           capture_output=True, check=True, timeout=TIMEOUT).stdout
    assert piped.startswith(BOM + b"id,title,")


def test_jsonl_redirected_to_a_file_has_no_byte_order_mark(library, tmp_path):
    with (tmp_path / "out.jsonl").open("wb") as stdout:
        subprocess.run([DOSSIER, "--library", library, "export", "--format", "jsonl", "--out", "-"],
                       stdout=stdout, stderr=subprocess.PIPE, check=True, timeout=TIMEOUT)
    assert (tmp_path / "out.jsonl").read_bytes().startswith(b'{"id": ')
