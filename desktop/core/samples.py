"""The sample corpus a new user sees: the seed articles imported into a new default library."""

from __future__ import annotations

from .entities import extract_entities
from .ingest import ImportReport, import_paths
from .library import Library
from .paths import seeds_dir


def ensure_sample_corpus(library: Library) -> ImportReport | None:
    """Import the bundled seed articles, with their entities, into an empty library.

    Returns None when the library already has articles or no seeds are bundled.
    """
    seeds = seeds_dir()
    if seeds is None or library.document_count() > 0:
        return None
    report = import_paths(library, [seeds])
    if report.imported:
        extract_entities(library, doc_ids=report.imported)
    return report
