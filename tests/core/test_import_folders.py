"""Folders an import walks: linked folders are followed once, unreadable ones are reported."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.core.ingest import import_paths
from desktop.core.scan import scan_paths
from tests.core.helpers import linked_and_locked

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links to folders are POSIX")


@pytest.fixture
def top(tmp_path) -> Path:
    """``top/a.txt``, ``top/linked`` → a folder of two articles elsewhere, ``top/locked/b.txt``."""
    return linked_and_locked(tmp_path)


@pytest.fixture
def locked(top, monkeypatch) -> Path:
    """``top/locked`` cannot be listed (root lists any folder: refuse this one)."""
    folder = top / "locked"
    real_scandir = os.scandir

    def scandir(path=".", *args, **kwargs):
        if os.fspath(path).rstrip(os.sep) == str(folder):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    return folder


def test_an_unreadable_folder_is_reported_as_a_failure_while_the_rest_import(library, top, locked):
    report = import_paths(library, [top])
    assert len(report.imported) == 3
    assert report.failed == [(str(locked) + os.sep, "folder cannot be read: permission denied")]
    recorded = library.db.conn.execute(
        "SELECT path, reason FROM imports WHERE run_id = ? AND status = 'failed'", [report.run_id]
    ).fetchall()
    assert recorded == [(str(locked) + os.sep, "folder cannot be read: permission denied")]


def test_the_files_of_a_linked_folder_are_imported_under_the_link(library, top):
    report = import_paths(library, [top])
    assert report.failed == []
    paths = {row[0] for row in library.db.conn.execute("SELECT path FROM documents")}
    assert {str(top / "linked" / "c.txt"), str(top / "linked" / "d.txt")} <= paths
    assert len(report.imported) == 4


def test_a_folder_linked_twice_or_back_up_is_walked_once_without_failures(library, top, tmp_path):
    (top / "again").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (top / "locked" / "up").symlink_to(top, target_is_directory=True)
    (top / "root").symlink_to("/", target_is_directory=True)
    report = import_paths(library, [top])
    assert (len(report.imported), report.duplicates, report.failed) == (4, [], [])


def test_a_link_to_a_folder_that_is_gone_is_reported(library, top, tmp_path):
    (top / "gone").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    report = import_paths(library, [top])
    why = f"a link to something that is not there: {tmp_path / 'nowhere'}"
    assert report.failed == [(str(top / "gone"), why)]


def test_a_scan_counts_the_files_of_a_linked_folder_and_names_the_unreadable_one(library, top, locked):
    summary = scan_paths(library.db, [top])
    assert summary.by_type == {".txt": 3}
    assert summary.unreadable_folders == [locked]
    assert summary.unsupported == [] and summary.missing == []
