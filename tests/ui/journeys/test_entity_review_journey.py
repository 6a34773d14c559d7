"""Journeys through Entities ▸ Review entities…: the library's entities in one table, filtered by
typing, several merged into one chosen by typing, a type changed with one key, a suggestion
accepted with one key and skipped with another, each taken back with Ctrl+Z."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QTableView, QWidget

from desktop.core.entities.name_keys import refresh_keys
from desktop.core.entities.review import relabel_entities
from desktop.core.library import open_library
from tests.ui.conftest import QT_LOG_IGNORE, insert_articles
from tests.ui.journeys.steps import click_row, menu_action, merge_by_typing, merge_picker, selected_rows

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE, "This plugin does not support (raise|grabbing)")

ARTICLES = [  # (title, text, the names a model found in it with their types)
    ("Election called", "Tony Blair called the election. Lib Dems and Blair aides met.",
     [("Tony Blair", "PERSON"), ("Lib Dems", "ORG"), ("Blair", "PERSON")]),
    ("Campaign opens", "Tony Blair opened the campaign in Sedgefield.", [("Tony Blair", "PERSON"),
                                                                         ("Sedgefield", "GPE")]),
    ("Budget row", "Mr Blair and the Lib Dem leader clashed; Tony Blair won.",
     [("Blair", "PERSON"), ("Lib Dem", "ORG"), ("Tony Blair", "PERSON")]),
    ("Polls", "Lib Dems gain as Tony Blair waits.", [("Lib Dems", "ORG"), ("Tony Blair", "PERSON")]),
    ("Tennis", "Mauresmo beat Davenport. Mauresmo was happy.", [("Mauresmo", "PERSON"),
                                                                ("Davenport", "PERSON")]),
    ("Final", "Mauresmo won again.", [("Mauresmo", "PERSON")]),
    ("Rest", "Mauresmo rests.", [("Mauresmo", "PERSON")]),
    ("Sponsor", "Mauresmo signed with a sponsor.", [("Mauresmo", "ORG")]),
]


@pytest.fixture
def review_library(library_path) -> Path:
    """Seven articles with the entities a model found, duplicates and a mislabel among them."""
    ids = insert_articles(library_path, [{"title": t, "text": text, "published": f"2005-04-{n + 1:02}",
                                          "source": "BBC"} for n, (t, text, _) in enumerate(ARTICLES)])
    with open_library(library_path) as library, library.db.atomic():
        db = library.db
        for doc_id, (_, text, found) in zip(ids, ARTICLES):
            for name, label in found:
                start = text.index(name)
                db.execute("INSERT OR IGNORE INTO entities (label, name) VALUES (?, ?)", [label, name])
                entity_id = db.execute("SELECT id FROM entities WHERE label = ? AND name = ?",
                                       [label, name]).fetchone()[0]
                db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin, model) '
                           "VALUES (?, ?, ?, ?, ?, 'model', 'test')",
                           [doc_id, entity_id, start, start + len(name), name])
    return library_path


def open_review(qtbot, window) -> QWidget:
    """Entities ▸ Review entities…, and wait for the window with the typing focus in its filter
    and the entities counted (in the background)."""
    menu_action(window, "actionReviewEntities").trigger()
    review = window.findChild(QWidget, "entityReview")
    count = review.findChild(QLabel, "entityReviewCount")
    qtbot.waitUntil(lambda: review.isVisible() and review.findChild(QLineEdit, "entityReviewFilter").hasFocus()
                    and "counting" not in count.text().lower())
    return review


def table_rows(review) -> list[tuple[str, str, str]]:
    """(name, type, articles) of each row the table shows."""
    model = review.findChild(QTableView, "entityTable").model()
    return [(model.index(r, 0).data(), model.index(r, 1).data(), model.index(r, 2).data())
            for r in range(model.rowCount())]


def spellings_of(review, name: str) -> str:
    model = review.findChild(QTableView, "entityTable").model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    return model.index(row, 5).data()


def suggestion_texts(review) -> list[str]:
    listing = review.findChild(QTableView, "suggestionList")
    model = listing.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def undo(qtbot, review) -> None:
    qtbot.keyClick(review.findChild(QTableView, "entityTable"), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def test_typing_filters_the_table_and_a_header_click_sorts_it(qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    assert table_rows(review)[0] == ("Tony Blair", "Person", "4")
    assert len(table_rows(review)) == 8

    qtbot.keyClicks(review.findChild(QLineEdit, "entityReviewFilter"), "blair")
    qtbot.waitUntil(lambda: [name for name, _, _ in table_rows(review)] == ["Tony Blair", "Blair"])

    table = review.findChild(QTableView, "entityTable")
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(0) + 5, header.height() // 2))
    qtbot.waitUntil(lambda: [name for name, _, _ in table_rows(review)] == ["Blair", "Tony Blair"])


def test_two_names_are_merged_into_one_chosen_by_typing_and_ctrl_z_splits_them_again(
        qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    qtbot.keyClicks(review.findChild(QLineEdit, "entityReviewFilter"), "lib")
    qtbot.waitUntil(lambda: {name for name, _, _ in table_rows(review)} == {"Lib Dems", "Lib Dem"})
    table = review.findChild(QTableView, "entityTable")
    click_row(qtbot, table, 0)
    click_row(qtbot, table, 1, Qt.KeyboardModifier.ControlModifier)
    assert selected_rows(table) == [0, 1]

    merge_by_typing(qtbot, table, "dems")
    qtbot.waitUntil(lambda: table_rows(review) == [("Lib Dems", "Organisation", "3")])
    assert spellings_of(review, "Lib Dems") == "Lib Dem"

    qtbot.waitUntil(table.hasFocus)
    undo(qtbot, review)
    qtbot.waitUntil(lambda: {row for row in table_rows(review)} == {("Lib Dems", "Organisation", "2"),
                                                                     ("Lib Dem", "Organisation", "1")})


def retype_with_t(qtbot, review, typed: str, found: list[tuple[str, str, str]], label: str) -> None:
    """Filter the table by ``typed`` until it shows ``found``, choose the type ``label`` by
    typing it, select the first row and press T."""
    qtbot.keyClicks(review.findChild(QLineEdit, "entityReviewFilter"), typed)
    qtbot.waitUntil(lambda: table_rows(review) == found)
    new_type = review.findChild(QComboBox, "entityNewType")
    new_type.setFocus()
    qtbot.keyClicks(new_type, label)
    assert new_type.currentText() == label
    table = review.findChild(QTableView, "entityTable")
    click_row(qtbot, table, 0)
    qtbot.keyClick(table, Qt.Key.Key_T)


def test_the_type_of_selected_entities_changes_with_one_key(qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    retype_with_t(qtbot, review, "sedge", [("Sedgefield", "Place", "1")], "Organisation")
    qtbot.waitUntil(lambda: table_rows(review) == [("Sedgefield", "Organisation", "1")])
    undo(qtbot, review)
    qtbot.waitUntil(lambda: table_rows(review) == [("Sedgefield", "Place", "1")])


def test_a_correction_in_many_articles_and_its_undo_run_in_the_background(qtbot, open_window, review_library,
                                                                         monkeypatch):
    from desktop.ui import operations

    monkeypatch.setattr(operations, "BULK_ARTICLES", 3)
    window = open_window(review_library)
    review = open_review(qtbot, window)
    retype_with_t(qtbot, review, "tony", [("Tony Blair", "Person", "4")], "Place")
    status = review.findChild(QLabel, "entityReviewStatus")
    assert status.text().startswith("Correcting entities in 4 articles…") and window.job.isVisible()
    qtbot.waitUntil(lambda: table_rows(review) == [("Tony Blair", "Place", "4")])
    undo(qtbot, review)
    assert window.job.isVisible()
    qtbot.waitUntil(lambda: table_rows(review) == [("Tony Blair", "Person", "4")])


def test_the_pointer_shows_the_window_busy_while_a_correction_or_its_undo_runs(qtbot, open_window, review_library,
                                                                   monkeypatch):
    from desktop.ui import entity_review

    shapes = []

    def relabel(db, ids, *, label):
        cursor = QApplication.overrideCursor()
        shapes.append(cursor.shape() if cursor is not None else None)
        return relabel_entities(db, ids, label=label)

    monkeypatch.setattr(entity_review, "relabel_entities", relabel)
    review = open_review(qtbot, open_window(review_library))
    qtbot.keyClicks(review.findChild(QLineEdit, "entityReviewFilter"), "sedge")
    qtbot.waitUntil(lambda: table_rows(review) == [("Sedgefield", "Place", "1")])
    table = review.findChild(QTableView, "entityTable")
    click_row(qtbot, table, 0)
    qtbot.keyClick(table, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: table_rows(review)[0][1] != "Place")
    assert shapes == [Qt.CursorShape.WaitCursor]
    assert QApplication.overrideCursor() is None  # and the pointer is itself again
    from desktop.core.undo import RowChange

    undo_step = RowChange.undo

    def undo_watched(change, db):
        cursor = QApplication.overrideCursor()
        shapes.append(cursor.shape() if cursor is not None else None)
        return undo_step(change, db)

    monkeypatch.setattr(RowChange, "undo", undo_watched)
    undo(qtbot, review)
    qtbot.waitUntil(lambda: table_rows(review)[0][1] == "Place")
    assert shapes == [Qt.CursorShape.WaitCursor] * 2
    assert QApplication.overrideCursor() is None


def test_a_suggestion_is_accepted_with_enter_skipped_with_space_and_undone(qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    listing = review.findChild(QTableView, "suggestionList")
    qtbot.waitUntil(lambda: suggestion_texts(review) == [
        "“Lib Dem” → “Lib Dems”", "“Blair” → “Tony Blair”", "“Mauresmo” is a person, not an organisation"])
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)

    qtbot.keyClick(listing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(suggestion_texts(review)) == 2)
    qtbot.waitUntil(lambda: ("Lib Dems", "Organisation", "3") in table_rows(review))
    assert listing.currentIndex().siblingAtColumn(0).data() == "“Blair” → “Tony Blair”"

    qtbot.keyClick(listing, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: suggestion_texts(review) == ["“Mauresmo” is a person, not an organisation"])
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: suggestion_texts(review) == [])
    qtbot.waitUntil(lambda: ("Mauresmo", "Person", "4") in table_rows(review))
    assert ("Mauresmo", "Organisation", "1") not in table_rows(review)

    qtbot.keyClick(listing, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: suggestion_texts(review) == ["“Mauresmo” is a person, not an organisation"])
    qtbot.waitUntil(lambda: ("Mauresmo", "Organisation", "1") in table_rows(review))


def test_ctrl_z_in_the_review_window_says_there_what_it_took_back(qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    listing = review.findChild(QTableView, "suggestionList")
    status = review.findChild(QLabel, "entityReviewStatus")
    qtbot.waitUntil(lambda: suggestion_texts(review)[:1] == ["“Lib Dem” → “Lib Dems”"])
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status.text() == "Merged 'Lib Dem' into 'Lib Dems'.")

    qtbot.keyClick(listing, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: suggestion_texts(review)[:1] == ["“Lib Dem” → “Lib Dems”"])
    assert status.text() == "Undone: Merge 'Lib Dem' into 'Lib Dems'."
    qtbot.keyClick(listing, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: status.text() == "Redone: Merge 'Lib Dem' into 'Lib Dems'.")


def test_a_name_in_another_script_is_suggested_and_merged_with_enter(qtbot, open_window, library_path):
    texts = ["The KGB archive opened.", "The KGB files were read.", "The KGB denied it.",
             "КГБ открыл архив."]
    ids = insert_articles(library_path, [{"title": f"Story {n}", "text": text, "source": "TASS"}
                                         for n, text in enumerate(texts)])
    with open_library(library_path) as library, library.db.atomic():
        for doc_id, text in zip(ids, texts):
            name = "КГБ" if text.startswith("КГБ") else "KGB"
            start = text.index(name)
            library.db.execute("INSERT OR IGNORE INTO entities (label, name) VALUES ('ORG', ?)", [name])
            entity_id = library.db.execute("SELECT id FROM entities WHERE name = ?", [name]).fetchone()[0]
            library.db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin, model) '
                               "VALUES (?, ?, ?, ?, ?, 'model', 'test')",
                               [doc_id, entity_id, start, start + len(name), name])
    with open_library(library_path) as library:
        refresh_keys(library.db)  # every extraction makes the names' romanised keys
    review = open_review(qtbot, open_window(library_path))
    listing = review.findChild(QTableView, "suggestionList")
    qtbot.waitUntil(lambda: suggestion_texts(review) == ["“КГБ” → “KGB”"])
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: suggestion_texts(review) == [])
    qtbot.waitUntil(lambda: table_rows(review) == [("KGB", "Organisation", "4")])
    assert "КГБ" in spellings_of(review, "KGB")


def test_the_keyboard_alone_reaches_the_type_box_and_the_suggestions_and_accepts_one(
        qtbot, open_window, review_library):
    review = open_review(qtbot, open_window(review_library))
    listing = review.findChild(QTableView, "suggestionList")
    qtbot.waitUntil(lambda: len(suggestion_texts(review)) == 3)
    table = review.findChild(QTableView, "entityTable")
    qtbot.keyClick(review.findChild(QLineEdit, "entityReviewFilter"), Qt.Key.Key_Down)
    qtbot.waitUntil(table.hasFocus)

    qtbot.keyClick(table, Qt.Key.Key_Tab)
    new_type = review.findChild(QComboBox, "entityNewType")
    qtbot.waitUntil(new_type.hasFocus)
    for _ in range(10):
        if listing.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert listing.hasFocus()
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(suggestion_texts(review)) == 2)
    qtbot.waitUntil(lambda: ("Lib Dems", "Organisation", "3") in table_rows(review))


def test_after_a_correction_and_its_undo_the_table_keeps_its_place(qtbot, open_window, review_library):
    review = open_review(qtbot, open_window(review_library))
    table = review.findChild(QTableView, "entityTable")
    qtbot.keyClick(review.findChild(QLineEdit, "entityReviewFilter"), Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    before = table_rows(review)
    assert selected_rows(table) == [2]

    qtbot.keyClick(table, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: table_rows(review) == before[:2] + before[3:])
    assert selected_rows(table) == [2] and table.currentIndex().row() == 2 and table.hasFocus()

    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert selected_rows(table) == [2, 3]
    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: table_rows(review) == before)
    assert selected_rows(table) == [2] and table.currentIndex().row() == 2


def test_a_merge_made_in_the_table_takes_its_pair_off_the_suggestions_and_keeps_the_place_in_them(
        qtbot, open_window, review_library):
    review = open_review(qtbot, open_window(review_library))
    listing = review.findChild(QTableView, "suggestionList")
    qtbot.waitUntil(lambda: suggestion_texts(review) == [
        "“Lib Dem” → “Lib Dems”", "“Blair” → “Tony Blair”", "“Mauresmo” is a person, not an organisation"])
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton,
                     pos=listing.visualRect(listing.model().index(1, 0)).center())
    assert listing.currentIndex().siblingAtColumn(0).data() == "“Blair” → “Tony Blair”"

    qtbot.keyClicks(review.findChild(QLineEdit, "entityReviewFilter"), "lib")
    qtbot.waitUntil(lambda: {name for name, _, _ in table_rows(review)} == {"Lib Dems", "Lib Dem"})
    table = review.findChild(QTableView, "entityTable")
    click_row(qtbot, table, 0)
    click_row(qtbot, table, 1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(table, Qt.Key.Key_M)
    qtbot.waitUntil(lambda: merge_picker() is not None)
    box = merge_picker().findChild(QLineEdit, "mergeFilter")
    qtbot.keyClicks(box, "dems")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table_rows(review) == [("Lib Dems", "Organisation", "3")])

    qtbot.waitUntil(lambda: suggestion_texts(review) == [
        "“Blair” → “Tony Blair”", "“Mauresmo” is a person, not an organisation"])
    assert listing.currentIndex().siblingAtColumn(0).data() == "“Blair” → “Tony Blair”"


def test_accepting_suggestions_one_after_another_does_not_read_them_again(qtbot, open_window, review_library):
    review = open_review(qtbot, open_window(review_library))
    listing = review.findChild(QTableView, "suggestionList")
    hint = review.findChild(QLabel, "suggestionHint")
    qtbot.waitUntil(lambda: len(suggestion_texts(review)) == 3)
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)
    for left in (2, 1):
        qtbot.keyClick(listing, Qt.Key.Key_Return)
        assert len(suggestion_texts(review)) == left
        assert hint.text() == f"{left} suggestion{'s' if left > 1 else ''} — Enter accepts, Space skips, Ctrl+Z undoes."


def test_esc_closes_the_review_window_as_it_closes_the_other_tool_windows(qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    table = review.findChild(QTableView, "entityTable")
    qtbot.keyClick(review.findChild(QLineEdit, "entityReviewFilter"), Qt.Key.Key_Down)
    qtbot.waitUntil(table.hasFocus)
    qtbot.keyClick(table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not review.isVisible())


def test_the_suggestions_read_whole_and_every_column_of_the_table_is_in_sight(qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    listing = review.findChild(QTableView, "suggestionList")
    table = review.findChild(QTableView, "entityTable")
    qtbot.waitUntil(lambda: "“Mauresmo” is a person, not an organisation" in suggestion_texts(review))
    assert review.screen().availableGeometry().contains(review.frameGeometry())
    assert listing.columnWidth(0) >= listing.sizeHintForColumn(0)
    assert table.horizontalScrollBar().maximum() == 0


@pytest.fixture
def held_counts(monkeypatch):
    """The review's counts read in the background wait until the test sets the returned event;
    the threads that read them are listed in ``event.threads``."""
    import threading

    from desktop.ui import entity_counts

    gate = threading.Event()
    gate.threads = []
    read = entity_counts.read_counts

    def held(db):
        gate.threads.append(threading.current_thread())
        gate.wait(60)
        return read(db)

    monkeypatch.setattr(entity_counts, "read_counts", held)
    yield gate
    gate.set()


def test_while_the_first_count_runs_the_suggestions_keep_their_width(qtbot, open_window, review_library,
                                                                     held_counts):
    window = open_window(review_library)
    menu_action(window, "actionReviewEntities").trigger()
    review = window.findChild(QWidget, "entityReview")
    listing = review.findChild(QTableView, "suggestionList")
    qtbot.waitUntil(lambda: review.findChild(QLabel, "entityReviewCount").text() == "Counting mentions…")
    qtbot.waitUntil(lambda: "“Mauresmo” is a person, not an organisation" in suggestion_texts(review))
    assert listing.columnWidth(0) >= listing.sizeHintForColumn(0)
    held_counts.set()
    qtbot.waitUntil(lambda: table_rows(review)[:1] == [("Tony Blair", "Person", "4")])


def test_a_count_that_ends_before_the_window_goes_on_still_shows_its_result(qtbot, open_window, review_library,
                                                                            monkeypatch):
    """On a busy machine the count's thread can end before the window's thread has gone on from
    starting it; the window once missed that end and said "Counting mentions…" for good."""
    from desktop.ui import entity_counts

    class EndingAtOnce(entity_counts.WorkerPool):
        def start(self, job, **callbacks):
            worker = super().start(job, **callbacks)
            self.wait()  # the count has ended and reported before its starter goes on
            return worker

    monkeypatch.setattr(entity_counts, "WorkerPool", EndingAtOnce)
    review = open_review(qtbot, open_window(review_library))
    assert review.findChild(QLabel, "entityReviewCount").text() == "8 entities"
    assert table_rows(review)[:1] == [("Tony Blair", "Person", "4")]


def test_entities_found_by_another_program_are_counted_in_the_background_while_the_table_still_answers(
        qtbot, open_window, review_library, held_counts):
    """At 100,000 articles counting every mention takes seconds: the window must not wait for it."""
    import threading

    held_counts.set()  # the first count: the window opens on counted entities
    review = open_review(qtbot, open_window(review_library))
    count = review.findChild(QLabel, "entityReviewCount")
    held_counts.clear()  # the next one waits
    with open_library(review_library) as other:  # the command line finds Blair in one more article
        other.db.execute('INSERT INTO mentions (document_id, entity_id, start, "end", text, origin, model) '
                         "SELECT d.id, e.id, 0, 5, 'Blair', 'user', 'test' FROM documents d, entities e "
                         "WHERE d.title = 'Rest' AND e.name = 'Blair'")
        other.db.conn.commit()
    qtbot.waitUntil(lambda: count.text() == "8 entities (counting again…)")
    listing = review.findChild(QTableView, "suggestionList")  # the longer count pushes nothing aside
    qtbot.waitUntil(lambda: "“Mauresmo” is a person, not an organisation" in suggestion_texts(review))
    assert listing.columnWidth(0) >= listing.sizeHintForColumn(0)
    qtbot.keyClicks(review.findChild(QLineEdit, "entityReviewFilter"), "blair")  # answered meanwhile
    qtbot.waitUntil(lambda: table_rows(review) == [("Tony Blair", "Person", "4"), ("Blair", "Person", "2")])
    held_counts.set()
    qtbot.waitUntil(lambda: table_rows(review) == [("Tony Blair", "Person", "4"), ("Blair", "Person", "3")])
    qtbot.waitUntil(lambda: count.text() == "2 entities")
    assert held_counts.threads and threading.main_thread() not in held_counts.threads


def test_a_suggestion_s_reason_and_counts_read_whole_in_their_tooltips(qtbot, open_window, review_library):
    window = open_window(review_library)
    review = open_review(qtbot, window)
    listing = review.findChild(QTableView, "suggestionList")
    qtbot.waitUntil(lambda: "“Blair” → “Tony Blair”" in suggestion_texts(review))
    model = listing.model()
    row = suggestion_texts(review).index("“Blair” → “Tony Blair”")
    text, tip = (lambda column: model.index(row, column).data()), \
        (lambda column: model.index(row, column).data(Qt.ItemDataRole.ToolTipRole))
    assert tip(1) == text(1) != ""
    assert tip(2).endswith("with “Blair”, " + text(2).split(" + ")[1] + " with “Tony Blair”")


def test_a_correction_in_the_table_takes_its_stale_suggestions_off_before_they_are_read_again(
        qtbot, open_window, review_library, monkeypatch):
    """At 100,000 articles reading the suggestions again takes seconds: meanwhile the list must not
    offer a suggestion the correction has made wrong."""
    import threading

    from desktop.ui import entity_review

    review = open_review(qtbot, open_window(review_library))
    qtbot.waitUntil(lambda: suggestion_texts(review)[:1] == ["“Lib Dem” → “Lib Dems”"])
    gate = threading.Event()
    read = entity_review.read_suggestions
    monkeypatch.setattr(entity_review, "read_suggestions", lambda *a, **k: (gate.wait(60), read(*a, **k))[1])

    retype_with_t(qtbot, review, "lib dem", [("Lib Dems", "Organisation", "2"), ("Lib Dem", "Organisation", "1")],
                  "Person")
    qtbot.waitUntil(lambda: suggestion_texts(review) == [
        "“Blair” → “Tony Blair”", "“Mauresmo” is a person, not an organisation"])
    assert not review.suggestions_ready()  # taken off before the suggestions were read again
    gate.set()
    qtbot.waitUntil(review.suggestions_ready)


def test_closing_the_main_window_just_after_accepting_a_suggestion_leaves_nothing_to_fail(
        qtbot, open_window, review_library):
    """The table is read again just after a correction: by then the library may have closed."""
    window = open_window(review_library)
    review = open_review(qtbot, window)
    listing = review.findChild(QTableView, "suggestionList")
    qtbot.waitUntil(lambda: len(suggestion_texts(review)) == 3)
    listing.setFocus()
    qtbot.waitUntil(listing.hasFocus)
    qtbot.keyClick(listing, Qt.Key.Key_Return)
    window.close()
    qtbot.waitUntil(lambda: not review.isVisible())
    QApplication.processEvents()  # what was left to do runs now: it must not touch the closed library
    assert len(suggestion_texts(review)) == 2
