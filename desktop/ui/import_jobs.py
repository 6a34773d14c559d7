"""The import and the pre-import scan as the jobs the import dialog runs on workers.

``run_import`` runs the core workflow "import, then find entities" on the
window's writer and stops when the dialog or the window asks (``LinkedToken``);
its steps go to a ``LatestProgress`` the dialog polls. ``run_scan`` looks at
the chosen files on a connection of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop.core.import_report import ImportReport
from desktop.core.jobs import CancelToken, Progress, ProgressCallback
from desktop.core.library import Library
from desktop.core.scan import ScanSummary, scan_paths
from desktop.core.workflows import ImportOutcome, import_and_extract


class LatestProgress:
    """A progress callback that only keeps the latest step; read from another thread by polling."""

    def __init__(self) -> None:
        self.latest: Progress | None = None

    def __call__(self, progress: Progress) -> None:
        self.latest = progress


class LinkedToken(CancelToken):
    """A cancel token that also counts as cancelled when any of ``others`` is."""

    def __init__(self, *others: CancelToken) -> None:
        super().__init__()
        self._others = others

    @property
    def cancelled(self) -> bool:
        return super().cancelled or any(other.cancelled for other in self._others)


def run_import(
    paths: list[Path], stop: CancelToken, latest: ProgressCallback,
    on_imported: Callable[[ImportReport], None], library: Library, *,
    progress: ProgressCallback, cancel: CancelToken, as_new: bool = False,
) -> ImportOutcome | BaseException:
    """Import and queue the new articles for entity extraction, as a writer job: stops when the
    dialog (``stop``) or the window (``cancel``) asks; ``on_imported(report)`` as soon as the
    files are read; changed files update their articles unless ``as_new``. Returns the
    workflow's outcome, or the error that ended it so the dialog can show it.

    ``latest`` keeps the latest step for the dialog's timer (the worker's ``progress`` is unused).
    """
    try:
        return import_and_extract(library, paths, progress=latest, cancel=LinkedToken(stop, cancel),
                                  on_imported=on_imported, as_new=as_new, background=True)
    except Exception as err:  # noqa: BLE001 - shown on the report page, logged by message_for
        return err


def run_scan(library: Library, paths: list[Path], *, progress: ProgressCallback,
             cancel: CancelToken) -> ScanSummary:
    """The pre-import scan on its own connection to the library."""
    connection = library.connect()
    try:
        return scan_paths(connection.db, paths, progress=progress, cancel=cancel)
    finally:
        connection.close()
