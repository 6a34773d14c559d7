"""Long writes in the main window: the single writer, its status-bar progress, import and export.

``JobsMixin`` runs jobs one at a time on the writer connection
(``submit_write``), shows their progress with a cancel button in the status
bar, ignores their results once the window is closing, and runs File ▸
Import… / Import folder… / Export… through the handlers features install (or
the built-in export of the result list as CSV / JSONL).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from desktop import __app_name__
from desktop.core.export import export_results
from desktop.core.jobs import CancelToken, Progress, ProgressCallback
from desktop.core.library import Library

from .errors import report_error
from .window_pickers import Pickers

if TYPE_CHECKING:
    from .main_window import MainWindow


class JobsMixin:
    """The ``MainWindow`` part that submits writes and shows the running job."""

    def submit_write(self, job: Callable[..., Any], *, on_finished: Callable[[Any], None],
                     title: str = "", show_progress: bool = False) -> None:
        """Run ``job(library, *, progress, cancel)`` on the single writer connection.

        ``on_finished(result)`` runs on the GUI thread; errors are shown in a
        dialog. With ``show_progress`` the status bar shows a progress bar and
        a cancel button while the job runs.
        """
        library = self._write
        worker = self.writer.start(
            lambda progress, cancel: job(library, progress=progress, cancel=cancel),
            on_finished=functools.partial(self._job_finished, on_finished),
            on_failed=functools.partial(self._job_failed, title or __app_name__),
            on_cancelled=self._job_cancelled,
            on_progress=self._job_progress if show_progress else None,
        )
        if show_progress:
            self._job_worker = worker
            self.job_label.setText(title)
            self.progress.setRange(0, 0)
            self._show_job(True)

    def _job_finished(self, on_finished: Callable[[Any], None], result: Any) -> None:
        if self._closed:
            return
        self._show_job(False)
        on_finished(result)

    def _job_failed(self, title: str, err: BaseException) -> None:
        if self._closed:
            return
        self._show_job(False)
        report_error(err, parent=self, title=title)

    def _job_cancelled(self) -> None:
        if self._closed:
            return
        self._show_job(False)
        self.statusBar().showMessage("Cancelled.", 5000)

    def _job_progress(self, progress: Progress) -> None:
        if self._closed:
            return
        self.progress.setRange(0, max(progress.total, 1))
        self.progress.setValue(progress.done)
        self.progress.setToolTip(progress.message)
        if progress.phase:
            self.job_label.setText(progress.phase.capitalize())

    def _show_job(self, visible: bool) -> None:
        for widget in (self.job_label, self.progress, self.cancel_button):
            widget.setVisible(visible)
        if not visible:
            self._job_worker = None

    def cancel_job(self) -> None:
        """Stop the import or export that shows its progress in the status bar."""
        if self._job_worker is not None:
            self._job_worker.cancel()

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
        path = Pickers.ask_export_file(self)
        if path is None:
            return
        fmt = "jsonl" if path.suffix.lower() in (".jsonl", ".json") else "csv"
        ids = list(self.model.ids)
        once = self.ask_one_per_story(ids) if self.ask_one_per_story is not None else False
        if once is None:
            return
        self.submit_write(
            functools.partial(_export_job, ids, fmt, path, one_per_story=once),
            on_finished=lambda count: self.statusBar().showMessage(
                f"Exported {count:,} articles to {path}.", 10_000),
            title="Exporting", show_progress=True,
        )


def _export_job(ids: list[int], fmt: str, path: Path, library: Library, *,
                progress: ProgressCallback, cancel: CancelToken, one_per_story: bool = False) -> int:
    return export_results(library.db, ids, fmt, path, progress=progress, cancel=cancel,
                          one_per_story=one_per_story)
