"""The extraction queue: an import commits first, entities follow batch by batch, a stop or a crash
resumes where it stopped, and every article's entities are found exactly once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

from desktop.core.entities import document_entities, extract_entities
from desktop.core.entities import extraction_queue as queue
from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken, Progress
from desktop.core.search import search_ids
from desktop.core.workflows import FINDING_ENTITIES, find_waiting_entities, import_and_extract
from tests.conftest import SEEDS
from tests.core.helpers import SEED_FILES, add_article

SEED_NAMES = [path.name for path in SEED_FILES]


@pytest.fixture
def reads(monkeypatch) -> Counter[int]:
    """How many times the model read each article (in this process), by id."""
    counted: Counter[int] = Counter()
    real = queue.find_entities
    loaded = queue.load_batch

    def load(db, ids):
        rows = loaded(db, ids)
        texts.update({text: doc_id for doc_id, text, *_ in rows})
        return rows

    texts: dict[str, int] = {}

    def find(batch, model=None):
        counted.update(texts[text] for text, _ in batch)
        return real(batch, model)

    monkeypatch.setattr(queue, "load_batch", load)
    monkeypatch.setattr(queue, "find_entities", find)
    return counted


def _articles(library, count: int) -> list[int]:
    return [add_article(library.db, f"Article {n}: Andrei Denisov visited Harbin on day {n}.")
            for n in range(count)]


def _extracted(library) -> set[int]:
    return {r[0] for r in library.db.conn.execute("SELECT document_id FROM entity_extractions")}


def test_a_background_import_commits_searchable_articles_and_queues_them(library):
    outcome = import_and_extract(library, [SEEDS], background=True)
    ids = outcome.imported.imported
    assert len(ids) == 5 and outcome.entities.report is None
    assert queue.waiting(library.db) == 5 and _extracted(library) == set()
    assert search_ids(library.db, "Harbin")  # readable and searchable before any entity is found


def test_working_the_queue_stores_each_batch_and_empties_it(library, reads):
    ids = _articles(library, 5)
    queue.enqueue(library.db, ids)
    steps: list[Progress] = []
    report = queue.run_queue(library, workers=0, batch_size=2, progress=steps.append)
    assert report.documents == 5 and queue.waiting(library.db) == 0
    assert _extracted(library) == set(ids)
    assert [step.ids for step in steps[1:]] == [tuple(ids[:2]), tuple(ids[2:4]), tuple(ids[4:])]
    assert all(document_entities(library.db, doc_id) for doc_id in ids)
    assert reads == Counter(dict.fromkeys(ids, 1))
    assert set(report.stages) == {"reading", "finding", "storing"}
    assert 0 < sum(report.stages.values()) <= report.seconds


def test_the_queue_finds_the_same_entities_as_the_extraction_job(library):
    ids = _articles(library, 3) + [add_article(library.db, (SEEDS / name).read_text())
                                   for name in SEED_NAMES[:2]]
    extract_entities(library, doc_ids=ids)
    before = {doc_id: document_entities(library.db, doc_id) for doc_id in ids}
    queue.enqueue(library.db, ids)
    queue.run_queue(library, workers=0)
    assert {doc_id: document_entities(library.db, doc_id) for doc_id in ids} == before


def test_a_cancel_after_two_batches_keeps_them_and_the_next_run_reads_only_the_rest(library, reads):
    ids = _articles(library, 7)
    queue.enqueue(library.db, ids)
    token = CancelToken()

    def progress(step: Progress) -> None:
        if step.done == 4:
            token.cancel()

    with pytest.raises(Cancelled):
        queue.run_queue(library, workers=0, batch_size=2, progress=progress, cancel=token)
    assert _extracted(library) == set(ids[:4]) and queue.waiting(library.db) == 3
    assert queue.run_queue(library, workers=0, batch_size=2).documents == 3
    assert _extracted(library) == set(ids) and queue.waiting(library.db) == 0
    assert reads == Counter(dict.fromkeys(ids, 1))


def test_a_crash_in_the_third_batch_keeps_two_and_resumes_with_the_third(library, monkeypatch, reads):
    ids = _articles(library, 6)
    queue.enqueue(library.db, ids)
    real, calls = queue.find_entities, []

    def crash_on_third(batch, model=None):
        calls.append(batch)
        if len(calls) == 3:
            raise RuntimeError("killed")
        return real(batch, model)

    monkeypatch.setattr(queue, "find_entities", crash_on_third)
    with pytest.raises(RuntimeError):
        queue.run_queue(library, workers=0, batch_size=2)
    assert _extracted(library) == set(ids[:4])
    monkeypatch.setattr(queue, "find_entities", real)
    assert queue.run_queue(library, workers=0, batch_size=2).documents == 2
    assert _extracted(library) == set(ids)
    assert reads == Counter(dict.fromkeys(ids, 1))


def test_another_program_holding_the_library_past_the_busy_timeout_only_delays_the_run(library, monkeypatch, reads):
    """The window's background extraction stopped with "database is locked" when another program
    held the library longer than the busy timeout, and waited for the library to open again."""
    import sqlite3
    import threading
    import time

    ids = _articles(library, 6)
    queue.enqueue(library.db, ids)
    library.db.conn.execute("PRAGMA busy_timeout = 50")
    real, held = queue.find_entities, threading.Event()

    def hold_the_library() -> None:
        other = sqlite3.connect(library.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(0.8)  # another program's long transaction
        other.execute("COMMIT")
        other.close()

    def find(batch, model=None):
        found = real(batch, model)
        if not held.is_set():  # the first batch read: the other program takes the library now
            threading.Thread(target=hold_the_library, daemon=True).start()
            held.wait()
        return found

    monkeypatch.setattr(queue, "find_entities", find)
    report = queue.run_queue(library, workers=0, batch_size=2)
    assert report.documents == 6 and queue.waiting(library.db) == 0
    assert _extracted(library) == set(ids)


def test_stop_while_another_program_holds_the_library_stops_at_once_and_the_next_run_reads_all(
        library, monkeypatch, reads):
    import sqlite3
    import threading

    ids = _articles(library, 4)
    queue.enqueue(library.db, ids)
    library.db.conn.execute("PRAGMA busy_timeout = 50")
    real, held, done, token = queue.find_entities, threading.Event(), threading.Event(), CancelToken()

    def hold_the_library() -> None:
        other = sqlite3.connect(library.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        done.wait()
        other.execute("COMMIT")
        other.close()

    def find(batch, model=None):
        found = real(batch, model)
        threading.Thread(target=hold_the_library, daemon=True).start()
        held.wait()
        token.cancel()  # the person presses Stop while the other program writes
        return found

    monkeypatch.setattr(queue, "find_entities", find)
    try:
        with pytest.raises(Cancelled):
            queue.run_queue(library, workers=0, batch_size=2, cancel=token)
    finally:
        done.set()
    monkeypatch.setattr(queue, "find_entities", real)
    assert _extracted(library) == set() and queue.waiting(library.db) == 4
    assert queue.run_queue(library, workers=0, batch_size=2).documents == 4  # its claims given back


def test_claims_of_a_killed_process_are_taken_over(library):
    ids = _articles(library, 3)
    queue.enqueue(library.db, ids)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    with library.db.atomic():
        library.db.conn.execute("UPDATE extraction_queue SET claimed_pid = ?, claimed_by = 'gone'",
                                [int(dead.stdout)])
    assert queue.unclaimed(library.db) == 3  # nobody holds them any more
    assert queue.run_queue(library, workers=0).documents == 3


def test_claims_of_a_running_process_are_left_to_it(library):
    ids = _articles(library, 3)
    queue.enqueue(library.db, ids)
    with library.db.atomic():
        library.db.conn.execute("UPDATE extraction_queue SET claimed_pid = 1, claimed_by = 'init' "
                                "WHERE document_id = ?", [ids[0]])
    assert queue.unclaimed(library.db) == 2
    assert queue.run_queue(library, workers=0).documents == 2
    assert queue.waiting(library.db) == 1


def test_an_article_queued_again_while_it_is_read_is_read_again(library, monkeypatch, reads):
    (doc_id,) = _articles(library, 1)
    queue.enqueue(library.db, [doc_id])
    real = queue.find_entities
    stored: list[list[int]] = []

    def requeued_meanwhile(batch, model=None):
        found = real(batch, model)
        if not stored:  # its text changed while the model read it: queued again, the claim dropped
            queue.enqueue(library.connect().db, [doc_id])
        return found

    monkeypatch.setattr(queue, "find_entities", requeued_meanwhile)
    report = queue.run_queue(library, workers=0, on_stored=lambda batch: stored.append(batch.ids))
    assert stored == [[], [doc_id]] and report.documents == 1
    assert queue.waiting(library.db) == 0 and _extracted(library) == {doc_id}


def test_an_article_removed_while_it_is_read_is_not_stored(library, monkeypatch):
    ids = _articles(library, 2)
    queue.enqueue(library.db, ids)
    real = queue.find_entities

    def removed_meanwhile(batch, model=None):
        other = library.connect().db
        with other.atomic():
            other.conn.execute("DELETE FROM documents WHERE id = ?", [ids[0]])
        return real(batch, model)

    monkeypatch.setattr(queue, "find_entities", removed_meanwhile)
    assert queue.run_queue(library, workers=0).documents == 1
    assert _extracted(library) == {ids[1]}


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_worker_processes_find_the_same_entities_as_one_process(library, start_method):
    ids = [add_article(library.db, (SEEDS / name).read_text()) for name in SEED_NAMES]
    queue.enqueue(library.db, ids)
    queue.run_queue(library, workers=0, batch_size=2)
    alone = {doc_id: document_entities(library.db, doc_id) for doc_id in ids}
    queue.enqueue(library.db, ids)
    report = queue.run_queue(library, workers=2, batch_size=2, start_method=start_method)
    assert report.documents == len(ids) and report.model.startswith("en_")
    assert {doc_id: document_entities(library.db, doc_id) for doc_id in ids} == alone
    assert "finding" not in report.stages  # this process only stores: the model runs in the workers
    assert {"starting workers", "waiting for workers", "storing"} <= set(report.stages)


def test_a_command_reads_batches_itself_beside_one_worker_fewer_and_finds_the_same(library, monkeypatch):
    """An import from a terminal ran a worker per core while its own process only stored what they
    found: one process more holding the model (the 100,000-article import summed 589 MiB). It now
    reads batches itself whenever the next result is not ready; a window still leaves its core."""
    ids = [add_article(library.db, (SEEDS / name).read_text()) for name in SEED_NAMES]
    queue.enqueue(library.db, ids)
    queue.run_queue(library, workers=0, batch_size=1)
    alone = {doc_id: document_entities(library.db, doc_id) for doc_id in ids}
    monkeypatch.setattr(queue, "usable_cores", lambda: 2)
    readers: list[dict] = []
    real = queue._Reader
    monkeypatch.setattr(queue, "_Reader", lambda **kwargs: readers.append(kwargs) or real(**kwargs))
    queue.enqueue(library.db, ids)
    report = queue.run_queue(library, batch_size=1, start_method="fork")
    assert (readers[0]["workers"], readers[0]["read_here"]) == (1, True)
    assert report.documents == len(ids)
    assert {doc_id: document_entities(library.db, doc_id) for doc_id in ids} == alone
    assert {"finding", "waiting for workers"} <= set(report.stages)  # both read

    queue.enqueue(library.db, ids)
    report = queue.run_queue(library, batch_size=1, keep_free=1, start_method="fork")
    assert (readers[1]["workers"], readers[1]["read_here"]) == (1, False)
    assert report.documents == len(ids) and "finding" not in report.stages


def test_workers_fork_without_the_language_model_the_import_before_loaded(library):
    """Each forked worker counts every page it inherits: py3langid's model (≈ 90 MB), loaded by
    an import for the texts CLD2 is unsure of, is let go of first."""
    from desktop.core import language

    language.detect_language("По сведениям Всемирной продовольственной и сельскохозяйственной организации ООН")
    assert language._identifier.cache_info().currsize == 1
    ids = [add_article(library.db, (SEEDS / name).read_text()) for name in SEED_NAMES]
    queue.enqueue(library.db, ids)
    assert queue.run_queue(library, workers=1, batch_size=2, start_method="fork").documents == len(ids)
    assert language._identifier.cache_info().currsize == 0


def test_a_run_limited_to_some_articles_leaves_the_others_queued(library):
    ids = _articles(library, 4)
    queue.enqueue(library.db, ids)
    step = find_waiting_entities(library, doc_ids=ids[2:], workers=0)
    assert (step.wanted, step.done, step.cancelled) == (2, 2, False)
    assert _extracted(library) == set(ids[2:]) and queue.waiting(library.db) == 2


def test_a_cancelled_workflow_says_so_and_keeps_the_rest_queued(library):
    ids = _articles(library, 3)
    queue.enqueue(library.db, ids)
    token = CancelToken()
    token.cancel()
    phases: list[str] = []
    step = find_waiting_entities(library, cancel=token, workers=0, progress=lambda s: phases.append(s.phase))
    assert step.cancelled and step.done == 0 and queue.waiting(library.db) == 3
    assert set(phases) == {FINDING_ENTITIES}


def test_unread_articles_are_queued_once(library):
    ids = _articles(library, 3)
    extract_entities(library, doc_ids=ids[:1])
    assert queue.enqueue_unread(library.db) == 2
    assert queue.enqueue_unread(library.db) == 0


def test_workers_use_every_core_when_it_pays_and_leave_one_to_a_window(monkeypatch):
    monkeypatch.setattr(queue, "usable_cores", lambda: 4)
    assert queue.worker_count(articles=10_000) == 4
    assert queue.worker_count(articles=10_000, keep_free=1) == 3
    assert queue.worker_count(articles=10) == 0
    monkeypatch.setattr(queue, "usable_cores", lambda: 1)
    assert queue.worker_count(articles=10_000) == 0
    assert queue.worker_count(articles=10_000, keep_free=1) == 1


def test_the_queue_reads_a_russian_article_with_the_russian_model(library):
    """An import's entities come from the queue: a Russian article gets Russian names in the
    nominative, not the English model's guesses."""
    doc_id = add_article(library.db, "Генерал Борис Громов встретился в Москве с журналистами.\n\n"
                                     "По словам Бориса Громова, встреча прошла успешно.", language="ru")
    queue.enqueue(library.db, [doc_id])
    queue.run_queue(library, workers=0)
    found = {(row["label"], row["text"], row["name"]) for row in document_entities(library.db, doc_id)}
    assert ("PERSON", "Бориса Громова", "Борис Громов") in found


def test_the_models_are_sent_no_more_of_an_article_than_they_read_and_mentions_stay_in_place(
        library, monkeypatch):
    """A 19 MB article was sent whole to a worker (pickled, and held there twice) though the
    models read only its first ``MAX_CHARS`` characters."""
    from desktop.core.entities import pipeline

    monkeypatch.setattr(pipeline, "MAX_CHARS", 2_000)
    monkeypatch.setattr(queue, "MAX_CHARS", 2_000)
    text = "Andrei Denisov visited Harbin on Tuesday.\n\n" * 200
    doc_id = add_article(library.db, text)
    sent: list[int] = []
    real = queue.find_entities

    def find(batch, model=None):
        sent.extend(len(text) for text, _ in batch)
        return real(batch, model)

    monkeypatch.setattr(queue, "find_entities", find)
    queue.enqueue(library.db, [doc_id])
    queue.run_queue(library, workers=0)
    assert sent == [2_000]
    found = [(e["start"], e["end"]) for e in document_entities(library.db, doc_id) if e["text"] == "Harbin"]
    assert found and all(text[start:end] == "Harbin" for start, end in found) and max(found)[0] < 2_000
