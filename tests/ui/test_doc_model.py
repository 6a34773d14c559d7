"""The article list model: lazy batches, pages of rows, SQL sorting requests; checked by qtmodeltester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.core.library import open_library
from desktop.ui.doc_list_view import DocumentListView
from desktop.ui.doc_model import ARTICLE_MIME, Column, DocumentListModel, article_ids
from desktop.ui.sidebar import FacetModel
from tests.ui.conftest import AGENCY_ARTICLES, QT_LOG_IGNORE, insert_articles

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)


@pytest.fixture
def db(library_path):
    ids = insert_articles(library_path, AGENCY_ARTICLES)
    library = open_library(library_path)
    yield library.db, ids
    library.close()


def test_list_model_passes_model_tests_empty_filled_fetched_and_reset(qtmodeltester, db):
    database, ids = db
    empty = DocumentListModel(database)
    qtmodeltester.check(empty)
    model = DocumentListModel(database)
    model.BATCH = 2
    model.set_ids(ids)
    assert model.rowCount() == 2 and model.canFetchMore(QModelIndex())
    # The tester stays attached and checks every later change. It calls fetchMore
    # while handling modelReset, before it clears its own "reset in flight" state,
    # so resets below leave nothing more to fetch.
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    model.reveal(len(ids))
    assert model.rowCount() == len(ids) and not model.canFetchMore(QModelIndex())
    model.set_ids(list(reversed(ids))[:2])
    assert model.data(model.index(0, 0)) == AGENCY_ARTICLES[-1]["title"]
    model.invalidate([ids[-1]])
    model.set_ids([])
    assert model.rowCount() == 0


def test_list_shows_title_date_source_author_and_word_count(db):
    database, ids = db
    model = DocumentListModel(database)
    model.set_ids(ids[:1])
    cells = [model.data(model.index(0, column)) for column in range(model.columnCount())]
    assert cells == ["Vaccine trial in Novosibirsk", "2019-03-02", "Xinhua", "Li Wei", "7"]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == [
        "Title", "Published", "Source", "Author", "Words"]


def test_rows_are_loaded_in_bounded_pages_not_all_at_once(db):
    database, ids = db
    model = DocumentListModel(database)
    model.PAGE, model.MAX_PAGES = 1, 2
    model.set_ids(ids)
    for row in range(len(ids)):
        model.data(model.index(row, 0))
    assert len(model._pages) == 2


def test_reveal_to_a_row_far_down_makes_it_reachable(db):
    database, ids = db
    model = DocumentListModel(database)
    model.BATCH = 1
    model.set_ids(ids)
    assert model.row_of(ids[-1]) == len(ids) - 1
    assert model.rowCount() == len(ids)


def test_clicking_a_header_asks_for_an_sql_sort(qtbot, db):
    database, ids = db
    model = DocumentListModel(database)
    model.set_ids(ids)
    with qtbot.waitSignal(model.sort_requested) as blocker:
        model.sort(1, Qt.SortOrder.DescendingOrder)
    assert blocker.args == ["published", True]


def _chars_column() -> Column:
    return Column("chars", "Chars", None, lambda row: str(row.get("chars", "")),
                  fetch=lambda db, wanted: {i: i * 10 for i in wanted})


def test_an_added_column_shows_values_from_its_own_loader_in_rows_already_drawn(qtbot, db):
    database, ids = db
    model = DocumentListModel(database)
    model.set_ids(ids[:1])
    assert model.data(model.index(0, 0)) == "Vaccine trial in Novosibirsk"
    with qtbot.waitSignal(model.columnsInserted) as blocker:
        assert model.add_column(_chars_column()) == 5
    assert blocker.args[1:] == [5, 5]
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Chars"
    assert model.data(model.index(0, 5)) == str(ids[0] * 10)


def test_an_added_column_belongs_to_its_model_only(db):
    database, _ = db
    model, other = DocumentListModel(database), DocumentListModel(database)
    model.add_column(_chars_column(), position=1)
    assert [c.key for c in model.columns][:2] == ["title", "chars"]
    assert other.column_of_key("chars") == -1 and model.column_of_key("chars") == 1
    with pytest.raises(ValueError):
        model.add_column(_chars_column())


def test_adding_a_column_to_a_filled_model_passes_model_tests(qtmodeltester, db):
    database, ids = db
    model = DocumentListModel(database)
    model.set_ids(ids)
    qtmodeltester.check(model)
    model.add_column(_chars_column())
    assert model.columnCount() == 6


def test_dragging_rows_carries_their_article_ids(db):
    database, ids = db
    model = DocumentListModel(database)
    model.set_ids(ids)
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.mimeTypes() == [ARTICLE_MIME]
    indexes = [model.index(row, column) for row in (3, 1) for column in range(2)]
    assert article_ids(model.mimeData(indexes)) == [ids[1], ids[3]]


def test_data_of_a_deleted_article_is_empty_not_an_error(db):
    database, ids = db
    model = DocumentListModel(database)
    model.set_ids([ids[0], 999_999])
    assert model.data(model.index(1, 0)) is None


def test_facet_model_passes_model_tests(qtmodeltester):
    model = FacetModel("source")
    qtmodeltester.check(model)
    model.set_counts([("Xinhua", 3), ("TASS", 2)], included=frozenset({"TASS"}))
    assert model.values() == [("Xinhua", 3), ("TASS", 2)]
    model.set_counts([], included=frozenset())
    assert model.rowCount() == 0


def test_reading_states_read_as_words_in_their_facet(qtmodeltester):
    model = FacetModel("state")
    qtmodeltester.check(model)
    model.set_counts([("starred", 1), ("to_read", 2), ("unread", 3), ("read", 4)], included=frozenset())
    shown = [model.data(model.index(row, FacetModel.VALUE)) for row in range(4)]
    assert shown == ["Starred", "To read", "Unread", "Read"]
    assert model.value_at(1) == "to_read"


def list_view(qtbot, db, *, width: int):
    from desktop.ui.doc_list_view import DocumentListView

    database, ids = db
    model = DocumentListModel(database)
    model.set_ids(ids)
    view = DocumentListView(title_min_chars=30)
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(width, 300)
    view.show()
    return view


def shown_columns(view) -> list[int]:
    header = view.horizontalHeader()
    return [number for number in range(header.count()) if not header.isSectionHidden(number)]


def test_the_title_column_takes_the_spare_width_but_never_shrinks_below_its_minimum(qtbot, db):
    view = list_view(qtbot, db, width=1000)
    header = view.horizontalHeader()
    others = sum(header.sectionSize(number) for number in range(1, header.count()))
    assert header.sectionSize(0) == view.viewport().width() - others
    assert view.title_min_width > view.fontMetrics().horizontalAdvance("x" * 30)
    view.resize(120, 300)
    assert header.sectionSize(0) == view.title_min_width


def test_columns_that_do_not_fit_beside_the_title_give_way_rightmost_first_and_come_back(qtbot, db):
    view = list_view(qtbot, db, width=1000)
    header = view.horizontalHeader()
    view.resize(view.title_min_width + header.sectionSize(1) + header.sectionSize(2) + 30, 300)
    assert shown_columns(view) == [0, 1, 2]
    assert view.gave_way(4) and not view.gave_way(1)
    shown_width = sum(header.sectionSize(number) for number in (0, 1, 2))
    assert shown_width == view.viewport().width()
    view.resize(1000, 300)
    assert shown_columns(view) == [0, 1, 2, 3, 4]


def test_empty_columns_give_way_before_columns_with_values(qtbot, db):
    view = list_view(qtbot, db, width=1000)
    header = view.horizontalHeader()
    view.set_empty_columns({1})
    view.resize(view.title_min_width + header.sectionSize(2) + 40, 300)
    assert shown_columns(view) == [0, 2]


def test_a_column_the_person_hides_stays_hidden_whatever_the_width(qtbot, db):
    view = list_view(qtbot, db, width=1000)
    header = view.horizontalHeader()
    published = header.sectionSize(1)
    before = header.sectionSize(0)
    view.set_column_hidden(1, True)
    assert header.sectionSize(0) == before + published
    view.resize(300, 300)
    view.resize(1000, 300)
    assert shown_columns(view) == [0, 2, 3, 4] and not view.gave_way(1)


ROW = 20


@pytest.fixture
def listed(qtbot, db):
    """A list view over the five articles, tall enough for a row and a half."""
    database, ids = db
    model = DocumentListModel(database)
    model.set_ids(ids)
    view = DocumentListView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.setSelectionBehavior(DocumentListView.SelectionBehavior.SelectRows)
    view.setSelectionMode(DocumentListView.SelectionMode.ExtendedSelection)
    view.verticalHeader().setMinimumSectionSize(ROW)
    view.verticalHeader().setDefaultSectionSize(ROW)
    view.resize(600, view.horizontalHeader().sizeHint().height() + ROW * 3 // 2 + 2 * view.frameWidth())
    view.show()
    return view, model, ids


def select(view, rows: list[int], *, current: int) -> None:
    selection = view.selectionModel()
    flag = selection.SelectionFlag
    for row in rows:
        selection.select(view.model().index(row, 0), flag.Select | flag.Rows)
    selection.setCurrentIndex(view.model().index(current, 0), flag.NoUpdate)


def test_a_new_list_keeps_the_selected_and_current_articles_by_id_not_by_row(listed):
    view, model, ids = listed
    select(view, [1, 2, 3], current=3)
    model.set_ids(list(reversed(ids)))
    assert view.place().selected == (ids[3], ids[2], ids[1])
    assert sorted(index.row() for index in view.selectionModel().selectedRows()) == [1, 2, 3]
    assert model.id_at(view.currentIndex().row()) == ids[3]


def test_articles_that_leave_the_list_leave_the_selection_and_the_others_stay(listed):
    view, model, ids = listed
    select(view, [1, 2], current=1)
    model.set_ids([ids[0], ids[2], ids[4]])
    assert view.place().selected == (ids[2],)
    assert not view.currentIndex().isValid()


def test_a_new_list_keeps_the_articles_on_screen_where_they_were(listed):
    view, model, ids = listed
    view.scrollTo(model.index(1, 0), DocumentListView.ScrollHint.PositionAtTop)
    assert model.id_at(view.rowAt(0)) == ids[1]
    model.set_ids([ids[4], ids[0], ids[1], ids[2], ids[3]])
    assert model.id_at(view.rowAt(0)) == ids[1]
    model.set_ids([ids[4], ids[0], ids[2], ids[3]])
    assert model.id_at(view.rowAt(ROW)) == ids[2]


def test_reloading_some_articles_repaints_only_their_rows_and_keeps_the_selection(qtbot, listed):
    view, model, ids = listed
    select(view, [0, 1, 2], current=2)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.invalidate([ids[3], ids[1]])
    first, last = changed.args[:2]
    assert (first.row(), last.row()) == (1, 3)
    assert view.place().selected == tuple(ids[:3]) and view.place().current == ids[2]


def test_the_article_below_a_removed_one_takes_its_place_or_else_the_one_above():
    from desktop.ui.doc_list_view import successor_of

    assert successor_of(3, old=[1, 2, 3, 4, 5], new=[1, 2, 5]) == 5
    assert successor_of(5, old=[1, 2, 3, 4, 5], new=[1, 2, 3]) == 3
    assert successor_of(3, old=[1, 2, 3], new=[]) is None
    assert successor_of(9, old=[1, 2, 3], new=[1]) is None
