"""``python -m desktop``: the ``dossier`` command (``desktop.cli.main``), for a checkout or a
virtual environment whose console scripts are not on the path."""

from __future__ import annotations

if __name__ == "__main__":
    from desktop.cli import main

    raise SystemExit(main())
