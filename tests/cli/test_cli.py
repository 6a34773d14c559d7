"""The `dossier` console script as users and scripts call it: exit codes, JSON shapes, messages."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.helpers import DOSSIER, run
from tests.conftest import CORPORA, SEEDS


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "x.sqlite"
    run("--library", str(path), "import", str(SEEDS), "--json")
    return path


def test_version_prints_name_and_version():
    from desktop import __version__

    assert run("--version").stdout.strip() == f"Dossier {__version__}"


def test_import_json_reports_five_seeds_then_five_unchanged_not_duplicates(tmp_path):
    lib = str(tmp_path / "x.sqlite")
    first = json.loads(run("--library", lib, "import", str(SEEDS), "--json", "--no-entities").stdout)
    assert first == {"imported": 5, "updated": 0, "unchanged": 0, "duplicates": 0, "failed": [], "missing": []}
    again = json.loads(run("--library", lib, "import", str(SEEDS), "--json", "--no-entities").stdout)
    assert again == {"imported": 0, "updated": 0, "unchanged": 5, "duplicates": 0, "failed": [], "missing": []}


def test_list_json_shows_seed_metadata(seeded):
    rows = json.loads(run("--library", str(seeded), "list", "--json").stdout)
    assert len(rows) == 5
    assert set(rows[0]) >= {"id", "title", "published", "source", "author", "path", "tags", "word_count"}
    by_title = {r["title"]: r for r in rows}
    alliance = by_title["Biomedical international alliance built for Belt and Road Initiative"]
    assert alliance["published"] == "2017-09-15"
    assert alliance["author"] == "Meng Fanbin"
    assert by_title["China-Russia scientific cooperation deepens"]["published"] is None
    assert by_title["Video Conference on China-Russia Sci-Tech Cooperation Held"]["source"] == "CCFAO"


def test_search_json_finds_a_seed_with_snippet(seeded):
    hits = json.loads(run("--library", str(seeded), "search", "Rudskoy", "--json").stdout)
    assert [h["title"] for h in hits] == [
        "Innovation in biomedicine require willingness to share technologies: official"
    ]
    assert "Rudskoy" in hits[0]["snippet"]


def test_search_with_broken_syntax_never_shows_a_traceback(seeded):
    for query in ['"unbalanced', "AND", "*", "(((", "-", "title:"]:
        result = run("--library", str(seeded), "search", query, check=None)
        assert result.returncode in (0, 2), query
        assert "Traceback" not in result.stderr


def test_search_filters_by_source_and_date(seeded):
    lib = str(seeded)
    hits = json.loads(run("--library", lib, "search", "China", "--source", "CCFAO", "--json").stdout)
    assert {h["source"] for h in hits} == {"CCFAO"}
    hits = json.loads(run("--library", lib, "search", "cooperation", "--since", "2021-01-01", "--json").stdout)
    assert [h["published"] for h in hits] == ["2021-03-30"]


def test_show_json_has_text_and_list_fields(seeded):
    rows = json.loads(run("--library", str(seeded), "list", "--json").stdout)
    shown = json.loads(run("--library", str(seeded), "show", str(rows[0]["id"]), "--json").stdout)
    assert {field: shown.get(field) for field in rows[0]} == rows[0]  # the story id too
    assert shown["text"] and isinstance(shown["entities"], list) and isinstance(shown["annotations"], list)


def test_show_unknown_id_fails_with_one_line(seeded):
    result = run("--library", str(seeded), "show", "9999", check=1)
    assert result.stderr.strip().count("\n") == 0
    assert "9999" in result.stderr


@pytest.mark.parametrize("command, argument, wrong", [
    (["show", "abc"], "ID", "abc"), (["tag", "1", "x1", "--add", "t"], "ID", "x1"),
    (["highlights", "one"], "ID", "one"), (["note", "1.5", "text"], "ID", "1.5"),
    (["unhighlight", "abc"], "HID", "abc"), (["annotate", "1", "--start", "abc", "--end", "3"], "--start", "abc"),
])
def test_an_id_or_offset_that_is_not_a_number_is_a_usage_error_saying_so(seeded, command, argument, wrong):
    result = run("--library", str(seeded), *command, check=2)
    assert result.stderr == (f"dossier {command[0]}: argument {argument}: not a number: {wrong!r}; "
                             f"see dossier {command[0]} --help\n")


def test_usage_error_exits_2():
    assert run("show", "not-a-number", check=2).stderr
    assert run("frobnicate", check=2).stderr


def test_import_of_missing_path_is_a_usage_error(tmp_path):
    result = run("--library", str(tmp_path / "x.sqlite"), "import", str(tmp_path / "nope"), check=2)
    assert "nope" in result.stderr


def test_import_of_a_link_to_nothing_says_where_it_leads(tmp_path):
    """Before, a link given by name was refused as "no such file or folder"."""
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    result = run("--library", str(tmp_path / "x.sqlite"), "import", str(tmp_path / "gone.txt"),
                 "--no-entities", check=1)
    assert f"failed: {tmp_path / 'gone.txt'}: a link to something that is not there: " \
           f"{tmp_path / 'nowhere.txt'}" in result.stdout


def test_not_a_library_fails_with_message_and_leaves_file(tmp_path):
    path = tmp_path / "essay.txt"
    path.write_text("my essay")
    result = run("--library", str(path), "list", check=1)
    assert "not a Dossier library" in result.stderr and "Traceback" not in result.stderr
    assert path.read_text() == "my essay"


def test_default_library_gets_the_sample_corpus_on_first_use(dossier_home):
    rows = json.loads(run("list", "--json", env={"DOSSIER_HOME": str(dossier_home)}).stdout)
    assert len(rows) == 5
    assert (dossier_home / "library.sqlite").exists()


def test_dossier_library_variable_picks_the_file(tmp_path):
    target = tmp_path / "chosen.sqlite"
    run("import", str(SEEDS), "--no-entities", env={"DOSSIER_LIBRARY": str(target)})
    rows = json.loads(run("list", "--json", env={"DOSSIER_LIBRARY": str(target)}).stdout)
    assert len(rows) == 5 and target.exists()


def test_bbc_file_with_latin1_pound_sign_imports_intact(tmp_path):
    lib = str(tmp_path / "x.sqlite")
    report = json.loads(
        run("--library", lib, "import", str(CORPORA / "bbc" / "sport" / "199.txt"), "--json", "--no-entities").stdout
    )
    assert report["imported"] == 1
    doc = json.loads(run("--library", lib, "show", "1", "--json").stdout)
    assert "£" in doc["text"]


def test_gui_smoke_test_builds_the_window_over_a_new_default_library(dossier_home):
    env = {"DOSSIER_HOME": str(dossier_home), "QT_QPA_PLATFORM": "offscreen"}
    result = run("gui", "--smoke-test", env=env)
    assert "5 articles listed" in result.stdout


def test_gui_without_a_display_says_so_in_one_line(dossier_home):
    env = {**os.environ, "DOSSIER_HOME": str(dossier_home)}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    result = subprocess.run([DOSSIER, "gui"], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("dossier: no display")
    assert "\n" not in result.stderr.strip()


def test_gui_smoke_test_on_a_corrupt_library_fails_with_the_reason(tmp_path):
    path = tmp_path / "corrupt.sqlite"
    path.write_bytes(b"\x00garbage" * 100)
    result = run("--library", str(path), "gui", "--smoke-test", env={"QT_QPA_PLATFORM": "offscreen"}, check=1)
    assert "not a Dossier library" in result.stderr and "Traceback" not in result.stderr


def test_search_by_two_entities_keeps_articles_mentioning_both(seeded):
    lib = str(seeded)
    one = json.loads(run("--library", lib, "search", "", "--entity", "PERSON:Zhang Zhijun", "--json").stdout)
    both = json.loads(run("--library", lib, "search", "", "--entity", "PERSON:Zhang Zhijun",
                          "--entity", "PERSON:Andrei Rudskoy", "--json").stdout)
    assert [h["title"] for h in one] == ["Video Conference on China-Russia Sci-Tech Cooperation Held"]
    assert both == []


def test_export_jsonl_writes_every_article_and_says_where(seeded, tmp_path):
    out = tmp_path / "all.jsonl"
    result = run("--library", str(seeded), "export", "--format", "jsonl", "--out", str(out))
    assert result.stdout == f"wrote 5 articles to {out}\n" and result.stderr == ""
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and all(row["title"] for row in rows)


def test_entities_of_an_unknown_type_is_a_usage_error_listing_the_types_the_library_has(seeded):
    result = run("--library", str(seeded), "entities", "--label", "FOO", check=2)
    used = json.loads(run("--library", str(seeded), "entities", "--json").stdout)
    types = ", ".join(sorted({row["label"] for row in used}))
    assert result.stdout == ""
    assert result.stderr == f"dossier entities: --label FOO is not a type of entity: the library has {types}; see dossier entities --help\n"


def test_entities_of_a_known_type_the_library_lacks_says_so_on_stderr(seeded):
    from desktop.core.entities.pipeline import KEPT_LABELS

    used = {row["label"] for row in json.loads(run("--library", str(seeded), "entities", "--json").stdout)}
    lacking = sorted(KEPT_LABELS - used)[0]
    result = run("--library", str(seeded), "entities", "--label", lacking.lower())
    assert result.stdout == "" and result.stderr.startswith(f"dossier: no {lacking} entities: the library has ")


def _cells(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in line)


def test_list_keeps_its_columns_when_a_source_is_written_in_chinese(tmp_path):
    (tmp_path / "zh.txt").write_text(
        "中俄科技合作论坛在京举行\n\n新华社北京3月1日电（记者王春雨）中俄两国科学家一日在北京举行论坛，"
        "讨论生物医学领域的合作。双方同意扩大联合研究项目。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text(
        "Forum on science held in Beijing\n\nBEIJING, March 1 (Reuters) - Scientists of the two "
        "countries met in Beijing on Monday to discuss cooperation in biomedicine.\n", encoding="utf-8")
    lib = str(tmp_path / "x.sqlite")
    run("--library", lib, "import", str(tmp_path), "--no-entities")
    lines = run("--library", lib, "list").stdout.splitlines()
    titles = {"中俄科技合作论坛在京举行", "Forum on science held in Beijing"}
    starts = {_cells(line[: line.index(title)]) for line in lines for title in titles if title in line}
    assert any("新华社" in line for line in lines)
    assert len(starts) == 1, lines


def test_a_column_is_cut_and_padded_by_the_cells_a_terminal_gives_each_character():
    from desktop.cli_common import columns

    assert columns("新华社", 10) == "新华社    "
    assert columns("中国新闻网新闻中心", 9, cut=True) == "中国新闻 "
    assert columns("TASS", 6) == "TASS  "


def test_import_names_each_duplicate_file_and_the_article_it_repeats(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = (SEEDS / sorted(p.name for p in SEEDS.iterdir())[0]).read_text(encoding="utf-8")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "copy of a.txt").write_text(text, encoding="utf-8")
    lib = str(tmp_path / "x.sqlite")
    out = run("--library", lib, "import", str(folder), "--no-entities").stdout
    title = json.loads(run("--library", lib, "list", "--json").stdout)[0]["title"]
    assert out.splitlines()[:2] == ["1 imported, 1 duplicate, 0 failed",
                                    f"  {folder / 'copy of a.txt'}: duplicate of article 1 “{title}”"]


def test_show_counts_a_chinese_article_in_characters_and_one_word_as_a_word(tmp_path):
    (tmp_path / "zh.txt").write_text("中俄科技合作论坛在京举行\n\n中俄两国科学家一日在北京举行论坛。\n", encoding="utf-8")
    (tmp_path / "one.txt").write_text("Headline\n\nHello.\n", encoding="utf-8")
    lib = str(tmp_path / "x.sqlite")
    run("--library", lib, "import", str(tmp_path), "--no-entities")
    by_title = {row["title"]: row for row in json.loads(run("--library", lib, "list", "--json").stdout)}
    chinese = by_title["中俄科技合作论坛在京举行"]
    shown = run("--library", lib, "show", str(chinese["id"])).stdout.splitlines()
    assert shown[1].endswith(f"{chinese['word_count']} characters")
    assert run("--library", lib, "show", str(by_title["Headline"]["id"])).stdout.splitlines()[1] == "1 word"


def test_entities_keep_their_columns_with_a_long_type_a_long_name_and_a_chinese_one(seeded, tmp_path):
    import sqlite3

    path = tmp_path / "x.sqlite"
    path.write_bytes(seeded.read_bytes())
    with sqlite3.connect(path) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM entities ORDER BY id LIMIT 3")]
        conn.execute("UPDATE entities SET label = 'WORK_OF_ART' WHERE id = ?", (ids[0],))
        conn.execute("UPDATE entities SET name = 'The Russian Academy of Sciences Institute of Theoretical "
                     "and Experimental Physics' WHERE id = ?", (ids[1],))
        conn.execute("UPDATE entities SET name = '中国科学院' WHERE id = ?", (ids[2],))
    conn.close()
    rows = json.loads(run("--library", str(path), "entities", "--json").stdout)
    lines = run("--library", str(path), "entities").stdout.splitlines()
    assert len(lines) == len(rows)
    assert {_cells(line[: line.index(" article")]) for line in lines} == {_cells(lines[0][: lines[0].index(" article")])}
    assert {_cells(line) - _cells(row["name"]) for line, row in zip(lines, rows)} == {
        _cells(lines[0]) - _cells(rows[0]["name"])}
    assert all(line.endswith(row["name"]) for line, row in zip(lines, rows))


def test_an_option_the_command_does_not_take_is_refused_naming_the_command_and_its_help():
    result = run("show", "1", "--limit", "3", check=2)
    assert result.stderr == "dossier show: unrecognized arguments: --limit 3; see dossier show --help\n"
    assert run("--bogus", check=2).stderr == "dossier: unrecognized arguments: --bogus; see dossier --help\n"


def test_show_names_the_language_of_the_article_under_its_headline(tmp_path):
    (tmp_path / "ru.txt").write_text(
        "Российские и китайские учёные открыли совместный центр\n\n"
        "В Новосибирске российские и китайские учёные открыли совместный научный центр, "
        "где будут работать над новыми материалами и лекарствами.\n", encoding="utf-8")
    lib = str(tmp_path / "x.sqlite")
    run("--library", lib, "import", str(tmp_path / "ru.txt"), "--no-entities")
    shown = json.loads(run("--library", lib, "show", "1", "--json").stdout)
    assert shown["language"] == "ru"
    assert run("--library", lib, "show", "1").stdout.splitlines()[1] == f"Russian · {shown['word_count']} words"


def test_show_gives_the_articles_note_and_how_many_highlights_it_has_above_its_text(tmp_path):
    lib = str(tmp_path / "x.sqlite")
    run("--library", lib, "import", str(SEEDS), "--no-entities")
    run("--library", lib, "note", "1", "Сверить цифры")
    run("--library", lib, "annotate", "1", "--start", "0", "--end", "10")
    lines = run("--library", lib, "show", "1").stdout.splitlines()
    assert lines[2:5] == ["Note: Сверить цифры", "Highlights: 1 (dossier highlights 1 lists them)", ""]
