"""Inside one upgrade step: a step that reports its articles (``migrations.report_progress``) is
shown n of N as it goes, and Cancel stops the step under way at once (a long SQL statement
interrupted, a reporting step at its next report), rolling it back whole so the library stays at
the step before and the next opening goes on."""

from __future__ import annotations

import threading
import time

import pytest

from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken
from desktop.core.library import open_library
from desktop.core.migrations import report_progress
from desktop.core.schema import migrations
from tests.core.helpers import add_article, library_before
from tests.core.test_upgrade import applied
from tests.core.test_whole_titles import CUT, SENTENCE, TEXT, TITLE_MIGRATION

CUT_TITLES = 1_200
HELD = "0005_fts_declared_for_datasette"
LONG_STATEMENT = ("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000000) "
                  "SELECT count(*) FROM n")  # tens of seconds unless interrupted


@pytest.fixture
def cut_titles(tmp_path):
    """A library as Dossier wrote it before migration 0021, whose every title was cut short."""
    path = tmp_path / "cut.db"
    with library_before(path, TITLE_MIGRATION) as db, db.atomic():
        for n in range(CUT_TITLES):
            add_article(db, f"{TEXT} {n}", title=CUT)
    return path


def titles_of(path) -> set[str]:
    with open_library(path) as library:
        return {title for (title,) in library.db.execute("SELECT title FROM documents")}


def reporting_step(monkeypatch, name: str, total: int) -> None:
    """Make migration ``name`` report ``total`` articles in three batches before its real body,
    as a long migration does through ``report_progress``."""
    step = next(m for m in migrations._migrations if m.name == name)
    body = step.fn

    def reporting(db) -> None:
        for done in (total // 3, 2 * total // 3, total):
            db.execute("SELECT count(*) FROM documents").fetchone()
            report_progress(done, total)
        body(db)

    monkeypatch.setattr(step, "fn", reporting)


def test_a_long_step_reports_its_articles_as_it_goes(cut_titles, monkeypatch):
    reporting_step(monkeypatch, TITLE_MIGRATION, CUT_TITLES)
    seen = []
    with open_library(cut_titles, progress=seen.append):
        pass
    within = [p for p in seen if p.unit == "articles" and p.phase.endswith("whole opening titles")]
    assert [(p.done, p.total) for p in within] == [(400, CUT_TITLES), (800, CUT_TITLES), (1_200, CUT_TITLES)]
    names = [m.name for m in migrations._migrations]
    steps = len(names) - names.index(TITLE_MIGRATION)
    assert within[0].message == f"Step 1 of {steps}: whole opening titles (400 of 1,200 articles)"
    assert within[0].phase == f"upgrading the library, step 1 of {steps}: whole opening titles"


def test_cancel_at_a_report_rolls_the_step_back_and_the_next_opening_makes_it(cut_titles, monkeypatch):
    reporting_step(monkeypatch, TITLE_MIGRATION, CUT_TITLES)
    cancel = CancelToken()

    def cancel_at_the_first_batch(progress):
        if progress.unit == "articles":
            cancel.cancel()

    with pytest.raises(Cancelled, match="stopped after step 0 of"):
        open_library(cut_titles, progress=cancel_at_the_first_batch, cancel=cancel)
    assert applied(cut_titles)[-1] == "0020_import_run_stopped_within"
    monkeypatch.undo()
    assert titles_of(cut_titles) == {SENTENCE}
    assert applied(cut_titles)[-1] == migrations._migrations[-1].name


def test_cancel_interrupts_a_long_statement_of_the_step_under_way_at_once(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with library_before(path, HELD) as db:
        add_article(db, "An article about the Harbin observatory.", title="Harbin")
    step = next(m for m in migrations._migrations if m.name == HELD)
    body = step.fn
    started = threading.Event()

    def long_step(db) -> None:
        body(db)
        db.execute("CREATE TABLE half_done (x)")
        started.set()
        db.execute(LONG_STATEMENT).fetchall()

    monkeypatch.setattr(step, "fn", long_step)
    cancel = CancelToken()
    cancelled_at = []

    def cancel_once_started() -> None:
        started.wait(30)
        time.sleep(0.2)
        cancelled_at.append(time.monotonic())
        cancel.cancel()

    threading.Thread(target=cancel_once_started, daemon=True).start()
    with pytest.raises(Cancelled, match="stopped after step 0 of"):
        open_library(path, cancel=cancel)
    assert time.monotonic() - cancelled_at[0] < 0.5
    monkeypatch.undo()
    assert applied(path)[-1] == "0004_resumable_import_runs"
    with open_library(path) as library:
        assert "half_done" not in library.db.table_names()
        assert library.db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'harbin'"
                                  ).fetchone()[0] == 1
    assert applied(path)[-1] == migrations._migrations[-1].name
