"""Undo of removing articles brings back what the person had, even when the library changed since:
an article imported again gets its highlights, note, tags, state and corrections back on that copy,
an article imported since under a freed id is left alone, and what cannot be restored says where
the automatic backup is."""

from __future__ import annotations

import shutil

import pytest

from desktop.core import annotations, tags
from desktop.core.entities.corrections import mark_mention, remove_mention
from desktop.core.errors import InvalidInput
from desktop.core.ingest import import_paths
from desktop.core.removal import remove_documents
from desktop.core.undo import UndoLog
from tests.conftest import SEEDS
from tests.core.helpers import SEED_FILES, span, text_folder

LAB = "Joint lab opens\n\nScientists from Tomsk and Harbin opened a joint laboratory on Monday. {extra}"
FORUM = "Forum in Harbin\n\nA biomedicine forum gathered researchers from Moscow and Harbin. {extra}"


@pytest.fixture
def corpus(tmp_path):
    """A folder of two articles, imported into the library; the ids by file name."""
    folder = text_folder(tmp_path / "corpus", {"lab.txt": LAB.format(extra="They study ice."),
                                               "forum.txt": FORUM.format(extra="Talks went on.")})
    return folder


def imported(library, folder) -> dict[str, int]:
    import_paths(library, [folder])
    rows = library.db.conn.execute("SELECT path, id FROM documents").fetchall()
    return {path.rsplit("/", 1)[-1]: doc_id for path, doc_id in rows}


def highlight(db, doc_id: int, quote: str, note: str | None = None) -> int:
    found, _ = annotations.create_annotation(db, doc_id, *span(db, doc_id, quote), note=note)
    return found["id"]


def personalise(db, doc_id: int) -> None:
    """A highlight with a note, an article note, two tags, a star and a reading state."""
    highlight(db, doc_id, "joint laboratory", note="check the budget")
    annotations.set_document_note(db, doc_id, "ask Tomsk for figures")
    tags.add_tag(db, [doc_id], "Biomed")
    tags.add_tag(db, [doc_id], "Labs")
    tags.set_starred(db, [doc_id], True)
    tags.set_read_state(db, [doc_id], "read")


def removed(db, ids: list[int]) -> UndoLog:
    log = UndoLog()
    log.record(remove_documents(db, ids))
    return log


def test_undo_after_the_article_was_imported_again_puts_everything_on_that_copy(library, db, corpus):
    lab = imported(library, corpus)["lab.txt"]
    personalise(db, lab)
    log = removed(db, [lab])
    copy = imported(library, corpus)["lab.txt"]
    change = log.undo(db)
    assert db.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    [found] = annotations.document_annotations(db, copy)
    text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [copy]).fetchone()[0]
    assert (text[found["start"]:found["end"]], found["note"], found["orphaned"]) == (
        "joint laboratory", "check the budget", False)
    assert annotations.document_note(db, copy) == "ask Tomsk for figures"
    assert tags.tagged_documents(db, "Biomed") == [copy] and tags.tagged_documents(db, "Labs") == [copy]
    assert db.conn.execute("SELECT starred, read_state FROM documents WHERE id = ?", [copy]).fetchone() == (1, "read")
    assert change.last_step.message == (
        "Undone: Remove 1 article — 'Joint lab opens' had been imported again, so its highlight, "
        "note and 2 tags were put on that copy.")


def test_undo_after_a_changed_file_was_imported_again_places_highlights_by_their_quotes(library, db, corpus):
    lab = imported(library, corpus)["lab.txt"]
    highlight(db, lab, "Tomsk and Harbin", note="which institutes?")
    highlight(db, lab, "They study ice.", note="what kind of ice")
    log = removed(db, [lab])
    (corpus / "lab.txt").write_text("Update: " + LAB.format(extra="Permafrost cores go to Yakutsk."),
                                    encoding="utf-8")
    copy = imported(library, corpus)["lab.txt"]
    change = log.undo(db)
    text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [copy]).fetchone()[0]
    placed, gone = annotations.document_annotations(db, copy)
    assert (text[placed["start"]:placed["end"]], placed["orphaned"]) == ("Tomsk and Harbin", False)
    assert (gone["quote"], gone["note"], gone["orphaned"]) == ("They study ice.", "what kind of ice", True)
    assert change.last_step.message.endswith(
        "(1 highlight whose words are no longer in the text is kept, marked not found).")


def test_undo_after_an_export_record_was_imported_again_finds_it_by_its_file_and_identity(library, db, tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    record = '{{"id": "{n}", "title": "Story {n}", "text": "{text}"}}'
    lines = [record.format(n=1, text="Scientists in Tomsk."), record.format(n=2, text="Doctors in Harbin.")]
    (folder / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    import_paths(library, [folder])
    second = db.conn.execute("SELECT id FROM documents WHERE title = 'Story 2'").fetchone()[0]
    highlight(db, second, "Harbin", note="hospital")
    log = removed(db, [second])
    lines[1] = record.format(n=2, text="Doctors and nurses in Harbin.")
    (folder / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    import_paths(library, [folder])
    copy = db.conn.execute("SELECT id FROM documents WHERE title = 'Story 2'").fetchone()[0]
    log.undo(db)
    assert db.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [copy]).fetchone()[0]
    [placed] = annotations.document_annotations(db, copy)
    assert text == "Doctors and nurses in Harbin."
    assert (text[placed["start"]:placed["end"]], placed["note"]) == ("Harbin", "hospital")


def test_undo_of_several_articles_restores_those_not_imported_again_and_joins_the_other(library, db, corpus):
    ids = imported(library, corpus)
    personalise(db, ids["lab.txt"])
    highlight(db, ids["forum.txt"], "biomedicine forum", note="speakers")
    log = removed(db, list(ids.values()))
    (corpus / "forum.txt").unlink()
    copy = imported(library, corpus)["lab.txt"]
    change = log.undo(db)
    titles = dict(db.conn.execute("SELECT title, id FROM documents"))
    assert titles.keys() == {"Joint lab opens", "Forum in Harbin"} and titles["Joint lab opens"] == copy
    assert [a["note"] for a in annotations.document_annotations(db, copy)] == ["check the budget"]
    assert [a["note"] for a in annotations.document_annotations(db, titles["Forum in Harbin"])] == ["speakers"]
    assert change.last_step.message == (
        "Undone: Remove 2 articles — 1 came back as it was; 1 had been imported again, so its highlight, "
        "note and 2 tags were put on that copy.")


def test_undo_leaves_an_article_imported_since_under_the_freed_id_alone(library, db, tmp_path):
    first, last = (text_folder(tmp_path / name, {f"{name}.txt": text}) for name, text in
                   (("lab", LAB.format(extra="")), ("forum", FORUM.format(extra=""))))
    import_paths(library, [first])
    import_paths(library, [last])
    removed_id = db.conn.execute("SELECT id FROM documents WHERE title = 'Forum in Harbin'").fetchone()[0]
    highlight(db, removed_id, "biomedicine forum", note="speakers")
    log = removed(db, [removed_id])
    newcomer = imported(library, text_folder(tmp_path / "new", {"new.txt": "Arctic station opens in Yakutia."}))
    assert newcomer["new.txt"] == removed_id  # SQLite gave the newcomer the freed id
    log.undo(db)
    newcomer_text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [removed_id]).fetchone()[0]
    assert newcomer_text == "Arctic station opens in Yakutia."
    back = db.conn.execute("SELECT id FROM documents WHERE title = 'Forum in Harbin'").fetchone()[0]
    assert back != removed_id
    assert [a["note"] for a in annotations.document_annotations(db, back)] == ["speakers"]
    assert annotations.document_annotations(db, removed_id) == []


def test_undo_brings_back_removed_highlights_beside_one_made_since(library, db, corpus):
    ids = imported(library, corpus)
    kept = highlight(db, ids["forum.txt"], "Moscow")
    old = highlight(db, ids["lab.txt"], "Tomsk", note="old one")
    log = removed(db, [ids["lab.txt"]])
    made = highlight(db, ids["forum.txt"], "biomedicine forum", note="new one")
    assert made > old  # the removed highlight's number is never given again
    log.undo(db)
    assert [a["note"] for a in annotations.document_annotations(db, ids["forum.txt"])] == ["new one", None]
    assert [a["note"] for a in annotations.document_annotations(db, ids["lab.txt"])] == ["old one"]
    assert kept != made


def test_undo_keeps_a_highlight_another_program_wrote_under_a_removed_highlight_s_number(library, db, corpus):
    ids = imported(library, corpus)
    old = highlight(db, ids["lab.txt"], "Tomsk", note="old one")
    log = removed(db, [ids["lab.txt"]])
    db.conn.execute(  # a program other than Dossier, numbering its row itself
        'INSERT INTO annotations (id, uuid, document_id, start, "end", quote, note, colour, created, updated) '
        "VALUES (?, 'theirs', ?, 0, 3, 'The', 'new one', 'yellow', '2026-01-01', '2026-01-01')",
        (old, ids["forum.txt"]))
    log.undo(db)
    assert [a["note"] for a in annotations.document_annotations(db, ids["forum.txt"])] == ["new one"]
    assert [a["note"] for a in annotations.document_annotations(db, ids["lab.txt"])] == ["old one"]


def test_undo_brings_back_a_tag_deleted_since(library, db, corpus):
    ids = imported(library, corpus)
    tags.add_tag(db, [ids["lab.txt"]], "Labs")
    log = removed(db, [ids["lab.txt"]])
    tags.delete_tag(db, "Labs")
    tags.create_tag(db, "Policy")
    log.undo(db)
    assert tags.tagged_documents(db, "Labs") == [ids["lab.txt"]]
    assert tags.tagged_documents(db, "Policy") == []


def test_manual_entity_corrections_come_back_on_the_copy_imported_again(library, db, corpus):
    lab = imported(library, corpus)["lab.txt"]
    start, end = span(db, lab, "Harbin")
    db.execute("INSERT INTO entities (label, name) VALUES ('GPE', 'Harbin')")
    db.execute("INSERT INTO mentions (document_id, entity_id, start, \"end\", text, origin) "
               "SELECT ?, id, ?, ?, 'Harbin', 'model' FROM entities", [lab, start, end])
    model = db.conn.execute("SELECT id, start, \"end\" FROM mentions WHERE document_id = ?", [lab]).fetchone()
    start, end = span(db, lab, "Tomsk")
    mark_mention(db, lab, start=start, end=end, label="GPE")
    remove_mention(db, model[0])
    log = removed(db, [lab])
    copy = imported(library, corpus)["lab.txt"]
    log.undo(db)
    mentions = db.conn.execute(
        "SELECT m.text, m.origin, e.label FROM mentions m JOIN entities e ON e.id = m.entity_id "
        "WHERE m.document_id = ?", [copy]).fetchall()
    assert mentions == [("Tomsk", "user", "GPE")]
    assert db.conn.execute("SELECT start, \"end\" FROM removed_mentions WHERE document_id = ?",
                           [copy]).fetchall() == [tuple(model[1:])]


def test_redo_after_an_undo_onto_a_copy_takes_back_what_undo_put_there(library, db, corpus):
    lab = imported(library, corpus)["lab.txt"]
    personalise(db, lab)
    log = removed(db, [lab])
    copy = imported(library, corpus)["lab.txt"]
    before = db.conn.execute("SELECT note, starred, read_state FROM documents WHERE id = ?", [copy]).fetchone()
    log.undo(db)
    change = log.redo(db)
    assert db.conn.execute("SELECT note, starred, read_state FROM documents WHERE id = ?", [copy]).fetchone() == before
    assert annotations.document_annotations(db, copy) == [] and tags.tagged_documents(db, "Biomed") == []
    assert change.last_step.message == (
        "Redone: Remove 1 article — what Undo put on the copy imported since was taken off again; it stays.")
    log.undo(db)
    assert len(annotations.document_annotations(db, copy)) == 1


def test_an_undo_that_cannot_restore_says_where_the_highlights_are_in_plain_words(library, db, corpus):
    lab = imported(library, corpus)["lab.txt"]
    highlight(db, lab, "Tomsk", note="old one")
    log = removed(db, [lab])
    db.execute("CREATE TRIGGER refuse AFTER INSERT ON annotations BEGIN SELECT RAISE(ABORT, 'no'); END")
    with pytest.raises(InvalidInput) as raised:
        log.undo(db)
    message = str(raised.value)
    assert message.startswith("Cannot undo 'Remove 1 article' because the library has changed since;")
    [backup] = (library.path.parent / "backups").glob("library.*.before-remove-articles.sqlite")
    assert f"in the automatic backup {backup.name} (File ▸ Restore from backup…, or dossier restore {backup})" in message
    assert "\n" not in message and "constraint" not in message.lower()
    assert log.can_undo and db.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_seed_folder_imported_again_after_removal_keeps_one_copy_with_the_highlight(library, db, tmp_path):
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    ids = imported(library, folder)
    doc_id = ids[SEED_FILES[2].name]
    highlight(db, doc_id, "Russia", note="seed note")
    log = removed(db, [doc_id])
    imported(library, folder)
    log.undo(db)
    assert db.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == len(ids)
    assert [a["note"] for a in annotations.list_annotations(db)] == ["seed note"]
