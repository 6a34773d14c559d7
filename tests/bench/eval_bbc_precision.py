"""Precision of the entity pipeline on BBC articles, hand-checked, on a tuning and a held-out half.

300 BBC articles are drawn once (seed 14) and split into halves before any rule is tuned: the
first 150 drawn tune, the last 150 are held out. Every mention of a name type found by a
configuration gets a fixed pseudo-random key (a hash of article, span and label), and the
``SAMPLE`` mentions with the smallest keys in each half are the configuration's sample — so two
configurations share most of their sample and only changed mentions need a new check. Each
sampled mention is judged by hand in ``bbc_judgments.tsv`` (article, start, end, label, text,
1 when the span and type are right, 0 otherwise: a strict check, the whole name and only it).

The model reads each article once; every configuration post-processes the same model output
(as ``eval_entities_split.py`` does for CoNLL), so rows differ only by their steps.

usage: .venv/bin/python tests/bench/eval_bbc_precision.py            # precision table
       .venv/bin/python tests/bench/eval_bbc_precision.py --todo     # mentions still to judge
       .venv/bin/python tests/bench/eval_bbc_precision.py --errors   # wrong mentions, tuning half only
"""

from __future__ import annotations

import hashlib
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core.entities.pipeline import (  # noqa: E402
    ALL_STEPS,
    BASE_STEPS,
    MAX_CHARS,
    NAME_LABELS,
    Span,
    load_pipeline,
    postprocess,
    prepare_text,
)
from desktop.core.entities.reading import text_pieces  # noqa: E402
from desktop.core.formats import parser_for  # noqa: E402

BBC = REPO.parent / "shared" / "corpora" / "bbc"
JUDGMENTS = Path(__file__).with_name("bbc_judgments.tsv")
ARTICLES, SAMPLE, SEED = 300, 120, 14
TYPES = ("PERSON", "ORG", "GPE")


def articles() -> list[tuple[str, str]]:
    """(path relative to the corpus, text as Dossier stores it) of the 300 articles drawn."""
    files = sorted(BBC.rglob("*.txt"))
    drawn = random.Random(SEED).sample(files, ARTICLES)
    out = []
    for path in drawn:
        parsed = parser_for(path)(path.read_bytes(), path).articles
        out.append((str(path.relative_to(BBC)), parsed[0].text if parsed else ""))
    return out


def key(rel: str, start: int, end: int, label: str) -> str:
    return hashlib.sha1(f"{rel}:{start}:{end}:{label}".encode()).hexdigest()


def model_output(docs: list[tuple[str, str]]) -> tuple[list[str], list[list[Span]]]:
    """What the model sees and finds in each article, read once as ``extract_spans`` reads it
    (every configuration keeps the boilerplate and recase steps, so the model's input is the same)."""
    nlp = load_pipeline()
    prepared = [prepare_text(text[:MAX_CHARS], steps=ALL_STEPS) for _, text in docs]
    pieces = [(index, offset, piece) for index, text in enumerate(prepared) for offset, piece in text_pieces(text)]
    found: list[list[Span]] = [[] for _ in prepared]
    for (index, offset, _), doc in zip(pieces, nlp.pipe((p for _, _, p in pieces), batch_size=16)):
        found[index].extend(Span(offset + e.start_char, offset + e.end_char, e.label_, e.text) for e in doc.ents)
    return prepared, found


def sample(docs, prepared, found, steps: frozenset[str], half: int) -> list[tuple[str, int, int, str, str]]:
    """The configuration's ``SAMPLE`` mentions of a name type in the half (0 tuning, 1 held-out)."""
    chosen = range(ARTICLES // 2) if half == 0 else range(ARTICLES // 2, ARTICLES)
    spans = postprocess([prepared[i] for i in chosen], [found[i] for i in chosen], steps=steps)
    mentions = [(docs[i][0], s.start, s.end, s.label, docs[i][1][s.start:s.end])
                for i, doc_spans in zip(chosen, spans) for s in doc_spans if s.label in NAME_LABELS]
    return sorted(mentions, key=lambda m: key(*m[:4]))[:SAMPLE]


def read_judgments() -> dict[tuple[str, int, int, str], int]:
    if not JUDGMENTS.exists():
        return {}
    out = {}
    for line in JUDGMENTS.read_text(encoding="utf-8").splitlines():
        rel, start, end, label, _text, verdict = line.split("\t")
        out[(rel, int(start), int(end), label)] = int(verdict)
    return out


def precision(picked, judged) -> tuple[dict[str, str], int]:
    counts: Counter[str] = Counter()
    right: Counter[str] = Counter()
    missing = 0
    for rel, start, end, label, _ in picked:
        verdict = judged.get((rel, start, end, label))
        if verdict is None:
            missing += 1
            continue
        for kind in ("ALL", label):
            counts[kind] += 1
            right[kind] += verdict
    shown = {kind: f"{right[kind] / counts[kind]:.2f} ({counts[kind]})" if counts[kind] else "–"
             for kind in ("ALL", *TYPES)}
    return shown, missing


CONFIGURATIONS = [("before (base steps)", BASE_STEPS)]


def configurations() -> list[tuple[str, frozenset[str]]]:
    rows = list(CONFIGURATIONS)
    rows += [(f"+ {step}", BASE_STEPS | {step}) for step in sorted(ALL_STEPS - BASE_STEPS)]
    rows.append(("all steps", ALL_STEPS))
    return rows


def in_context(body: str, start: int, end: int) -> str:
    left = " ".join(body[max(0, start - 60):start].split())
    right = " ".join(body[end:end + 40].split())
    return f"…{left} [[{body[start:end]}]] {right}…"


def main(todo: bool, errors: bool) -> None:
    docs = articles()
    texts = dict(docs)
    prepared, found = model_output(docs)
    judged = read_judgments()
    pending: dict[tuple[str, int, int, str], tuple[str, str]] = {}
    wrong: set[tuple[str, int, int, str]] = set()
    print(f"{'configuration':<22}{'half':>9}  {'ALL':>11}{'PERSON':>11}{'ORG':>11}{'GPE':>11}  unjudged")
    for name, steps in configurations():
        for half, title in ((0, "tune"), (1, "held-out")):
            picked = sample(docs, prepared, found, steps, half)
            shown, missing = precision(picked, judged)
            for rel, start, end, label, text in picked:
                if (rel, start, end, label) not in judged:
                    pending[(rel, start, end, label)] = (text, title)
                elif half == 0 and steps == ALL_STEPS and not judged[(rel, start, end, label)]:
                    wrong.add((rel, start, end, label))
            print(f"{name:<22}{title:>9}  " + "".join(f"{shown[k]:>11}" for k in ("ALL", *TYPES)) + f"  {missing}")
    if todo:
        for (rel, start, end, label), (text, title) in sorted(pending.items(), key=lambda p: (p[1][1], p[0])):
            print(f"{rel}\t{start}\t{end}\t{label}\t{text}\t?\t# {title}: {in_context(texts[rel], start, end)}")
    if errors:
        for rel, start, end, label in sorted(wrong):
            print(f"{rel}\t{label}\t{in_context(texts[rel], start, end)}")


if __name__ == "__main__":
    main("--todo" in sys.argv[1:], "--errors" in sys.argv[1:])
