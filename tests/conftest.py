"""Fixtures shared by every test: a hermetic DOSSIER_HOME and a migrated template library."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# Window tests run offscreen on a 1920×1080 screen (Qt's offscreen default is 800×800).
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={REPO / 'tests' / 'data' / 'screen-1920x1080.json'}")
# Commits wait for the disk in the app (PRAGMA synchronous = FULL); the tests, which commit tens of
# thousands of times and never cut the power, do not.
os.environ.setdefault("DOSSIER_SYNCHRONOUS", "NORMAL")
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"


@pytest.fixture(autouse=True)
def dossier_home(tmp_path_factory, monkeypatch) -> Path:
    """Every test writes under its own temporary DOSSIER_HOME, never the user's data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DOSSIER_HOME", str(home))
    monkeypatch.delenv("DOSSIER_LIBRARY", raising=False)
    return home


@pytest.fixture(scope="session")
def _template_library(tmp_path_factory) -> Path:
    from desktop.core.library import open_library

    path = tmp_path_factory.mktemp("template") / "library.sqlite"
    open_library(path).close()
    return path


@pytest.fixture
def library_path(tmp_path, _template_library) -> Path:
    """A fresh, migrated, empty library file copied from a template."""
    path = tmp_path / "library.sqlite"
    shutil.copy(_template_library, path)
    return path


@pytest.fixture
def library(library_path):
    """An open, empty library; closed after the test."""
    from desktop.core.library import open_library

    lib = open_library(library_path)
    yield lib
    lib.close()
