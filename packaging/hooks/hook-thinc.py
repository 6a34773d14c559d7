"""thinc in the bundle: its submodules and data files without its test suite and Cython sources."""

from __future__ import annotations

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda module: "tests" not in module.split("."))
datas = collect_data_files("thinc", excludes=["tests", "**/*.pyx", "**/*.pxd"])
