"""A 100,000-article library for benchmarks, built once and reused while it is current.

The articles are the real texts of ../shared/corpora (every BBC file and every
Reuters-21578 story with a body) replicated until there are ``n`` of them; each copy
gets its own sha256, so the library holds ``n`` distinct documents although the
words repeat. They are written through the real schema (``open_library``) with plain
batched SQL inserts, the full-text index filled by the schema's triggers.
Metadata is synthetic but skewed like real collections: 30 outlets, 900 authors
(a fifth of articles without one), dates over 2004–2021 (5 % undated), starred and
reading states, 14 tags with parents (``asia/china``), some articles untagged.
Entity mentions sit on real capitalised words of each text, at their real
offsets, with a label chosen by the name, so entity facets have the long tail of
real names.

The library is cached under ``$DOSSIER_BENCH_DIR`` (default ``/tmp/dossier-bench``),
never in the repository, and rebuilt when this generator, the schema, the search index's reading of text or ``n``
changes. Use: ``from tests.bench.corpus100k import ensure_library``; or run
``.venv/bin/python tests/bench/corpus100k.py [N]`` to build it ahead of time.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import random
import re
import sqlite3
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
CORPORA = REPO.parent / "shared" / "corpora"
DEFAULT_DIR = Path("/tmp/dossier-bench")
STAMP_KEY = "bench_corpus"
BATCH = 5_000
SEED = 20_260_101

SOURCES = tuple(
    ["Reuters", "BBC", "Xinhua", "TASS", "China Daily", "RIA Novosti", "Interfax", "ECNS",
     "Global Times", "Kommersant", "Vedomosti", "South China Morning Post", "Nikkei Asia",
     "The Moscow Times", "Caixin"] + [f"Regional Outlet {i}" for i in range(1, 16)]
)
AUTHORS = tuple(
    f"{first} {last}"
    for first in ("Li", "Ivan", "Anna", "Wang", "Olga", "Zhang", "Sergei", "Mei", "Dmitri",
                  "Chen", "Elena", "Liu", "Pavel", "Yulia", "Zhao", "Nikolai", "Xu", "Irina",
                  "Huang", "Andrei", "Sun", "Maria", "Zhou", "Alexei", "Wu", "Natalia", "Lin",
                  "Boris", "Gao", "Tatiana")
    for last in ("Wei", "Petrov", "Smirnova", "Jing", "Ivanova", "Qiang", "Volkov", "Hua",
                 "Kuznetsova", "Ming", "Sokolov", "Ying", "Popova", "Lei", "Morozov", "Fang",
                 "Lebedeva", "Tao", "Kozlov", "Yan", "Novikova", "Bo", "Fedorov", "Xin",
                 "Orlova", "Hao", "Pavlov", "Lan", "Semenova", "Jun")
)[:900]
TOPIC_TAGS = ("business", "entertainment", "politics", "sport", "tech", "markets",
              "markets/oil", "markets/grain")
EXTRA_TAGS = ("asia", "asia/china", "asia/russia", "health", "science", "to-check")
READ_STATES = ("unread", "unread", "unread", "to_read", "read", "read")
ENTITY_LABELS = ("PERSON",) * 7 + ("ORG",) * 6 + ("GPE",) * 5 + ("NORP",) * 2
MAX_MENTIONS = 20
_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:[ \t]+[A-Z][a-z]{2,}){0,2}\b")
_STARTERS = frozenset(
    "The This That These Those But And Its His Her Their They There Then When While What "
    "Which Who How Why Where However Also After Before Last Next For From With Without In On "
    "At By Of Mr Mrs Ms It He She We You Our Some Many Most Other Another One Two Three "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December Reuter Reuters".split()
)


@dataclass(frozen=True)
class _Text:
    title: str
    body: str
    tag: str | None
    names: tuple[tuple[int, int, str], ...]  # (start, end, name) of capitalised words


def bench_dir() -> Path:
    """Where benchmark libraries are cached: ``$DOSSIER_BENCH_DIR`` or ``/tmp/dossier-bench``."""
    return Path(os.environ.get("DOSSIER_BENCH_DIR") or DEFAULT_DIR)


def _stamp(n: int) -> str:
    """What the cached library was built from: this generator, the schema, the search index's
    way of reading text (a library indexed by an older one is indexed again in the background
    when a window opens it, which a benchmark would time) and ``n``."""
    digest = hashlib.sha256()
    for source in (Path(__file__), REPO / "desktop" / "core" / "schema.py",
                   REPO / "desktop" / "core" / "textindex.py"):
        digest.update(source.read_bytes())
    return json.dumps({"articles": n, "sources": digest.hexdigest()[:16]})


def _is_current(path: Path, stamp: str) -> bool:
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", [STAMP_KEY]).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == stamp


def ensure_library(n: int = 100_000) -> Path:
    """The path of a library of ``n`` replicated corpus articles, built now unless cached.

    A cached library is reused only if it was built by this generator over the
    current schema with the same ``n``; otherwise it is rebuilt (about a minute for
    100,000 articles). A benchmark that writes to it must put back what it changed.
    """
    folder = bench_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"library-{n}.sqlite"
    stamp = _stamp(n)
    with (folder / f"library-{n}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two benchmarks started together build it once
        if _is_current(path, stamp):
            return path
        partial = folder / f"library-{n}.partial.sqlite"
        _remove(partial)
        started = time.perf_counter()
        _build(partial, n=n, stamp=stamp)
        _remove(path)
        partial.replace(path)
    print(f"built {path} ({n:,} articles) in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _names(body: str) -> tuple[tuple[int, int, str], ...]:
    found = []
    for match in _NAME.finditer(body):
        words = match.group().split()
        while words and words[0] in _STARTERS:
            words.pop(0)
        if not words:
            continue
        name = " ".join(words)
        end = match.end()
        start = end - len(match.group()) + match.group().index(words[0])
        found.append((start, end, name))
        if len(found) == MAX_MENTIONS:
            break
    return tuple(found)


def _reuters_tag(topics: list[str]) -> str | None:
    if "crude" in topics:
        return "markets/oil"
    if "grain" in topics or "wheat" in topics:
        return "markets/grain"
    return "markets" if topics else None


def corpus_texts() -> list[_Text]:
    """Every BBC file and every Reuters story with a body, with their capitalised words."""
    texts = []
    for path in sorted((CORPORA / "bbc").rglob("*.txt")):
        raw = path.read_bytes().decode("utf-8", errors="replace")
        title, _, body = raw.partition("\n")
        body = body.strip()
        texts.append(_Text(title.strip(), body, path.parent.name, _names(body)))
    with (CORPORA / "reuters21578.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            body = (record.get("text") or "").strip()
            if body:
                title = (record.get("title") or "").title()
                texts.append(_Text(title, body, _reuters_tag(record.get("topics") or []), _names(body)))
    return texts


def _entity_label(name: str) -> str:
    return ENTITY_LABELS[zlib.crc32(name.encode()) % len(ENTITY_LABELS)]


class _Entities:
    """Entity ids by (label, name), numbered as they are first met; new ones wait to be written."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}
        self.new: list[tuple[int, str, str]] = []

    def id(self, name: str) -> int:
        key = (_entity_label(name), name)
        entity_id = self.ids.get(key)
        if entity_id is None:
            entity_id = self.ids[key] = len(self.ids) + 1
            self.new.append((entity_id, *key))
        return entity_id

    def take_new(self) -> list[tuple[int, str, str]]:
        new, self.new = self.new, []
        return new


def _document_row(n: int, text: _Text, rng: random.Random, stamp: str) -> tuple:
    year = 2004 + rng.randrange(18)
    published = None if rng.random() < 0.05 else (
        f"{year:04d}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}")
    author = AUTHORS[int(rng.paretovariate(1.2)) % len(AUTHORS)] if rng.random() < 0.8 else None
    source = SOURCES[min(int(rng.expovariate(0.25)), len(SOURCES) - 1)]
    return (
        n, text.title, text.body, published, source, author,
        hashlib.sha256(f"{n}:{text.body}".encode()).hexdigest(), stamp,
        len(text.body.split()), int(rng.random() < 0.1), rng.choice(READ_STATES),
        f"/corpus/{n}.txt",
    )


_INSERT_DOCUMENT = (
    "INSERT INTO documents (id, title, text, published, source, author, sha256, imported_at, "
    "word_count, starred, read_state, path) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_MENTION = (
    'INSERT INTO mentions (document_id, entity_id, start, "end", text, origin, model) '
    "VALUES (?, ?, ?, ?, ?, 'model', 'bench')"
)


def _build(path: Path, *, n: int, stamp: str) -> None:
    from desktop.core.entities.name_keys import refresh_keys
    from desktop.core.library import now_iso, open_library

    texts = corpus_texts()
    rng = random.Random(SEED)
    entities = _Entities()
    tag_ids = {name: number for number, name in enumerate(TOPIC_TAGS + EXTRA_TAGS, start=1)}
    imported_at = now_iso()
    with open_library(path) as library:
        conn = library.db.conn
        with library.db.atomic():
            conn.executemany(
                "INSERT INTO tags (id, name, created) VALUES (?, ?, ?)",
                [(tag_id, name, imported_at) for name, tag_id in tag_ids.items()],
            )
        for first in range(1, n + 1, BATCH):
            with library.db.atomic():  # a transaction per batch keeps the WAL small
                numbers = range(first, min(first + BATCH, n + 1))
                chosen = [(number, texts[(number - 1) % len(texts)]) for number in numbers]
                conn.executemany(_INSERT_DOCUMENT, [
                    _document_row(number, text, rng, imported_at) for number, text in chosen])
                conn.executemany(
                    "INSERT OR IGNORE INTO document_tags (document_id, tag_id) VALUES (?, ?)",
                    [(number, tag_ids[tag]) for number, text in chosen
                     for tag in _tags(text, rng)],
                )
                mentions = [(number, entities.id(name), start, end, name)
                            for number, text in chosen for start, end, name in text.names]
                conn.executemany("INSERT INTO entities (id, label, name) VALUES (?, ?, ?)",
                                 entities.take_new())
                conn.executemany(_INSERT_MENTION, mentions)
        refresh_keys(library.db)  # as extraction leaves them: every entity's name keys made
        with library.db.atomic():
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [STAMP_KEY, stamp])
        conn.execute("PRAGMA optimize")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _tags(text: _Text, rng: random.Random) -> list[str]:
    tags = [text.tag] if text.tag else []
    if rng.random() < 0.3:
        tags.append(rng.choice(EXTRA_TAGS))
    return tags


if __name__ == "__main__":
    print(ensure_library(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
