"""The sample corpus a new user sees: the seed articles imported into a new default library."""

from __future__ import annotations

from .import_report import ImportReport
from .library import Library
from .paths import seeds_dir
from .workflows import import_and_extract


def ensure_sample_corpus(library: Library) -> ImportReport | None:
    """Import the bundled seed articles, with their entities, into an empty library.

    Returns None when the library already has articles or no seeds are bundled.
    """
    seeds = seeds_dir()
    if seeds is None or library.document_count() > 0:
        return None
    return import_and_extract(library, [seeds]).imported
