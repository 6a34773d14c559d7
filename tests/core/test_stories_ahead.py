"""Story signatures made in a worker process while an import reads: the same signatures, never lost."""

from __future__ import annotations

import os
import random
from concurrent.futures import Future

import numpy as np

from desktop.core import ingest, stories_ahead
from desktop.core.stories import list_stories
from desktop.core.stories_ahead import SigningAhead
from desktop.core.stories_signatures import signatures
from tests.stories_variants import CHINESE, ENGLISH, RUSSIAN, outlet_copy, random_text


def _texts(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [random_text(rng, [ENGLISH, RUSSIAN, CHINESE][i % 3], paragraphs=2) for i in range(n)]


def _same(a, b) -> bool:
    return np.array_equal(a.values, b.values) and a.shingles == b.shingles


def test_the_worker_makes_the_signatures_made_at_commit():
    texts = _texts(70)
    ahead = SigningAhead(chunk=20, cores=2)
    try:
        for start in range(0, 70, 10):
            ahead.add(texts[start:start + 10])
        for future in [future for _, future in ahead._started]:
            future.result(timeout=60)  # let the worker finish, so that nothing is taken back
        signed = ahead.take()
    finally:
        ahead.close()
    assert len(signed) == 60  # three chunks of 20; the last 10 wait for a full chunk: the caller's
    inline = dict(zip(texts, signatures(texts)))
    assert all(_same(signed[text], inline[text]) for text in signed)
    assert texts[-1] not in signed


def _crash(texts):
    os._exit(3)


def test_a_crashed_worker_leaves_its_texts_to_the_caller(monkeypatch):
    monkeypatch.setattr(stories_ahead, "_sign", _crash)
    ahead = SigningAhead(chunk=5, cores=2)
    try:
        ahead.add(_texts(5))
        for _, future in ahead._started:
            future.exception(timeout=60)
        assert ahead.take() == {}
        ahead.add(_texts(5, seed=2))  # no second worker after a crash
        assert ahead._started == []
    finally:
        ahead.close()


def test_a_chunk_still_queued_for_the_worker_is_taken_back_not_waited_for():
    ahead = SigningAhead(chunk=3, cores=2)
    not_begun: Future = Future()  # queued behind the worker, which is still starting or behind
    ahead._started.append((_texts(3), not_begun))
    assert ahead.take() == {}
    assert not_begun.cancelled()
    ahead.close()


def test_one_core_signs_at_commit_without_a_worker():
    ahead = SigningAhead(chunk=2, cores=1)
    ahead.add(_texts(6))
    assert ahead.take() == {} and ahead._worker is None
    ahead.close()


def _copies_folder(folder):
    rng = random.Random(31)
    folder.mkdir()
    for n in range(40):
        text = random_text(rng, ENGLISH, paragraphs=4)
        (folder / f"{n:03}-a.txt").write_text(text, encoding="utf-8")
        if n % 2 == 0:
            copy = outlet_copy("Headline", text, rng, vocabulary=ENGLISH)[1]
            (folder / f"{n:03}-b.txt").write_text(copy, encoding="utf-8")
    return folder


def _stories(library) -> list[list[str]]:
    conn = library.db.conn
    paths = dict(conn.execute("SELECT id, path FROM documents"))
    return sorted(sorted(os.path.basename(paths[a["id"]]) for a in s["articles"]) for s in list_stories(conn))


def test_an_import_groups_the_same_with_and_without_the_worker(library, tmp_path, monkeypatch):
    from desktop.core.library import open_library

    folder = _copies_folder(tmp_path / "copies")
    with open_library(tmp_path / "at-commit.sqlite") as at_commit:
        monkeypatch.setattr(ingest, "SigningAhead", lambda: SigningAhead(cores=1))
        ingest.import_paths(at_commit, [folder])
        expected = _stories(at_commit)
    taken: list[int] = []

    class Waited(SigningAhead):
        def __init__(self):
            super().__init__(chunk=8, cores=2)

        def take(self):
            for _, future in self._started:
                future.exception(timeout=60)  # as if reading the next files had taken long enough
            signed = super().take()
            taken.append(len(signed))
            return signed

    monkeypatch.setattr(ingest, "SigningAhead", Waited)
    report = ingest.import_paths(library, [folder])
    assert len(report.imported) == 60
    assert sum(taken) >= 52  # all but the last short chunk came from the worker
    assert len(expected) >= 18 and _stories(library) == expected
