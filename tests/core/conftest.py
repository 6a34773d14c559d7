"""Fixtures for core tests: the open library's database, the sample articles stored in it, and
folders and parser processes that tests set up and leave behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core.helpers import add_seeds


@pytest.fixture
def db(library):
    """The empty library's database (a module whose tests need articles from the start defines
    its own ``db``)."""
    return library.db


@pytest.fixture
def seeds(db) -> list[int]:
    """The ids of the five sample articles stored in ``db``."""
    return add_seeds(db)


@pytest.fixture
def source(tmp_path) -> Path:
    """A folder of files to import, apart from the library file."""
    folder = tmp_path / "source"
    folder.mkdir()
    return folder


@pytest.fixture
def no_worker_left():
    """The isolated parser process is stopped after the test (modules that start one use it)."""
    from desktop.core.isolation import stop_worker

    yield
    stop_worker()
