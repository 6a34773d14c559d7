"""Russian entities with Natasha: slovnet's news NER over navec embeddings, names in the nominative.

The weights ship inside the ``natasha``/``navec``/``slovnet`` wheels and nothing is
downloaded. ``extract_ru`` returns each text's spans with Dossier's labels (PER → PERSON,
ORG → ORG, LOC → GPE, or LOC for seas, rivers, mountains and other natural features); a
span keeps its place in the text (the mention's text is what the article says) while its
name is the nominative form Natasha's morphology gives (Бориса Громова → Борис Громов,
Сбербанка → Сбербанк; a Chinese name Natasha leaves declined by ``palladius``: Ван Чжигана →
Ван Чжиган), which is what facets and entity pages show. The one repair
(``STEPS``): ``brackets`` splits a name with another in brackets after it ("Комитет защиты
журналистов (КЗЖ)", "ООН (ФАО)") into the two names; ``edges`` cuts a bracket that opens or
closes nothing in the name and a list's bullet from its ends ("Бернс (" of a hockey score line
"Бернс (Рой, Грин)", "ПАСЕ (", "• Коста Рика"). They were chosen on the even-numbered files of
the development corpus and help the odd-numbered ones too
(``tests/bench/eval_multilingual_ner.py``). The model loads on first use, once per process.
"""

from __future__ import annotations

import functools
import re
import threading
from importlib.metadata import version
from typing import Any, Iterable, Sequence

from .cleanup import unbalanced
from .palladius import nominative_of_chinese_name, preposition_before_chinese_name
from .pipeline import MAX_CHARS, Span
from .reading import text_reads

STEPS = ("brackets", "edges")
ALL_STEPS = frozenset(STEPS)
RULES_VERSION = 3
"""1: ``brackets``; 2: ``edges`` too; 3: Chinese names in the nominative (``palladius``). A library
read under older rules reads its Russian articles again."""
LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
_BRACKETED = re.compile(r"(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)")
_BULLETS = "•·▪◦–—-"
NATURAL_FEATURES = frozenset(
    """река реки реке реку рекой озеро озера озере море моря море морем океан океана океане гора
    горы горе гору хребет хребта остров острова острове полуостров полуострова залив залива
    заливе пролив пролива проливе долина долины пустыня пустыни равнина равнины""".split()
)
"""Words that make a Russian place a location (LOC) rather than a country or city (GPE)."""

_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _models() -> dict[str, Any]:
    from natasha import (
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        NewsSyntaxParser,
        Segmenter,
    )

    embedding = NewsEmbedding()
    return {
        "segmenter": Segmenter(),
        "morph": NewsMorphTagger(embedding),
        "syntax": NewsSyntaxParser(embedding),
        "ner": NewsNERTagger(embedding),
        "vocab": MorphVocab(),
    }


def load() -> dict[str, Any]:
    """Natasha's segmenter, morphology, syntax and NER, loaded once per process (thread-safe)."""
    with _LOADING:
        return _models()


def model_version() -> str:
    """How mentions record the Russian model and its rules, e.g. ``ru_natasha 1.6.0 rules 2``."""
    return f"ru_natasha {version('natasha')} rules {RULES_VERSION}"


def place_label(name: str, before: str = "") -> str:
    """GPE for a country, region or town; LOC when a word of the name, or the word just
    ``before`` it ("у реки Волги"), is a natural feature."""
    words = set(name.lower().split())
    previous = before.split()[-1:]
    return "LOC" if NATURAL_FEATURES & words.union(w.lower() for w in previous) else "GPE"


def extract_ru(texts: Sequence[str], *, steps: Iterable[str] = ALL_STEPS) -> list[list[Span]]:
    """The PERSON, ORG and place spans of each Russian text, named in the nominative."""
    models = load()
    steps = frozenset(steps)
    found: list[list[Span]] = []
    for text in texts:
        spans: list[Span] = []
        for read in text_reads(text[:MAX_CHARS]):  # in parts: Natasha's memory grows with what it reads
            spans.extend(Span(read.offset + span.start, read.offset + span.end, span.label, span.name)
                         for span in _piece_spans(read.text, 0, models, steps)
                         if read.keep_from <= span.start < read.keep_to)
        found.append(spans)
    return found


NATASHA_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def nominative(surface: str, label: str) -> str:
    """The nominative of a Russian name a person marked or relabelled ("Бориса Громова" →
    "Борис Громов"), as Natasha names what it finds; other types keep the text as written."""
    name = " ".join(surface.split())
    if label not in NATASHA_TYPES or not name:
        return name
    from natasha import Doc
    from natasha.doc import DocSpan

    models = load()
    doc = Doc(name)
    doc.segment(models["segmenter"])
    doc.tag_morph(models["morph"])
    if label == "ORG":
        doc.parse_syntax(models["syntax"])
    span = DocSpan(0, len(name), NATASHA_TYPES[label], name)
    span.tokens = doc.tokens
    span.normalize(models["vocab"])
    normal = " ".join((span.normal or name).split())
    return nominative_of_chinese_name(normal) if label == "PERSON" else normal


def split_brackets(text: str, span: Span) -> list[Span]:
    """"Комитет защиты журналистов (КЗЖ)" as two spans of the same label, else ``span`` alone.

    The outer name keeps the nominative of the whole when that has the same shape; the name in
    brackets (an abbreviation or a foreign name) is taken as written."""
    surface = _BRACKETED.fullmatch(text, span.start, span.end)
    if surface is None:
        return [span]
    normal = _BRACKETED.fullmatch(span.name)
    outer = normal.group("outer") if normal else surface.group("outer")
    return [
        Span(span.start, surface.end("outer"), span.label, outer),
        Span(surface.start("inner"), surface.end("inner"), span.label, surface.group("inner").strip()),
    ]


def _tag_named_sentences(doc: Any, models: dict[str, Any]) -> None:
    """Morphology for the sentences with a name in them, syntax for those with a name of an
    organisation of several words (what tells which of its words inflect: Министерства
    иностранных дел → Министерство иностранных дел). Natasha's normalisation reads nothing
    else, and these taggers cost eight times the NER on every sentence."""
    from natasha.doc import inject_morph, inject_syntax, offset_syntax

    named: dict[int, bool] = {}
    for span in doc.spans:
        several = span.type == "ORG" and len(span.text.split()) > 1
        for index, sent in enumerate(doc.sents):
            if sent.start < span.stop and span.start < sent.stop:
                named[index] = named.get(index, False) or several
    sentences = [(index, doc.sents[index].tokens) for index in sorted(named)]
    words = [[token.text for token in tokens] for _, tokens in sentences]
    for (_, tokens), markup in zip(sentences, models["morph"].map(words)):
        inject_morph(tokens, markup.tokens)
    organisations = [(index, tokens) for index, tokens in sentences if named[index]]
    words = [[token.text for token in tokens] for _, tokens in organisations]
    for (index, tokens), markup in zip(organisations, models["syntax"].map(words)):
        inject_syntax(tokens, markup.tokens)
        offset_syntax(index + 1, tokens)


def _piece_spans(text: str, offset: int, models: dict[str, Any], steps: frozenset[str]) -> list[Span]:
    from natasha import Doc

    doc = Doc(text)
    doc.segment(models["segmenter"])
    doc.tag_ner(models["ner"])
    if not doc.spans:
        return []
    _tag_named_sentences(doc, models)
    out = []
    for span in doc.spans:
        surface = text[span.start:span.stop]
        if "\n" in surface or span.type not in LABELS:
            continue
        span.normalize(models["vocab"])
        name = " ".join((span.normal or surface).split())
        label = LABELS[span.type]
        start = span.start
        if label == "PERSON":
            if cut := preposition_before_chinese_name(surface):
                start, name = start + cut, name.removeprefix(surface[:cut].rstrip() + " ")
            name = nominative_of_chinese_name(name)
        if label == "GPE":
            label = place_label(name, text[max(0, span.start - 20):span.start])
        found = Span(start, span.stop, label, name)
        for part in split_brackets(text, found) if "brackets" in steps else [found]:
            part = trimmed_edges(text, part) if "edges" in steps else part
            if part is not None:
                out.append(Span(offset + part.start, offset + part.end, part.label, part.name))
    return out


def trimmed_edges(text: str, span: Span) -> Span | None:
    """``span`` without a bracket that opens or closes nothing in it, a bullet or a dash at either
    end (its nominative name cut the same way); None when nothing of a name is left."""
    start, end, name = span.start, span.end, span.name
    while start < end:
        surface = text[start:end]
        head, tail = unbalanced(surface)
        head = head or len(surface) - len(surface.lstrip(_BULLETS + " "))
        tail = tail or len(surface) - len(surface.rstrip(_BULLETS + " "))
        if not head and not tail:
            break
        start, end = start + head, end - tail
        start += len(text[start:end]) - len(text[start:end].lstrip())
        end -= len(text[start:end]) - len(text[start:end].rstrip())
        cut = unbalanced(name)
        name = name[cut[0]:len(name) - cut[1]].strip(_BULLETS + " ")
    if start >= end or not any(ch.isalpha() for ch in text[start:end]):
        return None
    if (start, end) == (span.start, span.end):
        return span
    return Span(start, end, span.label, name or " ".join(text[start:end].split()))
