"""Long writes in the main window: the single writer, its status-bar progress, import and export.

``JobsMixin`` runs jobs one at a time on the writer connection
(``submit_write``), shows their progress with a Cancel button in the status
bar (the window's ``JobProgress``, ``desktop/ui/job_progress.py``), ignores
their results once the window is closing, and runs File ▸
Import… / Import folder… / Export… through the handlers features install (or
the built-in export of the result list as CSV / JSONL).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from desktop import __app_name__
from desktop.core.errors import LibraryDamaged
from desktop.core.export import export_results
from desktop.core.jobs import CancelToken, ProgressCallback
from desktop.core.library import Library
from desktop.core.undo import plural

from .backups import LibraryCare
from .errors import report_error
from .export_scope import ExportScope
from .window_pickers import Pickers

if TYPE_CHECKING:
    from .main_window import MainWindow


class JobsMixin:
    """The ``MainWindow`` part that submits writes and shows the running job."""

    def submit_write(self, job: Callable[..., Any], *, on_finished: Callable[[Any], None],
                     title: str = "", show_progress: bool = False,
                     on_stopped: Callable[[], None] | None = None,
                     cancel: Callable[[], None] | None = None) -> None:
        """Run ``job(library, *, progress, cancel)`` on the single writer connection.

        ``on_finished(result)`` runs on the GUI thread; errors are shown in a
        dialog (a library found damaged stops the window's writes and is named once:
        ``LibraryCare.found_damaged``), after which ``on_stopped()`` runs, as it does
        when the job is cancelled.
        With ``show_progress`` the status bar shows a progress bar and
        a cancel button while the job runs; the button calls ``cancel`` when given (a job
        that decides itself how far a cancel reaches), else it cancels the worker.
        """
        library = self._write
        run = functools.partial(_on_writer, job, library)
        on_finished = functools.partial(self._job_finished, on_finished)
        on_failed = functools.partial(self._job_failed, title or __app_name__, on_stopped)
        on_cancelled = functools.partial(self._job_cancelled, on_stopped)
        if show_progress:
            self.job.start(title, run, on_finished=on_finished, on_failed=on_failed, on_cancelled=on_cancelled,
                           cancel=cancel)
        else:
            self.writer.start(run, on_finished=on_finished, on_failed=on_failed, on_cancelled=on_cancelled)

    def _job_finished(self, on_finished: Callable[[Any], None], result: Any) -> None:
        if not self._closed:
            on_finished(result)

    def _job_failed(self, title: str, on_stopped: Callable[[], None] | None, err: BaseException) -> None:
        if not self._closed:
            care = self.findChild(LibraryCare)
            if isinstance(err, LibraryDamaged) and care is not None:
                care.found_damaged(str(err))  # writes stop, and the damage is named once
            else:
                report_error(err, parent=self, title=title)
            if on_stopped is not None:
                on_stopped()

    def _job_cancelled(self, on_stopped: Callable[[], None] | None) -> None:
        if not self._closed:
            self.statusBar().showMessage("Cancelled.", 5000)
            if on_stopped is not None:
                on_stopped()

    def set_import_handler(self, *, files: Callable[[MainWindow], None],
                           folder: Callable[[MainWindow], None]) -> None:
        """Let ``files(window)`` run File ▸ Import… and ``folder(window)`` Import folder…"""
        self._import_handlers = (files, folder)
        self.action_import.setEnabled(True)
        self.action_import_folder.setEnabled(True)

    def set_export_handler(self, handler: Callable[[MainWindow], None]) -> None:
        """Let ``handler(window)`` run File ▸ Export… (the export dialog)."""
        self._export_handler = handler

    def _run_import(self, which: int) -> None:
        if self._import_handlers:
            self._import_handlers[which](self)

    def export_articles(self) -> None:
        """File ▸ Export…: the export handler, or write the result list as CSV / JSONL."""
        if self._export_handler is not None:
            self._export_handler(self)
            return
        ids = self._ids_to_export()
        if ids is None:
            return
        path = Pickers.ask_export_file(self)
        if path is None:
            return
        fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".json") else "csv"
        once = self.ask_one_per_story(ids) if self.ask_one_per_story is not None else False
        if once is None:
            return
        self.submit_write(
            functools.partial(_export_job, ids, fmt, path, one_per_story=once),
            on_finished=lambda count: self.statusBar().showMessage(
                f"Exported {plural(count, 'article')} to {path}.", 10_000),
            title="Exporting", show_progress=True,
        )

    def _ids_to_export(self) -> list[int] | None:
        """The list's articles in its order, or only the selected ones when several are and the
        person says so; None when cancelled."""
        ids, selected = list(self.model.ids), set(self.selected_ids())
        if len(selected) < 2:
            return ids
        only = ExportScope.ask(self, selected=len(selected), listed=len(ids))
        if only is None:
            return None
        return [i for i in ids if i in selected] if only else ids


def _on_writer(job: Callable[..., Any], library: Library, *, progress: ProgressCallback,
               cancel: CancelToken) -> Any:
    return job(library, progress=progress, cancel=cancel)


def _export_job(ids: list[int], fmt: str, path: Path, library: Library, *,
                progress: ProgressCallback, cancel: CancelToken, one_per_story: bool = False) -> int:
    return export_results(library.db, ids, fmt, path, progress=progress, cancel=cancel,
                          one_per_story=one_per_story)
