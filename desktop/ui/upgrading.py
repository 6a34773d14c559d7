"""Opening a library written by an older Dossier without freezing the window.

``open_upgraded`` opens a library as ``open_library`` does; when the file needs migrations it
backs it up and upgrades it on a worker thread while ``UpgradeDialog`` shows the backup's and
each step's progress (a step rewriting 100,000 articles takes seconds: its bar counts them), so
the event loop keeps running. Cancel, Esc or closing the dialog stops the upgrade at once: a
long step under way is rolled back whole, the library keeps the steps done before it and the
next opening goes on from there.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QDialog, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from desktop import __app_name__
from desktop.core.errors import Cancelled
from desktop.core.jobs import Progress
from desktop.core.library import Library, open_library
from desktop.core.upgrade import pending_steps, stopped_message

from .workers import WorkerPool


class UpgradeDialog(QDialog):
    """The backup and the steps of one library's upgrade, with Cancel; ``run`` opens it."""

    def __init__(self, path: Path, steps: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("upgradeDialog")
        self.setWindowTitle(f"Upgrading library — {__app_name__}")
        self.path = path
        self.library: Library | None = None
        self.error: BaseException | None = None
        self.stopped = False
        self._worker = None
        self._running = False
        intro = QLabel(f"{path.name} was written by an older {__app_name__}. It is backed up, "
                       f"then upgraded in {steps} step{'s' * (steps != 1)}; "
                       "nothing in it is lost if this is stopped.")
        intro.setWordWrap(True)
        self.step = QLabel("Backing up…")
        self.step.setObjectName("upgradeStep")
        self.bar = QProgressBar()
        self.bar.setObjectName("upgradeProgress")
        self.bar.setRange(0, 0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelUpgrade")
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.step, self.bar, self.cancel_button):
            layout.addWidget(widget)
        self.setMinimumWidth(460)

    def run(self) -> Library:
        """Back up and upgrade the library while the dialog shows how far it is; returns it
        open. Raises what ``open_library`` raises, ``Cancelled`` when the person stopped it."""
        pool = WorkerPool(max_threads=1, parent=self)
        loop = QEventLoop()
        self._worker = pool.start(
            functools.partial(open_library, self.path), on_finished=self._opened,
            on_failed=self._failed, on_progress=self._show, on_cancelled=self._cancelled,
            on_done=loop.quit)
        self._running = True
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.show()
        loop.exec()
        self._running = False
        pool.wait()
        self.close()
        if self.error is not None:
            raise self.error
        if self.library is None:
            raise Cancelled(stopped_message(self.path))
        return self.library

    def _show(self, step: Progress) -> None:
        if self.stopped:
            return
        if step.unit == "MB":
            self.step.setText(f"Backing up: {step.done:,} of {step.total:,} MB")
        else:
            self.step.setText(step.message)
        self.bar.setRange(0, max(step.total, 1))
        self.bar.setValue(step.done)

    def _opened(self, library: Library) -> None:
        self.library = library

    def _failed(self, err: BaseException) -> None:
        self.error = err

    def _cancelled(self) -> None:
        self.stopped = True

    def reject(self) -> None:
        """Cancel, Esc and the close button: stop the upgrade (a long step under way is rolled
        back), then close."""
        if not self._running or self._worker is None:
            super().reject()
            return
        self.stopped = True
        self._worker.cancel()
        self.cancel_button.setEnabled(False)
        self.step.setText("Stopping…")


def open_upgraded(path: Path, parent: QWidget | None = None) -> Library:
    """``open_library(path)``; a library written by an older Dossier is upgraded on a worker
    thread while ``UpgradeDialog`` shows how far it is."""
    steps = pending_steps(path) if path.exists() else 0
    if steps == 0:
        return open_library(path)
    return UpgradeDialog(path, steps, parent).run()
