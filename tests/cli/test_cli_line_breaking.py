"""Wrapped lines on a terminal follow the usual rule of Chinese line breaking: no line starts
with closing punctuation (，。、；：？！）」』》) and none ends with opening punctuation (（「『《)."""

from __future__ import annotations

import pytest

from desktop.cli_common import NO_LINE_END, NO_LINE_START, wrapped
from tests.cli.helpers import run, run_with_stdout_on_terminal
from tests.conftest import CORPORA

CHINESE = CORPORA / "multilingual" / "zh"


def _broken_wrongly(lines: list[str]) -> list[str]:
    starts = [line for line in lines[1:] if line.strip()[:1] in tuple(NO_LINE_START)]
    ends = [line for line in lines[:-1] if line.rstrip()[-1:] in tuple(NO_LINE_END)]
    return starts + ends


def test_a_search_on_a_terminal_never_starts_a_snippet_line_with_closing_punctuation(tmp_path):
    if not CHINESE.exists():
        pytest.skip("the shared corpora are not here")
    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(CHINESE), "--no-entities", "--quiet")
    for columns in range(40, 81, 3):
        status, shown = run_with_stdout_on_terminal("--library", library, "search", "组织", "--limit", "40",
                                                    columns=columns)
        snippets: list[list[str]] = []
        for line in shown.splitlines():  # each article's line, then its snippet's lines under it
            if line.startswith(" " * 8):
                snippets[-1].append(line)
            else:
                snippets.append([])
        assert status == 0 and len([lines for lines in snippets if len(lines) > 1]) > 10
        assert [line for lines in snippets for line in _broken_wrongly(lines)] == [], columns


@pytest.mark.parametrize("text, width, lines", [
    ("一二三四五六七八，九十", 16, ["一二三四五六七", "八，九十"]),
    ("一二三四五六七「八」九十", 16, ["一二三四五六七", "「八」九十"]),
    ("，，，，，，，，", 10, ["，，，，，", "，，，"]),
], ids=["comma kept after its character", "opening quote moved down", "nothing else to break at"])
def test_wrapping_moves_a_character_down_rather_than_start_a_line_with_closing_punctuation(text, width, lines):
    assert wrapped(text, width, indent="") == lines
