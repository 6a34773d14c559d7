"""The lines of `dossier list`, `search`, `entities`, `stories`, `imports` and `highlights` fit a
terminal 80 columns wide (a Chinese character takes two), list, search, stories and highlights one 30
columns wide too, and they stay whole when piped to a program."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from tests.cli.helpers import run, run_with_stdout_on_terminal
from tests.conftest import SEEDS

LONG_TITLE = "Innovation in biomedicine require willingness to share technologies: official"
CHINESE_TITLE = "中俄科学家在哈尔滨讨论人工智能与生物医药联合研究计划"


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("width")
    articles = folder / "articles"
    shutil.copytree(SEEDS, articles)
    body = "哈尔滨会议讨论了合作。" * 30
    (articles / "chinese.txt").write_text(f"{CHINESE_TITLE}\n\n{body}\n", encoding="utf-8")
    path = str(folder / "w.sqlite")
    run("--library", path, "import", str(articles))
    return path


@pytest.mark.parametrize("command", [["list"], ["search", "Harbin OR 哈尔滨 OR biomedicine"], ["entities"],
                                     ["stories", "--min-size", "1"], ["imports"]])
def test_every_line_fits_a_terminal_80_columns_wide(library, command):
    status, shown = run_with_stdout_on_terminal("--library", library, *command)
    assert status == 0
    lines = shown.splitlines()
    assert lines and max(_cells(line) for line in lines) <= 80, shown


@pytest.mark.parametrize("command", [["list"], ["search", "Harbin OR 哈尔滨 OR biomedicine"],
                                     ["stories", "--min-size", "1"]])
def test_on_a_terminal_30_columns_wide_the_outlet_and_date_make_way_for_the_title(library, command):
    """Lines of 40 cells and more broke across two lines of a narrow terminal: the id, date and
    outlet columns kept their width and the title kept ten cells whatever the room."""
    status, shown = run_with_stdout_on_terminal("--library", library, *command, columns=30)
    assert status == 0
    lines = shown.splitlines()
    assert lines and max(_cells(line) for line in lines) <= 30, shown
    assert any("Innovation in bio" in line for line in lines), shown


def test_a_title_too_long_for_the_terminal_is_cut_with_an_ellipsis(library):
    _, shown = run_with_stdout_on_terminal("--library", library, "list")
    (english,) = [line for line in shown.splitlines() if "Innovation in biomedicine" in line]
    (chinese,) = [line for line in shown.splitlines() if CHINESE_TITLE[:6] in line]
    assert english.endswith("…") and LONG_TITLE not in english
    assert chinese.endswith("…") and _cells(chinese) in (79, 80)


def test_a_search_snippet_is_wrapped_under_its_article(library):
    _, shown = run_with_stdout_on_terminal("--library", library, "search", "哈尔滨")
    title, *snippet = shown.splitlines()
    assert CHINESE_TITLE[:6] in title and len(snippet) > 1
    assert all(line.startswith(" " * 8) and line[8] != " " for line in snippet)


def test_the_folders_of_an_import_run_too_long_for_the_terminal_go_on_the_next_line(library):
    folder = str(Path(library).parent / "articles")
    _, shown = run_with_stdout_on_terminal("--library", library, "imports", columns=60)
    first, *rest = shown.splitlines()
    assert first.endswith("0 failed") and rest == [f"       {folder}"]
    assert run("--library", library, "imports").stdout.splitlines()[0].endswith(f"failed  {folder}")


def test_a_long_highlight_is_wrapped_under_itself_on_a_terminal_and_one_line_when_piped(library):
    run("--library", library, "annotate", "1", "--start", "0", "--end", "400", "--note", "key claim")
    _, shown = run_with_stdout_on_terminal("--library", library, "highlights", "1")
    first, *rest = shown.splitlines()
    assert first.startswith("     1  yellow          “") and len(rest) >= 4
    assert all(line.startswith(" " * 24) and line[24] != " " for line in rest) and rest[-1].endswith("— key claim")
    assert max(_cells(line) for line in shown.splitlines()) <= 80
    piped = run("--library", library, "highlights", "1").stdout.splitlines()
    assert len(piped) == 1 and piped[0].endswith("” — key claim")


def test_on_a_terminal_30_columns_wide_the_colour_of_a_highlight_makes_way_for_its_quote(library):
    """The id and colour took 24 cells and the quote kept ten whatever the room: lines of 34 cells."""
    run("--library", library, "annotate", "2", "--start", "0", "--end", "200", "--note", "narrow")
    _, shown = run_with_stdout_on_terminal("--library", library, "highlights", "2", columns=30)
    first, *rest = shown.splitlines()
    assert max(_cells(line) for line in shown.splitlines()) <= 30, shown
    assert first[:6].strip().isdigit() and first[6:9] == "  “" and "yellow" not in shown and len(rest) >= 6
    assert all(line.startswith(" " * 8) and line[8] != " " for line in rest) and rest[-1].endswith("— narrow")
    _, wide = run_with_stdout_on_terminal("--library", library, "highlights", "2")
    assert "  yellow          “" in wide.splitlines()[0]


def test_piped_lines_are_printed_whole(library):
    listed = run("--library", library, "list").stdout
    assert LONG_TITLE in listed and CHINESE_TITLE in listed
    found = run("--library", library, "search", "哈尔滨").stdout.splitlines()
    assert len(found) == 2 and CHINESE_TITLE in found[0]
