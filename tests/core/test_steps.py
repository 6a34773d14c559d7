"""Edits of many articles made in steps: each step commits on its own, progress counts the
articles, a cancel takes back the steps already made, and the steps undo as one change."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.core.errors import Cancelled
from desktop.core.jobs import CancelToken
from desktop.core.steps import edit_in_steps
from desktop.core.tags import add_tag, set_read_state, set_starred, tagged_documents
from tests.core.helpers import add_article


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


@pytest.fixture
def other(library):
    """A second connection to the library, as the ``dossier`` command or a second window has."""
    conn = sqlite3.connect(library.path)
    yield conn
    conn.close()


def states(db) -> dict[int, str]:
    return dict(db.conn.execute("SELECT id, read_state FROM documents"))


def cancel_after_first_step(elsewhere):
    """A cancel token and a ``between`` that writes ``elsewhere`` after the first step, then cancels."""
    cancel = CancelToken()

    def between() -> None:
        if not cancel.cancelled:
            elsewhere()
            cancel.cancel()

    return cancel, between


def test_a_cancel_leaves_the_state_another_process_set_meanwhile_and_says_so(db, seeds, other):
    def mark_read_elsewhere() -> None:
        other.execute("UPDATE documents SET read_state = 'read' WHERE id = ?", [seeds[0]])
        other.commit()

    cancel, between = cancel_after_first_step(mark_read_elsewhere)
    with pytest.raises(Cancelled, match="except on 1 article another window or command changed since"):
        edit_in_steps(db, lambda d, ids: set_read_state(d, ids, "to_read"), seeds, doing="Marking",
                      progress=lambda _p: None, cancel=cancel, between=between, step=2)
    assert states(db) == {i: "read" if i == seeds[0] else "unread" for i in seeds}


def test_a_cancel_leaves_a_tag_another_process_put_on_meanwhile(db, seeds, other):
    outside = add_article(db, "An article the edit does not touch.")

    def tag_elsewhere() -> None:  # article 1 untagged and tagged again, another article tagged too
        other.execute("DELETE FROM document_tags WHERE document_id = ?", [seeds[0]])
        other.execute("INSERT INTO document_tags (document_id, tag_id, added_at) "
                      "SELECT j.value, t.id, 'later' FROM tags t, json_each(?) j WHERE t.name = 'Harvest'",
                      [f"[{seeds[0]}, {outside}]"])
        other.commit()

    cancel, between = cancel_after_first_step(tag_elsewhere)
    with pytest.raises(Cancelled, match="except on 1 article"):
        edit_in_steps(db, lambda d, ids: add_tag(d, ids, "Harvest"), seeds, doing="Tagging",
                      progress=lambda _p: None, cancel=cancel, between=between, step=2)
    assert sorted(tagged_documents(db, "Harvest")) == sorted([seeds[0], outside])


def test_a_cancel_with_nothing_changed_elsewhere_takes_every_step_back(db, seeds, other):
    cancel, between = cancel_after_first_step(lambda: None)
    with pytest.raises(Cancelled, match=r"^Cancelled\.$"):
        edit_in_steps(db, lambda d, ids: set_read_state(d, ids, "to_read"), seeds, doing="Marking",
                      progress=lambda _p: None, cancel=cancel, between=between, step=2)
    assert set(states(db).values()) == {"unread"}


def test_undo_of_an_edit_in_steps_leaves_the_articles_changed_elsewhere_since(db, seeds, other):
    change = edit_in_steps(db, lambda d, ids: set_read_state(d, ids, "to_read"), seeds, doing="Marking",
                           progress=lambda _p: None, cancel=CancelToken(), step=2)
    other.execute("UPDATE documents SET read_state = 'read' WHERE id IN (?, ?)", seeds[1:3])
    other.commit()
    change.undo(db)
    assert states(db) == {i: "read" if i in seeds[1:3] else "unread" for i in seeds}
    assert change.last_step.message == (
        "Undone: Mark 5 articles to read, except on 2 articles another window or command changed "
        "since (left as they are).")
    change.redo(db)
    assert states(db) == {i: "read" if i in seeds[1:3] else "to_read" for i in seeds}
    assert change.last_step.message.startswith("Redone: Mark 5 articles to read, except on 2 articles")


def test_undo_in_steps_counts_the_articles_and_leaves_those_changed_elsewhere(db, seeds, other):
    change = edit_in_steps(db, lambda d, ids: set_read_state(d, ids, "to_read"), seeds, doing="Marking",
                           progress=lambda _p: None, cancel=CancelToken(), step=2)
    other.execute("UPDATE documents SET read_state = 'read' WHERE id = ?", [seeds[4]])
    other.commit()
    reported = []
    change.in_steps(db, backwards=True, progress=reported.append, cancel=CancelToken())
    assert [(p.done, p.total) for p in reported] == [(0, 5), (1, 5), (3, 5), (5, 5)]
    assert reported[1].phase == "Undoing 1 of 5 articles…"
    assert states(db) == {i: "read" if i == seeds[4] else "unread" for i in seeds}
    assert change.last_step.message.startswith("Undone: Mark 5 articles to read, except on 1 article")


def test_a_cancelled_undo_in_steps_leaves_the_edit_whole(db, seeds):
    change = edit_in_steps(db, lambda d, ids: set_read_state(d, ids, "to_read"), seeds, doing="Marking",
                           progress=lambda _p: None, cancel=CancelToken(), step=2)
    cancel = CancelToken()
    with pytest.raises(Cancelled):
        change.in_steps(db, backwards=True, progress=lambda _p: None, cancel=cancel, between=cancel.cancel)
    assert set(states(db).values()) == {"to_read"}
    change.in_steps(db, backwards=True, progress=lambda _p: None, cancel=CancelToken())
    assert set(states(db).values()) == {"unread"}
