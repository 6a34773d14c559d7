"""Workflows: "import, then find entities" and "re-import, re-anchor, re-extract", their phases and cancelling."""

from __future__ import annotations

from pathlib import Path

from desktop.core.annotations import create_annotation, document_annotations
from desktop.core.documents import get_document
from desktop.core.entities import document_entities
from desktop.core.entities.extraction_queue import waiting
from desktop.core.jobs import CancelToken, Progress
from desktop.core.workflows import (
    FINDING_ENTITIES,
    READING,
    REIMPORTING,
    import_and_extract,
    reimport_and_extract,
)
from tests.conftest import SEEDS
from tests.core.helpers import span

LAB = "Joint lab opens\n\nVladimir Putin and Xi Jinping opened a joint laboratory in Harbin on Monday."
LAB_CHANGED = ("Joint lab opens\n\nAfter months of talks, Vladimir Putin and Xi Jinping opened a joint "
               "laboratory in Harbin on Monday.")


def _phases(steps: list[Progress]) -> list[tuple[str, str]]:
    """The (phase, unit) of the steps, each run of equal ones once, in order."""
    runs: list[tuple[str, str]] = []
    for step in steps:
        if not runs or runs[-1] != (step.phase, step.unit):
            runs.append((step.phase, step.unit))
    return runs


def _mention_count(library) -> int:
    return library.db.execute("SELECT count(*) FROM mentions").fetchone()[0]


def test_import_and_extract_imports_then_finds_entities_reporting_both_phases(library):
    steps: list[Progress] = []
    outcome = import_and_extract(library, [SEEDS], progress=steps.append)
    assert len(outcome.imported.imported) == 5 and not outcome.cancelled
    assert _phases(steps) == [(READING, "files"), (FINDING_ENTITIES, "articles")]
    last_read = [s for s in steps if s.phase == READING][-1]
    assert (last_read.done, last_read.total) == (5, 5)
    assert (outcome.entities.done, outcome.entities.wanted) == (5, 5)
    assert outcome.entities.report is not None and outcome.entities.report.documents == 5
    assert all(document_entities(library.db, doc_id) for doc_id in outcome.imported.imported)


def test_import_without_extract_stores_no_entities(library):
    steps: list[Progress] = []
    outcome = import_and_extract(library, [SEEDS], extract=False, progress=steps.append)
    assert len(outcome.imported.imported) == 5
    assert _phases(steps) == [(READING, "files")]
    assert outcome.entities.report is None and _mention_count(library) == 0


def test_nothing_new_imported_skips_the_entity_phase(library):
    import_and_extract(library, [SEEDS], extract=False)
    steps: list[Progress] = []
    outcome = import_and_extract(library, [SEEDS], progress=steps.append)
    assert len(outcome.imported.unchanged) == 5
    assert _phases(steps) == [(READING, "files")]


def test_cancel_while_reading_keeps_what_was_read_and_skips_entities(library):
    cancel = CancelToken()

    def progress(step: Progress) -> None:
        if step.phase == READING and step.done == 2:
            cancel.cancel()

    outcome = import_and_extract(library, [SEEDS], progress=progress, cancel=cancel)
    assert outcome.cancelled_phase == READING
    assert len(outcome.imported.imported) == 2 == library.document_count()
    assert outcome.entities.report is None and _mention_count(library) == 0


def test_cancel_while_finding_entities_keeps_the_import_and_says_how_far_it_came(library):
    cancel = CancelToken()

    def progress(step: Progress) -> None:
        if step.phase == FINDING_ENTITIES:
            cancel.cancel()

    outcome = import_and_extract(library, [SEEDS], progress=progress, cancel=cancel)
    assert outcome.cancelled_phase == FINDING_ENTITIES
    assert library.document_count() == 5
    assert (outcome.entities.done, outcome.entities.wanted) == (0, 5)
    assert outcome.entities.report is None


def _stopped_while_finding_entities(library) -> None:
    """The seeds imported by a run stopped as it began finding entities: all five wait in the queue."""
    cancel = CancelToken()

    def progress(step: Progress) -> None:
        if step.phase == FINDING_ENTITIES:
            cancel.cancel()

    assert import_and_extract(library, [SEEDS], progress=progress, cancel=cancel).cancelled
    assert waiting(library.db) == 5 and _mention_count(library) == 0


def test_importing_again_after_a_stop_while_finding_entities_finds_the_articles_left_waiting(library):
    _stopped_while_finding_entities(library)
    steps: list[Progress] = []
    outcome = import_and_extract(library, [SEEDS], progress=steps.append)
    assert len(outcome.imported.unchanged) == 5 and not outcome.cancelled
    assert _phases(steps) == [(READING, "files"), (FINDING_ENTITIES, "articles")]
    assert (outcome.entities.done, outcome.entities.wanted) == (5, 5)
    assert waiting(library.db) == 0
    doc_ids = [row[0] for row in library.db.execute("SELECT id FROM documents")]
    assert len(doc_ids) == 5 and all(document_entities(library.db, doc_id) for doc_id in doc_ids)


def test_an_import_for_the_window_leaves_the_articles_waiting_to_its_background_extraction(library, tmp_path):
    _stopped_while_finding_entities(library)
    path = tmp_path / "lab.txt"
    path.write_text(LAB, encoding="utf-8")
    steps: list[Progress] = []
    outcome = import_and_extract(library, [path], progress=steps.append, background=True)
    assert _phases(steps) == [(READING, "files")] and outcome.entities.report is None
    assert waiting(library.db) == 6 and _mention_count(library) == 0


def _imported_lab(library, tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "lab.txt"
    path.write_text(LAB, encoding="utf-8")
    (doc_id,) = import_and_extract(library, [path]).imported.imported
    return path, doc_id


def test_reimport_and_extract_moves_highlights_and_finds_entities_in_the_new_text(library, tmp_path):
    path, doc_id = _imported_lab(library, tmp_path)
    start, end = span(library.db, doc_id, "joint laboratory")
    create_annotation(library.db, doc_id, start, end, note="the lab")
    path.write_text(LAB_CHANGED, encoding="utf-8")
    steps: list[Progress] = []
    outcome = reimport_and_extract(library, [doc_id], progress=steps.append)
    assert not outcome.cancelled and outcome.reimported.changed_ids == [doc_id]
    assert _phases(steps) == [(REIMPORTING, "files"), (FINDING_ENTITIES, "articles")]
    text = get_document(library.db, doc_id).text
    assert "After months of talks" in text
    (annotation,) = document_annotations(library.db, doc_id)
    assert text[annotation["start"]:annotation["end"]] == "joint laboratory"
    putin = next(e for e in document_entities(library.db, doc_id) if e["text"] == "Vladimir Putin")
    assert text[putin["start"]:putin["end"]] == "Vladimir Putin"


def test_reimport_of_an_unchanged_file_finds_no_entities_again(library, tmp_path):
    _, doc_id = _imported_lab(library, tmp_path)
    steps: list[Progress] = []
    outcome = reimport_and_extract(library, [doc_id], progress=steps.append)
    assert outcome.reimported.unchanged == [doc_id]
    assert _phases(steps) == [(REIMPORTING, "files")]


def test_a_cancelled_reimport_is_reported_not_raised(library, tmp_path):
    path, doc_id = _imported_lab(library, tmp_path)
    path.write_text(LAB_CHANGED, encoding="utf-8")
    cancel = CancelToken()
    cancel.cancel()
    outcome = reimport_and_extract(library, [doc_id], cancel=cancel)
    assert outcome.cancelled_phase == REIMPORTING and outcome.reimported is None
