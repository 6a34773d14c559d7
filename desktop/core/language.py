"""Which language an article is written in: ISO 639-1 codes, the share of each script in a text,
and a language's name for people.

``detect_language(text)`` reads the opening ``SAMPLE_CHARS`` characters of a text with
py3langid's naive Bayes model (BSD, the model ships inside the wheel), limited to the
languages that have an ISO 639-1 code; a text written mostly in Han characters with no
kana is Chinese without asking the model. ``article_language`` lets a language the file
declares (HTML ``lang``, a Word document's language, a record's ``language`` field) win
over detection. ``script_shares`` is the cheap look at a text's scripts that callers
use when they only need to know "Cyrillic or Han?". ``language_name`` gives CLDR's name
for a code (Babel): ``ru`` reads "Russian".

Existing libraries are filled in by ``desktop.core.language_fill``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

SAMPLE_CHARS = 400
"""How much of a text the model reads: the opening, where the headline and lead are."""

HAN_ALONE = 0.5
"""A text whose letters are at least this share Han, with no kana or hangul, is Chinese."""

_SCRIPTS = ("latin", "cyrillic", "han", "kana", "hangul", "arabic", "greek", "other")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_CYRILLIC = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_WORD_CHAR = re.compile(r"\w")
_DIGIT_OR_UNDERSCORE = re.compile(r"[\d_]")
_TAG = re.compile(r"^([A-Za-z]{2})(?:[-_][A-Za-z0-9]+)*$")
_load_lock = threading.Lock()


def script_shares(text: str, *, limit: int = SAMPLE_CHARS) -> dict[str, float]:
    """The share of each script among the letters of the opening ``limit`` characters of ``text``
    (``latin``, ``cyrillic``, ``han``, ``kana``, ``hangul``, ``arabic``, ``greek``, ``other``);
    all zero for a text without letters. Cheap: a few regular-expression counts."""
    sample = text[:limit]
    letters = len(_WORD_CHAR.findall(sample)) - len(_DIGIT_OR_UNDERSCORE.findall(sample))
    if letters <= 0:
        return dict.fromkeys(_SCRIPTS, 0.0)
    counts = {
        "latin": len(_LATIN.findall(sample)),
        "cyrillic": len(_CYRILLIC.findall(sample)),
        "han": len(_HAN.findall(sample)),
        "kana": len(_KANA.findall(sample)),
        "hangul": len(_HANGUL.findall(sample)),
        "arabic": len(_ARABIC.findall(sample)),
        "greek": len(_GREEK.findall(sample)),
    }
    counts["other"] = max(letters - sum(counts.values()), 0)
    return {script: counts[script] / letters for script in _SCRIPTS}


def dominant_script(text: str, *, limit: int = SAMPLE_CHARS) -> str | None:
    """The script most letters of the opening of ``text`` are written in, or None without letters."""
    shares = script_shares(text, limit=limit)
    script = max(shares, key=shares.__getitem__)
    return script if shares[script] > 0 else None


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's model, loaded once (≈ 1–2 s) and limited to languages with ISO 639-1 codes."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE)
    identifier.set_languages([label for label in identifier.nb_classes if len(label) == 2])
    return identifier


def _model() -> Any:
    with _load_lock:  # two threads importing at once load the model once
        return _identifier()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in (``"en"``, ``"ru"``, ``"zh"``),
    or None for a text with no letters to go by. Reads the opening ``SAMPLE_CHARS`` characters."""
    sample = unicodedata.normalize("NFC", text[: SAMPLE_CHARS * 2].strip())[:SAMPLE_CHARS]
    shares = script_shares(sample)
    if not any(shares.values()):
        return None
    if shares["han"] >= HAN_ALONE and not shares["kana"] and not shares["hangul"]:
        return "zh"
    label, _score = _model().classify(sample)
    return label


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
