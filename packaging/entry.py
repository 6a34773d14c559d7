"""Entry point of the frozen bundle: the same ``main`` as the ``dossier`` console script."""

from __future__ import annotations

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
