"""`dossier stories`, the `story` id of list and search, and one row per story in exports."""

from __future__ import annotations

import csv
import json
import random
import sqlite3
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.stories_variants import ENGLISH, outlet_copy, random_text


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    """A library with one story in three outlets' copies and one unrelated article."""
    folder = tmp_path_factory.mktemp("outlets")
    rng = random.Random(29)
    text = random_text(rng, ENGLISH)
    (folder / "1-agency.txt").write_text(f"Talks continue\n\n{text}", encoding="utf-8")
    for n in (2, 3):
        title, copy = outlet_copy("Talks continue", text, rng, vocabulary=ENGLISH)
        (folder / f"{n}-outlet.txt").write_text(f"{title}\n\n{copy}", encoding="utf-8")
    (folder / "4-other.txt").write_text(f"Other news\n\n{random_text(rng, ENGLISH)} zebra", encoding="utf-8")
    path = folder / "lib.sqlite"
    run("--library", str(path), "import", str(folder), "--no-entities", "--json")
    return path


def _story_of_each(path: Path) -> dict[str, int]:
    rows = json.loads(run("--library", str(path), "list", "--json").stdout)
    return {Path(r["path"]).name: r["story"] for r in rows}


def test_stories_json_lists_the_story_carried_three_times(copies):
    stories = json.loads(run("--library", str(copies), "stories", "--json").stdout)
    assert [s["size"] for s in stories] == [3]
    assert len(json.loads(run("--library", str(copies), "stories", "--min-size", "1", "--json").stdout)) == 2


def test_list_and_search_json_carry_the_story_id(copies):
    story = _story_of_each(copies)
    assert story["1-agency.txt"] == story["2-outlet.txt"] == story["3-outlet.txt"] != story["4-other.txt"]
    hits = json.loads(run("--library", str(copies), "search", "zebra", "--json").stdout)
    assert [h["story"] for h in hits] == [story["4-other.txt"]]


def test_export_keeps_one_row_per_story(copies, tmp_path):
    out = tmp_path / "out.csv"
    run("--library", str(copies), "export", "--format", "csv", "--out", str(out), "--one-per-story")
    with out.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 2 and len({r["story"] for r in rows}) == 2


def test_corrections_from_the_command_line_change_the_story(tmp_path, copies):
    path = tmp_path / "lib.sqlite"
    path.write_bytes(copies.read_bytes())
    story = _story_of_each(path)
    ids = {Path(r["path"]).name: r["id"] for r in json.loads(run("--library", str(path), "list", "--json").stdout)}
    run("--library", str(path), "stories", "--separate", str(ids["3-outlet.txt"]))
    assert _story_of_each(path)["3-outlet.txt"] == ids["3-outlet.txt"]
    run("--library", str(path), "stories", "--original", str(ids["2-outlet.txt"]))
    assert _story_of_each(path)["1-agency.txt"] == ids["2-outlet.txt"] != story["1-agency.txt"]


def test_each_correction_says_what_it_did_in_one_dossier_line(tmp_path, copies):
    """``--same`` wrote the window's undo label ("Same story: 'Talks continue'") without ``dossier:``."""
    path = tmp_path / "lib.sqlite"
    path.write_bytes(copies.read_bytes())
    ids = {Path(r["path"]).name: r["id"] for r in json.loads(run("--library", str(path), "list", "--json").stdout)}
    copy, other, first = ids["3-outlet.txt"], ids["4-other.txt"], ids["2-outlet.txt"]
    said = [run("--library", str(path), "stories", *argv).stderr for argv in (
        ["--separate", str(copy)], ["--same", str(copy), str(other)], ["--original", str(first)])]
    assert said == [f"dossier: article {copy} left its story\n",
                    f"dossier: articles {copy} and {other} are one story now\n",
                    f"dossier: article {first} is its story's original now\n"]


def _changed_copy(tmp_path, library, *statements: str):
    """A copy of ``library`` with ``statements`` run on it."""
    path = tmp_path / "lib.sqlite"
    path.write_bytes(library.read_bytes())
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)
    return path


def test_an_ungrouped_library_is_named_then_grouped_with_group(tmp_path, copies):
    path = _changed_copy(tmp_path, copies, "DELETE FROM story_members", "DELETE FROM story_signatures")
    waiting = run("--library", str(path), "stories")
    assert "4 articles are not grouped yet" in waiting.stderr
    grouped = json.loads(run("--library", str(path), "stories", "--group", "--json").stdout)
    assert [s["size"] for s in grouped] == [3]


def test_a_correction_of_an_unknown_article_is_one_line(copies):
    result = run("--library", str(copies), "stories", "--separate", "9999", check=1)
    assert result.stderr == "dossier: no article with id 9999\n" and "Traceback" not in result.stderr


def test_stories_keep_their_columns_when_an_outlet_is_written_in_chinese_and_say_1_article(tmp_path, copies):
    import unicodedata

    path = _changed_copy(tmp_path, copies,
                         "UPDATE documents SET source = '中国新闻网新闻中心国际新闻部' WHERE path LIKE '%2-outlet.txt'",
                         "UPDATE documents SET source = 'TASS' WHERE path LIKE '%3-outlet.txt'")
    lines = run("--library", str(path), "stories", "--min-size", "1").stdout.splitlines()
    articles = [line for line in lines if not line.startswith("story")]
    titles = [json.loads(run("--library", str(path), "show", line.split()[0], "--json").stdout)["title"]
              for line in articles]
    starts = {sum(2 if unicodedata.east_asian_width(c) == "W" else 1 for c in line[: line.index(title)])
              for line, title in zip(articles, titles)}
    assert len(starts) == 1, lines
    assert any(line.startswith("story") and " 1 article " in line for line in lines), lines


def test_grouping_stopped_by_ctrl_c_says_so_and_exits_1(tmp_path, copies, monkeypatch, capsys):
    from desktop.cli import main
    from desktop.core import stories

    path = tmp_path / "lib.sqlite"
    path.write_bytes(copies.read_bytes())
    monkeypatch.setattr(stories, "group_library",
                        lambda *_a, **_k: stories.GroupingReport(grouped=1_500, cancelled=True))
    assert main(["--library", str(path), "stories", "--group"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == "dossier: cancelled: 1,500 articles grouped; dossier stories --group groups the others\n"
