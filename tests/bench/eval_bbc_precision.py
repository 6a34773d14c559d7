"""Precision of the entity pipeline on BBC articles, hand-checked, on a tuning and a held-out half.

300 BBC articles are drawn once (seed 14) and split into halves before any rule is tuned: the
first 150 drawn tune, the last 150 are held out. Every mention of a name type found by a
configuration gets a fixed pseudo-random key (a hash of article, span and label), and the
``SAMPLE`` mentions with the smallest keys in each half are the configuration's sample — so two
configurations share most of their sample and only changed mentions need a new check. Each
sampled mention is judged by hand in ``bbc_judgments.tsv`` (article, start, end, label, text,
1 when the span and type are right, 0 otherwise: a strict check, the whole name and only it).

usage: .venv/bin/python tests/bench/eval_bbc_precision.py            # precision table
       .venv/bin/python tests/bench/eval_bbc_precision.py --todo     # mentions still to judge
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
    NAME_LABELS,
    extract_spans,
    load_pipeline,
)
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


def sample(docs: list[tuple[str, str]], steps: frozenset[str], half: int) -> list[tuple[str, int, int, str, str]]:
    chosen = docs[:ARTICLES // 2] if half == 0 else docs[ARTICLES // 2:]
    found = extract_spans([text for _, text in chosen], nlp=load_pipeline(), steps=steps)
    mentions = [(rel, s.start, s.end, s.label, text[s.start:s.end])
                for (rel, text), spans in zip(chosen, found) for s in spans if s.label in NAME_LABELS]
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


def main(todo: bool) -> None:
    docs = articles()
    texts = dict(docs)
    judged = read_judgments()
    pending: dict[tuple[str, int, int, str], tuple[str, str]] = {}
    print(f"{'configuration':<22}{'half':>9}  {'ALL':>11}{'PERSON':>11}{'ORG':>11}{'GPE':>11}  unjudged")
    for name, steps in configurations():
        for half, title in ((0, "tune"), (1, "held-out")):
            picked = sample(docs, steps, half)
            shown, missing = precision(picked, judged)
            for rel, start, end, label, text in picked:
                if (rel, start, end, label) not in judged:
                    pending[(rel, start, end, label)] = (text, title)
            print(f"{name:<22}{title:>9}  " + "".join(f"{shown[k]:>11}" for k in ("ALL", *TYPES)) + f"  {missing}")
    if todo:
        for (rel, start, end, label), (text, title) in sorted(pending.items(), key=lambda p: (p[1][1], p[0])):
            body = texts[rel]
            left = " ".join(body[max(0, start - 60):start].split())
            right = " ".join(body[end:end + 40].split())
            print(f"{rel}\t{start}\t{end}\t{label}\t{text}\t?\t# {title}: …{left} [[{text}]] {right}…")


if __name__ == "__main__":
    main("--todo" in sys.argv[1:])
