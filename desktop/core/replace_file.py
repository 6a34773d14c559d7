"""Writing a file whole or not at all: how every export puts its file in place.

``replacing`` hands out a temporary file beside the target and moves it over the
target once the block completes, so a failed or cancelled export never leaves half
a file. The new file gets the mode any program's new file gets (0666 less the
umask), or keeps the mode of the file it replaces. A target that cannot be written
(a folder, a folder that does not exist, no permission, a full disk) raises
``WriteFailed`` with the reason in plain words, and nothing is left behind. An open
stream (standard output) is written as it is, as the export goes.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .errors import WriteFailed, describe_write_error

NEW_FILE_MODE = 0o666  # what open() asks for; the kernel takes the umask off


def _create_beside(out: Path) -> tuple[int, Path]:
    """A new, empty temporary file in ``out``'s folder, created as ``open`` creates files."""
    while True:
        temp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
        try:
            return os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE), temp
        except FileExistsError:
            continue


def _reason(err: OSError, out: Path) -> str:
    if isinstance(err, IsADirectoryError) or out.is_dir():
        return f"{out} is a folder"
    if not out.parent.is_dir():
        return f"there is no folder {out.parent}"
    return f"cannot write {out}: {describe_write_error(err, out.parent)}"


@contextlib.contextmanager
def replacing(out: Path | IO[str], *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Open a temporary file beside ``out`` for writing text; it replaces ``out`` on success.
    ``out`` may be an open text stream instead, which is handed out as it is (``encoding``
    is then the stream's).

    Raises ``WriteFailed`` when ``out`` cannot be written (nothing is left behind).
    """
    if not isinstance(out, (str, os.PathLike)):
        yield out
        return
    out = Path(out)
    if out.is_dir():
        raise WriteFailed(f"{out} is a folder")
    try:
        handle, temp = _create_beside(out)
    except OSError as err:
        raise WriteFailed(_reason(err, out)) from err
    try:
        with open(handle, "w", encoding=encoding, newline="") as stream:
            yield stream
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temp, stat.S_IMODE(out.stat().st_mode))
        os.replace(temp, out)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise WriteFailed(_reason(err, out)) from err
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
