"""py3langid in the bundle: its language model (data/model.npz.xz), loaded from the package folder."""

from __future__ import annotations

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("py3langid", includes=["data/*"])
