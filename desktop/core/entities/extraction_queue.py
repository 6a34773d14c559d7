"""The queue of articles waiting for entity extraction, and the driver that works it off.

An import puts its new and updated articles in ``extraction_queue`` (``enqueue``)
and commits; extraction follows, batch by batch, in the same process or in the
background. ``run_queue`` claims a batch (the claim names this process and a
token, so another process working the same queue takes other articles), finds
its entities — in this process, or in a pool of worker processes that each load
the model once — and stores them in one transaction that also takes the batch off
the queue. So a cancel, a closed window or a killed process loses at most the
batches in flight, and an article's entities are stored exactly once: a batch
whose claim was lost (the article was removed, or queued again because its text
changed) is not stored.

Each worker process reads its batch with ``languages.extract_articles`` (the same
call, with the same batch of articles as one voting corpus, as
``store.extract_entities``), so the entities do not depend on how many
processes found them. The calling process only stores; it never loads the model
when it has workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sqlite3
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool

from sqlite_utils import Database

from ..errors import Cancelled
from ..import_history import process_lives
from ..jobs import (CancelToken, Progress, ProgressCallback, no_progress, return_free_memory,
                    start_worker_process, worker_start_method)
from ..language import release_model
from ..facet_store import keep_saved
from ..busy import is_busy, retry_when_busy
from ..library import Library, now_iso
from .languages import Extraction, extract_articles
from .name_links import link_names
from .pipeline import MAX_CHARS, load_pipeline, loaded_pipelines, model_setting, unload_pipelines
from .rules import load_rules
from .upgrade import mark_outdated
from .store import DEFAULT_BATCH, EntityResolver, ExtractionReport, adapted_model, load_batch, store_batch

_ACTIVE_TOKENS: set[str] = set()  # the claims of the runs going on in this process

IN_FLIGHT_PER_WORKER = 2
"""Batches handed to each worker ahead of the one it reads, so it never waits for the writer."""
STORING_CACHE_KIB = 8_192
"""The page cache of the connection storing what workers find, while they run (its usual cache
is 32 MB): storing waits for the workers most of the time, and a run of 100,000 articles holds
little memory besides the workers' models."""

_Row = tuple[int, str, str | None, str | None]  # id, text, published, language
Found = list[Extraction]
"""What a batch's extraction returns: each article's spans and the model (of its language) that found them."""


def enqueue(db: Database, doc_ids: Iterable[int]) -> int:
    """Put articles ``doc_ids`` in the queue (one transaction); returns how many.

    An article already queued stays queued but loses its claim, so a process
    reading its old text does not store what it found.
    """
    stamp = now_iso()
    rows = [(int(doc_id), stamp) for doc_id in doc_ids]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO extraction_queue (document_id, queued_at) "
            "SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?1) "
            "ON CONFLICT (document_id) DO UPDATE SET queued_at = excluded.queued_at, "
            "claimed_pid = NULL, claimed_by = NULL",
            rows,
        )
    return len(rows)


def enqueue_unread(db: Database) -> int:
    """Queue every article the model has not read yet (imported without entities, or by an
    import that was stopped before its entities); returns how many were added."""
    with db.atomic():
        return db.conn.execute(
            "INSERT OR IGNORE INTO extraction_queue (document_id, queued_at) "
            "SELECT id, ? FROM documents WHERE id NOT IN (SELECT document_id FROM entity_extractions)",
            [now_iso()],
        ).rowcount


def enqueue_outdated(db: Database) -> int:
    """Queue the articles whose entities were found under older rules than this version's
    (``upgrade.mark_outdated``): an upgraded library reads them again in the background,
    corrections kept; returns how many were queued."""
    ids = mark_outdated(db)
    return enqueue(db, ids) if ids else 0


def enqueue_run(db: Database, run_id: int) -> int:
    """Queue the articles import run ``run_id`` imported or updated whose entities were not found
    since (a run resumed after a kill); returns how many were added."""
    with db.atomic():
        return db.conn.execute(
            "INSERT OR IGNORE INTO extraction_queue (document_id, queued_at) "
            "SELECT i.document_id, ? FROM imports AS i "
            "LEFT JOIN entity_extractions AS e ON e.document_id = i.document_id "
            "WHERE i.run_id = ? AND i.status IN ('imported', 'updated') AND i.document_id IS NOT NULL "
            "AND (e.document_id IS NULL OR e.extracted_at < i.at)",
            [now_iso(), run_id],
        ).rowcount


def waiting(db: Database) -> int:
    """How many articles wait in the queue (claimed by a running process or not)."""
    return db.conn.execute("SELECT count(*) FROM extraction_queue").fetchone()[0]


def _dead_claims(db: Database) -> list[str]:
    """The claims of processes that are gone (killed mid-way), and this process's claims of
    runs that ended without giving them back."""
    mine, keep = os.getpid(), set(_ACTIVE_TOKENS)
    claims = db.conn.execute(
        "SELECT DISTINCT claimed_pid, claimed_by FROM extraction_queue WHERE claimed_by IS NOT NULL"
    ).fetchall()
    return [token for pid, token in claims
            if (pid == mine and token not in keep) or (pid != mine and not process_lives(pid))]


def release_dead_claims(db: Database) -> int:
    """Free the claims of ``_dead_claims``; returns how many articles were freed."""
    dead = _dead_claims(db)
    if not dead:
        return 0
    with db.atomic():
        return sum(
            db.conn.execute(
                "UPDATE extraction_queue SET claimed_pid = NULL, claimed_by = NULL WHERE claimed_by = ?",
                [token],
            ).rowcount
            for token in dead
        )


def unclaimed(db: Database, within: Sequence[int] | None = None) -> int:
    """How many queued articles (only among ``within`` when given) no running process holds."""
    dead = _dead_claims(db)
    sql = (f"SELECT {'count(*)' if within is None else 'document_id'} FROM extraction_queue "
           f"WHERE claimed_by IS NULL OR claimed_by IN ({','.join('?' * len(dead))})")
    if within is None:
        return db.conn.execute(sql, dead).fetchone()[0]
    wanted = set(within)
    return sum(1 for (doc_id,) in db.conn.execute(sql, dead) if doc_id in wanted)


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def worker_count(*, articles: int, keep_free: int = 0, batch_size: int = DEFAULT_BATCH) -> int:
    """How many worker processes pay for ``articles``: one per usable core less ``keep_free``,
    none (read in this process) when that leaves one core or the work is a batch or two.

    With ``keep_free`` (a window is open) the answer is at least one worker, so the
    model never runs in the window's process.
    """
    cores = max(usable_cores() - keep_free, 1)
    if keep_free:
        return cores
    if cores < 2 or articles <= 2 * batch_size:
        return 0
    return cores


class _Claims:
    """Claims batches of queued articles for one run: any unclaimed ones in queue order, or
    only those of ``within`` (in its order)."""

    def __init__(self, db: Database, within: Sequence[int] | None, cancel: CancelToken | None = None) -> None:
        self.db = db
        self.cancel = cancel  # stops the tries of a claim while another program holds the library
        self.token = uuid.uuid4().hex
        self.pid = os.getpid()
        _ACTIVE_TOKENS.add(self.token)
        self._within = deque(sorted(set(within))) if within is not None else None

    def next(self, size: int) -> list[int]:
        """Claim up to ``size`` articles; empty when none is left for this run."""
        while True:
            if self._within is None:
                sql, params = ("SELECT document_id FROM extraction_queue WHERE claimed_by IS NULL "
                               "ORDER BY document_id LIMIT ?", [size])
            elif self._within:
                chunk = [self._within.popleft() for _ in range(min(size, len(self._within)))]
                sql = (f"SELECT document_id FROM extraction_queue WHERE claimed_by IS NULL "
                       f"AND document_id IN ({','.join('?' * len(chunk))}) ORDER BY document_id")
                params = chunk
            else:
                return []
            ids = retry_when_busy(lambda: self._claim(sql, params), cancel=self.cancel)
            if ids or self._within is None:
                return ids

    def _claim(self, sql: str, params: list) -> list[int]:
        with self.db.atomic():
            ids = [r[0] for r in self.db.conn.execute(sql, params)]
            self.db.conn.executemany(
                "UPDATE extraction_queue SET claimed_pid = ?, claimed_by = ? WHERE document_id = ?",
                [(self.pid, self.token, doc_id) for doc_id in ids],
            )
        return ids

    def release(self) -> None:
        """Give back every article this run claimed and did not store; the run is over. When
        another program holds the library past the busy timeout, the claims stay and the next
        run gives them back (``release_dead_claims``: this run's token is no longer active)."""
        _ACTIVE_TOKENS.discard(self.token)
        try:
            with self.db.atomic():
                self.db.conn.execute(
                    "UPDATE extraction_queue SET claimed_pid = NULL, claimed_by = NULL WHERE claimed_by = ?",
                    [self.token],
                )
        except sqlite3.OperationalError as err:
            if not is_busy(err):
                raise


def _store(db: Database, claims: _Claims, batch: list[_Row], found: Found, *,
           rules: list, resolver: EntityResolver) -> tuple[list[int], int]:
    """Store the entities of the batch's articles still claimed by ``claims`` and take them off
    the queue, in one transaction; returns the ids stored and the mentions written."""
    try:
        with db.atomic():
            kept = [
                (row, extraction) for row, extraction in zip(batch, found)
                if db.conn.execute(
                    "DELETE FROM extraction_queue WHERE document_id = ? AND claimed_by = ?", [row[0], claims.token]
                ).rowcount
            ]
            written = store_batch(db, [row for row, _ in kept], [e for _, e in kept], rules=rules,
                                  resolver=resolver)
    except BaseException:
        resolver.forget()
        raise
    return [row[0] for row, _ in kept], written


# --- reading batches --------------------------------------------------------------------------

_WORKER_MODEL: str | None = None


def _start_worker(model: str) -> None:
    """A worker process remembers the model to read with (``jobs.start_worker_process``: it
    leaves Ctrl+C to the process that started it, and ends when that process is killed)."""
    global _WORKER_MODEL
    start_worker_process()
    _WORKER_MODEL = model


def find_entities(articles: list[tuple[str, str | None]], model: str | None = None) -> Found:
    """The entities of one batch of (text, language) articles, each read by its language's
    model (the English ones as one voting corpus), with the model's version.

    A worker process loads the model at its first batch (a model that fails to load
    fails that batch, and so the run, instead of restarting the worker forever)."""
    found = extract_articles(articles, model=model or _WORKER_MODEL)
    if _WORKER_MODEL is not None:
        return_free_memory()  # a long text's arrays leave the worker no bigger than the next batch needs
    return found


class _Reader:
    """Finds the entities of batches: in this process, or in ``workers`` worker processes."""

    def __init__(self, *, workers: int, model: str, start_method: str | None, read_here: bool = False) -> None:
        self.model = model
        self.pool: Pool | None = None
        self.capacity = 1
        self.reads_here = read_here and workers > 0  # beside the workers (without, it reads anyway)
        if workers:
            method = start_method or worker_start_method()
            shared = method == "fork" and not loaded_pipelines()
            if shared:
                load_pipeline(model)  # loaded once, before the workers fork: they share it
            if method == "fork":  # each forked worker counts every page it inherits:
                release_model()  # py3langid's, if the import just before needed it (≈ 90 MB)
                return_free_memory()
                gc.freeze()  # the workers' collections then leave what they inherit alone, and so shared
            try:
                self.pool = multiprocessing.get_context(method).Pool(
                    workers, initializer=_start_worker, initargs=(model,))
            finally:
                if method == "fork":
                    gc.unfreeze()
            if shared and not self.reads_here:
                unload_pipelines()
                return_free_memory()  # the workers hold the model; this process never runs it
            self.capacity = workers * IN_FLIGHT_PER_WORKER

    def read(self, articles: list[tuple[str, str | None]]) -> Found:
        """The entities of one batch read in this process, while the workers read theirs; what
        the batch needed is given back as a worker gives it back."""
        found = find_entities(articles, self.model)
        return_free_memory()
        return found

    def submit(self, articles: list[tuple[str, str | None]]) -> AsyncResult | Found:
        if self.pool is None:
            return find_entities(articles, self.model)
        return self.pool.apply_async(find_entities, (articles,))

    def close(self, *, wait: bool) -> None:
        """Stop the workers: once they are idle (``wait``), else at once."""
        if self.pool is None:
            return
        if wait:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()


def _articles(batch: list[_Row]) -> list[tuple[str, str | None]]:
    """What the models read of a batch: (text, language) of each article, the text no further
    than ``MAX_CHARS`` (a worker is not sent the whole of a 19 MB article)."""
    return [(text[:MAX_CHARS], language) for _, text, _, language in batch]


def _result(pending: AsyncResult | Found, cancel: CancelToken | None) -> Found:
    if not isinstance(pending, AsyncResult):
        return pending
    while not pending.ready():
        if cancel is not None and cancel.cancelled:
            raise Cancelled("cancelled")
        pending.wait(0.1)
    return pending.get()


class _Stages:
    """Wall seconds of this process by stage of a run, for ``ExtractionReport.stages``."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, stage: str, began: float) -> float:
        """Count the time since ``began`` to ``stage``; returns now."""
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - began
        return now


@dataclass
class BatchStored:
    """One batch of the queue stored: its articles and how many mentions they got."""

    ids: list[int]
    mentions: int


def run_queue(
    library: Library,
    *,
    doc_ids: Sequence[int] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    keep_free: int = 0,
    batch_size: int = DEFAULT_BATCH,
    model: str | None = None,
    start_method: str | None = None,
    on_stored: Callable[[BatchStored], None] | None = None,
) -> ExtractionReport:
    """Find and store the entities of the queued articles (only those of ``doc_ids`` when given),
    one committed transaction per batch, until none is left unclaimed.

    ``workers`` worker processes read the batches (0: this process reads them; None:
    ``worker_count``, leaving ``keep_free`` cores to others, and without ``keep_free`` this
    process reads batches too whenever the next result is not ready, in place of one worker:
    a process fewer holding the model, and the same cores busy). Each stored batch is
    reported to ``progress`` (``Progress.ids`` names its articles) and ``on_stored``.
    Raises ``Cancelled`` when ``cancel`` is set: stored batches are kept, batches in
    flight are dropped and their articles stay queued for the next run. A run that stored
    articles ends by merging the names one entity has in other scripts (``link_names``, as
    ``store.extract_entities`` does; the report's ``names_linked`` holds the undoable step).
    """
    started = time.perf_counter()
    report_progress = progress or no_progress
    db = library.db
    release_dead_claims(db)
    total = unclaimed(db, doc_ids)
    package = model_setting(model or adapted_model(library))
    read_here = workers is None and not keep_free
    if workers is None:
        workers = worker_count(articles=total, keep_free=keep_free, batch_size=batch_size)
        if read_here and workers:
            workers -= 1  # this process reads in place of one worker
    report_progress(Progress(0, total, "Finding people, places and organisations"))
    rules = load_rules(db)
    resolver = EntityResolver(db)
    documents = mentions = 0
    versions: dict[str, None] = {}
    claims = _Claims(db, doc_ids, cancel)
    reader: _Reader | None = None
    cache: int | None = None  # the connection's page cache, while workers run
    in_flight: deque[tuple[list[_Row], AsyncResult | Found]] = deque()
    stages = _Stages()
    try:
        if total:
            clock = time.perf_counter()
            if workers:
                cache = db.conn.execute("PRAGMA cache_size").fetchone()[0]
                db.conn.execute(f"PRAGMA cache_size = -{STORING_CACHE_KIB}")
            return_free_memory(db.conn)  # what an import just before freed (≈ 90 MB after a 19 MB
            # article) goes back before workers fork or this process loads the model
            reader = _Reader(workers=workers, model=package, start_method=start_method, read_here=read_here)
            if reader.pool is not None:
                stages.add("starting workers", clock)
        while reader is not None:
            while len(in_flight) < reader.capacity:
                if cancel is not None:
                    cancel.raise_if_cancelled()
                clock = time.perf_counter()
                ids = claims.next(batch_size)
                if not ids:
                    break
                batch = load_batch(db, ids)
                clock = stages.add("reading", clock)
                in_flight.append((batch, reader.submit(_articles(batch))))
                stages.add("sending" if reader.pool is not None else "finding", clock)
            if not in_flight:
                break
            batch, pending = in_flight[0]
            clock = time.perf_counter()
            if reader.reads_here and not pending.ready() and (ids := claims.next(batch_size)):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                batch = load_batch(db, ids)
                found = reader.read(_articles(batch))
                clock = stages.add("finding", clock)
            else:
                found = _result(pending, cancel)
                clock = stages.add("waiting for workers", clock) if reader.pool is not None else clock
                in_flight.popleft()
            stored, written = retry_when_busy(  # another program holding the library only delays it
                lambda: _store(db, claims, batch, found, rules=rules, resolver=resolver), cancel=cancel)
            stages.add("storing", clock)
            versions.update(dict.fromkeys(extraction.model for extraction in found))
            documents += len(stored)
            mentions += written
            report_progress(Progress(documents, max(total, documents),
                                     f"Entities found in {documents} of {total} articles", ids=tuple(stored)))
            if on_stored is not None:
                on_stored(BatchStored(stored, written))
    finally:
        if reader is not None:
            reader.close(wait=not in_flight)
        if cache is not None:
            db.conn.execute(f"PRAGMA cache_size = {cache}")
        claims.release()
    linked = None
    if documents:
        linked = link_names(db)  # names of one entity in other scripts, as after every extraction
        keep_saved(db.conn)
    return ExtractionReport(documents=documents, mentions=mentions, model=", ".join(versions) or package,
                            seconds=time.perf_counter() - started, stages=stages.seconds,
                            names_linked=linked)
