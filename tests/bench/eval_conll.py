"""Dev-set F1 of the entity pipeline on CoNLL-2003 (eng.testa), before and after each step.

Runs the post-processing the app uses (``desktop.core.entities.pipeline.extract_spans``)
on each document's detokenised text as the shared scorer rebuilds it, so predicted
character spans line up with the gold token spans. Each row adds one step to the
previous row; the first row is the bare model. The model reads the texts once for each way
of preparing them (``boilerplate``, ``recase``); the steps after the model post-process that
output in batches of ``BATCH`` documents, as ``extract_spans`` would.

usage: .venv/bin/python tests/bench/eval_conll.py [path/to/eng.testa.txt]
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

from desktop.core.entities.pipeline import STEPS, Span, load_pipeline, postprocess, prepare_text  # noqa: E402
from desktop.core.entities.prepare import PREPARE_STEPS  # noqa: E402

DEV_SET = SHARED / "corpora" / "conll2003" / "eng.testa.txt"
BATCH = 64


_MODEL_OUTPUT: dict[frozenset[str], tuple[list[str], list[list[Span]]]] = {}


def model_output(texts: list[str], steps: frozenset[str]) -> tuple[list[str], list[list[Span]]]:
    """The texts as prepared by ``steps`` and what the model finds in them, read once per preparation."""
    key = steps & PREPARE_STEPS
    if key not in _MODEL_OUTPUT:
        prepared = [prepare_text(text, steps=key) for text in texts]
        found = [[Span(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]
                 for doc in load_pipeline().pipe(prepared, batch_size=16)]
        _MODEL_OUTPUT[key] = (prepared, found)
    return _MODEL_OUTPUT[key]


def evaluate(docs: list[tuple[str, set]], steps: frozenset[str]) -> tuple[dict, dict]:
    """Scores on all documents and on the non-sports ones with the given post-processing steps."""
    prepared, found = model_output([text for text, _ in docs], steps)
    spans: list = []
    for start in range(0, len(docs), BATCH):
        spans.extend(postprocess(prepared[start:start + BATCH], found[start:start + BATCH], steps=steps))
    pairs, news = [], []
    for (text, gold), found in zip(docs, spans):
        pred = {
            conll_score.trim(text, s.start, s.end, conll_score.MAP[s.label])
            for s in found if s.label in conll_score.MAP
        }
        pairs.append((gold, pred))
        if not conll_score.is_sports(text):
            news.append((gold, pred))
    return conll_score.score(pairs), conll_score.score(news)


def main(path: Path = DEV_SET) -> None:
    """Print one row per step: F1 (all, non-sports), change against the row before, PER/ORG/LOC."""
    docs = conll_score.read_docs(str(path))
    print(f"{'step':<14}{'all':>7}{'Δ':>8}{'non-sports':>12}{'Δ':>8}   PER   ORG   LOC (non-sports)")
    steps: list[str] = []
    before = None
    started = time.perf_counter()
    for step in [None, *STEPS]:
        if step:
            steps.append(step)
        every, news = evaluate(docs, frozenset(steps))
        row = (every["ALL"]["f1"], news["ALL"]["f1"])
        delta = ("", "") if before is None else (f"{row[0] - before[0]:+.3f}", f"{row[1] - before[1]:+.3f}")
        print(
            f"{step or 'bare model':<14}{row[0]:>7.3f}{delta[0]:>8}{row[1]:>12.3f}{delta[1]:>8}"
            f"   {news['PER']['f1']:.3f} {news['ORG']['f1']:.3f} {news['LOC']['f1']:.3f}"
        )
        before = row
    print(f"({len(docs)} documents, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEV_SET)
