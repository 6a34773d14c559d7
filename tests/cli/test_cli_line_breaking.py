"""Wrapped lines on a terminal follow the usual rule of Chinese line breaking: no line starts
with closing punctuation (，。、；：？！）」』》) and none ends with opening punctuation (（「『《);
a Latin word or a number within Chinese text is never broken (unless it alone is wider than
the line)."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize("text, width, lines", [
    ("中国与Roscosmos签署合作协议", 10, ["中国与", "Roscosmos", "签署合作协", "议"]),
    ("中国与Roscosmos签署合作协议", 16, ["中国与Roscosmos", "签署合作协议"]),
    ("新华社记者 Li Wei 报道", 12, ["新华社记者", "Li Wei 报道"]),
    ("新华社记者 Li Wei 报道", 14, ["新华社记者 Li", "Wei 报道"]),
    ("据统计2024年增长了3.5%以上", 10, ["据统计2024", "年增长了", "3.5%以上"]),
], ids=["word on its own line", "word kept on the first line", "at spaces", "at the last space that fits",
        "numbers whole"])
def test_wrapping_breaks_between_chinese_characters_and_at_spaces_never_inside_a_latin_word(text, width, lines):
    assert wrapped(text, width, indent="") == lines


def test_a_latin_word_wider_than_the_line_is_cut_to_fit_it():
    assert wrapped("中国Supercalifragilistic合作", 10, indent="") == ["中国", "Supercalif", "ragilistic", "合作"]


def test_chinese_runs_on_after_a_space_to_fill_the_line():
    assert wrapped("记者 李伟报道中国与俄罗斯签署合作协议", 17, indent="") == ["记者 李伟报道中国", "与俄罗斯签署合作", "协议"]


def test_a_search_on_a_terminal_never_breaks_a_latin_word_within_a_chinese_snippet(tmp_path):
    article = tmp_path / "zh.txt"
    article.write_text("航天合作\n\n新华社记者 Li Wei 报道：中国国家航天局与Roscosmos签署合作协议，双方将在月球科研站"
                       "项目上开展合作。中国与Roscosmos签署合作协议后，Roscosmos表示欢迎。\n", encoding="utf-8")
    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(article), "--no-entities", "--quiet")
    for columns in range(30, 61, 3):
        status, shown = run_with_stdout_on_terminal("--library", library, "search", "Roscosmos", columns=columns)
        snippet = [line for line in shown.splitlines() if line.startswith(" " * 8)]
        assert status == 0 and len(snippet) > 1, shown
        words = {word for line in snippet for word in re.findall(r"[A-Za-z]+", line)}
        assert words <= {"Roscosmos", "Li", "Wei"}, (columns, snippet)
