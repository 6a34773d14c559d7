"""Which entity model reads an article, by its language, and the one call that runs them all.

``model_language(text, language)`` takes the article's stored language
(``documents.language``: "ru", "zh-cn", "rus" …) when it names one we have a model for,
else looks at the script: mostly Cyrillic letters → Russian, mostly Han characters (and no
Japanese kana) → Chinese, anything else → English, the spaCy pipeline as before.
``extract_articles`` takes a batch of (text, language) and returns each article's spans
and the model that found them; the Russian and Chinese models load only when an article
of theirs is in a batch, and English texts go through ``pipeline.extract_spans`` together,
exactly as when there was only the English model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from . import models_ru, models_zh
from .pipeline import Span, extract_spans, load_pipeline, model_version
from .rules import HAN

if TYPE_CHECKING:
    from spacy.language import Language

ENGLISH, RUSSIAN, CHINESE = "en", "ru", "zh"
LANGUAGE_CODES = {
    "en": ENGLISH, "eng": ENGLISH, "english": ENGLISH,
    "ru": RUSSIAN, "rus": RUSSIAN, "russian": RUSSIAN,
    "zh": CHINESE, "zho": CHINESE, "chi": CHINESE, "cmn": CHINESE, "chinese": CHINESE,
}
SAMPLE_CHARS = 5000
"""The script test reads the first characters of an article only."""
CYRILLIC_SHARE = 0.5
HAN_SHARE = 0.3
"""Shares of an article's letters; a Han character is a whole word, so Chinese text with Latin
names in it has far fewer Han "letters" than words."""
KANA_SHARE = 0.05


@dataclass(frozen=True)
class Extraction:
    """One article's entities, the language model that read it and that model's version."""

    spans: list[Span]
    language: str
    model: str


_OTHER_SCRIPTS = re.compile(r"[\u0400-\u04ff\u3040-\u30ff" + HAN.pattern[1:])
"""A Cyrillic, Han or kana character: a text without one is English, its letters left uncounted."""


def script_language(text: str) -> str:
    """"ru", "zh" or "en" from the share of Cyrillic or Han among the letters of ``text``."""
    sample = text[:SAMPLE_CHARS]
    if _OTHER_SCRIPTS.search(sample) is None:
        return ENGLISH
    letters = cyrillic = han = kana = 0
    for ch in sample:
        if not ch.isalpha():
            continue
        letters += 1
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
        elif HAN.match(ch):
            han += 1
        elif "\u3040" <= ch <= "\u30ff":
            kana += 1
    if not letters:
        return ENGLISH
    if cyrillic >= CYRILLIC_SHARE * letters:
        return RUSSIAN
    if han >= HAN_SHARE * letters and kana < KANA_SHARE * letters:
        return CHINESE
    return ENGLISH


def stored_language(language: str | None) -> str | None:
    """The model language a stored language code names ("zh-Hans" → "zh"), or None."""
    if not language:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return LANGUAGE_CODES.get(code)


def model_language(text: str, language: str | None = None) -> str:
    """The language whose model reads an article: its stored language, else its script."""
    return stored_language(language) or script_language(text)


_OTHER_MODELS: dict[str, tuple[Callable[[Sequence[str]], list[list[Span]]], Callable[[], str]]] = {
    RUSSIAN: (models_ru.extract_ru, models_ru.model_version),
    CHINESE: (models_zh.extract_zh, models_zh.model_version),
}


def extract_articles(
    articles: Sequence[tuple[str, str | None]],
    *,
    nlp: Language | None = None,
    model: str | None = None,
) -> list[Extraction]:
    """The entities of each (text, language) article, each found by its language's model.

    English articles use ``nlp`` (else the spaCy package ``model``, else the default one) and
    count as one corpus for label voting, as ``pipeline.extract_spans`` does.
    """
    languages = [model_language(text, language) for text, language in articles]
    results: list[Extraction | None] = [None] * len(articles)
    for lang in dict.fromkeys(languages):
        indices = [i for i, found in enumerate(languages) if found == lang]
        texts = [articles[i][0] for i in indices]
        if lang in _OTHER_MODELS:
            extract, version = _OTHER_MODELS[lang]
            found, name = [_lettered(spans) for spans in extract(texts)], version()
        else:
            nlp = nlp or load_pipeline(model)
            found, name = extract_spans(texts, nlp=nlp), model_version(nlp)
        for i, spans in zip(indices, found):
            results[i] = Extraction(spans, lang, name)
    return [r for r in results if r is not None]


def _lettered(spans: list[Span]) -> list[Span]:
    """The spans with a letter in their name: a number the Russian or Chinese model takes for a
    name ("5" of a quoted headline, «5 мыслей об…») is none, as the English cleanup drops it."""
    return [span for span in spans if any(ch.isalpha() for ch in span.name)]
