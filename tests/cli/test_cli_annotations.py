"""`dossier import-annotations FILE [--json]`: W3C annotations exported by one library read into another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import SEEDS


def _library(folder: Path, name: str, *paths: Path) -> str:
    library = str(folder / name)
    run("--library", library, "import", *map(str, paths), "--json", "--no-entities")
    return library


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[Path, dict[int, str]]:
    """The annotations file of a library with two highlights (one with a note) and a tag on a third
    article, and the path each article was imported from, by id."""
    folder = tmp_path_factory.mktemp("annotations")
    library = _library(folder, "a.sqlite", SEEDS)
    run("--library", library, "annotate", "1", "--start", "0", "--end", "12", "--note", "look again")
    run("--library", library, "annotate", "2", "--start", "5", "--end", "25", "--colour", "blue")
    run("--library", library, "tag", "3", "--add", "to check")
    out = folder / "a.jsonld"
    run("--library", library, "export", "--format", "annotations", "--out", str(out))
    paths = {row["id"]: row["path"] for row in json.loads(run("--library", library, "list", "--json").stdout)}
    return out, paths


def _import(library: str, path: Path, *extra: str, check: int | None = 0):
    return run("--library", library, "import-annotations", str(path), *extra, check=check)


def test_import_reads_highlights_and_tags_into_the_same_articles(exported, tmp_path):
    out, _ = exported
    library = _library(tmp_path, "b.sqlite", SEEDS)
    report = json.loads(_import(library, out, "--json").stdout)
    assert report == {"imported": 3, "updated": 0, "skipped_duplicates": 0, "tags_added": 1, "unmatched": [],
                      "not_placed": [], "tags_refused": []}
    rows = {row["path"]: row for row in json.loads(run("--library", library, "list", "--json").stdout)}
    shown = [json.loads(run("--library", library, "show", str(row["id"]), "--json").stdout) for row in rows.values()]
    notes = sorted((a["colour"], a["note"]) for doc in shown for a in doc["annotations"])
    assert notes == [("blue", None), ("yellow", "look again")]
    assert sorted(tag for row in rows.values() for tag in row["tags"]) == ["to check"]


def test_a_second_import_reports_everything_as_already_here(exported, tmp_path):
    out, _ = exported
    library = _library(tmp_path, "b.sqlite", SEEDS)
    _import(library, out)
    assert _import(library, out).stdout == "Imported 0, updated 0, skipped 3 already here.\n"


def test_annotations_of_articles_the_library_lacks_are_listed_with_the_reason(exported, tmp_path):
    out, paths = exported
    library = _library(tmp_path, "c.sqlite", Path(paths[1]))
    lines = _import(library, out).stdout.splitlines()
    assert lines[0] == "Imported 1, updated 0, skipped 0 already here, 2 without a matching article."
    assert len(lines) == 3
    assert all(line.startswith("unmatched: ") and line.endswith(": no article with this content")
               for line in lines[1:])
    report = json.loads(_import(library, out, "--json").stdout)
    assert [u["reason"] for u in report["unmatched"]] == ["no article with this content"] * 2


def test_a_copy_of_an_article_edited_a_little_gets_its_highlight_once(exported, tmp_path):
    out, paths = exported
    original = Path(paths[1]).read_text(encoding="utf-8")
    copy = tmp_path / Path(paths[1]).name
    copy.write_text(original.replace(".", ";", 1) + "\n\nCorrection appended by the outlet.\n", encoding="utf-8")
    library = _library(tmp_path, "d.sqlite", copy)
    assert _import(library, out).stdout.splitlines()[0] == (
        "Imported 1, updated 0, skipped 0 already here, 2 without a matching article.")
    assert _import(library, out).stdout.splitlines()[0] == (
        "Imported 0, updated 0, skipped 1 already here, 2 without a matching article.")
    noted = next(item for item in json.loads(out.read_text(encoding="utf-8"))["first"]["items"]
                 if item.get("body", [{}])[0].get("value") == "look again")
    shown = json.loads(run("--library", library, "show", "1", "--json").stdout)
    assert [(shown["text"][a["start"] : a["end"]], a["note"]) for a in shown["annotations"]] == [
        (noted["target"]["selector"][0]["exact"], "look again")]


@pytest.mark.parametrize(("content", "message"), [
    ('{"type": "AnnotationCollection", ', "dossier: broken.jsonld is not valid JSON"),
    ('{"type": "Person", "name": "Zhang Qiang"}', "dossier: this file is not a W3C annotation file"),
    (b"\xff\xfe\x00garbage", "dossier: broken.jsonld is not a JSON text file"),
])
def test_a_file_that_is_not_annotations_fails_in_one_line_and_changes_nothing(exported, tmp_path, content, message):
    library = _library(tmp_path, "b.sqlite", SEEDS)
    bad = tmp_path / "broken.jsonld"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = _import(library, bad, check=1)
    assert result.stderr.startswith(message) and result.stderr.count("\n") == 1 and result.stdout == ""
    assert all(row["tags"] == [] for row in json.loads(run("--library", library, "list", "--json").stdout))


def test_a_missing_file_fails_in_one_line(tmp_path):
    library = _library(tmp_path, "b.sqlite", SEEDS)
    result = _import(library, tmp_path / "nowhere.jsonld", check=1)
    assert result.stderr.startswith("dossier: cannot read") and result.stderr.count("\n") == 1


def test_highlights_are_listed_with_their_ids_deleted_and_an_articles_note_written_and_cleared(tmp_path):
    library = _library(tmp_path, "n.sqlite", SEEDS)
    made = run("--library", library, "annotate", "1", "--start", "0", "--end", "12", "--colour", "green").stdout
    assert made.strip().endswith("(highlight 1)")
    run("--library", library, "annotate", "1", "--start", "20", "--end", "30", "--note", "check")
    assert run("--library", library, "note", "1", "Read twice").stdout.strip() == "wrote the note of article 1"
    shown = run("--library", library, "highlights", "1").stdout.splitlines()
    assert shown[0] == "note: Read twice" and len(shown) == 3
    assert shown[1].split()[:2] == ["1", "bluish"] and shown[2].endswith("— check")

    run("--library", library, "unhighlight", "1")
    listed = json.loads(run("--library", library, "highlights", "1", "--json").stdout)
    assert [h["id"] for h in listed["highlights"]] == [2] and listed["note"] == "Read twice"
    missing = run("--library", library, "unhighlight", "99", check=1)
    assert missing.stderr.strip() == "dossier: no highlight with id 99"
    run("--library", library, "note", "1", "--clear")
    assert json.loads(run("--library", library, "highlights", "1", "--json").stdout)["note"] is None


def test_an_unknown_colour_is_a_usage_error_naming_the_colours_and_nothing_is_highlighted(tmp_path):
    library = _library(tmp_path, "x.sqlite", SEEDS)
    result = run("--library", library, "annotate", "1", "--start", "0", "--end", "5", "--colour", "mauve", check=2)
    assert result.stderr == ("dossier annotate: argument --colour/--color: unknown colour 'mauve': choose one of "
                             "yellow, orange, vermillion, reddish purple, sky blue, blue, bluish green, grey; "
                             "see dossier annotate --help\n")
    assert json.loads(run("--library", library, "highlights", "1", "--json").stdout)["highlights"] == []
