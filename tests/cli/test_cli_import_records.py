"""What `dossier import` makes of scraper exports in the shapes scrapers and feeds write them:
API responses, WordPress posts, Russian and Chinese records, records without text."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run

HARBIN = ("Scientists from Novosibirsk and Harbin opened a joint laboratory for materials science on Tuesday, "
          "the two universities said.")
TOMSK = "Учёные Томска и Харбина открыли совместную лабораторию новых материалов, сообщила пресс-служба университета."
CHANGCHUN = "中国科学院与俄罗斯科学院在长春共建联合实验室，双方将在材料科学领域开展合作研究。"


def imported(library: Path, path: Path) -> list[dict]:
    """``import PATH --json`` then ``list --json``: the articles as the list shows them."""
    run("--library", str(library), "import", str(path), "--no-entities", "--json")
    return json.loads(run("--library", str(library), "list", "--json").stdout)


def test_api_response_wordpress_posts_and_feed_fields_are_listed_with_their_titles_dates_and_authors(tmp_path):
    folder = tmp_path / "scrape"
    folder.mkdir()
    (folder / "api.json").write_text(json.dumps({"status": "ok", "data": {"total": 1, "items": [
        {"headline": "Lab opens in Harbin", "articleBody": HARBIN, "datePublished": "2019-03-13T10:22:00+08:00",
         "byline": "Ivan Petrov", "link": "https://example.org/harbin"}]}}), encoding="utf-8")
    (folder / "posts.json").write_text(json.dumps([
        {"id": 7, "date_gmt": "2018-02-01T07:00:00", "link": "https://example.ru/?p=7",
         "title": {"rendered": "Томск &#038; Харбин"}, "content": {"rendered": f"<p>{TOMSK}</p>"}}],
        ensure_ascii=False), encoding="utf-8")
    (folder / "feed.csv").write_text(
        f'Title,Description,Published At,dc:creator\n中俄共建联合实验室,{CHANGCHUN},发布时间：2019-03-13 10:22,张伟\n',
        encoding="utf-8")

    rows = imported(tmp_path / "lib.sqlite", folder)

    listed = sorted((row["title"], row["published"], row["author"]) for row in rows)
    assert listed == [
        ("Lab opens in Harbin", "2019-03-13", "Ivan Petrov"),
        ("Томск & Харбин", "2018-02-01", None),
        ("中俄共建联合实验室", "2019-03-13", "张伟"),
    ]
    tomsk = next(row for row in rows if row["title"] == "Томск & Харбин")
    shown = json.loads(run("--library", str(tmp_path / "lib.sqlite"), "show", str(tomsk["id"]), "--json").stdout)
    assert shown["text"] == TOMSK


def test_russian_record_with_a_dotted_date_is_dated_day_first(tmp_path):
    export = tmp_path / "tass.jsonl"
    export.write_text(json.dumps({"title": "Лаборатория", "text": TOMSK, "date": "01.02.2018"}, ensure_ascii=False),
                      encoding="utf-8")
    [row] = imported(tmp_path / "lib.sqlite", export)
    assert row["published"] == "2018-02-01"


def test_a_record_with_a_title_and_no_text_is_reported_on_one_line_naming_it_and_the_rest_import(tmp_path):
    export = tmp_path / "scrape.jsonl"
    records = [{"title": "Lab opens", "content": HARBIN}, {"title": "Photo gallery: the new lab", "content": ""},
               {"title": "Forum", "content": TOMSK}]
    export.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")

    out = run("--library", str(tmp_path / "lib.sqlite"), "import", str(export), "--no-entities").stdout

    assert out.splitlines() == [
        "2 imported, 0 duplicates, 1 failed",
        f'  failed: {export}:2: no text in “Photo gallery: the new lab” (the "content" field is empty)',
    ]


def test_many_records_without_text_are_counted_together_beyond_the_twenty_listed(tmp_path):
    export = tmp_path / "scrape.jsonl"
    records = [{"title": "Lab opens", "text": HARBIN}] + [{"title": f"Gallery {n}", "text": ""} for n in range(25)]
    export.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")

    lines = run("--library", str(tmp_path / "lib.sqlite"), "import", str(export), "--no-entities").stdout.splitlines()

    assert lines[0] == "1 imported, 0 duplicates, 25 failed"
    assert lines[-1] == '  … and 5 more failed: 5 no text (the "text" field is empty); import --json lists every file'
