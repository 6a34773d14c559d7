"""Search quality on Russian and Chinese text: the corpus library, the truth and the scores.

Shared by the real-corpus tests (tests/core/test_multiscript_corpus.py, thresholds) and the
benchmark (tests/bench/bench_multiscript_search.py, figures). The library is
``../shared/corpora/multilingual`` imported through the real import path.

Truth, independent of the stemmer:

- Russian: for each lemma of ``PARADIGMS`` (the frequent gold entities of the factRuEval
  development set, plus a few common nouns, written out case by case by hand), the relevant
  articles are those containing any of its forms as a whole word (ignoring case, ё = е). Each
  form that occurs in the corpus is searched as a query.
- Chinese: each distinct all-Han gold entity of the UNER files is a query; the relevant
  articles are those whose headline or text contains that exact string. Single characters
  (the commonest of those entities) are queried the same way.

Scores are micro-averaged over (query, article) pairs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

MULTILINGUAL = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "multilingual"
FOLDERS = ("ru", "ru_cp1251", "zh", "zh_gb18030")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")

_FORMS = """
Россия: Россия России Россию Россией Россиею
Германия: Германия Германии Германию Германией
Грузия: Грузия Грузии Грузию Грузией
Турция: Турция Турции Турцию Турцией
Япония: Япония Японии Японию Японией
Италия: Италия Италии Италию Италией
Франция: Франция Франции Францию Францией
Болгария: Болгария Болгарии Болгарию Болгарией
Белоруссия: Белоруссия Белоруссии Белоруссию Белоруссией
Великобритания: Великобритания Великобритании Великобританию Великобританией
Украина: Украина Украины Украине Украину Украиной
Америка: Америка Америки Америке Америку Америкой
Москва: Москва Москвы Москве Москву Москвой
Луна: Луна Луны Луне Луну Луной
Европа: Европа Европы Европе Европу Европой
Земля: Земля Земли Земле Землю Землёй Землей
Китай: Китай Китая Китаю Китаем Китае
Израиль: Израиль Израиля Израилю Израилем Израиле
Иран: Иран Ирана Ирану Ираном Иране
Пакистан: Пакистан Пакистана Пакистану Пакистаном Пакистане
Таиланд: Таиланд Таиланда Таиланду Таиландом Таиланде
Дюссельдорф: Дюссельдорф Дюссельдорфа Дюссельдорфу Дюссельдорфом Дюссельдорфе
Вашингтон: Вашингтон Вашингтона Вашингтону Вашингтоном Вашингтоне
Крым: Крым Крыма Крыму Крымом Крыме
Афганистан: Афганистан Афганистана Афганистану Афганистаном Афганистане
Иерусалим: Иерусалим Иерусалима Иерусалиму Иерусалимом Иерусалиме
Интернет: Интернет Интернета Интернету Интернетом Интернете
Беларусь: Беларусь Беларуси Беларусью
Топалов: Топалов Топалова Топалову Топаловым Топалове
Клинсман: Клинсман Клинсмана Клинсману Клинсманом Клинсмане
Зорькин: Зорькин Зорькина Зорькину Зорькиным Зорькине
Роскосмос: Роскосмос Роскосмоса Роскосмосу Роскосмосом Роскосмосе
Путин: Путин Путина Путину Путиным Путине
Медведев: Медведев Медведева Медведеву Медведевым Медведеве
учёный: учёный учёного учёному учёным учёном учёные учёных учёными
правительство: правительство правительства правительству правительством правительстве правительств правительствам правительствами правительствах
сборная: сборная сборной сборную сборною сборные сборных сборным сборными сборных
президент: президент президента президенту президентом президенте президенты президентов президентам президентами президентах
компания: компания компании компанию компанией компаний компаниям компаниями компаниях
"""
# Written after the query rewriting was settled and never used to change it: the held-out set.
_HELD_OUT_FORMS = """
Молдавия: Молдавия Молдавии Молдавию Молдавией
Испания: Испания Испании Испанию Испанией
Куба: Куба Кубы Кубе Кубу Кубой
Эфиопия: Эфиопия Эфиопии Эфиопию Эфиопией
Азербайджан: Азербайджан Азербайджана Азербайджану Азербайджаном Азербайджане
Англия: Англия Англии Англию Англией
Венгрия: Венгрия Венгрии Венгрию Венгрией
Египет: Египет Египта Египту Египтом Египте
Сербия: Сербия Сербии Сербию Сербией
Армения: Армения Армении Армению Арменией
Ереван: Ереван Еревана Еревану Ереваном Ереване
Швейцария: Швейцария Швейцарии Швейцарию Швейцарией
Греция: Греция Греции Грецию Грецией
Аргентина: Аргентина Аргентины Аргентине Аргентину Аргентиной
Эстония: Эстония Эстонии Эстонию Эстонией
Таллин: Таллин Таллина Таллину Таллином Таллине
Евросоюз: Евросоюз Евросоюза Евросоюзу Евросоюзом Евросоюзе
Киев: Киев Киева Киеву Киевом Киеве
Урал: Урал Урала Уралу Уралом Урале
Екатеринбург: Екатеринбург Екатеринбурга Екатеринбургу Екатеринбургом Екатеринбурге
Ельцин: Ельцин Ельцина Ельцину Ельциным Ельцине
Сингапур: Сингапур Сингапура Сингапуру Сингапуром Сингапуре
Минск: Минск Минска Минску Минском Минске
Белград: Белград Белграда Белграду Белградом Белграде
Бразилия: Бразилия Бразилии Бразилию Бразилией
Индия: Индия Индии Индию Индией
Казахстан: Казахстан Казахстана Казахстану Казахстаном Казахстане
Кремль: Кремль Кремля Кремлю Кремлём Кремле
Конгресс: Конгресс Конгресса Конгрессу Конгрессом Конгрессе
Сенат: Сенат Сената Сенату Сенатом Сенате
Пхеньян: Пхеньян Пхеньяна Пхеньяну Пхеньяном Пхеньяне
Гагарин: Гагарин Гагарина Гагарину Гагариным Гагарине
Овечкин: Овечкин Овечкина Овечкину Овечкиным Овечкине
Илюмжинов: Илюмжинов Илюмжинова Илюмжинову Илюмжиновым Илюмжинове
партия: партия партии партию партией партий партиям партиями партиях
суд: суд суда суду судом суде суды судов судам судами судах
театр: театр театра театру театром театре театры театров театрам театрами театрах
экипаж: экипаж экипажа экипажу экипажем экипаже экипажи экипажей экипажам экипажами экипажах
концерн: концерн концерна концерну концерном концерне концерны концернов концернам концернами
"""


def _paradigms(forms: str) -> dict[str, tuple[str, ...]]:
    return {lemma: tuple(dict.fromkeys(words.split()))
            for lemma, _, words in (line.partition(": ") for line in forms.strip().splitlines())}


PARADIGMS = _paradigms(_FORMS)
HELD_OUT = _paradigms(_HELD_OUT_FORMS)


def corpus_present() -> bool:
    return all((MULTILINGUAL / folder).is_dir() for folder in FOLDERS)


def import_corpus(library) -> dict[str, float]:
    """Import the corpus into ``library`` (no entities); seconds and characters per language."""
    import time

    from desktop.core.ingest import import_paths

    spent: dict[str, float] = {}
    for folder in FOLDERS:
        start = time.perf_counter()
        import_paths(library, [MULTILINGUAL / folder])
        spent[folder] = time.perf_counter() - start
    return spent


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


@dataclass
class Score:
    """Micro-averaged counts over (query, article) pairs."""

    found: int = 0
    relevant: int = 0
    hits: int = 0
    queries: int = 0

    @property
    def recall(self) -> float:
        return self.hits / self.relevant if self.relevant else 1.0

    @property
    def precision(self) -> float:
        return self.hits / self.found if self.found else 1.0

    def add(self, found: set[int], relevant: set[int]) -> None:
        self.found += len(found)
        self.relevant += len(relevant)
        self.hits += len(found & relevant)
        self.queries += 1

    def __str__(self) -> str:
        return f"R {self.recall:.3f} P {self.precision:.3f} ({self.queries} queries, {self.relevant} relevant pairs)"


def articles(db, language: str) -> dict[int, str]:
    """Headline and text of each article imported from the ``language`` folders."""
    rows = db.execute("SELECT id, title, text, path FROM documents").fetchall()
    return {doc_id: f"{title}\n{text}" for doc_id, title, text, path in rows
            if Path(path).parent.name.split("_")[0] == language}


def russian_queries(texts: dict[int, str], paradigms: dict[str, tuple[str, ...]] = PARADIGMS
                    ) -> Iterable[tuple[str, set[int]]]:
    """(form, the articles containing any form of its lemma) for each form found in the corpus."""
    folded = {doc_id: _fold(text) for doc_id, text in texts.items()}
    for forms in paradigms.values():
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, map(_fold, forms))) + r")(?!\w)")
        relevant = {doc_id for doc_id, text in folded.items() if pattern.search(text)}
        for form in forms:
            word = re.compile(rf"(?<!\w){re.escape(_fold(form))}(?!\w)")
            if any(word.search(text) for text in folded.values()):
                yield form, relevant


def chinese_queries(texts: dict[int, str], *, singles: int = 30) -> Iterable[tuple[str, set[int]]]:
    """(gold entity or single character, the articles containing it exactly)."""
    names: list[str] = []
    for line in (MULTILINGUAL / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["lang"] == "zh":
            names += [e["text"] for e in record["entities"] if HAN.fullmatch(e["text"])]
    chars = Counter(char for name in names for char in name)
    queries = list(dict.fromkeys(names)) + [char for char, _ in chars.most_common(singles)]
    for query in queries:
        yield query, {doc_id for doc_id, text in texts.items() if query in text}


def score(search: Callable[[str], Iterable[int]], queries: Iterable[tuple[str, set[int]]],
          within: set[int]) -> Score:
    """Scores of ``search`` over ``queries``, counting only articles ``within`` one language."""
    result = Score()
    for query, relevant in queries:
        result.add(set(search(query)) & within, relevant)
    return result
