"""Where the library lives: the user data folder (platformdirs), DOSSIER_HOME and DOSSIER_LIBRARY."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from desktop import __app_name__

LIBRARY_FILENAME = "library.sqlite"


def data_dir() -> Path:
    """The folder Dossier writes to: ``$DOSSIER_HOME`` if set, else the platform's user data dir."""
    home = os.environ.get("DOSSIER_HOME")
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_data_dir(__app_name__, appauthor=False))


def default_library_path() -> Path:
    """``$DOSSIER_LIBRARY`` if set, else ``<data dir>/library.sqlite``."""
    chosen = os.environ.get("DOSSIER_LIBRARY")
    if chosen:
        return Path(chosen).expanduser()
    return data_dir() / LIBRARY_FILENAME


def seeds_dir() -> Path | None:
    """The sample corpus shipped with the app (source checkout or frozen bundle), if present."""
    here = Path(__file__).resolve()
    candidates = [here.parents[2] / "seeds"]
    bundle = os.environ.get("DOSSIER_BUNDLE_DIR")
    if bundle:
        candidates.insert(0, Path(bundle) / "seeds")
    import sys

    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        candidates.insert(0, Path(meipass) / "seeds")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None
