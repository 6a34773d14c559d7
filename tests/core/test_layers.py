"""The core stays free of Qt: the import-linter contract in pyproject.toml holds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_core_never_imports_qt():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "desktop.core never imports Qt KEPT" in result.stdout


def test_importing_the_core_loads_no_qt():
    code = (
        "import sys, desktop.cli, desktop.core.library, desktop.core.documents\n"
        "import pkgutil, importlib, desktop.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'desktop.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt loaded'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


SQL_IN_CODE = re.compile(r"\.execute(many|script)?\(|\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|PRAGMA)\s+[\w*(\[]")


def test_the_window_holds_no_sql_of_its_own():
    """Every read and write of the window goes through core functions (DESIGN: the UI holds no SQL)."""
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in sorted((REPO / "desktop" / "ui").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SQL_IN_CODE.search(line) and not line.lstrip().startswith("#")
    ]
    assert not found, "\n".join(found)
