"""Russian entities with Natasha: slovnet's news NER over navec embeddings, names in the nominative.

The weights ship inside the ``natasha``/``navec``/``slovnet`` wheels and nothing is
downloaded. ``extract_ru`` returns each text's spans with Dossier's labels (PER → PERSON,
ORG → ORG, LOC → GPE, or LOC for seas, rivers, mountains and other natural features); a
span keeps its place in the text (the mention's text is what the article says) while its
name is the nominative form Natasha's morphology gives (Бориса Громова → Борис Громов,
Сбербанка → Сбербанк), which is what facets and entity pages show. The model loads on
first use, once per process.
"""

from __future__ import annotations

import functools
import threading
from importlib.metadata import version
from typing import Any, Sequence

from .pipeline import MAX_CHARS, Span, text_pieces

LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
NATURAL_FEATURES = frozenset(
    """река реки реке реку рекой озеро озера озере море моря море морем океан океана океане гора
    горы горе гору хребет хребта остров острова острове полуостров полуострова залив залива
    заливе пролив пролива проливе долина долины пустыня пустыни равнина равнины""".split()
)
"""Words that make a Russian place a location (LOC) rather than a country or city (GPE)."""

_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _models() -> dict[str, Any]:
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    embedding = NewsEmbedding()
    return {
        "segmenter": Segmenter(),
        "morph": NewsMorphTagger(embedding),
        "ner": NewsNERTagger(embedding),
        "vocab": MorphVocab(),
    }


def load() -> dict[str, Any]:
    """Natasha's segmenter, morphology and NER, loaded once per process (thread-safe)."""
    with _LOADING:
        return _models()


def model_version() -> str:
    """How mentions record the Russian model, e.g. ``ru_natasha 1.6.0``."""
    return f"ru_natasha {version('natasha')}"


def place_label(name: str, before: str = "") -> str:
    """GPE for a country, region or town; LOC when a word of the name, or the word just
    ``before`` it ("у реки Волги"), is a natural feature."""
    words = set(name.lower().split())
    previous = before.split()[-1:]
    return "LOC" if NATURAL_FEATURES & words.union(w.lower() for w in previous) else "GPE"


def extract_ru(texts: Sequence[str]) -> list[list[Span]]:
    """The PERSON, ORG and place spans of each Russian text, named in the nominative."""
    models = load()
    found: list[list[Span]] = []
    for text in texts:
        spans: list[Span] = []
        for offset, piece in text_pieces(text[:MAX_CHARS]):
            spans.extend(_piece_spans(piece, offset, models))
        found.append(spans)
    return found


def _piece_spans(text: str, offset: int, models: dict[str, Any]) -> list[Span]:
    from natasha import Doc

    doc = Doc(text)
    doc.segment(models["segmenter"])
    doc.tag_ner(models["ner"])
    if not doc.spans:
        return []
    doc.tag_morph(models["morph"])
    out = []
    for span in doc.spans:
        surface = text[span.start:span.stop]
        if "\n" in surface or span.type not in LABELS:
            continue
        span.normalize(models["vocab"])
        name = " ".join((span.normal or surface).split())
        label = LABELS[span.type]
        if label == "GPE":
            label = place_label(name, text[max(0, span.start - 20):span.start])
        out.append(Span(offset + span.start, offset + span.stop, label, name))
    return out
