"""Languages on the command line: list/search JSON carry them, --language filters,
detect-languages fills a library made before detection."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.core.test_language import CHINESE, ENGLISH, RUSSIAN
from tests.core.test_language_fill import MIXED, old_library


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("articles")
    for name, headline, text in (("ru.txt", "Учёные подписали соглашение", RUSSIAN),
                                 ("zh.txt", "中俄科学家签署合作协议", CHINESE),
                                 ("en.txt", "Scientists sign an agreement", ENGLISH)):
        (folder / name).write_text(f"{headline}\n\n{text}\n\n{text}\n", encoding="utf-8")
    path = folder / "library.sqlite"
    run("--library", str(path), "import", str(folder), "--json", "--no-entities")
    return path


def test_list_json_carries_each_articles_language(mixed):
    rows = json.loads(run("--library", str(mixed), "list", "--json").stdout)
    assert sorted(row["language"] for row in rows) == ["en", "ru", "zh"]


def test_search_json_carries_the_language_and_language_filters(mixed):
    lib = str(mixed)
    hits = json.loads(run("--library", lib, "search", "Novosibirsk OR Новосибирске", "--json").stdout)
    assert sorted(hit["language"] for hit in hits) == ["en", "ru"]
    hits = json.loads(run("--library", lib, "search", "Novosibirsk OR Новосибирске", "--language", "RU",
                          "--json").stdout)
    assert [hit["language"] for hit in hits] == ["ru"]
    hits = json.loads(run("--library", lib, "search", "", "--language", "zh", "--language", "English",
                          "--json").stdout)
    assert sorted(hit["language"] for hit in hits) == ["en", "zh"]


def test_a_language_dossier_does_not_know_is_a_usage_error(mixed):
    result = run("--library", str(mixed), "search", "", "--language", "Klingonese", check=None)
    assert result.returncode == 2
    assert "not a language: 'Klingonese'" in result.stderr
    assert "Traceback" not in result.stderr


def test_detect_languages_fills_an_old_library_and_lists_its_languages(tmp_path):
    path, _ = old_library(tmp_path / "old.sqlite", MIXED)
    out = run("--library", str(path), "detect-languages").stdout
    lines = out.splitlines()
    assert lines[0] == "4 articles looked at, 3 given a language"
    assert [line.split()[1:] for line in lines[1:]] == [
        ["de", "German"], ["en", "English"], ["ru", "Russian"], ["zh", "Chinese"], ["—", "unknown"]]
    assert run("--library", str(path), "detect-languages").stdout.startswith("0 articles looked at")
