"""`dossier adapt-model`: adapts the library's entity model to its corrections, shows it, resets it."""

from __future__ import annotations

import json

from tests.cli.helpers import run
from tests.core.test_entities_adapt import corrected_library_file


def test_adapt_model_saves_a_version_that_status_shows_and_reset_undoes(library_path):
    lib = str(corrected_library_file(library_path))
    made = json.loads(run("--library", lib, "adapt-model", "--json").stdout)
    assert made["version"] == "adapted-001" and made["corrected_articles"] == 3
    assert made["reextracted"] == 1
    shown = run("--library", lib, "adapt-model", "--status").stdout
    assert shown.startswith("model: adapted-001 (from ") and ", 3 corrected articles, " in shown
    status = json.loads(run("--library", lib, "adapt-model", "--status", "--json").stdout)
    assert status["adapted"]["version"] == "adapted-001"
    assert status["model"].endswith("adapted-001")
    shown = run("--library", lib, "adapt-model", "--reset").stdout
    assert shown == "The packaged entity model is used again; 1 article read again\n"
    status = json.loads(run("--library", lib, "adapt-model", "--status", "--json").stdout)
    assert status["adapted"] is None and status["corrected_articles"] == 3


def test_adapt_model_without_corrections_fails_with_one_line(library_path):
    result = run("--library", str(library_path), "adapt-model", check=1)
    assert "0 English articles corrected" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
