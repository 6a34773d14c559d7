"""The import history tells a person which import was interrupted and how to resume it."""

from __future__ import annotations

import pytest

from desktop.core import ingest
from desktop.core.ingest import import_paths
from desktop.ui.import_history import ImportHistoryDialog


def test_an_interrupted_import_reads_interrupted_with_how_to_resume_it(qtbot, library, tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text("Lab\n\nA joint laboratory opens in Tomsk.", encoding="utf-8")
    monkeypatch.setattr(ingest, "_parts", lambda name, **kwargs: (_ for _ in ()).throw(OSError("disk gone")))
    with pytest.raises(OSError):
        import_paths(library, [article])
    dialog = ImportHistoryDialog(lambda: library.db)
    qtbot.addWidget(dialog)
    assert dialog.runs.topLevelItem(0).text(2) == "0 imported, 0 duplicates, 0 failed (interrupted)"
    assert "dossier import --resume 1" in dialog.details.text()
