"""Evaluation: where highlights land after their article's text was corrected, on BBC articles.

For each of ``--articles`` BBC articles (seeded), a highlight of 2–4 words is made at a random
place, then the text is changed three ways and the highlight placed again with
``anchoring.locate``:

- ``corrected``: one word of the highlight replaced (a corrected figure or name): *right* when
  the highlight lands on its own (corrected) words, *wrong* when on other words, else kept as
  not found;
- ``removed``: the highlight's sentence deleted: any placement is on other words;
- ``rewritten``: the words on both sides of the highlight replaced, the highlight intact.

Then the same for 4–11 Han characters of each Chinese article of the multilingual corpus
(``zh corrected``: one character replaced; ``zh inserted``: one added inside; ``zh removed``:
its sentence deleted).

Run: `.venv/bin/python tests/bench/eval_reanchor.py [--articles N] [--seed S]`.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.core.anchoring import Placement, locate, make_anchor  # noqa: E402
from tests.conftest import CORPORA  # noqa: E402


def _outcome(placed: Placement | None, start: int, end: int) -> str:
    if placed is None:
        return "not found"
    return "right" if placed.start < end and start < placed.end else "wrong"


def evaluate(articles: int, seed: int) -> dict[str, Counter[str]]:
    rng = random.Random(seed)
    files = sorted((CORPORA / "bbc").glob("*/*.txt"))
    rng.shuffle(files)
    results: dict[str, Counter[str]] = {"corrected": Counter(), "removed": Counter(), "rewritten": Counter()}
    for path in files[:articles]:
        text = path.read_text(encoding="utf-8")
        words = list(re.finditer(r"\w+", text))
        if len(words) < 80:
            continue
        first = rng.randrange(20, len(words) - 20)
        count = rng.randrange(2, 5)
        start, end = words[first].start(), words[first + count - 1].end()
        anchor = make_anchor(text, start, end)
        word = words[rng.randrange(first, first + count)]
        corrected = text[: word.start()] + "Xyzzy" + text[word.end():]
        results["corrected"][_outcome(locate(anchor, corrected), start, end + 5 - len(word[0]))] += 1
        begins = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1)
        ends = [at for at in (text.find(". ", end), text.find("\n", end)) if at != -1]
        removed = text[:begins] + text[(min(ends) + 1) if ends else len(text):]
        results["removed"]["not found" if locate(anchor, removed) is None else "wrong"] += 1
        cut = max(0, start - 12)
        rewritten = text[:cut] + "so, they said, " + text[start:end] + " - it seems" + text[end + 12:]
        moved = len("so, they said, ") - (start - cut)
        results["rewritten"][_outcome(locate(anchor, rewritten), start + moved, end + moved)] += 1
    return results


def evaluate_chinese(seed: int) -> dict[str, Counter[str]]:
    rng = random.Random(seed)
    results: dict[str, Counter[str]] = {"zh corrected": Counter(), "zh inserted": Counter(), "zh removed": Counter()}
    for path in sorted((CORPORA / "multilingual" / "zh").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if len(text) < 200:
            continue
        length = rng.randrange(4, 12)
        start = rng.randrange(50, len(text) - 50 - length)
        end = start + length
        if "\n" in text[start:end]:
            continue
        anchor = make_anchor(text, start, end)
        at = rng.randrange(start, end)
        results["zh corrected"][_outcome(locate(anchor, text[:at] + "某" + text[at + 1:]), start, end)] += 1
        at = rng.randrange(start + 1, end)
        results["zh inserted"][_outcome(locate(anchor, text[:at] + "了" + text[at:]), start, end + 1)] += 1
        begins = max(text.rfind("。", 0, start) + 1, text.rfind("\n", 0, start) + 1)
        ends = text.find("。", end)
        removed = text[:begins] + text[len(text) if ends == -1 else ends + 1:]
        results["zh removed"]["not found" if locate(anchor, removed) is None else "wrong"] += 1
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    results = {**evaluate(args.articles, args.seed), **evaluate_chinese(args.seed)}
    for change, outcomes in results.items():
        shown = ("wrong", "not found") if change.endswith("removed") else ("right", "wrong", "not found")
        print(f"{change:13} " + ", ".join(f"{name} {outcomes[name]}" for name in shown))


if __name__ == "__main__":
    main()
