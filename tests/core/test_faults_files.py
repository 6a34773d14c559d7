"""Endless and special files in an import folder: only regular files are read, each within its limit."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from desktop.core.errors import ImportFailed
from desktop.core.ingest import import_paths
from desktop.core.scan import scan_paths
from desktop.core.sniff import MB, read_bounded

pytestmark = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
QUICK_SECONDS = 30
T = TypeVar("T")


def _quickly(work: Callable[[], T]) -> T:
    """The result of ``work``, failing the test if it has not ended within ``QUICK_SECONDS``."""
    results: list[T] = []
    thread = threading.Thread(target=lambda: results.append(work()), daemon=True)
    thread.start()
    thread.join(QUICK_SECONDS)
    assert not thread.is_alive(), f"still running after {QUICK_SECONDS} s"
    return results[0]


@pytest.fixture
def hostile(tmp_path) -> Path:
    """Two good articles beside a FIFO, links to /dev/zero, a link loop, a dangling link and a folder
    linked into itself."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "good1.txt").write_text("Lab opens\n\nA joint laboratory opens in Tomsk.", encoding="utf-8")
    (folder / "good2.txt").write_text("Grant\n\nHarbin and Omsk share a research grant.", encoding="utf-8")
    os.mkfifo(folder / "x.txt")
    (folder / "y.txt").symlink_to("/dev/zero")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    (folder / "z.html").symlink_to("/dev/zero")
    (folder / "again").symlink_to(folder, target_is_directory=True)
    return folder


def test_special_files_are_reported_and_skipped_while_the_good_ones_import(library, hostile):
    report = _quickly(lambda: import_paths(library, [hostile]))
    assert len(report.imported) == 2
    reasons = {Path(path).name: reason for path, reason in report.failed}
    assert reasons["x.txt"] == "not a regular file (a named pipe)"
    assert reasons["y.txt"] == "not a regular file (a device)"
    assert reasons["z.html"] == "not a regular file (a device)"
    assert reasons["loop1.txt"] == reasons["loop2.txt"] == "a loop of symbolic links"
    assert reasons["gone.txt"] == f"a link to something that is not there: {hostile / 'nowhere.txt'}"


def test_a_scan_of_special_files_ends_without_reading_them(library, hostile):
    import_paths(library, [hostile / "good1.txt"])
    summary = _quickly(lambda: scan_paths(library.db, [hostile]))
    assert [path.name for path in summary.likely_unchanged] == ["good1.txt"]


def test_a_file_just_over_the_limit_says_a_size_above_the_limit(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(20 * MB + 51)
    with pytest.raises(ImportFailed, match="^file is 20.1 MB — larger than the 20 MB limit for a text file$"):
        read_bounded(big, limit_mb=20, expected="a text file")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(3 * MB)
    monkeypatch.setattr(os, "open", lambda *a, **k: pytest.fail("the file was opened"))
    with pytest.raises(ImportFailed, match="^file is 3 MB — larger than the 2 MB limit for a text file$"):
        read_bounded(big, limit_mb=2, expected="a text file")


class _RewrittenHalfway:
    """A file opened for reading that, half-way through its first read, is rewritten in place."""

    def __init__(self, fh, path: Path, newer: str | None) -> None:
        self.fh, self.path, self.newer = fh, path, newer

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()

    def fileno(self) -> int:
        return self.fh.fileno()

    def read(self, size: int = -1) -> bytes:
        if self.newer is None:
            return self.fh.read(size)
        first = self.fh.read(max(1, size // 2))
        self.path.write_text(self.newer, encoding="utf-8")  # truncated and written, as an editor saving
        self.newer = None
        return first + self.fh.read(size - len(first))


def test_a_file_rewritten_while_it_is_read_is_stored_as_one_version_and_updated_again(
    library, tmp_path, monkeypatch
):
    """One version of the file is stored, never its first half old and the rest new; importing
    the folder again stores the newer version as an update."""
    from desktop.core import sniff

    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / "lab.txt"
    older = "Joint lab opens\n\n" + "Scientists from Tomsk and Harbin opened a laboratory. " * 40
    newer = "Joint lab opens\n\n" + "Researchers in Kazan and Wuhan signed a telescope accord today. " * 60
    path.write_text(older, encoding="utf-8")
    rewrites = [newer]

    def opened(fd, mode):  # the import's read hook: the file it reads is rewritten once, mid-read
        return _RewrittenHalfway(open(fd, mode), path, rewrites.pop() if rewrites else None)

    monkeypatch.setattr(sniff, "open", opened, raising=False)
    report = import_paths(library, [folder])
    text = library.db.execute("SELECT text FROM documents WHERE id = ?", report.imported).fetchone()[0]
    assert text in (older.split("\n\n", 1)[1].strip(), newer.split("\n\n", 1)[1].strip())
    again = import_paths(library, [folder])
    assert again.imported == [] and again.failed == []
    stored = library.db.execute("SELECT text FROM documents").fetchall()
    assert stored == [(newer.split("\n\n", 1)[1].strip(),)]
