"""Which language an article is written in: ISO 639-1 codes, the share of each script in a text,
and a language's name for people.

``detect_language(text)`` reads the opening ``SAMPLE_CHARS`` characters of a text. A
text written mostly in Han characters with no kana or hangul is Chinese without asking
a model. Otherwise Google's CLD2 (pycld2, Apache-2.0, its tables inside the wheel; about
20 µs an article) answers when it is sure; where it is not (under 1 % of the development set:
number tables, some Russian openings it calls unknown) py3langid's naive Bayes model
(BSD, inside the wheel; about 300 µs, loaded on first need) decides among the languages
that have an ISO 639-1 code when it is confident (``MIN_GUESS_CONFIDENCE``); a table of figures
it is not confident of ("Shr 46 cts vs 42 cts / Net 3,418,000 vs …") has no language. ``tests/bench/bench_multilingual_import.py`` measures both
against each other and the alternatives. ``article_language`` lets a language the file
declares (HTML ``lang``, a Word document's language, a record's ``language`` field) win
over detection. ``script_shares`` is the cheap look at a text's scripts that callers
use when they only need to know "Cyrillic or Han?". ``language_name`` gives CLDR's name
for a code (Babel): ``ru`` reads "Russian".

Existing libraries are filled in by ``desktop.core.language_fill``.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Any

SAMPLE_CHARS = 400
"""How much of a text the model reads: the opening, where the headline and lead are."""

CLD2_UNSURE_SHARE = 50
MIN_GUESS_LETTERS = 12
"""Below this many letters a text CLD2 is unsure of has no language rather than a guess."""
"""CLD2 calls many plain Russian openings unsure while it finds Russian in most of them; its
answer is taken from this share of the text on (chosen on the development half of the
benchmark's texts, the same on the held-out half)."""

MIN_GUESS_CONFIDENCE = 0.7
"""py3langid's answer is taken from this probability on (its own calibration). The Russian
openings CLD2 is unsure of score 0.99 and more; Reuters' tables of company results, which it
gave to German, Walloon or Volapük, 0.3 and less.
"""

HAN_ALONE = 0.5
"""A text whose letters are at least this share Han, with no kana or hangul, is Chinese."""

_SCRIPTS = ("latin", "cyrillic", "han", "kana", "hangul", "arabic", "greek", "other")
_SCRIPT_RUNS = {  # counted as what a substitution removes: the fastest count Python's re offers
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+"),
    "cyrillic": re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]+"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+"),
    "kana": re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]+"),
    "hangul": re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]+"),
    "greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]+"),
}
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_LETTER = re.compile(r"[^\W\d_]")
_CLD2_CODES = {"iw": "he", "jw": "jv", "in": "id", "ji": "yi", "mo": "ro"}  # CLD2's retired codes
_TAG = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")
_load_lock = threading.Lock()
_UNDETERMINED = "und"  # py3langid's answer below its ``min_confidence``


def script_shares(text: str, *, limit: int = SAMPLE_CHARS) -> dict[str, float]:
    """The share of each script among the letters of the opening ``limit`` characters of ``text``
    (``latin``, ``cyrillic``, ``han``, ``kana``, ``hangul``, ``arabic``, ``greek``, ``other``);
    all zero for a text without letters. Cheap: a few regular-expression counts."""
    sample = text[:limit]
    letters = _count(_NOT_LETTERS, sample, inverse=True)
    if not letters:
        return dict.fromkeys(_SCRIPTS, 0.0)
    counts = {script: _count(runs, sample) for script, runs in _SCRIPT_RUNS.items()}
    counts["other"] = max(letters - sum(counts.values()), 0)
    return {script: counts[script] / letters for script in _SCRIPTS}


def _count(runs: re.Pattern[str], text: str, *, inverse: bool = False) -> int:
    """How many characters of ``text`` the pattern of character ``runs`` matches (``inverse``:
    how many it does not)."""
    left = len(runs.sub("", text))
    return left if inverse else len(text) - left


def dominant_script(text: str, *, limit: int = SAMPLE_CHARS) -> str | None:
    """The script most letters of the opening of ``text`` are written in, or None without letters."""
    shares = script_shares(text, limit=limit)
    script = max(shares, key=shares.__getitem__)
    return script if shares[script] > 0 else None


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model, loaded once (≈ 1 s) and limited to languages with ISO 639-1 codes.

    Its feature table is kept as one C-ordered float32 array (46 MB instead of 23): the
    half-precision, column-ordered table it comes as made scoring 4× slower than the byte
    walk that precedes it.
    """
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True,
                                                    min_confidence=MIN_GUESS_CONFIDENCE)
    identifier.set_languages([label for label in identifier.nb_classes if len(label) == 2])
    identifier._full_model = None  # the unrestricted table (23 MB) would only serve set_languages again
    identifier.nb_ptc = np.ascontiguousarray(identifier.nb_ptc, dtype=np.float32)
    identifier.nb_pc = np.asarray(identifier.nb_pc, dtype=np.float32)
    return identifier


def _model() -> Any:
    """py3langid's identifier, loaded by the first thread that needs it."""
    with _load_lock:  # two threads importing at once load the model once
        return _identifier()


def release_model() -> None:
    """Let go of py3langid's model (≈ 90 MB, loaded for the few texts CLD2 is unsure of) before
    entity workers fork from this process (they would each count its pages). The next text
    that needs it loads it again (≈ 1 s), so an import does not let go of it by itself."""
    with _load_lock:
        _identifier.cache_clear()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in (``"en"``, ``"ru"``, ``"zh"``),
    or None for a text with no letters to go by. Reads the opening ``SAMPLE_CHARS`` characters."""
    sample = text[: SAMPLE_CHARS * 2].strip()[:SAMPLE_CHARS]
    if not _LETTER.search(sample):
        return None
    if _SCRIPT_RUNS["han"].search(sample) and _chinese(sample):
        return "zh"
    found = _cld2(sample)
    if found is None and len(_LETTER.findall(sample, 0, 4 * MIN_GUESS_LETTERS)) < MIN_GUESS_LETTERS:
        return None  # "hi" is not Afrikaans: too few letters to guess from
    if found:
        return found
    guess, _confidence = _model().classify(sample)
    return guess if guess != _UNDETERMINED else None


def _cld2(sample: str) -> str | None:
    """CLD2's ISO 639-1 code for ``sample`` when it is sure of one, or when it names one language
    for at least ``CLD2_UNSURE_SHARE`` % of the text though it calls itself unsure; else None."""
    import pycld2

    try:
        reliable, _bytes, found = pycld2.detect(sample)
    except pycld2.error:  # text that is not valid UTF-8 (a lone surrogate)
        return None
    _name, code, percent, _score = found[0]
    if code == "un" or (not reliable and percent < CLD2_UNSURE_SHARE):
        return None
    return iso_639_1(_CLD2_CODES.get(code, code))


def _chinese(sample: str) -> bool:
    """Whether ``sample``'s letters are mostly Han with no kana or hangul beside them."""
    if _SCRIPT_RUNS["kana"].search(sample) or _SCRIPT_RUNS["hangul"].search(sample):
        return False
    return _count(_SCRIPT_RUNS["han"], sample) >= HAN_ALONE * _count(_NOT_LETTERS, sample, inverse=True)


def iso_639_1(tag: str | None) -> str | None:
    """The ISO 639-1 code in a language tag as files declare it (``en-US``, ``zh_Hans``, ``RU``),
    or None when the tag has none (``eng``, ``x-klingon``, empty)."""
    match = _TAG.match((tag or "").strip())
    return match.group(1).lower() if match else None


def article_language(declared: str | None, text: str) -> str | None:
    """An article's language: the one its file declares when that names an ISO 639-1 code,
    else the one detected in ``text``."""
    return iso_639_1(declared) or detect_language(text)


@lru_cache(maxsize=256)
def language_name(code: str, *, locale: str = "en") -> str:
    """The name of the language ``code`` in ``locale`` from CLDR (``ru`` → "Russian");
    a code CLDR does not know reads as itself."""
    from babel import Locale

    return Locale.parse(locale).languages.get(code, code) if code else code


@lru_cache(maxsize=1)
def _codes_by_name() -> str:
    from babel import Locale

    names = Locale.parse("en").languages
    codes = sorted((code for code in names if len(code) == 2), key=lambda code: (names[code].casefold(), code))
    return "," + ",".join(codes) + ","


def language_order_sql(column: str) -> str:
    """An SQL value that sorts the ISO 639-1 codes in ``column`` by their English names as the
    list shows them (``language_name``: "Chinese" before "English" before "Russian"); NULL for
    no language or a code CLDR does not name. The value is the code's place in one string of
    every code in name order, so sorting 100,000 articles reads no table of names."""
    return f"nullif(instr('{_codes_by_name()}', ',' || {column} || ','), 0)"


def language_code(value: str) -> str | None:
    """The ISO 639-1 code a person means by ``value``: a code (``ru``, ``RU``) or an English
    language name (``Russian``); None when it names no language CLDR knows."""
    from babel import Locale

    names = Locale.parse("en").languages
    code = iso_639_1(value)
    if code and code in names:
        return code
    wanted = value.strip().casefold()
    return next((code for code, name in names.items() if len(code) == 2 and name.casefold() == wanted), None)
