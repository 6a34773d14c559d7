"""spaCy in the bundle: the modules and data the English pipeline loads at run time.

Replaces the generic hook (every submodule and data file) so that spaCy's test suite, its
Cython sources and the language packages other than English stay out of the bundle. The few
languages spaCy's own modules import (its registry imports ja, ko, th, vi and zh when it is
populated) are still found by PyInstaller's analysis and bundled, as they must be.
"""

from __future__ import annotations

from pathlib import Path

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, get_package_paths

KEPT_LANGUAGES = {"en"}
_, SPACY_DIR = get_package_paths("spacy")
OTHER_LANGUAGES = {
    path.name
    for path in (Path(SPACY_DIR) / "lang").iterdir()
    if (path / "__init__.py").is_file() and path.name not in KEPT_LANGUAGES
}


def is_wanted(module: str) -> bool:
    """Whether a spaCy submodule belongs in the bundle."""
    parts = module.split(".")
    return "tests" not in parts and not (parts[1:2] == ["lang"] and parts[2:3] and parts[2] in OTHER_LANGUAGES)


hiddenimports = collect_submodules("spacy", filter=is_wanted)
datas = collect_data_files(
    "spacy",
    excludes=["tests", "**/*.pyx", "**/*.pxd", *(f"lang/{language}" for language in OTHER_LANGUAGES)],
)
