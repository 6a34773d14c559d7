"""Benchmark: names across scripts at 100,000 entities — the keys migration, the automatic
merge run after an extraction, and a search's name lookup — each beside a baseline in the same run.

Library: a fresh library migrated up to 0010, filled with N generated entities (Latin,
Cyrillic and Han personal names in the proportions 6 : 3 : 1, one in twenty written in two
scripts) and articles mentioning them (5 entities per article). Figures:

- migration 0010 and the keys of every entity (``refresh_keys``: in the migration up to
  ``MIGRATION_LIMIT`` entities, else the window's background job) against the baseline of writing the same
  rows with SQL alone (``INSERT … SELECT id, name, lower(name)``: the cost of one row per
  entity without romanising)
- ``link_names`` (keys fresh, grouping, the merges of one run) against the baseline of reading
  the entities and their article counts once (``keyed_entities``)
- ``match_name`` for a name query against an indexed lookup of the entity by (label, name)

Run: `make bench` (or `.venv/bin/python tests/bench/bench_name_keys.py [--entities N]`).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sqlite_utils import Database  # noqa: E402

from desktop.core import schema  # noqa: E402
from desktop.core.entities.name_keys import MIGRATION_LIMIT, refresh_keys  # noqa: E402
from desktop.core.entities.name_links import keyed_entities, link_names  # noqa: E402
from desktop.core.name_search import match_name  # noqa: E402
from tests.bench.bench_backup import timed  # noqa: E402

KEYS_MIGRATION = "0010_entity_name_keys"
LATIN = "an bo chen dar ev fi gor in kol lev mar nik ol pav ro sim tar va zin".split()
CYRILLIC = "ан бо чен дар ев фи гор ин кол лев мар ник ол пав ро сим тар ва зин".split()
HAN = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")


def _name(rng: random.Random, n: int) -> tuple[str, str]:
    """A generated personal name and, one time in twenty, the same name in Cyrillic."""
    kind = n % 10
    if kind == 9:
        return "".join(rng.choice(HAN) for _ in range(rng.choice((2, 3)))), ""
    parts = [rng.randrange(len(LATIN)) for _ in range(5)]
    latin = f"{''.join(LATIN[p] for p in parts[:2]).title()} {''.join(LATIN[p] for p in parts[2:]).title()}"
    cyrillic = f"{''.join(CYRILLIC[p] for p in parts[:2]).title()} {''.join(CYRILLIC[p] for p in parts[2:]).title()}"
    if kind >= 6:
        return cyrillic, ""
    return latin, cyrillic if n % 20 == 0 else ""


def build(path: Path, entities: int) -> Database:
    """A library migrated up to 0010 holding ``entities`` entities and their articles."""
    db = Database(path)
    db.conn.execute("PRAGMA foreign_keys = ON")  # as a library connection: a merge drops its keys
    schema.migrations.apply(db, stop_before=KEYS_MIGRATION)
    rng = random.Random(7)
    names: dict[str, None] = {}
    n = 0
    while len(names) < entities:
        first, second = _name(rng, n)
        n += 1
        for name in (first, second):
            if name:
                names.setdefault(name)
    rows = [(i + 1, "PERSON", name) for i, name in enumerate(list(names)[:entities])]
    with db.atomic():
        db.conn.executemany("INSERT INTO entities (id, label, name) VALUES (?, ?, ?)", rows)
        docs = entities // 5
        db.conn.executemany(
            "INSERT INTO documents (id, title, text, sha256, imported_at) VALUES (?, '', 'x', ?, '2026')",
            [(d, f"h{d}") for d in range(1, docs + 1)])
        db.conn.executemany(
            "INSERT INTO mentions (document_id, entity_id, start, \"end\", text, origin) "
            "VALUES (?, ?, 0, 1, 'x', 'model')",
            [(i % docs + 1, i + 1) for i in range(len(rows))])
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dossier-bench-names-") as folder:
        os.environ["DOSSIER_HOME"] = str(Path(folder) / "home")
        db = build(Path(folder) / "library.sqlite", args.entities)
        db.execute("CREATE TABLE baseline_keys (entity_id INTEGER PRIMARY KEY, name TEXT, key TEXT)")

        def baseline() -> None:
            with db.atomic():
                db.execute("DELETE FROM baseline_keys")
                db.execute("INSERT INTO baseline_keys SELECT id, name, lower(name) FROM entities")

        base = timed(baseline)
        start = time.perf_counter()
        schema.migrations.apply(db)
        migration = time.perf_counter() - start
        start = time.perf_counter()
        made = refresh_keys(db)  # what the window's background job does for a large library
        keying = time.perf_counter() - start
        keyed = db.conn.execute("SELECT count(*) FROM entity_keys").fetchone()[0]
        print(f"entities: {args.entities:,} (keyed {keyed:,}; migration keys up to {MIGRATION_LIMIT:,})")
        print(f"migration 0010: {migration:.2f} s; keys made after it: {made:,} in {keying:.2f} s; "
              f"all keys {migration + keying:.2f} s; baseline SQL copy {base:.3f} s; "
              f"ratio {(migration + keying) / base:.0f}×")

        read = timed(lambda: keyed_entities(db))
        start = time.perf_counter()
        change = link_names(db)
        first_link = time.perf_counter() - start
        merged = len(change.before[0].rows) - len(change.after[0].rows) if change else 0
        again = timed(lambda: link_names(db))
        print(f"link_names, first run ({merged:,} entities merged away): {first_link:.2f} s; "
              f"with nothing to merge: {again:.2f} s; baseline read of the entities {read:.2f} s; "
              f"ratio {again / read:.1f}×")

        probe = db.conn.execute("SELECT name FROM entities ORDER BY id LIMIT 1 OFFSET 500").fetchone()[0]
        lookup = timed(lambda: db.conn.execute(
            "SELECT id FROM entities WHERE label = 'PERSON' AND name = ?", (probe,)).fetchall(), runs=50)
        named = timed(lambda: match_name(db, probe), runs=50)
        print(f"match_name('{probe}'): {named * 1000:.2f} ms; indexed lookup {lookup * 1000:.3f} ms; "
              f"ratio {named / lookup:.0f}×")
        refresh = timed(lambda: refresh_keys(db))
        print(f"refresh_keys with every key fresh: {refresh * 1000:.0f} ms")


if __name__ == "__main__":
    main()
