"""Chinese names written in Cyrillic (the Palladius system: Ван Чжиган, Чэнь Баошэн), named in
the nominative where Natasha's morphology leaves them declined.

Russian declines a Chinese man's given name that ends in a consonant as it declines Иван:
"министра Ван Чжигана", "с Чэнь Баошэном". Natasha's dictionary does not know these words, so
it often keeps the case ending, and "Ван Чжигана" became a second person beside "Ван Чжиган"
(and met neither 王志刚 nor Wang Zhigang across scripts). ``nominative_of_chinese_name``
takes the ending off when nothing else can be meant: the name is a Chinese family name and a
given name, the given name less the ending is two syllables ending in -н (every Palladius
syllable ends in a vowel, -н or -нь), and the ending is a case ending. A given name is at most
two syllables, so a three-syllable word in -на is a genitive (Чжигана = Чжиган + а) while a
two-syllable one may be a woman's name, which does not decline (Ли На, Чжан Лина), and stays.
``preposition_before_chinese_name`` tells a sentence's first word that Natasha took into such a
name ("О Ван Чжигане").
"""

from __future__ import annotations

import re

FAMILY_NAMES = frozenset(
    """Ван Ли Чжан Лю Чэнь Ян Хуан Чжао У Чжоу Сюй Сунь Ма Чжу Ху Го Хэ Гао Линь Ло Чжэн Лян Се
    Сун Тан Хань Фэн Дэн Цао Пэн Цзэн Сяо Тянь Дун Пань Юань Цай Цзян Юй Ду Е Чэн Вэй Су Люй Дин
    Жэнь Шэнь Яо Лу Цуй Чжун Тань Ляо Фань Цзинь Ши Цзя Ся Фу Фан Цзоу Сюн Бай Мэн Цинь Цю Хоу
    Инь Сюэ Янь Дуань Лэй Лун Шао Цянь Тао Ни Гун Вань Хун Вэнь Чан Кан Си Цзи Мао Не Гу Кун Цюй
    Чу Чай Бао Ци Мо Ань Лэн Бянь Мяо""".split()
)
"""Common Chinese family names as Palladius writes them."""
_DECLINED = re.compile(r"^(?P<stem>[А-ЯЁ][а-яё]*н)(?:а|у|е|ом)$")
_VOWELS = re.compile("[аеёиоуыэюя]+")
GIVEN_NAME_SYLLABLES = 2
PREPOSITIONS = frozenset("О Об В Во К Ко С Со У От До На За По При Про Для".split())
"""Prepositions that open a sentence, which Natasha takes into a Chinese name after them ("О Ван
Чжигане писали …": Ван reads to it as a foreign particle, not a name)."""


def nominative_of_chinese_name(name: str) -> str:
    """``name`` ("Ван Чжигана", "Чэнь Баошэном") with the case ending of its given name taken off
    when it is a Chinese name that cannot mean anything else (see the module); else ``name``."""
    words = name.split()
    if len(words) != 2 or words[0] not in FAMILY_NAMES:
        return name
    declined = _DECLINED.match(words[1])
    if declined is None or len(_VOWELS.findall(declined.group("stem").lower())) != GIVEN_NAME_SYLLABLES:
        return name
    return f"{words[0]} {declined.group('stem')}"


def preposition_before_chinese_name(surface: str) -> int:
    """How many characters of ``surface`` ("О Ван Чжигане") are a preposition and the space after
    it before a Chinese family and given name; 0 when it opens with none."""
    first, _, rest = surface.partition(" ")
    words = rest.split()
    if first in PREPOSITIONS and len(words) == 2 and words[0] in FAMILY_NAMES:
        return len(surface) - len(rest.lstrip())
    return 0
