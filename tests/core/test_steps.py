"""Edits of many articles made in steps: each step commits on its own, progress counts the
articles, a cancel takes back the steps already made, and the steps undo as one change."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken
from desktop.core.steps import edit_in_steps
from desktop.core.tags import add_tag, set_starred


def starred(db) -> int:
    return db.conn.execute("SELECT count(*) FROM documents WHERE starred = 1").fetchone()[0]


def test_each_step_commits_so_another_connection_can_write_between_steps(db, seeds, library):
    other = sqlite3.connect(library.path, timeout=0)  # fails at once if the library is locked
    wrote = []

    def write_elsewhere() -> None:  # called between steps
        other.execute("UPDATE documents SET read_state = 'read' WHERE id = ?", [seeds[len(wrote)]])
        other.commit()
        wrote.append(1)

    edit_in_steps(db, lambda d, ids: set_starred(d, ids, True), seeds, doing="Starring",
                  progress=lambda _p: None, between=write_elsewhere, cancel=CancelToken(), step=2)
    other.close()
    assert len(wrote) == 3 and starred(db) == len(seeds)


def test_progress_counts_the_articles_done_of_all(db, seeds):
    reported = []
    edit_in_steps(db, lambda d, ids: set_starred(d, ids, True), seeds, doing="Starring",
                  progress=reported.append, cancel=CancelToken(), step=2)
    assert [(p.done, p.total) for p in reported] == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert reported[1].phase == "Starring 2 of 5 articles…"


def test_the_change_is_named_for_every_article_and_undoes_and_redoes_as_one(db, seeds):
    change = edit_in_steps(db, lambda d, ids: add_tag(d, ids, "Harvest"), seeds, doing="Tagging",
                           progress=lambda _p: None, cancel=CancelToken(), step=2)
    assert change.label == "Add tag 'Harvest' to 5 articles"
    assert sorted(change.doc_ids) == sorted(seeds) and set(change.changes.tagged) == set(seeds)
    change.undo(db)
    assert db.conn.execute("SELECT count(*) FROM document_tags").fetchone()[0] == 0
    change.redo(db)
    assert db.conn.execute("SELECT count(*) FROM document_tags").fetchone()[0] == len(seeds)


def test_a_cancel_between_steps_takes_back_the_steps_already_made(db, seeds):
    cancel = CancelToken()

    def star_then_cancel(step_db, ids):
        change = set_starred(step_db, ids, True)
        cancel.cancel()  # Cancel pressed while the first step ran
        return change

    with pytest.raises(Cancelled):
        edit_in_steps(db, star_then_cancel, seeds, doing="Starring", progress=lambda _p: None,
                      cancel=cancel, step=2)
    assert starred(db) == 0


def test_a_failing_step_takes_back_the_steps_before_it(db, seeds):
    with pytest.raises(Exception, match="No article"):
        edit_in_steps(db, lambda d, ids: set_starred(d, ids, True), [*seeds, 999_999], doing="Starring",
                      progress=lambda _p: None, cancel=CancelToken(), step=2)
    assert starred(db) == 0
