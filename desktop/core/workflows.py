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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .entities import ExtractionReport, extract_entities
from .errors import Cancelled
from .ingest import ImportReport, import_paths, resume_import
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
) -> ImportOutcome:
    """Import the files and folders ``paths`` into ``library``, then find the entities of the new
    and updated articles.

    A changed file updates the article stored from it in place (its highlights
    re-anchored, its tags and notes kept), unless ``as_new`` keeps both.

    With ``resume_run``, ``paths`` are ignored and the interrupted import run of
    that id reads the files it had not reached (``ingest.resume_import``).

    Phases: ``READING`` (unit "files", every file named or found in a folder),
    then, with ``extract`` and when articles were imported, ``FINDING_ENTITIES``
    (unit "articles", the articles this run imported or updated). Imported batches and
    entity batches are committed as they finish; a cancel during reading skips
    the entity step. ``on_imported(report)`` is called between the two phases
    (the window shows the import's report while entities are still being found).
    """
    report_progress = progress or no_progress
    reading = PhaseProgress(report_progress, READING, "files")
    if resume_run is not None:
        report = resume_import(library, resume_run, progress=reading, cancel=cancel, as_new=as_new)
    else:
        report = import_paths(library, paths, progress=reading, cancel=cancel, as_new=as_new)
    if on_imported is not None:
        on_imported(report)
    outcome = ImportOutcome(imported=report, entities=Extraction())
    if report.cancelled:
        outcome.cancelled_phase = READING
    elif extract and report.changed_ids:
        if not _extract(library, report.changed_ids, outcome.entities, progress=report_progress, cancel=cancel):
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
        if not _extract(library, changed, outcome.entities, progress=report_progress, cancel=cancel):
            outcome.cancelled_phase = FINDING_ENTITIES
    return outcome


def _extract(
    library: Library, doc_ids: list[int], step: Extraction, *,
    progress: ProgressCallback, cancel: CancelToken | None,
) -> bool:
    """Find the entities of ``doc_ids``, filling ``step``; False when cancelled (finished batches are kept)."""
    phase = PhaseProgress(progress, FINDING_ENTITIES, "articles")
    step.wanted = len(doc_ids)
    try:
        phase(Progress(0, len(doc_ids), "Loading the entity model"))
        step.report = extract_entities(library, doc_ids=doc_ids, progress=phase, cancel=cancel)
    except Cancelled:
        return False
    finally:
        step.done = phase.done
    return True
