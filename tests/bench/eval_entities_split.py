"""Each post-processing step measured on a tuning half and a held-out half, fixed in advance.

CoNLL-2003 dev (eng.testa): documents at even positions are the tuning half, odd positions
the held-out half (split before any rule of issue 14 was written). The model runs once per
document; every configuration post-processes the same model output, so rows differ only by
their steps. Rows: the bare model, the steps before issue 14 (``BASE_STEPS``), each new step
added alone to them, and everything. F1 on non-sports documents (the target) and on all.

usage: .venv/bin/python tests/bench/eval_entities_split.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(SHARED / "tools"))

import conll_score  # noqa: E402

from desktop.core.entities.pipeline import (  # noqa: E402
    ALL_STEPS,
    BASE_STEPS,
    Span,
    load_pipeline,
    postprocess,
    prepare_text,
)

DEV_SET = SHARED / "corpora" / "conll2003" / "eng.testa.txt"


def model_output(texts: list[str], steps: frozenset[str] = ALL_STEPS) -> tuple[list[str], list[list[Span]]]:
    """What the model sees (the texts prepared by ``steps``) and finds in each text, once."""
    nlp = load_pipeline()
    prepared = [prepare_text(text, steps=steps) for text in texts]
    found = [[Span(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
             for doc in nlp.pipe(prepared, batch_size=16)]
    return prepared, found


def scores(docs, prepared, found, steps: frozenset[str], half: int) -> tuple[float, float]:
    """(non-sports F1, all F1) of the half's documents (0 tuning, 1 held-out)."""
    chosen = [i for i in range(len(docs)) if i % 2 == half]
    spans = postprocess([prepared[i] for i in chosen], [found[i] for i in chosen], steps=steps)
    pairs, news = [], []
    for i, found_spans in zip(chosen, spans):
        text, gold = docs[i]
        pred = {conll_score.trim(text, s.start, s.end, conll_score.MAP[s.label])
                for s in found_spans if s.label in conll_score.MAP}
        pairs.append((gold, pred))
        if not conll_score.is_sports(text):
            news.append((gold, pred))
    return conll_score.score(news)["ALL"]["f1"], conll_score.score(pairs)["ALL"]["f1"]


def main() -> None:
    started = time.perf_counter()
    docs = conll_score.read_docs(str(DEV_SET))
    prepared, found = model_output([text for text, _ in docs])
    bare = model_output([text for text, _ in docs], frozenset())
    rows = [("before (base steps)", BASE_STEPS)]
    rows += [(f"+ {step}", BASE_STEPS | {step}) for step in sorted(ALL_STEPS - BASE_STEPS)]
    rows.append(("all steps", ALL_STEPS))
    print(f"{'configuration':<24}{'tune news':>10}{'held news':>10}{'tune all':>10}{'held all':>10}")
    (tn, ta), (hn, ha) = (scores(docs, *bare, frozenset(), half) for half in (0, 1))
    print(f"{'bare model':<24}{tn:>10.3f}{hn:>10.3f}{ta:>10.3f}{ha:>10.3f}")
    for name, steps in rows:
        (tn, ta), (hn, ha) = scores(docs, prepared, found, steps, 0), scores(docs, prepared, found, steps, 1)
        print(f"{name:<24}{tn:>10.3f}{hn:>10.3f}{ta:>10.3f}{ha:>10.3f}")
    print(f"({len(docs)} documents, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
