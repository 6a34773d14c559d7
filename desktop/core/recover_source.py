"""Reading a damaged library for ``recover``, with the changes still in its ``-wal``.

A library in WAL mode keeps the transactions committed since the last checkpoint only in
its ``-wal``. SQLite applies that file only when it may create a ``-shm`` beside it, and
nothing is ever written beside a damaged library. So when a ``-wal`` that SQLite can read
lies beside the damaged file, the ``-wal`` and then the file are copied (never the ``-shm``)
into a private folder beside the new library, and the copy is opened read-only: SQLite
applies the ``-wal`` to the copy there. The damaged file and its ``-wal`` are only read.

Where the copy cannot be made (too little free space, an error reading) or SQLite cannot
read it, the file is read alone, as before, and ``WalUse`` says why for the report.
"""

from __future__ import annotations

import shutil
import sqlite3
import struct
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .library import read_only_uri

WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_VERSION = 3007000
MB = 2**20


@dataclass(frozen=True)
class WalUse:
    """Whether the ``-wal`` beside a damaged library was read with it, and why not."""

    wal: Path
    size: int
    applied: bool
    reason: str | None = None

    def line(self) -> str:
        """One line for a person."""
        changes = f"the latest changes, still only in {self.wal.name} ({_size(self.size)}),"
        if self.applied:
            return f"{changes} were recovered as well"
        library = self.wal.name.removesuffix("-wal")
        return f"{changes} could not be read ({self.reason}): recovered from {library} alone"

    def to_json(self) -> dict[str, object]:
        return {"file": str(self.wal), "bytes": self.size, "applied": self.applied, "reason": self.reason}


def _size(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(1, size // 1024)} KB"


@contextmanager
def open_damaged(source: Path, *, beside: Path) -> Iterator[tuple[sqlite3.Connection, WalUse | None]]:
    """A read-only connection to the damaged library at ``source`` and what became of its ``-wal``
    (None when it has none, or an empty one). The working copy, if any, is made in a private
    folder beside ``beside`` (the new library) and removed on leaving."""
    wal = source.with_name(source.name + "-wal")
    size = wal.stat().st_size if wal.is_file() else 0
    if not size:
        conn = _connect(source, immutable=True)
        try:
            yield conn, None
        finally:
            conn.close()
        return
    scratch: Path | None = None
    try:
        problem = _unreadable_header(wal)
        if problem is None:
            problem = _too_little_space(source, wal, beside.parent)
        if problem is None:
            scratch, conn = _open_copy(source, wal, beside)
    except (OSError, sqlite3.DatabaseError) as err:
        problem = f"SQLite cannot read it: {err}" if isinstance(err, sqlite3.Error) else (
            f"it cannot be copied to be read: {err.strerror or err}")
    if problem is not None:
        conn = _connect(source, immutable=True)
    try:
        yield conn, WalUse(wal, size, applied=problem is None, reason=problem)
    finally:
        conn.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _connect(path: Path, *, immutable: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(read_only_uri(path, immutable=immutable), uri=True)
    # SQLite refuses a whole file shorter than its header says (cut short by a copy or a full
    # disk) unless the schema is "writable"; read-only, that only lets it read the pages there.
    conn.execute("PRAGMA writable_schema = ON")
    return conn


def _open_copy(source: Path, wal: Path, beside: Path) -> tuple[Path, sqlite3.Connection]:
    """Copy the ``-wal`` and then the file (a checkpoint between the two copies leaves the copied
    ``-wal`` still covering what it wrote) and open the copy read-only; raises when SQLite cannot
    read it."""
    beside.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{beside.name}-", suffix=".reading", dir=beside.parent))
    try:
        copy = scratch / source.name
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        shutil.copyfile(source, copy)
        conn = _connect(copy, immutable=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except BaseException:
            conn.close()
            raise
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return scratch, conn


def _too_little_space(source: Path, wal: Path, folder: Path) -> str | None:
    """Why the working copy cannot be made in ``folder``: it needs room for itself and for the
    new library (about as large as the damaged file)."""
    existing = next((f for f in (folder, *folder.parents) if f.exists()), folder)
    free = shutil.disk_usage(existing).free
    needed = 2 * source.stat().st_size + wal.stat().st_size
    if free >= needed:
        return None
    return (f"the disk holding {existing} has {free // MB} MB free, {-(-needed // MB)} MB are needed "
            f"to read it with a working copy of the library; free {-(-(needed - free) // MB)} MB "
            "and recover again")


def _unreadable_header(wal: Path) -> str | None:
    """Why SQLite would ignore the whole ``-wal`` (its header is not one SQLite accepts)."""
    with wal.open("rb") as fh:
        header = fh.read(32)
    if len(header) < 32:
        return "it is shorter than its header"
    magic, version = struct.unpack(">II", header[:8])
    if magic not in WAL_MAGIC or version != WAL_VERSION:
        return "it is not a -wal file SQLite can read"
    words = struct.unpack((">" if magic & 1 else "<") + "6I", header[:24])
    s0 = s1 = 0
    for first, second in zip(words[::2], words[1::2]):
        s0 = (s0 + first + s1) & 0xFFFFFFFF
        s1 = (s1 + second + s0) & 0xFFFFFFFF
    if (s0, s1) != struct.unpack(">II", header[24:32]):
        return "its header is damaged"
    return None
