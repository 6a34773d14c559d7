"""Synthetic copies of one story as another outlet would publish it, for the grouping tests and benchmark.

``outlet_copy`` drops one paragraph, rewrites the headline, adds a byline or a dateline,
wraps the text in an outlet's header and footer and changes a share of the words, the way
agency copy is re-published. ``random_text`` writes pseudo-articles from a word list (English,
Russian or Chinese) for tests that must not depend on the corpora.
"""

from __future__ import annotations

import random
import re

_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=[ \t]{2,})")
HEADERS = [
    "Skip to main content | Home | World | Business | Markets | Sign in",
    "ADVERTISEMENT\nMost read: markets, energy, politics",
    "Главная | Новости | Экономика | Войти",
    "首页 | 新闻 | 财经 | 登录",
]
FOOTERS = [
    "(c) 2026 All rights reserved. This material may not be published, broadcast, rewritten "
    "or redistributed without permission.",
    "Sign up for our morning newsletter. Follow us on social media. Share this article.",
    "Все права защищены. Перепечатка только с разрешения редакции.",
    "版权所有，未经授权不得转载。",
]
BYLINES = ["By Jane Holloway, staff correspondent", "By Ivan Petrov", "Reporting by Li Wei; editing by Tom Brown"]
DATELINES = ["LONDON, March 3 (Agency) -", "MOSCOW, 3 March -", "BEIJING (Xinhua) --"]
_HEADLINE_WORDS = ["update", "report", "says", "sources", "analysis", "exclusive", "news"]


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (blank-line separated, or indented as in the Reuters corpus)."""
    return [p.strip() for p in _PARAGRAPH.split(text) if p.strip()]


def _change_words(text: str, rng: random.Random, share: float, vocabulary: list[str]) -> str:
    words = text.split(" ")
    for i in rng.sample(range(len(words)), k=int(len(words) * share)):
        words[i] = rng.choice(vocabulary)
    return " ".join(words)


def _rewrite_headline(title: str, rng: random.Random) -> str:
    words = (title or "").split()
    if len(words) > 3:
        words = words[: max(2, len(words) - 2)]
    words.insert(0, rng.choice(_HEADLINE_WORDS).upper() + ":")
    return " ".join(words).title()


def outlet_copy(
    title: str, text: str, rng: random.Random, *, vocabulary: list[str], share: float = 0.10,
) -> tuple[str, str]:
    """Another outlet's copy of a story: (headline, text); see the module docstring."""
    parts = paragraphs(text)
    if len(parts) > 2:
        del parts[rng.randrange(len(parts))]
    body = _change_words("\n\n".join(parts), rng, share, vocabulary)
    if rng.random() < 0.5:
        body = f"{rng.choice(BYLINES)}\n\n{body}"
    else:
        body = f"{rng.choice(DATELINES)} {body}"
    body = f"{rng.choice(HEADERS)}\n\n{body}\n\n{rng.choice(FOOTERS)}"
    return _rewrite_headline(title, rng), body


ENGLISH = (
    "the minister said on tuesday that talks with the delegation would continue next week after "
    "officials from both countries agreed to expand cooperation in science energy trade and "
    "transport while analysts warned that prices could rise further if the central bank kept "
    "interest rates unchanged and exports fell for a third month in a row according to figures "
    "released by the statistics office"
).split()
RUSSIAN = (
    "министр заявил во вторник что переговоры с делегацией продолжатся на следующей неделе после "
    "того как представители обеих стран договорились расширить сотрудничество в области науки "
    "энергетики торговли и транспорта аналитики предупредили что цены могут вырасти если "
    "центральный банк сохранит ставку а экспорт снизится третий месяц подряд по данным ведомства"
).split()
CHINESE = list(
    "中国与俄罗斯双方在北京举行会谈同意扩大科学能源贸易和交通领域的合作分析人士指出如果央行维持利率不变"
    "出口连续第三个月下降价格可能进一步上涨统计部门周二发布的数据显示今年以来两国贸易额增长明显"
)


def random_text(rng: random.Random, vocabulary: list[str], *, paragraphs: int = 5, words: int = 60) -> str:
    """A pseudo-article of ``paragraphs`` paragraphs of ``words`` words drawn from ``vocabulary``
    (joined without spaces when the vocabulary is Chinese characters)."""
    joiner = "" if all(len(w) == 1 for w in vocabulary) else " "
    return "\n\n".join(
        joiner.join(rng.choice(vocabulary) for _ in range(words)) for _ in range(paragraphs)
    )
