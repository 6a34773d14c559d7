"""The export's question when several articles of the list are selected: only those, or the whole list."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


class ExportScope:
    """Whether File ▸ Export writes the selected articles or every article of the list."""

    @classmethod
    def ask(cls, parent: QWidget, *, selected: int, listed: int) -> bool | None:
        """True: only the selected articles; False: the whole list; None: cancelled."""
        box = QMessageBox(parent)
        box.setObjectName("exportScopeQuestion")
        box.setWindowTitle("Export")
        box.setText(f"{selected:,} of the {listed:,} articles in the list are selected.")
        chosen = box.addButton(f"&Selected articles ({selected:,})", QMessageBox.ButtonRole.AcceptRole)
        chosen.setObjectName("exportSelected")
        every = box.addButton(f"&Whole list ({listed:,})", QMessageBox.ButtonRole.AcceptRole)
        every.setObjectName("exportWholeList")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(chosen)
        box.exec()
        if box.clickedButton() is chosen:
            return True
        return False if box.clickedButton() is every else None
