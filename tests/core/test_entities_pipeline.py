"""The entity pipeline: what the model sees, and how its spans are corrected afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.entities import names
from desktop.core.entities.pipeline import (
    DEFAULT_MODEL,
    MODEL_SETTING,
    Span,
    alias_persons,
    extract_spans,
    load_pipeline,
    model_setting,
    relabel_names,
    split_place_person,
    trim_spans,
    vote_labels,
)
from desktop.core.entities.prepare import mask_boilerplate, recase_caps
from desktop.core.errors import InvalidInput

from .entity_spans import spans_of


def found(text: str, spans: list[Span]) -> set[tuple[str, str, str]]:
    return {(text[s.start:s.end], s.label, s.name) for s in spans}


def test_the_default_model_is_the_small_english_one_loading_only_ner(monkeypatch):
    monkeypatch.delenv(MODEL_SETTING, raising=False)
    nlp = load_pipeline()
    assert model_setting() == DEFAULT_MODEL
    assert nlp.pipe_names == ["ner"]
    assert load_pipeline() is nlp


def test_the_model_setting_picks_another_pipeline_and_a_missing_one_is_a_clear_error(monkeypatch):
    monkeypatch.setenv(MODEL_SETTING, "no_such_spacy_pipeline")
    assert model_setting() == "no_such_spacy_pipeline"
    with pytest.raises(InvalidInput, match="no_such_spacy_pipeline"):
        load_pipeline()


def test_navigation_lines_are_blanked_without_moving_any_offset():
    text = "Home > World\nThe Chinese embassy said on Tuesday that talks went well.\n" + "\n".join(
        ["News", "Politics", "Business", "Society", "Travel News", "Photo"]
    ) + "\nCopyright 2018 Chinanews.com. All rights reserved."
    masked = mask_boilerplate(text)
    assert len(masked) == len(text)
    assert masked.count("\n") == text.count("\n")
    assert "The Chinese embassy said on Tuesday" in masked
    for junk in ("Home", "Politics", "Travel News", "Copyright"):
        assert junk not in masked


def test_a_short_list_of_facts_is_not_mistaken_for_a_menu():
    text = "Scores:\nJapan 2 Syria 1\nChina 0 Uzbekistan 2\nKANSAS CITY AT DETROIT\nBOSTON AT OAKLAND"
    assert mask_boilerplate(text) == text


def test_an_all_caps_headline_and_datelines_take_the_body_casing_at_the_same_length():
    text = (
        "RUSSIA AND CHINA SIGN SPACE DEAL\nMOSCOW, May 3 - Russia and China signed a deal.\n"
        "BONN 1996-08-22\nThe deal was welcomed."
    )
    recased = recase_caps(text)
    assert len(recased) == len(text)
    assert recased.split("\n")[:3] == [
        "Russia and China Sign Space deal", "Moscow, May 3 - Russia and China signed a deal.",
        "Bonn 1996-08-22",
    ]


def test_leading_articles_and_possessives_are_trimmed_and_line_crossing_or_lowercase_spans_dropped():
    text = "the Chinese Embassy's staff met sci-tech people.\nVoices\nNews"
    spans = [
        Span(0, len("the Chinese Embassy's"), "ORG", "the Chinese Embassy's"),
        Span(text.index("sci-tech"), text.index("sci-tech") + 8, "ORG", "sci-tech"),
        Span(text.index("Voices"), len(text), "ORG", "Voices\nNews"),
    ]
    assert found(text, trim_spans(text, spans)) == {("Chinese Embassy", "ORG", "Chinese Embassy")}


def test_a_place_run_into_a_person_is_split_in_two():
    text = "Russian Ambassador to China Andrei Denisov said so."
    spans = spans_of(text, ("China Andrei Denisov", "ORG"))
    result = split_place_person(text, spans, {"China": "GPE"})
    assert found(text, result) == {("China", "GPE", "China"), ("Andrei Denisov", "PERSON", "Andrei Denisov")}


def test_transliterated_names_and_a_role_after_a_name_relabel_it_as_a_person():
    text = "Irina Ganus, the deputy chairman, met Chen Linhao and Gusev Vladimirovich at the Kremlin."
    spans = spans_of(
        text,
        ("Irina Ganus", "ORG"), ("Chen Linhao", "GPE"), ("Gusev Vladimirovich", "ORG"), ("Kremlin", "ORG"),
    )
    labels = {s.name: s.label for s in relabel_names(text, spans)}
    assert labels == {"Irina Ganus": "PERSON", "Chen Linhao": "GPE", "Gusev Vladimirovich": "PERSON",
                      "Kremlin": "ORG"}


def test_name_patterns_know_chinese_family_names_and_russian_patronymics():
    assert names.is_chinese_name(["Zhang", "Zhijun"])
    assert not names.is_chinese_name(["Paris", "Match"])
    assert names.is_russian_name(["Andrei", "Denisov"])
    assert names.is_russian_name(["Gusev", "Vladimirovich"])
    assert not names.is_russian_name(["Latin", "American"])


def test_a_form_labelled_one_way_in_most_places_gets_that_label_and_untagged_repeats_are_tagged():
    text = "Gazprom said. Gazprom added. Gazprom denied. Later Gazprom agreed."
    spans = [Span(0, 7, "ORG", "Gazprom"), Span(14, 21, "ORG", "Gazprom"), Span(28, 35, "PERSON", "Gazprom")]
    result = vote_labels(text, spans, {})
    assert sorted((s.start, s.label) for s in result) == [(0, "ORG"), (14, "ORG"), (28, "ORG"), (51, "ORG")]


def test_a_nationality_lends_no_alias_even_when_it_starts_a_persons_name():
    text = "Rwandan Kagame spoke. Rwandan refugees returned."
    spans = spans_of(text, ("Rwandan Kagame", "PERSON")) + [Span(22, 29, "NORP", "Rwandan")]
    assert (22, "NORP") in [(s.start, s.label) for s in alias_persons(text, spans)]


def test_a_family_or_given_name_alone_becomes_the_person_named_in_full():
    text = (
        "Wang Donghai spoke. Later Wang said the plan, backed by Vladimirovich, was ready. "
        "Gusev Vladimirovich agreed."
    )
    spans = spans_of(
        text, ("Wang Donghai", "PERSON"), ("Gusev Vladimirovich", "PERSON"), ("Vladimirovich", "ORG")
    )
    result = found(text, alias_persons(text, spans))
    assert ("Wang", "PERSON", "Wang Donghai") in result
    assert ("Vladimirovich", "PERSON", "Gusev Vladimirovich") in result


def test_a_name_not_spelt_like_a_persons_lends_no_alias_to_its_words():
    text = "Changchun Hi-tech grew. Changchun is big. Changchun is cold."
    spans = spans_of(text, ("Changchun Hi-tech", "PERSON")) + [
        Span(24, 33, "GPE", "Changchun"), Span(42, 51, "GPE", "Changchun"),
    ]
    labels = [(s.start, s.label) for s in alias_persons(text, spans)]
    assert (24, "GPE") in labels and (42, "GPE") in labels


def test_money_written_as_a_number_and_a_currency_is_money_and_spans_index_the_text():
    text = "The university has signed contracts worth more than 1 million U.S. dollars with companies."
    [spans] = extract_spans([text])
    assert ("more than 1 million U.S. dollars", "MONEY") in {(text[s.start:s.end], s.label) for s in spans}


def test_a_long_article_is_read_in_pieces_with_exact_offsets(monkeypatch):
    from desktop.core.entities import pipeline, reading

    monkeypatch.setattr(reading, "PIECE_CHARS", 500)
    monkeypatch.setattr(pipeline, "MAX_CHARS", 3_000)
    paragraph = "Zhang Qiang met Andrei Rudskoy in St. Petersburg on Tuesday.\n\n"
    text = paragraph * 60
    pieces = reading.text_pieces(text)
    assert len(pieces) > 6 and all(len(piece) <= 500 for _, piece in pieces)
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    spans = pipeline.extract_spans([text])[0]
    assert {text[span.start : span.end] for span in spans} >= {"Zhang Qiang", "Andrei Rudskoy"}
    assert 2_000 < max(span.start for span in spans) < 3_000


def test_titles_are_not_part_of_a_persons_name():
    from desktop.core.entities.pipeline import Span, trim_spans

    text = "President Xi Jinping met Dr. Michael Bjorn and Mr Wang in Beijing."
    spans = [Span(0, 20, "PERSON", "President Xi Jinping"), Span(25, 42, "PERSON", "Dr. Michael Bjorn"),
             Span(47, 54, "PERSON", "Mr Wang"), Span(58, 65, "GPE", "Beijing")]
    names = [(text[s.start:s.end], s.name) for s in trim_spans(text, spans)]
    assert names == [("Xi Jinping", "Xi Jinping"), ("Michael Bjorn", "Michael Bjorn"),
                     ("Wang", "Wang"), ("Beijing", "Beijing")]


@pytest.mark.parametrize("text, sums", [
    ("The firm made £5m last year and $3.2bn in 2004, up from €1.2m.", ["£5m", "$3.2bn", "€1.2m"]),
    ("Yukos owes $27.5bn in back taxes; the US$ 5 million deal.", ["$27.5bn", "US$ 5 million"]),
    ("Shares fell to 250p.", ["250p"]),
])
def test_sums_of_money_keep_their_currency_sign_and_scale(text, sums):
    [found] = extract_spans([text])
    assert [text[s.start:s.end] for s in found if s.label == "MONEY"] == sums


def test_reading_texts_leaves_the_models_vocabulary_as_it_was():
    """A worker reads tens of thousands of articles: the words they bring must not stay in the
    model's string store (it grew by 31,000 strings over 6,000 articles), while the entities
    found name them as written."""
    nlp = load_pipeline()
    before = len(nlp.vocab.strings)
    texts = [f"Zhvaniashvilidze{n} met Ms Qorbanalizadeh{n} of Xylophonics{n} Ltd in Vladikavkazsk{n}."
             for n in range(40)]
    spans = extract_spans(texts, nlp=nlp)
    assert len(nlp.vocab.strings) == before
    assert any(f"Qorbanalizadeh{n}" in span.name for n, found in enumerate(spans) for span in found)


def test_a_batch_holding_a_long_article_is_read_in_smaller_groups_with_the_same_entities(monkeypatch):
    """The model's working memory grows with the characters it reads at once: a worker's batch
    with one long article among short ones peaked 35 MiB higher when read 16 texts at a time."""
    from desktop.core.entities import pipeline, reading

    nlp = load_pipeline()
    short = "Zhang Qiang met Andrei Rudskoy in St. Petersburg on Tuesday."
    texts = [f"{short} Item {n}." for n in range(20)]
    texts[3] = "Gazprom said Alexei Miller would visit Beijing.\n\n" * 600
    read: list[list[int]] = []

    class Recording:
        vocab = nlp.vocab

        def memory_zone(self):
            return nlp.memory_zone()

        def pipe(self, group, batch_size):
            group = list(group)
            read.append([len(text) for text in group])
            return nlp.pipe(group, batch_size=batch_size)

    monkeypatch.setattr(pipeline, "postprocess", lambda texts, found, steps: found)
    grouped = extract_spans(texts, nlp=Recording())
    assert max(sum(sizes) for sizes in read) <= pipeline.PIPE_CHARS  # the long article too, in parts
    assert len(texts[3]) > pipeline.PIPE_CHARS and len(reading.text_reads(texts[3])) == 3
    assert max(len(sizes) for sizes in read) == pipeline.PIPE_BATCH
    assert sum(len(sizes) for sizes in read) == len(texts) - 1 + 3
    monkeypatch.setattr(pipeline, "PIPE_CHARS", 10_000_000)
    assert extract_spans(texts, nlp=nlp) == grouped
    assert {texts[0][s.start:s.end] for s in grouped[0]} >= {"Zhang Qiang", "Andrei Rudskoy"}
    assert {"Alexei Miller", "Beijing"} <= {texts[3][s.start:s.end] for s in grouped[3]}


BBC = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "bbc"


@pytest.mark.skipif(not BBC.is_dir(), reason="../shared/corpora/bbc is absent (tests only read it there)")
def test_a_long_text_read_in_parts_with_context_has_the_entities_of_its_whole_pieces(monkeypatch):
    """A 19 MB article made the model read pieces of 100,000 characters whole (325 MiB of working
    memory each); it now reads them in parts of ``READ_CHARS`` with context around each, and must
    find exactly what reading each piece whole found, at the same offsets."""
    from desktop.core.entities import pipeline, reading

    files = sorted(BBC.rglob("*.txt"))[::7]
    text = "\n\n".join(f.read_bytes().decode("utf-8", errors="replace").strip() for f in files)[:300_000]
    reads = reading.text_reads(text)
    assert len(reads) > 30 and max(len(read.text) for read in reads) <= reading.READ_CHARS + 4 * reading.CONTEXT_CHARS
    assert all(text[read.offset : read.offset + len(read.text)] == read.text for read in reads)
    kept = [(read.offset + read.keep_from, read.offset + read.keep_to) for read in reads]
    assert kept[0][0] == 0 and kept[-1][1] == len(text) and all(a[1] == b[0] for a, b in zip(kept, kept[1:]))

    nlp = load_pipeline()
    with nlp.memory_zone():
        whole = [(offset + e.start_char, offset + e.end_char, e.label_)
                 for offset, piece in reading.text_pieces(text) for e in nlp(piece).ents]
    monkeypatch.setattr(pipeline, "prepare_text", lambda text, steps: text)
    monkeypatch.setattr(pipeline, "postprocess", lambda texts, found, steps: found)
    [parts] = extract_spans([text], nlp=nlp)
    assert len(whole) > 5_000
    assert [(s.start, s.end, s.label) for s in parts] == whole
    assert all(text[s.start:s.end] == s.name for s in parts)


def test_untagged_repeats_are_the_matches_no_span_overlaps():
    """Repeats of tagged names are found among spans by bisection (comparing each repeat with
    every span took 27 s of a 19 MB article's 65): the answer is the plain overlap test's."""
    import random

    from desktop.core.entities.pipeline import _untagged, _word_pattern

    rng = random.Random(7)
    words = ["Wang", "Gazprom", "Rudskoy", "Beijing", "said", "the", "and"]
    text = " ".join(rng.choice(words) for _ in range(3_000))
    spans = []
    for _ in range(400):
        start = rng.randrange(len(text))
        spans.append(Span(start, min(start + rng.randrange(1, 40), len(text)), "ORG", "x"))
    pattern = _word_pattern(["Wang", "Gazprom", "Rudskoy"])
    plain = [m.span() for m in pattern.finditer(text)
             if not any(s.start < m.end() and m.start() < s.end for s in spans)]
    assert 0 < len(plain) < len(pattern.findall(text))
    assert [m.span() for m in _untagged(text, pattern, spans)] == plain
