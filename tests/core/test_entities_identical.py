"""Dropping the shared ``tok2vec`` leaves the model's entities exactly as they were.

Loading without ``tok2vec`` is only a speed-up if ``ner`` gives the same answer: this
compares the raw (start, end, label) of every entity with and without it on the seed
articles and a fixed slice of the BBC corpus. The reference keeps the tagger and parser
excluded as before: the parser's sentence boundaries, not ``tok2vec``, change a span
now and then (1 of these 65 texts), so only ``tok2vec`` differs between the two.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.entities.pipeline import EXCLUDED_COMPONENTS, load_pipeline, model_setting

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
BBC = REPO.parent / "shared" / "corpora" / "bbc"
BBC_SLICE = 60  # every 37th file of the 2,225: all five topics


def raw_entities(nlp, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts)]


def sample_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    files = sorted(BBC.rglob("*.txt"))[::37][:BBC_SLICE]
    return texts + [f.read_bytes().decode("utf-8", errors="replace") for f in files]


@pytest.fixture(scope="module")
def with_tok2vec():
    import spacy

    return spacy.load(model_setting(), exclude=list(EXCLUDED_COMPONENTS))


def test_the_ner_only_pipeline_runs_ner_alone():
    assert load_pipeline().pipe_names == ["ner"]


def test_the_reference_runs_the_shared_tok2vec_that_ner_does_not_listen_to(with_tok2vec):
    assert with_tok2vec.pipe_names == ["tok2vec", "ner"]
    assert with_tok2vec.get_pipe("tok2vec").listening_components == []


def test_entities_are_identical_with_and_without_tok2vec_on_seeds_and_bbc(with_tok2vec):
    texts = sample_texts()
    assert len(texts) >= 5
    ours = raw_entities(load_pipeline(), texts)
    assert sum(map(len, ours)) > 100
    assert ours == raw_entities(with_tok2vec, texts)
