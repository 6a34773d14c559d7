"""A place that cannot be written (a library to create, a file to export) is named with the real
problem in words: no permission, a read-only file system, a folder of the system."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from desktop.core.errors import describe_write_error
from tests.cli.helpers import DOSSIER, TIMEOUT, run
from tests.conftest import SEEDS

LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's /proc and /sys")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("unwritable") / "x.sqlite"
    run("--library", str(path), "import", str(SEEDS), "--no-entities", "--quiet")
    return str(path)


@pytest.fixture
def open_folders():
    """Folders any user can reach: (a folder only root may write, a data folder anyone may)."""
    top = Path(tempfile.mkdtemp(prefix="dossier-unwritable-"))
    closed, home = top / "closed", top / "home"
    closed.mkdir()
    home.mkdir()
    top.chmod(0o755)
    closed.chmod(0o755)
    home.chmod(0o777)
    yield closed, home
    shutil.rmtree(top)


def _run_with(prefix: list[str], *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*prefix, DOSSIER, *args], capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **(env or {})}, cwd="/")


@LINUX
def test_an_export_into_a_folder_of_the_system_says_it_takes_no_new_files(library):
    result = run("--library", library, "export", "--format", "csv", "--out", "/proc/x.csv", check=1)
    assert result.stderr == "dossier: cannot write /proc/x.csv: /proc does not take new files (it is a folder of the system)\n"


@LINUX
@pytest.mark.skipif(os.geteuid() != 0, reason="as root, the kernel refuses /sys/kernel by permission")
def test_a_new_library_where_the_kernel_refuses_it_says_there_is_no_permission():
    result = run("--library", "/sys/kernel/x.sqlite", "import", str(SEEDS), check=1)
    assert result.stderr == ("dossier: cannot create the library /sys/kernel/x.sqlite: "
                             "you have no permission to write in /sys/kernel\n")


def _as_nobody_or_skip(home: Path) -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run dossier as another user")
    if _run_with(NOBODY, "--version", env={"DOSSIER_HOME": str(home)}).returncode != 0:
        pytest.skip("the user nobody cannot run this Python")


def test_a_new_library_in_a_folder_of_another_user_says_there_is_no_permission(open_folders):
    closed, home = open_folders
    _as_nobody_or_skip(home)
    result = _run_with(NOBODY, "--library", str(closed / "x.sqlite"), "import", str(SEEDS),
                       env={"DOSSIER_HOME": str(home)})
    assert (result.returncode, result.stderr) == (
        1, f"dossier: cannot create the library {closed / 'x.sqlite'}: you have no permission to write in {closed}\n")
    assert list(closed.iterdir()) == []


def test_an_export_into_a_folder_of_another_user_says_there_is_no_permission(library, open_folders):
    closed, home = open_folders
    _as_nobody_or_skip(home)
    shared = shutil.copy(library, home / "x.sqlite")
    os.chmod(shared, 0o644)
    result = _run_with(NOBODY, "--library", str(shared), "export", "--format", "jsonl", "--out",
                       str(closed / "x.jsonl"), env={"DOSSIER_HOME": str(home)})
    assert (result.returncode, result.stderr) == (
        1, f"dossier: cannot write {closed / 'x.jsonl'}: you have no permission to write in {closed}\n")


def test_a_read_only_file_system_is_named_for_a_new_library_and_an_export(library, tmp_path):
    mounted = tmp_path / "ro"
    mounted.mkdir()
    script = (f'mount -t tmpfs -o ro tmpfs "{mounted}" || exit 99; '
              f'"{DOSSIER}" --library "{mounted}/x.sqlite" import "{SEEDS}"; '
              f'"{DOSSIER}" --library "{library}" export --format csv --out "{mounted}/x.csv"')
    if shutil.which("unshare") is None:
        pytest.skip("no unshare to mount a read-only file system")
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=TIMEOUT)
    if result.returncode == 99 or "unshare failed" in result.stderr:
        pytest.skip(f"cannot mount a read-only file system here: {result.stderr.strip()}")
    assert result.stderr.splitlines() == [
        f"dossier: cannot create the library {mounted}/x.sqlite: {mounted} is on a read-only file system",
        f"dossier: cannot write {mounted}/x.csv: {mounted} is on a read-only file system",
    ]


@pytest.mark.parametrize("code, words", [
    (errno.EROFS, "/media/stick is on a read-only file system"),
    (errno.EACCES, "you have no permission to write in /media/stick"),
    (errno.EPERM, "you have no permission to write in /media/stick"),
    (errno.ENOSPC, "the disk holding /media/stick is full"),
    (errno.EDQUOT, "your disk quota on /media/stick is used up"),
    (errno.ENAMETOOLONG, "the file system of /media/stick does not take that file name"),
], ids=["read-only", "EACCES", "EPERM", "full", "quota", "name"])
def test_the_reason_a_file_cannot_be_written_is_said_in_words(code, words):
    assert describe_write_error(OSError(code, os.strerror(code)), Path("/media/stick")) == words
