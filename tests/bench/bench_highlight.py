"""Benchmark: painting an entity-dense article in the reader, beside the same article without entities.

Library: a temporary one holding one 10,000-word article (100 paragraphs) with 500 entity
mentions of five types over 50 entities. The window is built offscreen with entities
installed. One measurement renders the article (``Reader.show_document``, which asks every
span provider) and paints the reader's viewport once.

Baseline, measured in the same run: the same article rendered and painted with the entity
span provider removed. The target is < 50 ms with entities.

Run: `make bench` (or `.venv/bin/python tests/bench/bench_highlight.py [--repeat N]`).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WORDS = 10_000
MENTIONS = 500
PARAGRAPH_WORDS = 100
LABELS = ("PERSON", "ORG", "GPE", "DATE", "MONEY")
FILLER = ("the", "joint", "research", "centre", "agreed", "to", "expand", "cooperation", "on",
          "vaccines", "and", "satellites", "while", "officials", "said", "funding", "would", "grow")
TARGET_MS = 50.0


def build_article() -> tuple[str, list[tuple[int, int, str, str]]]:
    """The text and its mentions (start, end, label, name): every 20th word is a mention."""
    words, mentions, offset = [], [], 0
    step = WORDS // MENTIONS
    for number in range(WORDS):
        if number % step == 0:
            kind = (number // step) % len(LABELS)
            word = f"Entity{(number // step) % 50:02d}"
            mentions.append((offset, offset + len(word), LABELS[kind], word))
        else:
            word = FILLER[number % len(FILLER)]
        words.append(word)
        offset += len(word) + (2 if (number + 1) % PARAGRAPH_WORDS == 0 else 1)
    text = "".join(
        word + ("\n\n" if (number + 1) % PARAGRAPH_WORDS == 0 else " ") for number, word in enumerate(words)
    )
    return text, mentions


def make_library(folder: Path) -> Path:
    from desktop.core.library import now_iso, open_library

    path = folder / "library.sqlite"
    text, mentions = build_article()
    with open_library(path) as library, library.db.atomic():
        db = library.db
        doc_id = db.execute(
            "INSERT INTO documents (title, text, published, sha256, imported_at, word_count) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            ["Longread", text, "2020-01-01", hashlib.sha256(text.encode()).hexdigest(), now_iso(), WORDS],
        ).lastrowid
        for start, end, label, name in mentions:
            db.execute("INSERT OR IGNORE INTO entities (label, name) VALUES (?, ?)", [label, name])
            entity_id = db.execute("SELECT id FROM entities WHERE label = ? AND name = ?", [label, name]).fetchone()[0]
            db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin, model) '
                       "VALUES (?, ?, ?, ?, ?, 'model', 'bench')", [doc_id, entity_id, start, end, name])
    return path


def paint_ms(window, repeat: int) -> float:
    """Median milliseconds to render the current article and paint the reader once."""
    from PySide6.QtWidgets import QApplication

    reader = window.reader
    document = reader.current_document
    timings = []
    for _ in range(repeat):
        QApplication.processEvents()
        started = time.perf_counter()
        reader.show_document(document)
        reader.viewport().repaint()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from desktop.ui.app import create_main_window
    from desktop.ui.entities import PROVIDER_NAME, install

    with tempfile.TemporaryDirectory() as folder:
        os.environ["DOSSIER_HOME"] = folder
        window = create_main_window(make_library(Path(folder)))
        window.resize(1440, 900)
        for pool in (window.queries, window.writer):
            pool.wait(30_000)
        QApplication.processEvents()
        highlighter = install(window)
        if highlighter.mention_at(0) is None:
            raise SystemExit("The article's first word should be highlighted.")
        with_entities = paint_ms(window, args.repeat)
        window.reader.remove_span_provider(PROVIDER_NAME)
        without = paint_ms(window, args.repeat)
        window.close()
    verdict = "meets" if with_entities < TARGET_MS else "misses"
    print(f"highlight: {WORDS:,}-word article, {MENTIONS} mentions: {with_entities:.1f} ms to render and paint "
          f"({verdict} the {TARGET_MS:.0f} ms target)")
    print(f"baseline:  same article without entity spans: {without:.1f} ms; "
          f"ratio {with_entities / without:.2f}x")


if __name__ == "__main__":
    main()
