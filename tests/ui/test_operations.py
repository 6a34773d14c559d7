"""The window's operations: one undo history, change sets announced, outside writes noticed."""

from __future__ import annotations

from desktop.core import tags
from desktop.core.changes import ChangeSet
from desktop.core.library import open_library
from desktop.ui.operations import SETTLE_MS, WATCH_MS, Operations


def test_an_edit_is_announced_recorded_and_undone_with_its_change_set(qtbot, agency_library):
    with open_library(agency_library) as library:
        operations = Operations(library)
        announced: list[ChangeSet] = []
        operations.changed.connect(announced.append)
        change = operations.apply(lambda db: tags.add_tag(db, [1, 2], "Biomed"))
        assert announced[-1].tagged == {1, 2} and operations.log.undo_text == f"Undo {change.label}"
        operations.undo()
        assert announced[-1].tagged == {1, 2} and not operations.log.can_undo and operations.log.can_redo
        operations.close()


def test_a_long_outside_import_is_looked_at_less_often_until_it_settles(qtbot, agency_library):
    with open_library(agency_library) as library, open_library(agency_library) as other:
        operations = Operations(library)
        announced: list[ChangeSet] = []
        operations.changed.connect(announced.append)
        other.db.execute(
            "INSERT INTO documents (title, text, sha256, imported_at) VALUES ('New', 'Text.', 'x', 'now')")
        other.db.conn.commit()
        qtbot.waitUntil(lambda: bool(announced), timeout=2000)
        assert announced[0].added and operations._timer.interval() == SETTLE_MS
        qtbot.waitUntil(lambda: operations._timer.interval() == WATCH_MS, timeout=3 * SETTLE_MS)
        assert len(announced) == 1
        operations.close()
