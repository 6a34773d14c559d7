"""Running the real `dossier` console script from tests: piped, with stderr on a pseudo-terminal, with
stdout on one of a given width, or in a terminal where Ctrl+C is typed."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

DOSSIER = str(Path(sys.executable).with_name("dossier"))
TIMEOUT = 300


def run(*args: str, env: dict | None = None, check: int | None = 0, cwd: Path | None = None
        ) -> subprocess.CompletedProcess:
    """``dossier ARGS`` with stdout and stderr piped (in the folder ``cwd``); asserts the exit status
    ``check`` unless None."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run([DOSSIER, *args], capture_output=True, text=True, env=full_env, timeout=TIMEOUT,
                            cwd=cwd)
    if check is not None:
        assert result.returncode == check, f"exit {result.returncode}: {result.stderr}"
    return result


def _read_terminal(controller: int) -> bytes:
    """Everything a program wrote to the pseudo-terminal whose controlling end is ``controller``
    until it closed (the controlling end is closed after)."""
    shown = bytearray()
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal's other end closed (EIO on Linux)
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    return bytes(shown)


def run_on_terminal(*args: str) -> tuple[int, str, str]:
    """``dossier ARGS`` with stderr on a pseudo-terminal: (exit status, stdout, what the terminal showed)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [DOSSIER, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=terminal, env=os.environ
    )
    os.close(terminal)
    shown = _read_terminal(controller)
    stdout = process.stdout.read().decode()
    process.stdout.close()
    return process.wait(timeout=TIMEOUT), stdout, shown.decode(errors="replace")


def run_with_stdout_on_terminal(*args: str, columns: int = 80) -> tuple[int, str]:
    """``dossier ARGS`` with stdout on a pseudo-terminal ``columns`` wide (stderr piped apart):
    (exit status, what the terminal showed, with ``\\n`` line ends)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen([DOSSIER, *args], stdin=subprocess.DEVNULL, stdout=terminal,
                               stderr=subprocess.DEVNULL, env=os.environ)
    os.close(terminal)
    shown = _read_terminal(controller)
    return process.wait(timeout=TIMEOUT), shown.decode().replace("\r\n", "\n")


def _take_terminal() -> None:
    """Make stdin, a pseudo-terminal, the controlling terminal of the new session (as a shell's)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def type_ctrl_c_twice(*args: str, after: str, gap: float = 0.3) -> tuple[int, str, str]:
    """``dossier ARGS`` run from a terminal (stdin and stderr on a pseudo-terminal, stdout piped):
    once the terminal shows what the regular expression ``after`` finds, Ctrl+C is typed, then again ``gap`` seconds later (the
    terminal sends SIGINT to the whole foreground process group, worker processes too).
    Returns (exit status, stdout, what the terminal showed)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([DOSSIER, *args], stdin=terminal, stdout=subprocess.PIPE, stderr=terminal,
                               env=os.environ, start_new_session=True, preexec_fn=_take_terminal)
    os.close(terminal)
    shown = bytearray()
    deadline = time.monotonic() + TIMEOUT
    while not re.search(after, shown.decode(errors="replace")):
        assert time.monotonic() < deadline and process.poll() is None, shown.decode(errors="replace")
        if select.select([controller], [], [], 0.05)[0]:
            try:
                shown += os.read(controller, 4096)
            except OSError:  # the command ended (EIO on Linux): the poll above says so
                time.sleep(0.05)
    os.write(controller, b"\x03")
    time.sleep(gap)
    os.write(controller, b"\x03")
    shown += _read_terminal(controller)
    stdout = process.stdout.read().decode()
    process.stdout.close()
    return process.wait(timeout=TIMEOUT), stdout, shown.decode(errors="replace")
