"""Article exports (JSON Lines, JSON, CSV): fields, dates, per-record problems, and bad files."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

from desktop.core.encoding import decoded_pieces
from desktop.core.errors import ImportFailed
from desktop.core.formats import ParsedFile, parser_for, records
from desktop.core.formats.records import record_batches
from tests.conftest import CORPORA

REUTERS = CORPORA / "reuters21578.jsonl"
RECORD = {"title": "Academies agree", "text": "Joint work.", "date": "2019-03-05", "source": "TASS"}


def parse(data: bytes, name: str) -> ParsedFile:
    path = Path(name)
    return parser_for(path)(data, path)


def jsonl(*records: object) -> bytes:
    return "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records).encode()


@pytest.mark.skipif(not REUTERS.exists(), reason="Reuters-21578 corpus not present")
def test_reuters_imports_every_story_with_a_body_and_reports_the_others():
    parsed = parse(REUTERS.read_bytes(), REUTERS.name)
    assert len(parsed.articles) == 19_779
    assert len(parsed.problems) == 21_578 - 19_779
    assert parsed.problems[0] == (
        'line 30: no text in “ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN…” (the "text" field is empty)'
    )
    first = parsed.articles[0]
    assert (first.title, first.published) == ("BAHIA COCOA REVIEW", "1987-02-26")
    assert first.extra["id"] == "reuters21578-1"
    assert [article.text[:40] for article in parsed.articles if not article.title] == []


def test_broken_json_line_is_reported_with_its_number_and_the_good_lines_import():
    parsed = parse(jsonl(RECORD, '{"title": "x" "text": "y"}', dict(RECORD, title="Second")), "export.jsonl")
    assert [a.title for a in parsed.articles] == ["Academies agree", "Second"]
    assert parsed.problems == ["line 2: not valid JSON (Expecting ',' delimiter)"]


def test_record_without_text_is_a_problem_naming_its_title_not_a_failure():
    parsed = parse(jsonl(RECORD, {"title": "No body here"}, {"text": "  "}), "export.jsonl")
    assert len(parsed.articles) == 1
    assert parsed.problems == [
        "line 2: no text in “No body here” (the record has no text, body or content field)",
        'line 3: no text (the "text" field is empty)',
    ]


def test_aliases_fill_fields_and_unknown_fields_are_kept_as_extra():
    record = {"Title": "T", "body": "B text", "published": "2020-01-31T10:00:00", "author": "Ivan Petrov",
              "url": "https://example.org/1", "lang": "ru", "topics": ["science"], "rating": 4}
    article = parse(jsonl(record), "export.jsonl").articles[0]
    assert (article.title, article.text, article.published, article.author, article.url, article.language) == (
        "T", "B text", "2020-01-31", "Ivan Petrov", "https://example.org/1", "ru"
    )
    assert article.extra == {"topics": ["science"], "rating": 4}


def test_written_out_dates_become_iso_dates():
    parsed = parse(jsonl(dict(RECORD, date="March 5, 2019"), dict(RECORD, date="5 Mar 2019")), "export.jsonl")
    assert [a.published for a in parsed.articles] == ["2019-03-05", "2019-03-05"]


def test_date_that_is_not_understood_is_kept_in_extra():
    article = parse(jsonl(dict(RECORD, date="spring")), "export.jsonl").articles[0]
    assert article.published is None
    assert article.extra == {"date": "spring"}


def test_upper_case_titles_are_kept_as_given():
    parsed = parse(jsonl(dict(RECORD, title="OIL PRICES RISE")), "x.jsonl")
    assert parsed.articles[0].title == "OIL PRICES RISE"


def test_a_record_without_a_title_takes_the_headline_its_text_opens_with():
    text = ("FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n    Two weeks ended Feb 25      daily avgs-mlns\n"
            "Net free reserves.....644 vs.....1,337\n Reuter")
    [article] = parse(jsonl({"text": text, "date": "1987-02-26"}), "x.jsonl").articles
    assert article.title == "FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26"
    assert article.text.startswith("Two weeks ended Feb 25")


def test_json_lines_without_any_readable_line_fails():
    with pytest.raises(ImportFailed, match="none of the first records can be read"):
        parse(b"this is prose, not JSON\n" * 200, "notes.jsonl")


def test_fifty_megabyte_text_file_named_jsonl_fails_fast_with_a_reason():
    refusal = r"^not a JSON Lines file: none of the first records can be read \(line 1"
    with pytest.raises(ImportFailed, match=refusal):
        parse(b"A long line of ordinary prose about science cooperation.\n" * 900_000, "big.jsonl")


def test_deeply_nested_json_line_is_a_problem_and_the_other_lines_import():
    parsed = parse(jsonl(RECORD, "[" * 100_000 + "]" * 100_000), "export.jsonl")
    assert (len(parsed.articles), parsed.problems) == (1, ["line 2: JSON nested too deeply"])


def test_records_without_text_fail_the_file_naming_the_expected_fields():
    with pytest.raises(ImportFailed, match=r"^no record has text \(expected a text, body or content field\)$"):
        parse(jsonl({"title": "a"}, {"title": "b"}), "export.jsonl")


def test_utf16_json_lines_are_decoded():
    data = json.dumps(dict(RECORD, text="Наука и сотрудничество"), ensure_ascii=False).encode("utf-16")
    assert parse(data, "export.jsonl").articles[0].text == "Наука и сотрудничество"


def test_json_lines_mixing_utf8_and_windows_1251_lines_decode_each_line_correctly():
    utf8_line = json.dumps(dict(RECORD, text="Сотрудничество в науке"), ensure_ascii=False).encode()
    cp1251_line = json.dumps(dict(RECORD, text="Новосибирск и Харбин"), ensure_ascii=False).encode("cp1251")
    parsed = parse(utf8_line + b"\n" + cp1251_line, "export.jsonl")
    assert [a.text for a in parsed.articles] == ["Сотрудничество в науке", "Новосибирск и Харбин"]


def test_binary_junk_named_jsonl_fails_as_binary():
    with pytest.raises(ImportFailed, match="^not a JSON Lines file: the file is binary data$"):
        parse(bytes(range(256)) * 8, "export.jsonl")


def test_empty_jsonl_fails_as_empty():
    with pytest.raises(ImportFailed, match="^empty file$"):
        parse(b"", "export.jsonl")


@pytest.mark.parametrize(
    "document",
    [[RECORD, RECORD], {"meta": {"n": 2}, "articles": [RECORD, RECORD]}, {"results": [RECORD, RECORD]}],
    ids=["array", "object with articles", "object with another list"],
)
def test_json_array_or_object_with_a_list_imports_each_record(document):
    assert len(parse(json.dumps(document).encode(), "export.json").articles) == 2


def test_json_object_with_text_is_one_article():
    assert parse(json.dumps(RECORD).encode(), "article.json").articles[0].title == "Academies agree"


def test_json_record_that_is_not_an_object_is_a_problem():
    parsed = parse(json.dumps([RECORD, "stray string"]).encode(), "export.json")
    assert parsed.problems == ["record 2: not a JSON object"]


def test_json_file_holding_json_lines_is_read_line_by_line():
    assert len(parse(jsonl(RECORD, RECORD), "export.json").articles) == 2


def test_malformed_json_fails_with_position():
    with pytest.raises(ImportFailed, match=r"^not valid JSON \(Expecting value at line 1, column 10\)$"):
        parse(b'{"text": }', "export.json")


def test_deeply_nested_json_fails_with_a_reason():
    with pytest.raises(ImportFailed, match="nested too deeply"):
        parse(b"[" * 100_000 + b"]" * 100_000, "export.json")


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def test_csv_rows_become_articles_and_bom_is_ignored():
    data = "\ufefftitle,text,date,section\nFirst,\"Body, with comma\",2019-03-05,science\n"
    article = parse(csv_bytes(data), "export.csv").articles[0]
    assert (article.title, article.text, article.published, article.extra) == (
        "First", "Body, with comma", "2019-03-05", {"section": "science"}
    )


def test_semicolon_separated_csv_is_read():
    data = "title;content\nFirst;Body one\nSecond;Body two\n"
    assert [a.text for a in parse(csv_bytes(data), "export.csv").articles] == ["Body one", "Body two"]


def test_excel_sep_line_names_the_delimiter():
    data = "sep=;\ntitle;text\nFirst;Body, with a comma\n"
    assert parse(csv_bytes(data), "export.csv").articles[0].text == "Body, with a comma"


def test_gb18030_csv_is_decoded():
    data = csv_bytes("title,text\n合作,中国科学院与俄罗斯科学院签署了关于基础研究合作的协议。\n", "gb18030")
    assert parse(data, "export.csv").articles[0].title == "合作"


def test_csv_without_text_column_fails_with_the_expected_names():
    with pytest.raises(ImportFailed, match=r"^CSV has no text column \(expected text, body or content\)$"):
        parse(csv_bytes("title,date\nA,2019-01-01\n"), "export.csv")


def test_csv_row_without_text_is_reported_with_its_row_number():
    parsed = parse(csv_bytes("title,text\nA,Body\nB,\nC,Body C\n"), "export.csv")
    assert [a.title for a in parsed.articles] == ["A", "C"]
    assert parsed.problems == ['row 3: no text in “B” (the "text" field is empty)']


def test_csv_with_an_unclosed_quote_reports_that_row_and_imports_the_rest():
    data = 'title,text\nA,Body A\nB,"Body B never closes\nC,Body C\nD,Body D\n'
    parsed = parse(csv_bytes(data), "export.csv")
    assert [a.title for a in parsed.articles] == ["A", "C", "D"]
    assert parsed.problems == ["row 3: broken quoting from line 3 — row skipped"]


def test_csv_row_with_too_many_fields_is_reported():
    parsed = parse(csv_bytes("title,text\nA,Body A\nB,Body B,surplus\n"), "export.csv")
    assert parsed.problems == ["row 3: has 3 fields, the header has 2"]


def test_csv_with_a_field_larger_than_the_default_limit_is_read():
    body = "word " * 100_000
    assert parse(csv_bytes(f'title,text\nA,"{body}"\n'), "export.csv").articles[0].text == body.strip()


def test_windows_1251_csv_is_decoded():
    row = "Наука,Российская академия наук подписала соглашение с китайскими коллегами."
    data = csv_bytes(f"title,text\n{row}\n", "cp1251")
    assert parse(data, "export.csv").articles[0].title == "Наука"


def test_html_body_of_a_scraped_record_is_read_as_its_text():
    body = ("<div class='story'><p>Scientists opened a laboratory.</p>\n<p>It cost &pound;5m &amp; more.</p>"
            "<script>track();</script></div>")
    [article] = parse(jsonl({"title": "Lab opens", "text": body}), "export.jsonl").articles
    assert article.text == "Scientists opened a laboratory.\n\nIt cost £5m & more."


def test_ticker_in_angle_brackets_stays_in_a_plain_body():
    record = {"title": "Bank earnings", "text": "BankAmerica Corp <BAC> said net income rose."}
    [article] = parse(jsonl(record), "export.jsonl").articles
    assert article.text == "BankAmerica Corp <BAC> said net income rose."


def test_character_references_in_a_plain_body_read_as_in_a_text_file():
    """A plain body kept "AT&amp;T" and "Beyonc&#233;" where the same text in a .txt file reads
    "AT&T" and "Beyoncé"."""
    record = {"title": "Deal", "text": "AT&amp;T signed Beyonc&#233;; R&D &lt;BAC&gt; rose."}
    [article] = parse(jsonl(record), "export.jsonl").articles
    assert article.text == "AT&T signed Beyoncé; R&D <BAC> rose."


@pytest.mark.parametrize("relative", ["yesterday", "2 days ago", "вчера", "сегодня", "今天"])
def test_relative_date_of_a_record_dates_nothing(relative):
    record = {"title": "Lab opens", "text": "Scientists opened a laboratory.", "date": relative}
    [article] = parse(jsonl(record), "export.jsonl").articles
    assert article.published is None
    assert article.extra["date"] == relative



BODY = "Scientists from Novosibirsk and Harbin opened a joint laboratory for materials science on Tuesday."


def test_schema_org_names_of_a_scraped_article_fill_its_fields():
    record = {"headline": "Lab opens", "articleBody": BODY, "datePublished": "2019-03-13T10:22:00+08:00",
              "byline": "Ivan Petrov", "link": "https://example.org/lab"}
    [article] = parse(jsonl(record), "scrape.jsonl").articles
    assert (article.title, article.text, article.published, article.author, article.url) == (
        "Lab opens", BODY, "2019-03-13", "Ivan Petrov", "https://example.org/lab"
    )


def test_csv_headers_with_spaces_and_capitals_are_the_fields_they_name():
    data = f'Headline,Article Body,Published At,Byline\nLab opens,"{BODY}",2019-03-13 10:22,Ivan Petrov\n'
    [article] = parse(csv_bytes(data), "scrape.csv").articles
    assert (article.title, article.text, article.published, article.author) == (
        "Lab opens", BODY, "2019-03-13", "Ivan Petrov"
    )


@pytest.mark.parametrize("name", ["published_at", "publishedAt", "Published At", "pubDate", "pub_date"])
def test_a_date_field_is_found_whatever_its_spelling(name):
    [article] = parse(jsonl({"title": "Lab opens", "text": BODY, name: "13 March 2019"}), "x.jsonl").articles
    assert article.published == "2019-03-13"
    assert article.extra == {}


def test_an_rss_item_imports_its_description_as_the_text_and_dc_creator_as_the_author():
    item = {"title": "Lab opens", "description": BODY, "pubDate": "Wed, 13 Mar 2019 10:22:00 GMT",
            "dc:creator": "Ivan Petrov", "link": "https://example.org/lab"}
    [article] = parse(jsonl(item), "feed.jsonl").articles
    assert (article.text, article.published, article.author, article.url) == (
        BODY, "2019-03-13", "Ivan Petrov", "https://example.org/lab"
    )


def test_a_description_is_the_text_only_when_the_record_has_no_body():
    record = {"title": "Lab opens", "description": "A short teaser.", "content": BODY}
    [article] = parse(jsonl(record), "x.jsonl").articles
    assert article.text == BODY
    assert article.extra == {"description": "A short teaser."}


def test_title_and_text_fields_win_over_their_other_names():
    record = {"headline": "Short", "title": "Lab opens in Harbin", "article_body": BODY, "text": "Teaser."}
    [article] = parse(jsonl(record), "x.jsonl").articles
    assert (article.title, article.text) == ("Lab opens in Harbin", "Teaser.")


@pytest.mark.parametrize(
    "document",
    [{"status": "ok", "data": {"total": 2, "items": [RECORD, RECORD]}},
     {"tags": ["science"], "response": {"results": [RECORD, RECORD]}},
     {"page": 1, "articles": [RECORD, RECORD], "related": ["https://example.org/more"]}],
    ids=["data.items", "a list of strings beside the nested results", "articles beside another list"],
)
def test_records_nested_in_an_api_response_are_found(document):
    parsed = parse(json.dumps(document).encode(), "response.json")
    assert [a.title for a in parsed.articles] == ["Academies agree", "Academies agree"]
    assert parsed.problems == []


def test_wordpress_rest_posts_import_with_their_rendered_title_and_text():
    posts = [{"id": 7, "date": "2019-03-13T10:22:00", "date_gmt": "2019-03-13T02:22:00", "link": "https://example.org/?p=7",
              "title": {"rendered": "China &#038; Russia open a lab"},
              "content": {"rendered": f"<p>{BODY}</p>\n<p>It cost &pound;5m.</p>", "protected": False},
              "excerpt": {"rendered": "<p>Teaser</p>"}, "author": 3}]
    [article] = parse(json.dumps(posts).encode(), "posts.json").articles
    assert (article.title, article.text, article.published, article.url) == (
        "China & Russia open a lab", f"{BODY}\n\nIt cost £5m.", "2019-03-13", "https://example.org/?p=7"
    )


def test_json_feed_items_import_with_their_html_content_and_authors():
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Science news",
            "description": "The feed of a science desk", "home_page_url": "https://example.org/",
            "items": [{"id": "1", "url": "https://example.org/lab", "title": "Lab opens",
                       "content_html": f"<p>{BODY}</p>", "date_published": "2019-03-13T10:22:00+08:00",
                       "authors": [{"name": "Ivan Petrov"}, {"name": "Li Wei"}]}]}
    [article] = parse(json.dumps(feed).encode(), "feed.json").articles
    assert (article.title, article.text, article.published, article.author, article.url) == (
        "Lab opens", BODY, "2019-03-13", "Ivan Petrov, Li Wei", "https://example.org/lab"
    )


def test_news_api_source_object_gives_the_outlet_name():
    record = dict(RECORD, source={"id": "reuters", "name": "Reuters"})
    assert parse(json.dumps({"articles": [record]}).encode(), "news.json").articles[0].source == "Reuters"


RUSSIAN = {"title": "Лаборатория открыта", "text": "Учёные из Новосибирска и Харбина открыли совместную лабораторию."}


@pytest.mark.parametrize("language", [{}, {"language": "ru"}, {"language": "en"}], ids=["russian text", "ru", "en"])
def test_a_dotted_date_is_day_then_month(language):
    record = dict(RUSSIAN, date="01.02.2018", **language)
    assert parse(jsonl(record), "x.jsonl").articles[0].published == "2018-02-01"


def test_a_slash_date_of_a_russian_record_is_day_then_month_and_of_an_english_one_month_first():
    records = (dict(RUSSIAN, date="01/02/2018"), dict(RECORD, date="01/02/2018"))
    assert [a.published for a in parse(jsonl(*records), "x.jsonl").articles] == ["2018-02-01", "2018-01-02"]


@pytest.mark.parametrize("value", [
    "Опубликовано: 13.03.2019 10:22", "Дата публикации: 13.03.2019", "发布时间：2019-03-13 10:22",
    "发布日期：2019-03-13", "来源：新华网 2019年3月13日", "Published: 13 March 2019, 10:22",
    "Обновлено: 13/03/2019",
])
def test_a_date_field_holding_a_labelled_date_line_dates_the_article(value):
    assert parse(jsonl(dict(RECORD, date=value)), "x.jsonl").articles[0].published == "2019-03-13"


def test_a_later_date_field_dates_the_article_when_the_first_does_not_read():
    record = dict(RECORD, date="spring", pubDate="Wed, 13 Mar 2019 10:22:00 GMT")
    article = parse(jsonl(record), "x.jsonl").articles[0]
    assert (article.published, article.extra) == ("2019-03-13", {"date": "spring"})


def test_a_scrape_whose_text_fields_are_all_empty_fails_saying_so_not_asking_for_a_text_field():
    document = {"articles": [{"title": "Gallery", "content": ""}, {"title": "Video", "content": ""}]}
    with pytest.raises(ImportFailed) as failure:
        parse(json.dumps(document).encode(), "scrape.json")
    assert str(failure.value) == 'no record has text (record 1: no text in “Gallery” (the "content" field is empty))'


def test_record_batches_together_make_what_the_parser_makes(tmp_path):
    path = tmp_path / "export.csv"
    rows = ['title,text', '"Multi\nline",Body one.', 'No text,', *(f"Report {n},Body {n}." for n in range(5))]
    path.write_bytes("\n".join(rows).encode() + b"\n")
    batches = list(record_batches(path, size=2))
    whole = parse(path.read_bytes(), path.name)
    assert [article for batch in batches for article in batch.parsed.articles] == whole.articles
    assert [problem for batch in batches for problem in batch.parsed.problems] == whole.problems
    size = path.stat().st_size
    assert [(batch.records, batch.total) for batch in batches] == [(2, size), (4, size), (6, size), (7, size)]


def test_csv_progress_counts_the_bytes_read_to_the_end_of_each_batch_however_many_lines_a_row_spans(
        tmp_path, monkeypatch):
    path = tmp_path / "export.csv"
    body = "Line of the body.\n"
    rows = ["title,text", *(f'Report {n},"{body * (1 + 9 * (n % 2))}"' for n in range(6))]
    data = "\n".join(rows).encode() + b"\n"
    path.write_bytes(data)
    monkeypatch.setattr(records, "decoded_pieces", functools.partial(decoded_pieces, size=1))
    ends = [data.index(f"Report {n}".encode()) for n in (2, 4)] + [len(data)]
    assert [batch.done for batch in record_batches(path, size=2)] == ends


@pytest.mark.parametrize("indent", [2, None], ids=["a record a line", "all on one line"])
def test_json_array_read_in_small_pieces_makes_what_the_whole_text_makes(tmp_path, monkeypatch, indent):
    document = [dict(RECORD, title=f"Report {n}", text=f"Тексты {n} " * n) for n in range(1, 40)]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, indent=indent, ensure_ascii=False), encoding="utf-8")
    decoded: list[int] = []

    def pieces(data: bytes, **options):
        for text, end in decoded_pieces(data, size=7, **options):
            decoded.append(end)
            yield text, end

    monkeypatch.setattr(records, "decoded_pieces", pieces)
    batches = record_batches(path, size=10)
    first = next(batches)
    assert decoded[-1] < path.stat().st_size / 3  # the first records came before the rest was decoded
    batches = [first, *batches]
    assert [article.title for batch in batches for article in batch.parsed.articles] == [
        f"Report {n}" for n in range(1, 40)]
    assert [batch.done for batch in batches] == sorted(batch.done for batch in batches)
    assert batches[0].done < path.stat().st_size / 3 and batches[-1].done == path.stat().st_size


def test_json_array_broken_in_the_middle_names_the_record_and_its_place_in_the_file(tmp_path, monkeypatch):
    path = tmp_path / "export.json"
    path.write_text('[\n  {"text": "One"},\n  {"text": "Two"}\n  {"text": "Three"}\n]\n', encoding="utf-8")
    monkeypatch.setattr(records, "decoded_pieces", functools.partial(decoded_pieces, size=3))
    parsed = [batch.parsed for batch in record_batches(path, size=1)]
    assert [article.text for batch in parsed for article in batch.articles] == ["One", "Two"]
    assert [problem for batch in parsed for problem in batch.problems] == [
        "record 3: not valid JSON (Expecting ',' delimiter at line 4, column 3); the records after it were not read"]


def test_json_array_broken_before_its_first_record_is_refused_with_the_place():
    with pytest.raises(ImportFailed, match=r"^not valid JSON \(Expecting value at line 2, column 11\)$"):
        parse(b'[\n {"text": },\n {"text": "Two"}]', "export.json")


def test_record_batches_hold_records_until_one_has_text_and_refuse_a_file_without(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(*({"title": f"T{n}", "text": ""} for n in range(5))))
    with pytest.raises(ImportFailed, match="no record has text"):
        list(record_batches(path, size=2))
