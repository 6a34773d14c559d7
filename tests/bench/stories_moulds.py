"""The evaluation set of notices cast in one mould, for ``bench_stories.py``.

Reuters-21578 is full of notices written from one template — a bond issue (issuer, amount, coupon,
maturity, lead manager), the Federal Reserve's day's operation, a fund's monthly payout, a bank's
prime rate — whose texts are mostly the template and differ in the figures and names. The set is
the 350 articles of the 33 stories of five or more that the grouping shipped before notices were
told apart by their facts (commit 5d12bf9) made of the corpus: ``stories_moulds.tsv``, one line per
article (its mould and its number in the corpus), fixed before any rule was tried on them.

Which of them are copies: two notices are one when their texts are nearly the same (word
3-shingle Jaccard of at least 0.9) and give the same figures, all of them — the corpus' own
re-sent items. To those are added, from a fixed seed, for half of the notices another outlet's copy
(``tests.stories_variants.outlet_copy``) and for a quarter the agency's correction (headline
"CORRECTED - …", a "(Corrects …)" line, one figure changed), both copies of their notice.

The set is cut in two halves by copy group (a hash of the group's first article's number), so each
half holds about half of every mould: the rule is decided on the first (``TUNING``), and measured on
the second.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
_FIGURE = re.compile(r"\d+(?:[-/.,:]\d+)*")
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}


def _same_notice(a: str, b: str) -> bool:
    sa, sb = _shingles(a), _shingles(b)
    jaccard = len(sa & sb) / len(sa | sb) if sa | sb else 1.0
    return jaccard >= 0.9 and set(_FIGURE.findall(a)) == set(_FIGURE.findall(b))


def _corrected(title: str, text: str, rng: random.Random) -> tuple[str, str] | None:
    """The agency's correction of a notice: one figure of two digits or more changed, said so."""
    figures = [m for m in _FIGURE.finditer(text) if len(m.group()) > 1]
    if not figures:
        return None
    chosen = rng.choice(figures)
    old = chosen.group()
    digit = max(i for i, c in enumerate(old) if c.isdigit())
    new = old[:digit] + str((int(old[digit]) + rng.randrange(1, 9)) % 10) + old[digit + 1:]
    body = text[:chosen.start()] + new + text[chosen.end():]
    return f"CORRECTED - {title}", f"(Corrects {old} to {new})\n{body}"


def mould_halves(corpora: Path, seed: int = 20261207) -> list[tuple[list[tuple[str, str, str]], set[tuple]]]:
    """The two halves, each (articles as (key, title, text), true pairs): the tuning half first."""
    rows = {r["id"]: r for r in map(json.loads, (corpora / "reuters21578.jsonl").open(encoding="utf-8"))}
    moulds: dict[int, list[str]] = defaultdict(list)
    for line in (HERE / "stories_moulds.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        mould, number = line.split("\t")
        moulds[int(mould)].append(f"reuters21578-{number}")
    vocabulary = [w for r in list(rows.values())[:3000] for w in (r.get("text") or "").split()]
    from tests.stories_variants import outlet_copy

    rng = random.Random(seed)
    halves: list[tuple[list, set]] = [([], set()), ([], set())]
    for mould in sorted(moulds):
        keys = moulds[mould]
        parent = {k: k for k in keys}
        for a, b in combinations(keys, 2):
            if _same_notice(rows[a]["text"], rows[b]["text"]):
                parent[_root(parent, a)] = _root(parent, b)
        groups: dict[str, list[str]] = defaultdict(list)
        for k in keys:
            groups[_root(parent, k)].append(k)
        for group in sorted(groups.values(), key=lambda g: g[0]):
            first = min(group, key=lambda k: int(k.rsplit("-", 1)[1]))
            articles, true = halves[int(hashlib.md5(first.encode()).hexdigest(), 16) % 2]
            members = list(group)
            articles += [(k, rows[k]["title"] or "", rows[k]["text"]) for k in group]
            title, text = rows[first]["title"] or "", rows[first]["text"]
            if rng.random() < 0.5:
                articles.append((f"{first}/copy", *outlet_copy(title, text, rng, vocabulary=vocabulary)))
                members.append(f"{first}/copy")
            corrected = _corrected(title, text, rng) if rng.random() < 0.25 else None
            if corrected is not None:
                articles.append((f"{first}/corrected", *corrected))
                members.append(f"{first}/corrected")
            true |= {tuple(sorted(p)) for p in combinations(members, 2)}
    return halves


def _root(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key
