"""Column titles for the window's item models whose columns are a fixed tuple of names."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt


class FixedHeaders:
    """Mixin for an item model: ``HEADERS`` are its horizontal header labels, in column order."""

    HEADERS: tuple[str, ...] = ()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None
