"""`dossier export` takes the filters `dossier search` takes (--tag, --source, --language, --entity,
--since, --until), so what a search on the command line narrowed is what gets exported."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.cli.helpers import run
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("export-filters") / "x.sqlite")
    run("--library", path, "import", str(SEEDS), "--no-entities", "--quiet")
    run("--library", path, "tag", "1", "4", "--add", "Biomedicine")
    run("--library", path, "annotate", "1", "--start", "0", "--end", "20", "--note", "kept")
    run("--library", path, "annotate", "5", "--start", "0", "--end", "20", "--note", "not tagged")
    return path


def _csv_ids(library: str, *options: str) -> list[int]:
    out = run("--library", library, "export", "--format", "csv", "--out", "-", "--quiet", *options).stdout
    return sorted(int(row["id"]) for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))


def test_a_tag_exports_only_the_tagged_articles(library):
    assert _csv_ids(library, "--tag", "biomedicine") == [1, 4]


def test_an_outlet_and_a_date_range_export_what_search_lists(library):
    assert _csv_ids(library, "--source", "Xinhua") == [1]
    assert _csv_ids(library, "--since", "2017", "--until", "2017-12") == [1, 4]


def test_a_filter_and_a_query_together(library):
    assert _csv_ids(library, "--tag", "Biomedicine", "--query", "alliance") == [4]


def test_annotations_and_markdown_keep_to_the_filtered_articles(library):
    out = run("--library", library, "export", "--format", "annotations", "--out", "-", "--quiet",
              "--tag", "Biomedicine").stdout
    notes = [body["value"] for item in json.loads(out)["first"]["items"] for body in item["body"]
             if body.get("purpose") == "commenting"]
    assert notes == ["kept"]
    markdown = run("--library", library, "export", "--format", "markdown", "--out", "-", "--quiet",
                   "--tag", "Biomedicine").stdout
    assert "kept" in markdown and "not tagged" not in markdown


def test_a_tag_no_article_has_writes_nothing_and_says_why(library, tmp_path):
    out = tmp_path / "x.csv"
    result = run("--library", library, "export", "--format", "csv", "--out", str(out), "--tag", "biomedecine")
    assert "no article has the tag 'biomedecine'" in result.stderr
