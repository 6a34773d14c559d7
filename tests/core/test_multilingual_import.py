"""Import of the Russian and Chinese corpus: every file imports, headline and date read from the header."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.formats.text import parse_text
from desktop.core.ingest import import_paths
from tests.conftest import CORPORA

MULTILINGUAL = CORPORA / "multilingual"
ARTICLE_FOLDERS = ("ru", "ru_cp1251", "zh", "zh_gb18030")
CORPUS_FILES = 522
HEADER_ACCURACY = 0.9

pytestmark = pytest.mark.skipif(not MULTILINGUAL.is_dir(), reason="multilingual corpus not available")


def gold_with_header(lang: str) -> list[dict]:
    """The gold records of the files that carry a headline and a date line."""
    with (MULTILINGUAL / "gold.jsonl").open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return [record for record in records if record["lang"] == lang and "date" in record]


def test_every_corpus_file_imports(library) -> None:
    report = import_paths(library, [MULTILINGUAL / folder for folder in ARTICLE_FOLDERS])
    assert report.failed == []
    assert len(report.imported) == CORPUS_FILES


@pytest.mark.parametrize("lang", ["ru", "zh"])
def test_headline_and_date_are_read_from_the_header_lines(lang: str) -> None:
    records = gold_with_header(lang)
    right = 0
    for record in records:
        path = MULTILINGUAL / record["file"]
        article = parse_text(path.read_bytes(), Path(path)).articles[0]
        right += (article.title, article.published) == (record["title"], record["date"])
    assert records and right / len(records) >= HEADER_ACCURACY
