"""Romanised keys of names, so that one name written in Latin, Cyrillic or Han letters reads alike.

``name_keys(name)`` returns a ``NameKeys``: the ``script`` the name is written in, its ``key``
(every word romanised and reduced to a lossy transliteration skeleton, joined without blanks)
and its ``words`` (the skeletons of the words that may be a family name: the first and last
word; for a Han name, its first character and the rest).

- Cyrillic and Latin go through anyascii, then the skeleton: lower case, ``kh→h``, ``ts→c``,
  ``ch→c``, ``zh→z``, ``y/j→i``, ``iu→u``, ``ng`` before a consonant → ``n`` (Palladius
  writes 长春 Чанчунь), apostrophes and doubled letters dropped — except a ``j`` before a vowel
  that follows ``ai``, ``ei``, ``oi`` or ``ui``, in a word or across the key's join, which
  stays: Beijing and 北京 (bei + jing) are ``beijin``, no longer Being's ``bein``, and Wei
  Jingsheng and 魏京生 are ``veijinshen``. So Rudskoy, Rudskoi, Rudskoj
  and Рудской are one key, and so are Changchun, 长春 and Чанчунь.
- Han goes through pypinyin, which reads each run of characters in context
  (长春 → chang chun, 重庆 → chong qing, 习近平 → xi jin ping), each traditional character first
  read as its simplified one (``desktop.core.han_forms``: pypinyin reads 長春 zhang chun), so
  俄羅斯 and 俄罗斯, 長春 and 长春 are one key.
- A final ``er`` after ``d`` or ``t`` is read ``r``, as Russian writes those names: Alexander
  and Александр (Aleksandr) are ``aleksandr``, Peter and Пётр ``petr``; and ``iye``/``iyu``
  read as ``ie``/``iu`` would be (Dmitriyev = Дмитриев).
- A country, territory or major city named in English, Russian or Chinese (CLDR's localised
  names, shipped in Babel: territory names and the time zones' exemplar cities) takes the key
  of its English name: Germany, Германия and 德国 are one key; so do the short and official
  names of the countries agency copy names most (``SHORT_AND_OFFICIAL``: US, США, 美国 and
  United States; РФ, Russian Federation and Russia; КНР, 中华人民共和国 and China).
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

from ..han_forms import simplified
from ..paths import data_dir

LATIN, CYRILLIC, HAN, MIXED, OTHER = "latin", "cyrillic", "han", "mixed", "other"
CLDR_LOCALES = ("en", "ru", "zh", "zh_Hant")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_SCRIPT_LETTERS = (
    (LATIN, re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")),
    (CYRILLIC, re.compile(r"[\u0400-\u052f]")),
    (HAN, _HAN_RUN),
)
_NOT_LETTER = re.compile(r"[^a-z0-9 ]+")
_CLUSTERS = {  # spellings of one sound, each to its skeleton in one pass
    "shch": "sh", "sch": "sh", "chzh": "z",  # Palladius: Чжан = Zhang
    "tsch": "c", "tch": "c", "kh": "h", "ts": "c", "tz": "c", "ch": "c", "zh": "z",
    "x": "ks", "w": "v", "yo": "e",
}
_CLUSTER = re.compile("|".join(sorted(_CLUSTERS, key=len, reverse=True)))
_Y_J = str.maketrans("yj", "ii")
_J_VOWEL = re.compile(r"(?<![^aeoui ])j(?=[aeiou])")  # a j that may stay: after a vowel or a word's start
_MARK = re.compile("J")  # marks such a j until the words are joined (``_settled``)
_I_VOWEL = re.compile(r"(?<!J)i+([eu])")  # ie → e, iu → u (Yevgeny = Evgeniy, Yury = Iury = Urii, Dmitriyev)
_NG = re.compile(r"ng(?![aeiou])")  # Palladius writes 长春 Чанчунь
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_ER = re.compile(r"(?<=[dt])er\b")  # Alexander = Aleksandr, Peter = Petr
# the two-character family names of the common list; the rest are one character
_COMPOUND_SURNAMES = frozenset("欧阳 司马 诸葛 上官 东方 夏侯 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 令狐".split())


@dataclass(frozen=True)
class NameKeys:
    """The romanised keys of one name (see the module docstring)."""

    script: str
    key: str
    words: tuple[str, ...]


def script_of(text: str) -> str:
    """The script of a name's letters: latin, cyrillic, han, mixed (several) or other."""
    found = [script for script, letters in _SCRIPT_LETTERS if letters.search(text)]
    if len(found) > 1:
        return MIXED
    if found:
        return found[0]
    return OTHER


def skeleton(text: str) -> str:
    """The lossy transliteration skeleton of ``text`` in any script (blanks kept between words)."""
    return " ".join(_settled(word) for word in _marked(text).split())


def _marked(text: str) -> str:
    """``skeleton`` with each j that may stay a consonant marked ``J`` (see ``_settled``)."""
    ascii_text = anyascii(_han_to_pinyin(text)).lower().replace("'", "").replace("’", "")
    ascii_text = _NOT_LETTER.sub(" ", ascii_text.replace("-", ""))
    ascii_text = _CLUSTER.sub(lambda m: _CLUSTERS[m.group()], ascii_text)
    ascii_text = _J_VOWEL.sub("J", ascii_text).translate(_Y_J)
    return _reduced(ascii_text)


def _reduced(text: str) -> str:
    return _FINAL_ER.sub("r", _DOUBLED.sub(r"\1", _NG.sub("n", _I_VOWEL.sub(r"\1", text))))


def _settled(marked: str) -> str:
    """A marked skeleton with its J kept as ``j`` after ``ai``/``ei``/``oi``/``ui``, else read as
    the ``i`` every other j and y became (and reduced as that ``i`` would have been)."""
    if "J" not in marked:
        return marked
    return _DOUBLED.sub(r"\1", _MARK.sub(_read_mark, marked))


def _read_mark(mark: re.Match[str]) -> str:
    text, at = mark.string, mark.start()
    before, after = text[max(0, at - 2):at], text[at + 1:at + 2]
    if len(before) == 2 and before[0] in "aeou" and before[1] == "i":
        return "j"
    return "" if after in ("e", "i", "u") or before.endswith("i") else "i"  # ie → e, iu → u, ii → i


def _han_to_pinyin(text: str) -> str:
    """Each run of Han characters as toneless pinyin read in context, one run one word."""
    if not _HAN_RUN.search(text):
        return text
    from pypinyin import lazy_pinyin

    return _HAN_RUN.sub(lambda run: " " + "".join(lazy_pinyin(simplified(run.group()), v_to_u=True)) + " ", text)


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Localised country, territory and exemplar-city names (case-folded) → the English name.

    Reading them from CLDR takes ≈ 0.15 s — inside the first search that may name someone —
    so the table is kept in the data folder, one file per Babel version and set of locales,
    and read from there (≈ 5 ms) by later processes. A file that cannot be read or written
    is made again or left out, never an error."""
    import babel

    cache = data_dir() / "cache" / f"places-babel-{babel.__version__}-{'-'.join(CLDR_LOCALES)}.json"
    try:
        places = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(places, dict) and places:
            return places
    except (OSError, ValueError):
        pass
    places = _places_from_cldr()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}-{threading.get_ident()}.partial")  # one writer each
        partial.write_text(json.dumps(places, ensure_ascii=False), encoding="utf-8")
        partial.replace(cache)
    except OSError:
        pass
    return places


def _places_from_cldr() -> dict[str, str]:
    from babel import Locale

    english = Locale.parse("en")
    places: dict[str, str] = {}
    for code in CLDR_LOCALES:
        locale = Locale.parse(code)
        for territory, name in locale.territories.items():
            if territory.isalpha() and territory in english.territories:
                places.setdefault(name.casefold(), english.territories[territory])
        for zone, names in locale.time_zones.items():
            city = names.get("city")
            if city and "/" in zone and not zone.startswith("Etc/"):
                english_city = english.time_zones.get(zone, {}).get("city")
                places.setdefault(city.casefold(), english_city or zone.rsplit("/", 1)[1].replace("_", " "))
    return places


SHORT_AND_OFFICIAL = {
    "United States": ("US", "U.S.", "USA", "U.S.A.", "United States of America", "США",
                      "Соединённые Штаты Америки", "美利坚合众国"),
    "United Kingdom": ("UK", "U.K.", "Britain", "Great Britain", "Соединённое Королевство"),
    "China": ("PRC", "People's Republic of China", "КНР", "Китайская Народная Республика",
              "中华人民共和国"),
    "Russia": ("Russian Federation", "РФ", "Российская Федерация", "俄罗斯联邦"),
    "European Union": ("EU", "ЕС", "Евросоюз"),
}
"""The short and official names of the countries agency copy names most (CLDR keeps its short
forms, "США", "UK", as alternatives that Babel does not ship), by their English CLDR name."""


def place_name(name: str) -> str | None:
    """The English name of a country, territory or major city named in English, Russian or
    Chinese, simplified or traditional (CLDR via Babel, and ``SHORT_AND_OFFICIAL``), or None."""
    name = " ".join(name.split()).casefold().replace("ё", "е")
    return _short_and_official().get(name) or _places().get(name) or _places().get(simplified(name))


@lru_cache(maxsize=1)
def _short_and_official() -> dict[str, str]:
    return {other.casefold().replace("ё", "е"): english
            for english, others in SHORT_AND_OFFICIAL.items() for other in others}


def name_keys(name: str) -> NameKeys:
    """The script, key and family-name word keys of ``name`` (see the module docstring)."""
    name = " ".join(name.split())
    script = script_of(name)
    place = place_name(name)
    if script == HAN and place is None:
        marked = _han_words(name)
    else:
        marked = tuple(_marked(place or name).split())
    marked = tuple(w for w in marked if w)
    words = tuple(_settled(w) for w in marked)
    key = _DOUBLED.sub(r"\1", _settled("".join(marked)))
    edges = tuple(dict.fromkeys((words[0], words[-1]))) if words else ()
    return NameKeys(script=script, key=key, words=edges)


def _han_words(name: str) -> tuple[str, ...]:
    """A Han name as (family name, given name) marked skeletons (``_marked``), both read in the
    whole name's context."""
    from pypinyin import lazy_pinyin

    compact = simplified("".join(name.split()))
    if not _HAN_RUN.fullmatch(compact) or not 2 <= len(compact) <= 4:
        return (_marked(name).replace(" ", ""),)
    split = 2 if compact[:2] in _COMPOUND_SURNAMES else 1
    syllables = lazy_pinyin(compact, v_to_u=True)
    family, given = "".join(syllables[:split]), "".join(syllables[split:])
    return tuple(_marked(part) for part in (family, given))
