"""The facet index read from the articles: the whole-library read gives what reading each article gives."""

from __future__ import annotations

import numpy as np

from desktop.core.facet_index import FacetIndex
from tests.core.helpers import add_article


def decoded(index: FacetIndex) -> dict:
    """Every document's facet values as text, and the per-document arrays, by document id."""
    present = np.flatnonzero(index.exists)
    return {
        "exists": present.tolist(),
        "starred": index.starred[present].tolist(),
        "dates": index.dates[present].tolist(),
        "dated": index.dated[present].tolist(),
        "lengths": index.lengths[present].tolist(),
        "stories": index.stories[present].tolist(),
        **{name: [column.values[code] if code >= 0 else None for code in column.codes[present]]
           for name, column in index.columns.items()},
    }


def test_the_whole_library_read_at_once_gives_what_reading_each_article_gives(library):
    db = library.db
    with db.atomic():
        for number in range(9):
            add_article(db, f"Story {number} on the Volga and the Yangtze", title=f"Story {number}",
                        source=("Xinhua", "ТАСС", None)[number % 3], author=("Li Wei", None)[number % 2],
                        language=("zh", "ru", "en")[number % 3], starred=number % 2,
                        read_state=("unread", "read", "to_read")[number % 3],
                        published=None if number == 4 else f"20{10 + number % 3}-05-0{1 + number % 5}")
        add_article(db, "An article dated by a year alone", published="2021")
        add_article(db, "An article with an empty date", published="")
        db.execute("DELETE FROM documents WHERE id = 3")
        db.execute("INSERT INTO story_members (document_id, story) VALUES (5, 2), (2, 2), (7, 7)")
    whole = FacetIndex(db.conn)
    one_by_one = FacetIndex(None)
    one_by_one._read_documents(db.conn, list(range(1, 12)))
    assert decoded(whole) == decoded(one_by_one)
    values = decoded(whole)
    assert values["exists"] == [1, 2, 4, 5, 6, 7, 8, 9, 10, 11]
    assert values["year"][-2:] == ["2021", ""]
    assert values["source"][:3] == ["Xinhua", "ТАСС", "Xinhua"]
    assert values["copies"][values["exists"].index(5)] == "copy"
    assert values["stories"][values["exists"].index(2)] == 2
    assert values["dated"][values["exists"].index(5)] is False


def test_the_order_by_length_follows_a_changed_length_and_a_new_article(library):
    db = library.db
    with db.atomic():
        for number, words in enumerate((5, 3, 8, 3)):
            add_article(db, " ".join([f"word{number}"] * words))
    index = FacetIndex(db.conn)
    assert index.by_length().tolist()[-4:] == [2, 4, 1, 3]  # id 0 (none) is first, as empty
    with db.atomic():
        db.execute("UPDATE documents SET starred = 1 WHERE id = 3")
    assert index.catch_up(db.conn)
    assert index.by_length().tolist()[-4:] == [2, 4, 1, 3]
    with db.atomic():
        db.execute("UPDATE documents SET text = 'shortened', word_count = 1 WHERE id = 3")
    assert index.catch_up(db.conn)
    assert index.by_length().tolist() == [0, 3, 2, 4, 1]
    with db.atomic():
        add_article(db, "two words")
    assert index.catch_up(db.conn)
    assert index.by_length().tolist() == [0, 3, 5, 2, 4, 1]
