"""The file and name choosers the main window opens (``Pickers``); tests replace these classmethods."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from .file_dialogs import FileKind, ask_open_file, ask_save_file


class Pickers:
    """The file choosers the window opens; tests replace these classmethods."""

    @classmethod
    def ask_export_file(cls, parent: QWidget) -> Path | None:
        return ask_save_file(
            parent, kind=FileKind.EXPORT, title="Export the result list", suggested="articles.csv",
            filters="CSV spreadsheet (*.csv);;JSON Lines (*.jsonl)",
        )

    @classmethod
    def ask_open_library(cls, parent: QWidget) -> Path | None:
        return ask_open_file(
            parent, kind=FileKind.LIBRARY, title="Open library",
            filters="Dossier library (*.sqlite *.db);;All files (*)",
        )

    @classmethod
    def ask_new_library(cls, parent: QWidget) -> Path | None:
        return ask_save_file(
            parent, kind=FileKind.LIBRARY, title="New library", suggested="library.sqlite",
            filters="Dossier library (*.sqlite)",
        )

    @classmethod
    def ask_replace(cls, parent: QWidget, *, name: str) -> bool:
        """Whether to replace the saved search ``name`` with the current search."""
        answer = QMessageBox.question(
            parent, "Save search", f"A saved search named “{name}” already exists. Replace it with "
            "the current search and filters?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    @classmethod
    def ask_name(cls, parent: QWidget, *, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
        return name if ok and name.strip() else None
