"""Language per article: detection, declared languages, names, the Language facet and import."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from desktop.core.facets import value_label
from desktop.core.filters import Filters
from desktop.core.ingest import import_paths
from desktop.core.language import (
    article_language,
    detect_language,
    dominant_script,
    iso_639_1,
    language_code,
    language_name,
    script_shares,
)
from desktop.core.search import facet_counts, search_ids
from tests.conftest import CORPORA
from tests.core.helpers import add_article

RUSSIAN = ("Российские и китайские учёные подписали в Новосибирске соглашение о совместных "
           "исследованиях в области биомедицины и обмене аспирантами.")
CHINESE = "新华社北京3月13日电 中俄两国科学家在长春签署生物医学合作协议，双方将共建联合实验室。"
ENGLISH = ("Russian and Chinese scientists signed an agreement in Novosibirsk on joint research "
           "in biomedicine and an exchange of doctoral students.")
GERMAN = ("Russische und chinesische Wissenschaftler haben in Nowosibirsk ein Abkommen über "
          "gemeinsame Forschung in der Biomedizin unterzeichnet.")
JAPANESE = "ロシアと中国の科学者は、ノボシビルスクで生物医学の共同研究に関する協定に署名した。"
MULTILINGUAL = CORPORA / "multilingual"


@pytest.mark.parametrize(("text", "code"), [
    (RUSSIAN, "ru"), (CHINESE, "zh"), (ENGLISH, "en"), (GERMAN, "de"), (JAPANESE, "ja"),
    (ENGLISH.upper(), "en"),
    ("По сведениям Всемирной продовольственной и сельскохозяйственной организации ООН (ФАО)", "ru"),
])
def test_detect_language_names_the_language_of_a_news_sentence(text, code):
    assert detect_language(text) == code


def test_where_cld2_is_unsure_the_second_model_decides(monkeypatch):
    from desktop.core import language

    opening = "По сведениям Всемирной продовольственной и сельскохозяйственной организации ООН (ФАО)"
    assert language._cld2(opening) is None
    assert language._cld2(RUSSIAN) == "ru"
    monkeypatch.setattr(language, "_cld2", lambda sample: None)
    assert detect_language(ENGLISH) == "en"


@pytest.mark.parametrize("text", ["", "   \n", "2019-03-13 12:00 — 1,234.5 (+3%)", "hi", "ok 2019"])
def test_a_text_without_letters_or_with_too_few_to_tell_has_no_language(text):
    assert detect_language(text) is None


@pytest.mark.parametrize("text", [
    "Shr 46 cts vs 42 cts\n    Net 3,418,000 vs 3,129,000\n    Revs 24.7 mln vs 26.2 mln\n Reuter",
    "Shr 36 cts vs 66 cts\n    Net 4,775,000 vs 9,342,000\n    Revs 105.5 mln vs 130.0 mln\n Reuter",
    "Shr 47 cts vs 31 cts\n    Net 4,757,000 vs 2,466,000\n    Revs 32.8 mln vs 33.5 mln\n"
    "    Avg shrs 12,638,000 vs 8,941,000\n Reuter",
])
def test_an_agency_table_of_figures_is_not_taken_for_a_language_nobody_wrote_it_in(text):
    assert detect_language(text) in (None, "en")


def test_detection_reads_only_the_opening_of_a_long_text():
    assert detect_language(RUSSIAN * 3 + "\n\n" + ENGLISH * 200) == "ru"
    assert detect_language(ENGLISH * 3 + "\n\n" + RUSSIAN * 200) == "en"


def test_script_shares_count_letters_by_script():
    shares = script_shares("Путин met 习近平")
    assert shares["cyrillic"] == pytest.approx(5 / 11)
    assert shares["latin"] == pytest.approx(3 / 11)
    assert shares["han"] == pytest.approx(3 / 11)
    assert dominant_script(CHINESE) == "han"
    assert dominant_script("12 345") is None


@pytest.mark.parametrize(("tag", "code"), [
    ("en-US", "en"), ("zh_Hans_CN", "zh"), ("RU", "ru"), (" de ", "de"), ("eng", None), ("", None),
    (None, None), ("x-klingon", None),
])
def test_iso_639_1_takes_the_primary_subtag_of_a_declared_language(tag, code):
    assert iso_639_1(tag) == code


def test_a_declared_language_wins_over_detection_and_a_useless_one_does_not():
    assert article_language("ru-RU", ENGLISH) == "ru"
    assert article_language("x-unknown", ENGLISH) == "en"
    assert article_language(None, CHINESE) == "zh"


@pytest.mark.parametrize(("value", "code"), [
    ("ru", "ru"), ("ZH", "zh"), ("Russian", "ru"), (" chinese ", "zh"), ("xx", None), ("Klingonese", None),
])
def test_language_code_reads_a_code_or_an_english_name(value, code):
    assert language_code(value) == code


def test_language_names_come_from_cldr():
    assert [language_name(code) for code in ("ru", "zh", "en")] == ["Russian", "Chinese", "English"]
    assert language_name("ru", locale="ru") == "русский"
    assert language_name("qq") == "qq"
    assert value_label("language", "zh") == "Chinese"


def _write(folder, name, text, encoding="utf-8"):
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


def test_import_stores_the_detected_language_of_each_article(library, tmp_path):
    folder = tmp_path / "mixed"
    _write(folder, "ru.txt", "Учёные подписали соглашение\n\n" + RUSSIAN * 3, "cp1251")
    _write(folder, "zh.txt", "中俄科学家签署合作协议\n\n" + CHINESE * 3, "gb18030")
    _write(folder, "en.txt", "Scientists sign an agreement\n\n" + ENGLISH * 3)
    import_paths(library, [folder])
    rows = library.db.execute("SELECT path, language FROM documents ORDER BY path").fetchall()
    assert [(path.rsplit("/", 1)[1], language) for path, language in rows] == [
        ("en.txt", "en"), ("ru.txt", "ru"), ("zh.txt", "zh")]


def test_imports_one_after_another_load_the_second_model_once(library, tmp_path, monkeypatch):
    """py3langid's model takes about a second to load: a person importing a few files at a time
    pays for it once, not at every import."""
    from py3langid.langid import LanguageIdentifier

    from desktop.core import language

    language.release_model()
    loaded = []
    load = LanguageIdentifier.from_model_file
    monkeypatch.setattr(LanguageIdentifier, "from_model_file",
                        lambda *args, **kwargs: loaded.append(1) or load(*args, **kwargs))
    unsure = "По сведениям Всемирной продовольственной и сельскохозяйственной организации ООН (ФАО)"
    assert language._cld2(unsure) is None  # this opening needs the second model
    for round_ in (1, 2):
        folder = tmp_path / f"run{round_}"
        _write(folder, "ru.txt", f"Соглашение {round_}\n\n{unsure}.\n\n{unsure}, {round_}.")
        import_paths(library, [folder])
    assert len(loaded) == 1
    assert [row[0] for row in library.db.execute("SELECT language FROM documents")] == ["ru", "ru"]


def test_the_language_an_html_page_declares_wins(library, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(f'<html lang="ru-RU"><head><title>Report</title></head><body><article>'
                    f'<h1>Report</h1><p>{ENGLISH}</p><p>{ENGLISH}</p></article></body></html>',
                    encoding="utf-8")
    import_paths(library, [page])
    assert library.db.execute("SELECT language FROM documents").fetchall() == [("ru",)]


def test_the_language_facet_counts_and_filters_articles(library):
    db = library.db
    ids = [add_article(db, text, language=code)
           for text, code in ((RUSSIAN, "ru"), (CHINESE, "zh"), (ENGLISH, "en"), (ENGLISH + ".", "en"))]
    counts = facet_counts(db, "language")
    assert sorted(counts) == [("en", 2), ("ru", 1), ("zh", 1)]
    assert search_ids(db, "", filters=Filters().including("language", "ru")) == [ids[0]]
    assert sorted(search_ids(db, "", filters=Filters().excluding("language", "en"))) == ids[:2]


@pytest.mark.skipif(not MULTILINGUAL.is_dir(), reason="multilingual corpus not available")
def test_every_russian_and_chinese_corpus_file_is_detected_right():
    wrong = Counter()
    with (MULTILINGUAL / "gold.jsonl").open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            text = (MULTILINGUAL / record["file"]).read_bytes().decode(record["encoding"])
            found = detect_language(text)
            if found != record["lang"]:
                wrong[(record["lang"], found)] += 1
    assert not wrong
