"""Learning from corrections, simulated on CoNLL-2003 dev (eng.testa): F1 before/after and time.

A user "corrects" 25 / 50 / 100 documents: what the app showed them (``extract_spans``, every
post-processing step) is put right with the gold PER/ORG/LOC spans — a shown name that is a
gold entity keeps its label when it maps to the gold class (PERSON→PER, ORG→ORG,
GPE/LOC/FAC→LOC) and otherwise gets PERSON / ORG / GPE; a shown PERSON/ORG/GPE/LOC/FAC that is
no gold entity is removed; dates, sums, nationalities and the rest stay as shown. Then
``adapt.fine_tune`` runs with the app's settings, with pseudo-rehearsal on other articles of
the "library" (Reuters-21578 stories, annotated by the packaged model itself), and the app's
pipeline is scored again.

Split (fixed seed 0): the 216 dev documents are shuffled; the first 100 are the pool the
user corrects (25 and 50 are prefixes of it), the other 116 are the held-out evaluation set,
never trained on, the same for every size. The settings in ``adapt.Settings`` were chosen
before this measurement and not tuned on the evaluation documents.

usage: .venv/bin/python tests/bench/bench_adapt.py [SIZE ...]   (default 25 50 100)
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(SHARED / "tools"))

import conll_score  # noqa: E402

from desktop.core.entities.adapt import Settings, fine_tune, load_base  # noqa: E402
from desktop.core.entities.pipeline import extract_spans  # noqa: E402

DEV_SET = SHARED / "corpora" / "conll2003" / "eng.testa.txt"
REUTERS = SHARED / "corpora" / "reuters21578.jsonl"
POOL = 100
SEED = 0
GOLD_LABEL = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
BATCH = 64


def split(docs: list) -> tuple[list, list]:
    """(pool the user corrects, held-out evaluation documents) with the fixed seed."""
    order = list(range(len(docs)))
    random.Random(SEED).shuffle(order)
    return [docs[i] for i in order[:POOL]], [docs[i] for i in order[POOL:]]


def predict(nlp, texts: list[str]) -> list[list]:
    found: list = []
    for start in range(0, len(texts), BATCH):
        found.extend(extract_spans(texts[start:start + BATCH], nlp=nlp))
    return found


def user_corrected(text: str, gold: set, shown: list) -> list[tuple[int, int, str]]:
    """The entities a user leaves in a document after putting right what the app showed."""
    spans, taken = [], set()
    for s in shown:
        mapped = conll_score.MAP.get(s.label)
        key = conll_score.trim(text, s.start, s.end, mapped) if mapped else None
        if mapped is None:
            if not any(s.start < e and b < s.end for b, e, _ in gold):
                spans.append((s.start, s.end, s.label))
        elif key in gold:
            spans.append((key[0], key[1], s.label))
            taken.add(key)
    spans += [(b, e, GOLD_LABEL[label]) for b, e, label in gold - taken]
    return sorted(spans)


def f1(nlp, docs: list) -> dict:
    found = predict(nlp, [text for text, _ in docs])
    pairs = [(gold, {conll_score.trim(text, s.start, s.end, conll_score.MAP[s.label])
                     for s in spans if s.label in conll_score.MAP})
             for (text, gold), spans in zip(docs, found)]
    news = [pair for pair, (text, _) in zip(pairs, docs) if not conll_score.is_sports(text)]
    return {"all": conll_score.score(pairs)["ALL"]["f1"], "non_sports": conll_score.score(news)["ALL"]["f1"]}


def rehearsal_texts(count: int) -> list[str]:
    texts = []
    with REUTERS.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line).get("text") or ""
            if 400 <= len(text) <= 3000:
                texts.append(text)
            if len(texts) >= 2000:
                break
    random.Random(SEED).shuffle(texts)
    return texts[:count]


def main(sizes: list[int]) -> None:
    """Print F1 before and after adapting on each pool size, and the adaptation time."""
    if not DEV_SET.exists() or not REUTERS.exists():
        print(f"skipped: {DEV_SET} or {REUTERS} is missing")
        return
    docs = conll_score.read_docs(str(DEV_SET))
    pool, held_out = split(docs)
    settings = Settings()
    base = load_base()
    before = f1(base, held_out)
    shown = predict(base, [text for text, _ in pool])
    corrected = [(text, user_corrected(text, gold, spans)) for (text, gold), spans in zip(pool, shown)]
    print(f"held-out: {len(held_out)} of {len(docs)} dev documents (seed {SEED}); settings {settings}")
    print(f"before: F1 all {before['all']:.3f}  non-sports {before['non_sports']:.3f}")
    print(f"{'docs':>5}{'F1 all':>9}{'gain':>8}{'non-sports':>12}{'gain':>8}{'seconds':>9}")
    for size in sizes:
        nlp = load_base()
        rehearsal = rehearsal_texts(round(size * settings.rehearsal_ratio))
        started = time.perf_counter()
        fine_tune(nlp, corrected[:size], rehearsal, settings=settings)
        seconds = time.perf_counter() - started
        after = f1(nlp, held_out)
        print(f"{size:>5}{after['all']:>9.3f}{after['all'] - before['all']:>+8.3f}"
              f"{after['non_sports']:>12.3f}{after['non_sports'] - before['non_sports']:>+8.3f}{seconds:>9.1f}",
              flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [25, 50, 100])
