"""Benchmark: a large edit made in steps (``desktop.core.steps``) on the 100k library, its Cancel
half-way and its Undo and Redo, each against the same edit as one plain SQL statement (the
Undo in steps is timed where the code has it).

Run ``.venv/bin/python tests/bench/bench_steps.py [ROUNDS]`` (the library is built by
``corpus100k`` under ``$DOSSIER_BENCH_DIR`` when needed). The edits are made on the articles found
by ``company`` (26,814 of them) and everything they change is put back before the script ends.
Each figure is the median of ``ROUNDS`` (default 3) and is printed as seconds and as a ratio to
the plain statement measured in the same round.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.core.errors import Cancelled  # noqa: E402
from desktop.core.jobs import CancelToken  # noqa: E402
from desktop.core.library import open_library  # noqa: E402
from desktop.core.search import search_ids  # noqa: E402
from desktop.core.steps import edit_in_steps  # noqa: E402
from desktop.core.tags import add_tag, set_read_state  # noqa: E402
from desktop.core.undo import id_list  # noqa: E402
from tests.bench.corpus100k import ensure_library  # noqa: E402

TAG = "bench-steps"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def plain_statement(db, ids: list[int]) -> float:
    """The baseline: every article marked in one UPDATE, then put back."""
    states = db.conn.execute(f"SELECT id, read_state FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                             [id_list(ids)]).fetchall()
    took = timed(lambda: db.execute("UPDATE documents SET read_state = 'to_read' WHERE id IN "
                                    "(SELECT value FROM json_each(?))", [id_list(ids)]))
    with db.atomic():
        db.conn.executemany("UPDATE documents SET read_state = ? WHERE id = ?", [(s, i) for i, s in states])
    return took


def cancelled_half_way(db, edit, ids: list[int]) -> float:
    """Seconds the take-back of a cancel made when half of the articles are done takes."""
    cancel, half = CancelToken(), len(ids) // 2
    marks: dict[str, float] = {}

    def progress(step) -> None:
        if step.done >= half and not cancel.cancelled and step.phase.startswith("Doing"):
            cancel.cancel()
            marks["cancel"] = time.perf_counter()

    try:
        edit_in_steps(db, edit, ids, doing="Doing", progress=progress, cancel=cancel)
    except Cancelled:
        return time.perf_counter() - marks["cancel"]
    raise AssertionError("the edit was not cancelled")


def one_round(db, ids: list[int]) -> dict[str, float]:
    out = {"plain UPDATE": plain_statement(db, ids)}
    for name, edit in (("mark", lambda d, some: set_read_state(d, some, "to_read")),
                       ("tag", lambda d, some: add_tag(d, some, TAG))):
        made = []
        out[f"{name}: edit in steps"] = timed(lambda: made.append(
            edit_in_steps(db, edit, ids, doing="Doing", progress=lambda _p: None, cancel=CancelToken())))
        out[f"{name}: undo"] = timed(lambda: made[0].undo(db))
        out[f"{name}: redo"] = timed(lambda: made[0].redo(db))
        if hasattr(made[0], "in_steps"):
            out[f"{name}: undo in steps"] = timed(lambda: made[0].in_steps(
                db, backwards=True, progress=lambda _p: None, cancel=CancelToken()))
        else:
            made[0].undo(db)
        out[f"{name}: cancel half-way, take-back"] = cancelled_half_way(db, edit, ids)
    db.execute("DELETE FROM tags WHERE name = ?", [TAG])
    return out


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    library = open_library(ensure_library())
    db = library.db
    ids = search_ids(db, "company")
    before = db.conn.execute("SELECT sum(read_state = 'to_read'), count(*) FROM documents").fetchone()
    results = [one_round(db, ids) for _ in range(rounds)]
    assert db.conn.execute("SELECT sum(read_state = 'to_read'), count(*) FROM documents").fetchone() == before
    print(f"{len(ids):,} articles, {rounds} rounds (median seconds, ratio to one plain UPDATE)")
    base = statistics.median(r["plain UPDATE"] for r in results)
    for key in results[0]:
        value = statistics.median(r[key] for r in results)
        print(f"  {key:38} {value:7.3f} s  {value / base:6.1f}x")
    library.close()


if __name__ == "__main__":
    main()
