"""The sample corpus a new user sees: the seed articles imported into a new default library."""

from __future__ import annotations

from .ingest import ImportReport, import_paths
from .library import Library
from .paths import seeds_dir


def ensure_sample_corpus(library: Library) -> ImportReport | None:
    """Import the bundled seed articles into an empty library; None when it already has articles."""
    seeds = seeds_dir()
    if seeds is None or library.document_count() > 0:
        return None
    return import_paths(library, [seeds])
