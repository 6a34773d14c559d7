"""The window's remembered state: one QSettings ini file under the data folder.

Everything the window restores on the next start (geometry, splitters, column
layout, theme, reader font and zoom, recent libraries, the folder each kind of
file dialog last used) goes through ``Settings``; the file is
``<data dir>/settings.ini``, so ``DOSSIER_HOME`` keeps tests and portable
installs away from the user's real settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from desktop.core.paths import data_dir

SETTINGS_FILENAME = "settings.ini"
MAX_RECENT = 8


def settings_path() -> Path:
    """Where the window's settings are written."""
    return data_dir() / SETTINGS_FILENAME


class Settings:
    """Typed access to the window's QSettings ini file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or settings_path()
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def text(self, key: str, default: str = "") -> str:
        """A string value, or ``default`` when unset."""
        value = self._qs.value(key, default)
        return str(value) if value is not None else default

    def number(self, key: str, default: float) -> float:
        """A numeric value, or ``default`` when unset or unreadable."""
        try:
            return float(self._qs.value(key, default))
        except (TypeError, ValueError):
            return default

    def flag(self, key: str, default: bool) -> bool:
        """A boolean value (ini files store them as text)."""
        value = self._qs.value(key, default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def blob(self, key: str) -> QByteArray | None:
        """Saved widget state (geometry, splitter, header), or None when never saved."""
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``."""
        self._qs.setValue(key, value)

    def recent_libraries(self) -> list[Path]:
        """Library files opened before, most recent first."""
        value = self._qs.value("library/recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [Path(item) for item in items if item]

    def remember_library(self, path: Path) -> None:
        """Put ``path`` first in the recent list and make it the library opened next time."""
        resolved = str(Path(path).resolve())
        recent = [str(p) for p in self.recent_libraries() if str(p) != resolved]
        self._qs.setValue("library/recent", [resolved, *recent][:MAX_RECENT])
        self._qs.setValue("library/last", resolved)

    def forget_library(self, path: Path) -> None:
        """Drop ``path`` from the recent list (it no longer opens)."""
        resolved = str(Path(path).resolve())
        self._qs.setValue(
            "library/recent", [str(p) for p in self.recent_libraries() if str(p) != resolved]
        )

    def last_folder(self, kind: str) -> Path | None:
        """The folder last used in a file dialog for ``kind`` (import, export, library), or None."""
        value = self.text(f"folders/{kind}")
        return Path(value) if value else None

    def remember_folder(self, kind: str, folder: Path) -> None:
        """Make ``folder`` where the next file dialog for ``kind`` opens."""
        self._qs.setValue(f"folders/{kind}", str(Path(folder).resolve()))

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._qs.sync()
