"""A title Dossier made of an article's first sentence (Chinese above all) is the whole sentence:
show, list, search and --json print it whole; a terminal cuts it to its width; title: finds its words."""

from __future__ import annotations

import json
import re

import pytest

from tests.cli.helpers import run, run_with_stdout_on_terminal
from tests.conftest import CORPORA

ARTICLE = CORPORA / "multilingual" / "zh" / "uner_gsdsimp_train_011.txt"


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> str:
    if not ARTICLE.exists():
        pytest.skip("the shared corpora are not here")
    path = tmp_path_factory.mktemp("titles") / "x.sqlite"
    run("--library", str(path), "import", str(ARTICLE), "--no-entities", "--quiet")
    return str(path)


@pytest.fixture(scope="module")
def stored(library) -> dict:
    article = json.loads(run("--library", library, "show", "1", "--json").stdout)
    return article


@pytest.fixture(scope="module")
def whole(stored) -> str:
    """The article's first sentence, without its full stop."""
    return re.match(r"[^。！？；\n]+", stored["text"]).group(0)


def test_show_prints_the_whole_first_sentence_as_the_title(library, stored, whole):
    assert run("--library", library, "show", "1").stdout.splitlines()[0] == whole
    assert stored["title"] == whole


def test_list_and_search_piped_print_the_whole_title_and_json_too(library, whole):
    title = whole
    assert run("--library", library, "list").stdout.rstrip().endswith(f"  {title}")
    assert run("--library", library, "search", "联盟").stdout.splitlines()[0].endswith(f"  {title}")
    assert json.loads(run("--library", library, "list", "--json").stdout)[0]["title"] == title


def test_title_search_finds_a_word_near_the_end_of_a_whole_first_sentence(library, whole):
    word = whole[-4:]
    hits = json.loads(run("--library", library, "search", f"title:{word}", "--json").stdout)
    assert [hit["id"] for hit in hits] == [1]


def test_list_on_a_wide_terminal_shows_the_whole_title_and_on_a_narrow_one_cuts_it(library, whole):
    title = whole
    assert run_with_stdout_on_terminal("--library", library, "list", columns=300)[1].rstrip().endswith(title)
    narrow = run_with_stdout_on_terminal("--library", library, "list", columns=80)[1].rstrip()
    assert narrow.endswith("…") and title.startswith(narrow.split("  ")[-1].strip(" …"))


def test_stories_piped_print_the_whole_titles_of_their_articles(tmp_path, whole):
    folder = tmp_path / "copies"
    folder.mkdir()
    text = ARTICLE.read_text(encoding="utf-8")
    (folder / "uner_copy_001.txt").write_text(text, encoding="utf-8")
    (folder / "uner_copy_002.txt").write_text(text + "\n补充一句。\n", encoding="utf-8")
    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(folder), "--no-entities", "--quiet")
    lines = run("--library", library, "stories", "--group", "--quiet").stdout.splitlines()
    assert lines[0].startswith("story") and [line.endswith(f"  {whole}") for line in lines[1:]] == [True, True]
