"""`dossier imports`: the import runs, newest first, with the number `import --resume` takes."""

from __future__ import annotations

import json

from desktop.core.ingest import import_paths
from desktop.core.jobs import CancelToken
from desktop.core.library import open_library
from tests.cli.helpers import run
from tests.conftest import SEEDS
from tests.core.helpers import observatory


def test_the_runs_are_listed_newest_first_and_a_stopped_one_names_the_command_that_finishes_it(tmp_path):
    library = str(tmp_path / "l.sqlite")
    run("--library", library, "import", str(SEEDS), "--no-entities")
    stopped = CancelToken()
    stopped.cancel()
    with open_library(library) as opened:  # a run stopped before its first file
        import_paths(opened, [observatory(tmp_path / "more", "a.txt", 1)], cancel=stopped)
    lines = run("--library", library, "imports").stdout.splitlines()
    assert lines[0].split()[0] == "2" and "(cancelled)" in lines[0]
    assert lines[1].strip() == "dossier import --resume 2 reads the rest"
    assert lines[2].split()[0] == "1" and "5 imported, 0 duplicates, 0 failed" in lines[2]
    listed = json.loads(run("--library", library, "imports", "--json").stdout)
    assert [(r["id"], r["state"], r["imported"]) for r in listed] == [(2, "cancelled", 0), (1, "finished", 5)]
    run("--library", library, "import", "--resume", "2", "--no-entities")
    assert "(cancelled)" not in run("--library", library, "imports", "--limit", "1").stdout


def test_imports_shows_when_each_run_started_in_local_time(tmp_path):
    import datetime as dt

    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(SEEDS), "--no-entities", "--quiet")
    started = json.loads(run("--library", library, "imports", "--json").stdout)[0]["started_at"]
    tokyo = dt.datetime.fromisoformat(started).astimezone(dt.timezone(dt.timedelta(hours=9)))
    shown = run("--library", library, "imports", env={"TZ": "Etc/GMT-9"}).stdout
    assert shown.startswith(f"    1  {tokyo:%Y-%m-%d %H:%M}  5 imported")


def test_a_run_cancelled_within_a_record_export_says_how_far_into_it_it_came_in_the_history_and_report(tmp_path):
    from desktop.core.import_history import report_text
    from desktop.core.jobs import BYTES

    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps({"title": f"Report {n}", "text": f"Tomsk signs agreement {n}. " * 20}) + "\n"
                              for n in range(5_000)))
    library = str(tmp_path / "l.sqlite")
    stop = CancelToken()

    def first_batch_read(step) -> None:
        if step.unit == BYTES and step.done < step.total:
            stop.cancel()

    with open_library(library) as opened:
        report = import_paths(opened, [export], progress=first_batch_read, cancel=stop)
        copied = report_text(opened.db, report.run_id)
    how_far = report.stopped_within.describe()
    assert how_far.startswith("stopped after the first ") and how_far.endswith("% of the file)")
    lines = run("--library", library, "imports").stdout.splitlines()
    assert "(cancelled)" in lines[0] and lines[1:] == [
        f"       {how_far}", f"       dossier import --resume {report.run_id} reads the rest"]
    assert copied.splitlines()[1].endswith(f", cancelled: {how_far}")
    listed = json.loads(run("--library", library, "imports", "--json").stdout)
    assert listed[0]["stopped_within"] == report.stopped_within.to_json()
    run("--library", library, "import", "--resume", str(report.run_id), "--no-entities")
    assert json.loads(run("--library", library, "imports", "--json").stdout)[0]["stopped_within"] is None
