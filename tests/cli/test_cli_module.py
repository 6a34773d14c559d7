"""``python -m desktop`` is the ``dossier`` command."""

from __future__ import annotations

import subprocess
import sys

from tests.cli.helpers import run


def test_python_dash_m_desktop_runs_the_dossier_command():
    module = subprocess.run([sys.executable, "-m", "desktop", "--version"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert module.returncode == 0
    assert module.stdout == run("--version").stdout
