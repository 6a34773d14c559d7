"""Workflows that chain long core jobs: "import (updating changed files), then find entities" and
"re-import, re-anchor, re-extract".

Each workflow is a plain function of the shape of every long job (``progress``
and ``cancel`` keywords, see ``jobs``), used alike by the command line and by a
worker of the window. Its steps report through the one ``progress`` callback;
every ``Progress`` names its ``phase`` (``READING``, ``REIMPORTING``,
``FINDING_ENTITIES``) and ``unit``, and counts ``done`` / ``total`` within that
phase. A workflow never raises ``Cancelled``: when ``cancel`` is set it stops
after the batch it is on, keeps everything committed and says in its outcome in
which phase it stopped.

Entities are found through the extraction queue (``entities.extraction_queue``):
an import queues its new and updated articles in one transaction once they are
committed, then reads the whole queue (``background=False``), or leaves that to
the window's background extraction (``background=True``). A stopped or killed
run leaves its articles queued; ``find_waiting_entities`` (``dossier extract``,
a window opening the library, the next import) goes on from there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .entities import ExtractionReport
from .entities.extraction_queue import enqueue, enqueue_run, run_queue, unclaimed
from .errors import Cancelled
from .import_report import ImportReport
from .ingest import import_paths, resume_import
from .jobs import CancelToken, PhaseProgress, Progress, ProgressCallback, no_progress
from .library import Library
from .reimport import ReimportReport, reimport_documents

READING = "reading"
REIMPORTING = "re-importing"
FINDING_ENTITIES = "finding entities"


@dataclass
class Extraction:
    """The entity step of a workflow: how many articles it was to read, in how many their
    entities are stored (``done``: whole batches), and the extraction's report when it finished."""

    wanted: int = 0
    done: int = 0
    report: ExtractionReport | None = None
    cancelled: bool = False


@dataclass
class ImportOutcome:
    """What ``import_and_extract`` did: the import's report, then the entity step's."""

    imported: ImportReport
    entities: Extraction
    cancelled_phase: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_phase is not None


@dataclass
class ReimportOutcome:
    """What ``reimport_and_extract`` did: the re-import's report (None when cancelled during it), then entities."""

    reimported: ReimportReport | None
    entities: Extraction
    cancelled_phase: str | None = None

    @property
    def cancelled(self) -> bool:
        return self.cancelled_phase is not None


def import_and_extract(
    library: Library,
    paths: Sequence[Path | str],
    *,
    extract: bool = True,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    on_imported: Callable[[ImportReport], None] | None = None,
    resume_run: int | None = None,
    as_new: bool = False,
    background: bool = False,
    workers: int | None = None,
) -> ImportOutcome:
    """Import the files and folders ``paths`` into ``library``, then find the entities of the new
    and updated articles and of any others still waiting for them.

    A changed file updates the article stored from it in place (its highlights
    re-anchored, its tags and notes kept), unless ``as_new`` keeps both.

    With ``resume_run``, ``paths`` are ignored and the interrupted import run of
    that id reads the files it had not reached (``ingest.resume_import``).

    Phases: ``READING`` (unit "files", every file named or found in a folder),
    then, with ``extract`` and when articles wait in the extraction queue,
    ``FINDING_ENTITIES`` (unit "articles": the articles this run imported or
    updated and those an earlier stopped or killed run left waiting, so importing
    a folder again finishes its entities; ``workers`` as in ``run_queue``).
    Imported batches and entity batches are committed as they finish. With
    ``extract`` the run's articles are queued for extraction even when the run is
    cancelled; a cancel during reading, or ``background`` (the window, whose
    background extraction reads the queue), skips the entity step (they wait in
    the queue). ``on_imported(report)`` is called
    between the two phases, once the articles are queued (the window and the command line show the import's
    report while entities are still being found).
    """
    report_progress = progress or no_progress
    reading = PhaseProgress(report_progress, READING, "files")
    if resume_run is not None:
        report = resume_import(library, resume_run, progress=reading, cancel=cancel, as_new=as_new)
    else:
        report = import_paths(library, paths, progress=reading, cancel=cancel, as_new=as_new)
    if extract:
        enqueue(library.db, report.changed_ids)
        if resume_run is not None:
            enqueue_run(library.db, resume_run)
    if on_imported is not None:
        on_imported(report)
    outcome = ImportOutcome(imported=report, entities=Extraction())
    if report.cancelled:
        outcome.cancelled_phase = READING
    elif extract and not background and unclaimed(library.db):
        outcome.entities = find_waiting_entities(
            library, progress=report_progress, cancel=cancel, workers=workers)
        if outcome.entities.cancelled:
            outcome.cancelled_phase = FINDING_ENTITIES
    return outcome


def reimport_and_extract(
    library: Library,
    doc_ids: Sequence[int],
    *,
    extract: bool = True,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> ReimportOutcome:
    """Read again the files articles ``doc_ids`` came from, update their text, re-anchor their
    highlights, then find the entities of the articles whose text changed.

    Phases: ``REIMPORTING`` (unit "files"; every article of those files is
    updated in its own transaction and its highlights re-anchored, see
    ``reimport``), then, with ``extract`` and when a text changed,
    ``FINDING_ENTITIES`` (unit "articles").
    """
    report_progress = progress or no_progress
    outcome = ReimportOutcome(reimported=None, entities=Extraction())
    try:
        outcome.reimported = reimport_documents(
            library, doc_ids, progress=PhaseProgress(report_progress, REIMPORTING, "files"), cancel=cancel
        )
    except Cancelled:
        outcome.cancelled_phase = REIMPORTING
        return outcome
    changed = outcome.reimported.changed_ids
    if extract and changed:
        enqueue(library.db, changed)
        outcome.entities = find_waiting_entities(library, doc_ids=changed, progress=report_progress, cancel=cancel)
        if outcome.entities.cancelled:
            outcome.cancelled_phase = FINDING_ENTITIES
    return outcome


def find_waiting_entities(
    library: Library,
    *,
    doc_ids: Sequence[int] | None = None,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    workers: int | None = None,
    keep_free: int = 0,
    start_method: str | None = None,
) -> Extraction:
    """Find the entities of the articles waiting in the extraction queue (only ``doc_ids`` when
    given), in phase ``FINDING_ENTITIES`` (unit "articles"); each progress step names the
    articles just stored (``Progress.ids``). ``workers``, ``keep_free`` and ``start_method``
    as in ``run_queue``.

    Never raises ``Cancelled``: a cancelled run says so in its outcome (``cancelled``,
    ``done`` counting the articles stored); the rest stay queued.
    """
    phase = PhaseProgress(progress or no_progress, FINDING_ENTITIES, "articles")
    step = Extraction(wanted=unclaimed(library.db, doc_ids))
    try:
        phase(Progress(0, step.wanted, "Loading the entity model"))
        step.report = run_queue(library, doc_ids=doc_ids, progress=phase, cancel=cancel, workers=workers,
                                keep_free=keep_free, start_method=start_method)
    except Cancelled:
        step.cancelled = True
    finally:
        step.done = phase.done
    return step
