"""Words of three scripts as the multi-script search index holds them, the query rewritten the
same way, and the spans a query matches in the original text."""

from __future__ import annotations

import re

import pytest

from desktop.core.query import SCRIPTS_TABLE, compile_query
from desktop.core.snippets import query_snippet, snippet
from desktop.core.textindex import index_text, latin_only, query_tokens, stem_variants, term_spans

MOSCOW = "В Москве открыли центр. Под Москвой прошёл форум, Москва приняла гостей. Москвич уехал."


def shown(text: str, query_terms: list[str], prefixes: tuple[str, ...] = ()) -> list[str]:
    return [text[start:end] for start, end in term_spans(text, query_terms, prefixes=prefixes)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Oil prices rose 5% in 2004.", True),
    ("£5bn — “record” profits… ±2 °C", True),
    ("He said: café", False),
    ("Москва", False),
    ("in 中国", False),
    ("squared²", False),  # a digit the tokenizer keeps in the word
    ("a lone \ud800 surrogate", True),
])
def test_latin_only_tells_text_whose_word_characters_are_all_ascii(text, expected):
    assert latin_only(text) is expected


def test_latin_only_counts_as_word_characters_what_regular_expressions_do():
    word = re.compile(r"\w")
    for code in [*range(0x80, 0x10000), *range(0x1F600, 0x1F650), *range(0x20000, 0x20100)]:
        char = chr(code)
        assert latin_only(f"a {char} b") is (word.match(char) is None), hex(code)


def test_russian_inflected_forms_index_as_one_stem():
    assert index_text("Москве Москва Москвой Москвы") == "москв москв москв москв"


def test_yo_is_folded_to_ye_in_the_index_and_the_query():
    assert index_text("учёные") == index_text("ученые")
    assert compile_query("учёные", scripts=True).match == compile_query("ученые", scripts=True).match


def test_han_runs_index_as_overlapping_bigrams_and_their_last_character():
    assert index_text("中国合作") == "中国 国合 合作 作"


def test_a_lone_han_character_stays_a_unigram():
    assert index_text("我 是") == "我 是"


def test_english_text_is_passed_as_it_is():
    text = "Rudskoy met Xi Jinping in Beijing (2019)."
    assert index_text(text) == text


def test_mixed_text_keeps_latin_words_and_rewrites_the_others():
    assert index_text("Putin в Москве, 习近平") == "Putin в москв 习近 近平 平"


def test_a_russian_query_word_becomes_its_stem_or_those_of_its_other_cases():
    assert compile_query("Москве", scripts=True).match.startswith('("москв" OR ')
    assert stem_variants("Пакистаном")[:2] == ("пакистан", "пакиста")  # Snowball: Пакистан → пакиста
    assert "медвед" in stem_variants("Медведева")  # Snowball: Медведев → медвед, Медведева → медведев


def test_a_russian_prefix_keeps_its_prefix_search():
    assert compile_query("Моск*", scripts=True).match == '"моск" *'


def test_a_han_run_in_the_query_becomes_a_phrase_of_its_bigrams():
    assert compile_query("习近平", scripts=True).match == '"习近 近平"'


def test_a_single_han_character_is_searched_as_a_prefix():
    assert compile_query("国", scripts=True).match == '"国" *'


def test_a_quoted_chinese_phrase_typed_with_spaces_stays_one_phrase():
    assert compile_query('"中国 合作"', scripts=True).match == '"中国 国合 合作"'


def test_a_han_run_followed_by_a_word_in_a_phrase_keeps_its_last_character():
    assert query_tokens("中国Huawei") == (["中国", "国", "Huawei"], False)


def test_a_mixed_script_query_rewrites_each_word_and_keeps_field_scopes():
    compiled = compile_query('title:Москвой 合作 "lunar station" -"Китаем"', scripts=True)
    assert compiled.match == '((title : ("москв") AND "合作" AND "lunar station") NOT ("кита" OR "кит" OR "китай"))'
    assert compiled.table == SCRIPTS_TABLE


@pytest.mark.parametrize("query", ["russia", '"lunar station"', "biomed*", "a OR b -c", "title:(x y)"])
def test_english_queries_compile_as_before(query):
    assert compile_query(query, scripts=True).match == compile_query(query).match


def test_russian_terms_mark_every_inflected_form_in_the_text():
    assert shown(MOSCOW, ["Москве"]) == ["Москве", "Москвой", "Москва"]


def test_russian_prefix_terms_mark_the_words_they_start():
    assert shown(MOSCOW, ["Москв"], prefixes=("Москв",)) == ["Москве", "Москвой", "Москва", "Москвич"]


def test_yo_and_ye_spellings_mark_each_other():
    assert shown("Учёные и ученые.", ["ученые"]) == ["Учёные", "ученые"]


def test_chinese_terms_mark_the_characters_inside_longer_runs():
    assert shown("中俄两国开展合作，合作伙伴。", ["合作"]) == ["合作", "合作"]


def test_a_single_han_character_marks_only_that_character():
    assert shown("中国与国家", ["国"]) == ["国", "国"]


@pytest.mark.parametrize("query", ["Istanbul", "istanbul", "İstanbul", "İSTANBUL"])
def test_a_turkish_dotted_capital_i_is_marked_as_the_index_finds_it(query):
    text = "Analysts in İstanbul, ISTANBUL and Istanbul agreed."
    assert shown(text, [query]) == ["İstanbul", "ISTANBUL", "Istanbul"]


def test_a_phrase_marks_its_words_in_order_across_punctuation():
    assert shown("Lunar, station! Station lunar.", ['lunar station']) == ["Lunar, station"]


def test_english_words_are_marked_whole_ignoring_case_and_accents():
    assert shown("Rudskój spoke; RUDSKOJ's aide", ["rudskoj"]) == ["Rudskój", "RUDSKOJ"]


def test_the_snippet_marks_the_matched_forms_around_the_best_place():
    text = "Вступление. " * 30 + "Встреча в Москве и под Москвой."
    made = snippet(text, term_spans(text, ["Москва"]), marks=("[", "]"), ellipsis="…")
    assert "[Москве]" in made and "[Москвой]" in made and made.startswith("…")


def test_a_snippet_finds_a_capitalised_or_yo_written_russian_form_far_into_the_text():

    opening = "Вступление без искомых слов. " * 200  # the hit is beyond the first stretch read
    for query, form in (("Москва", "[МОСКВЕ]"), ("ученые", "[Учёные]")):
        made, marked = query_snippet(opening + "Учёные приехали на встречу в МОСКВЕ.", [query],
                                     marks=("[", "]"), ellipsis="…")
        assert marked and form in made and made.startswith("…"), query


def test_a_snippet_marks_a_russian_hit_after_words_that_only_start_like_it():

    # российский and Ростов start with the letters the stems of России share, but are not hits
    text = ("Российский учёный прилетел в Ростов. " + "Доклад без искомого слова. " * 40
            + "Сотрудничество Китая и России растёт.")
    made, marked = query_snippet(text, ["России"], marks=("[", "]"), ellipsis="…")
    assert marked and "[России]" in made and "[Российский]" not in made


def test_a_russian_noun_in_ai_finds_its_genitive_that_snowball_stems_apart():
    assert {"кита", "кит"} <= set(stem_variants("Китаем"))
    assert shown("Из Китая в Китай.", ["Китаем"]) == ["Китая", "Китай"]


# --- the rewriting of whole texts, each distinct piece once ----------------------------------

RUSSIAN_PAGE = (
    "«Москве», — сказал\u00a0Путин; Ростов-на-Дону и 2019\tгод.\nЁлки, учёные_2 (ТАСС) "
    "Москвой... Москвой: iPhone-15 Xi москв-а  Москве,"
)


def _word_by_word(text: str) -> str:
    """The index's text made word by word, as the search index defines it."""
    import re

    from desktop.core.textindex import _word

    return " ".join(_word(word) for word in re.findall(r"[^\W_]+", text))


def test_russian_text_indexes_word_by_word_whatever_stands_between_the_words():
    indexed = index_text(RUSSIAN_PAGE)
    assert indexed == _word_by_word(RUSSIAN_PAGE)
    assert indexed.split()[:3] == ["москв", "сказа", "путин"]
    assert "елк" in indexed.split() and "iPhone" in indexed.split()
    assert index_text(RUSSIAN_PAGE) == indexed  # the second time from the table of pieces


def test_the_table_of_pieces_emptied_when_full_changes_nothing(monkeypatch):
    from desktop.core import textindex

    expected = index_text(RUSSIAN_PAGE + " Новые слова: Пекине, Китаем.")
    monkeypatch.setattr(textindex, "_INDEXED", {})
    monkeypatch.setattr(textindex, "_INDEXED_MAX", 4)
    assert index_text(RUSSIAN_PAGE + " Новые слова: Пекине, Китаем.") == expected
    assert len(textindex._INDEXED) <= 40


def _walked(tokens: list[tuple[str, int, int]], terms: list[str], prefixes: list[str]) -> list[tuple[int, int]]:
    """The spans of ``terms`` found by the walk over every one of ``tokens``."""
    from desktop.core import textindex

    keys = [token[0] for token in tokens]
    found = []
    for term in terms:
        for wanted, prefix in textindex.term_keys(term, term in prefixes):
            found.extend(textindex._occurrences(tokens, keys, wanted, prefix=prefix))
    return textindex._merged(found)


def _spans_word_by_word(text: str, terms: list[str], prefixes: list[str]) -> list[tuple[int, int]]:
    """``term_spans`` as the token walk finds them, without the scan of Latin-only text."""
    from desktop.core import textindex

    return _walked([(textindex._fold(textindex._word(match.group())), match.start(), match.end())
                    for match in textindex._WORD.finditer(text)], terms, prefixes)


@pytest.mark.parametrize("text", [
    "Oil prices said: SAID_said, said-said (said) xsaid saidx.",
    "a a a b — “a a” £5 a",
    "Café naïve İstanbul \u212aelvin cafe kelvin istanbul",  # folded words: the token walk
    "interest rates, Interest-Rates; interest   rates",
    "1990s 1990 a.b.c a b c",
])
@pytest.mark.parametrize(("terms", "prefixes"), [
    (["said"], []), (["a a"], []), (["sai"], ["sai"]), (["interest rates"], []),
    (["interest rat"], ["interest rat"]), (["cafe", "kelvin", "istanbul"], []), (["a b c"], []),
    (["199"], ["199"]), (["1990"], []),
])
def test_latin_text_is_scanned_for_the_same_spans_the_token_walk_finds(text, terms, prefixes):
    assert term_spans(text, terms, prefixes=prefixes) == _spans_word_by_word(text, terms, prefixes)


def test_the_scan_finds_overlapping_phrases_and_whole_words_only():
    text = "a a a b; Said_said saidx xsaid"
    assert shown(text, ["a a"]) == ["a a a"]
    assert shown(text, ["said"]) == ["Said", "said"]
    assert shown(text, ["said"], prefixes=("said",)) == ["Said", "said", "saidx"]


def _spans_token_by_token(text: str, terms: list[str], prefixes: list[str]) -> list[tuple[int, int]]:
    """``term_spans`` as the walk over every token of ``spanned_tokens`` finds them."""
    from desktop.core import textindex

    return _walked(textindex.spanned_tokens(text), terms, prefixes)


_RUSSIAN_FORMS = ["Москва", "Москве", "Москвой", "москвичи", "МОСКВЫ", "учёные", "ученые", "учёных",
                  "правительства", "правительство", "России", "Россия", "Китаем", "Китая", "страна",
                  "стран", "странный", "Пакистан", "Пакистане", "ёлка", "Елка", "МС-21", "iPhone",
                  "Putin", "Путин", "Путина", "x_Москве", "Москве_2019"]
_HAN_RUNS = ["中国", "中国人", "国家", "国", "中华人民共和国", "人民", "合作", "北京大学", "学", "大学生"]
_GLUE = [" ", ", ", "; ", " — ", "«", "» ", "\n", "(", ") ", "_", "-"]


def test_russian_and_chinese_text_are_scanned_for_the_same_spans_the_token_walk_finds():
    """The scans of Cyrillic stems and Han characters (one term at a time) against the walk
    over every token, on 3,000 random texts mixing the two scripts, Latin words and
    punctuation, with terms taken from each text, typed as prefixes now and then."""
    import random

    rng = random.Random(20261206)
    for _ in range(3000):
        pieces = rng.choices(_RUSSIAN_FORMS, k=rng.randint(0, 12)) + rng.choices(_HAN_RUNS, k=rng.randint(0, 8))
        rng.shuffle(pieces)
        text = "".join(piece + rng.choice(_GLUE) for piece in pieces)
        pool = pieces + [" ".join(pair) for pair in zip(pieces, pieces[1:])] or ["Москве"]
        terms = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
        prefixes = [term[: rng.randint(1, len(term))] for term in terms if rng.random() < 0.25]
        terms += prefixes
        assert term_spans(text, terms, prefixes=prefixes) == _spans_token_by_token(text, terms, prefixes), (
            text, terms, prefixes)


@pytest.mark.parametrize(("text", "terms", "prefixes"), [
    ("国国国", ["国国"], []),  # overlapping places
    ("中国中国中国", ["国中国"], []),
    ("Москве-Москве москве", ["Москве Москве"], []),
    ("страна, стран; странный", ["стран"], ["стран"]),
    ("İstanbul и Москве", ["Москве"], []),  # lower-casing changes the length: the token walk
    ("Москве中国 Москве", ["Москве", "中国"], []),
])
def test_the_scans_of_russian_and_chinese_text_keep_every_place_the_token_walk_finds(text, terms, prefixes):
    found = term_spans(text, terms, prefixes=prefixes)
    assert found == _spans_token_by_token(text, terms, prefixes) and found


def test_a_long_text_is_cut_between_words_and_counted_as_a_whole():
    from desktop.core.ingest import word_count
    from desktop.core.textindex import parts_between_words

    text = ("Gazprom said 合作 Alexei Miller\nwould visit Beijing. " * 60_000) + "x" * 2_500_000 + " end"
    parts = list(parts_between_words(text, 1 << 20))
    assert "".join(parts) == text and len(parts) == 5
    assert all(part[-1] in " \n" for part in parts[:-1])
    assert sum(len(part.split()) for part in parts) == len(text.split())
    assert word_count(text) == len(text.split()) + 60_000
