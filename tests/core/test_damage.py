"""Damaged libraries: found before anything is written, named in one line, recovered into a new file.

Damage is made the way a failing disk makes it: bytes flipped in the b-tree page
headers and cell pointers of data pages (articles, highlights, tags) and index
pages of a real library. Bytes flipped inside an article's text are not damage
SQLite can see (it keeps no page checksums); those are not what these tests make.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop.core.annotations import create_annotation
from desktop.core.check import check_library
from desktop.core.errors import InvalidInput, LibraryDamaged, SchemaTooNew
from desktop.core.library import open_library, require_writable, schema_version
from desktop.core.library_messages import library_error
from desktop.core.recover import recover
from desktop.core.search import search_ids
from desktop.core.tags import add_tag
from tests.core.helpers import add_article

ARTICLES = 400
WORDS = "china russia science cooperation harbin moscow beijing institute vaccine research".split()

# (b-tree, seed): data pages of three tables and pages of two indexes.
DAMAGE = [("documents", 1), ("documents", 2), ("annotations", 3), ("document_tags", 4),
          ("documents_published", 5), ("documents_search", 6)]


def build_library(path: Path) -> Path:
    """A library of 400 articles with tags and highlights, closed (its WAL checkpointed)."""
    rng = random.Random(7)
    with open_library(path) as lib:
        with lib.db.atomic():
            ids = [
                add_article(lib.db, " ".join(rng.choice(WORDS) for _ in range(300)) + f" n{n}",
                            title=f"Article {n}", source=rng.choice(["TASS", "Xinhua"]),
                            published=f"2019-0{1 + n % 9}-1{n % 10}")
                for n in range(ARTICLES)
            ]
        add_tag(lib.db, ids[::3], "science")
        for doc_id in ids[:60]:
            create_annotation(lib.db, doc_id, 0, 10, note=f"note on {doc_id}")
    return path


def flip_page_bytes(path: Path, *, btree: str, seed: int, flips: int = 4,
                    pagetype: str = "leaf") -> int:
    """Flip bits in the page header and cell pointers of one ``pagetype`` page ("leaf" or
    "internal") of ``btree``; returns the page number."""
    conn = sqlite3.connect(path)
    pages = [r[0] for r in conn.execute(
        "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? AND pageno > 1", [btree, pagetype])]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    rng = random.Random(seed)
    page = rng.choice(pages)
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    cells = int.from_bytes(data[start + 3:start + 5], "big")
    header = 8 if pagetype == "leaf" else 12
    for _ in range(flips):
        data[start + rng.randrange(header + 2 * cells)] ^= 1 << rng.randrange(8)
    path.write_bytes(bytes(data))
    return page


def change_an_index_entry(path: Path) -> None:
    """Turn the year of the first entry of the ``documents_published`` index from 2019 to
    2018: the file's structure stays sound, the index no longer matches its table."""
    conn = sqlite3.connect(path)
    page = conn.execute("SELECT min(pageno) FROM dbstat WHERE name = 'documents_published' "
                        "AND pagetype = 'leaf'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    cell = start + int.from_bytes(data[start + 8:start + 10], "big")
    year = data.index(b"2019-", cell)
    data[year + 3] = ord("8")
    path.write_bytes(bytes(data))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    return build_library(tmp_path_factory.mktemp("healthy") / "library.sqlite")


def damaged_copy(healthy: Path, folder: Path, btree: str, seed: int) -> Path:
    path = folder / "library.sqlite"
    shutil.copy(healthy, path)
    flip_page_bytes(path, btree=btree, seed=seed)
    return path


@pytest.mark.parametrize("btree,seed", DAMAGE)
def test_a_write_session_refuses_a_library_with_flipped_bytes(healthy, tmp_path, btree, seed):
    path = damaged_copy(healthy, tmp_path, btree, seed)
    with open_library(path) as lib, pytest.raises(LibraryDamaged) as raised:
        require_writable(lib)
    message = str(raised.value)
    assert "is damaged" in message and "dossier restore" in message and "dossier recover" in message
    assert "\n" not in message


def test_a_healthy_library_passes_the_write_check_once(healthy, tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copy(healthy, path)
    with open_library(path) as lib:
        require_writable(lib)
        assert lib.verified


def test_sqlites_malformed_error_becomes_library_damaged(tmp_path):
    err = sqlite3.DatabaseError("database disk image is malformed")
    err.sqlite_errorcode = sqlite3.SQLITE_CORRUPT
    assert isinstance(library_error(err, tmp_path / "x.sqlite"), LibraryDamaged)


def test_check_library_reports_flipped_bytes(healthy, tmp_path):
    path = damaged_copy(healthy, tmp_path, "documents", 1)
    with open_library(path) as lib:
        report = check_library(lib)
    assert not report.ok
    assert report.summary().startswith("Problems found: the file is damaged")


def test_the_thorough_check_finds_an_index_that_no_longer_matches_its_table(healthy, tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copy(healthy, path)
    change_an_index_entry(path)
    with open_library(path) as lib:
        require_writable(lib)  # quick_check does not compare indexes with their tables
        report = check_library(lib)
    assert report.integrity == ["row 1 missing from index documents_published"]


def test_recover_copies_every_readable_row_and_rebuilds_search(healthy, tmp_path):
    path = damaged_copy(healthy, tmp_path, "documents", 2)
    out = tmp_path / "recovered.sqlite"
    report = recover(path, out)
    documents = report.tables["documents"]
    assert ARTICLES - 40 <= documents.copied <= ARTICLES
    with open_library(out) as lib, sqlite3.connect(healthy) as original:
        titles = set(original.execute("SELECT id, title FROM documents"))
        assert set(lib.db.execute("SELECT id, title FROM documents")) <= titles
        assert check_library(lib).ok
        assert lib.document_count() == documents.copied
        assert len(search_ids(lib.db, "harbin")) == documents.copied
    assert any(line.startswith("documents: ") for line in report.lines())


def test_recover_reaches_rows_behind_a_damaged_root_page_through_the_indexes(healthy, tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copy(healthy, path)
    flip_page_bytes(path, btree="documents", seed=1, pagetype="internal")
    report = recover(path, tmp_path / "recovered.sqlite")
    assert report.tables["documents"].damaged
    assert report.tables["documents"].copied >= ARTICLES * 0.9


def test_recover_says_how_many_highlights_were_lost_on_a_page_it_cannot_read(healthy, tmp_path):
    path = tmp_path / "library.sqlite"
    shutil.copy(healthy, path)
    with sqlite3.connect(path) as conn:
        root, page_size = conn.execute("SELECT rootpage, (SELECT page_size FROM pragma_page_size) "
                                       "FROM sqlite_master WHERE name = 'annotations'").fetchone()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(bytes(page_size))
    report = recover(path, tmp_path / "recovered.sqlite")
    assert "annotations: 0 rows recovered, at least 60 lost on unreadable pages" in report.lines()


def test_recover_of_a_healthy_library_copies_everything(healthy, tmp_path):
    report = recover(healthy, tmp_path / "copy.sqlite")
    assert report.tables["documents"].copied == ARTICLES
    assert report.tables["annotations"].copied == 60
    assert not any(t.damaged or t.dropped for t in report.tables.values())
    lines = report.lines()
    assert "tags: 1 row recovered" in lines and f"documents: {ARTICLES:,} rows recovered" in lines


def newer_copy(healthy: Path, tmp_path: Path) -> Path:
    """A copy of ``healthy`` as a newer Dossier would write it: a table and a column this version
    does not know, and a higher library format."""
    path = tmp_path / "newer.sqlite"
    shutil.copy(healthy, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE reading_lists (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO reading_lists (name) VALUES ('for the review')")
        conn.execute("ALTER TABLE documents ADD COLUMN summary TEXT")
        conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.close()
    return path


def test_recover_refuses_a_library_from_a_newer_dossier_and_makes_no_file(healthy, tmp_path):
    """Before, the newer library was copied into this version's format, its reading lists and
    summaries silently left behind."""
    out = tmp_path / "recovered.sqlite"
    with pytest.raises(SchemaTooNew, match="newer version of Dossier .*update Dossier first"):
        recover(newer_copy(healthy, tmp_path), out)
    assert not out.exists()


def test_recover_of_a_newer_library_whose_version_cannot_be_read_names_what_it_left(healthy, tmp_path):
    path = newer_copy(healthy, tmp_path)
    conn = sqlite3.connect(path)  # the header's format fields lost, as a damaged page 1 reads
    conn.execute("PRAGMA user_version = 0")
    conn.execute("PRAGMA application_id = 0")
    conn.close()
    report = recover(path, tmp_path / "recovered.sqlite")
    assert report.tables["documents"].copied == ARTICLES
    assert report.not_copied == ["documents.summary", "reading_lists"]
    assert ("not copied, unknown to this version of Dossier (written by a newer one?): "
            "documents.summary, reading_lists") in report.lines()


def test_recover_never_writes_over_an_existing_file(healthy, tmp_path):
    out = tmp_path / "taken.sqlite"
    out.write_bytes(b"mine")
    with pytest.raises(InvalidInput):
        recover(healthy, out)
    assert out.read_bytes() == b"mine"


def test_a_file_left_sound_by_a_checked_session_is_not_read_again_until_it_changes(
    healthy, tmp_path, monkeypatch
):
    path = tmp_path / "library.sqlite"
    shutil.copy(healthy, path)
    with open_library(path) as lib:
        require_writable(lib)
        add_tag(lib.db, [1], "checked")
    checks: list[int] = []
    monkeypatch.setattr("desktop.core.check.quick_check", lambda conn: checks.append(1) or [])
    with open_library(path) as lib:
        require_writable(lib)
    assert checks == []
    monkeypatch.undo()
    flip_page_bytes(path, btree="documents", seed=1)
    with open_library(path) as lib, pytest.raises(LibraryDamaged):
        require_writable(lib)


def test_a_damaged_library_is_not_migrated(healthy, tmp_path, monkeypatch):
    from desktop.core import schema

    path = damaged_copy(healthy, tmp_path, "documents_published", 5)
    added = schema.Migrations(schema.MIGRATION_SET)
    added._migrations.extend(schema.migrations._migrations)
    added(name="9999_test_column")(lambda db: db.execute("ALTER TABLE documents ADD COLUMN c TEXT"))
    monkeypatch.setattr("desktop.core.library.migrations", added)
    before = path.read_bytes()
    with pytest.raises(LibraryDamaged):
        open_library(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_recover_keeps_the_highlights_whose_article_was_lost_in_a_file_beside_the_new_library(
        healthy, tmp_path):
    """A highlight whose article could not be read was dropped with its note, counted only;
    now its quote, the words around it and its note are written beside the recovered library."""
    path = damaged_copy(healthy, tmp_path, "documents", 2)
    report = recover(path, tmp_path / "recovered.sqlite")
    dropped = report.tables["annotations"].dropped
    assert dropped >= 1 and len(report.lost_highlights) == dropped
    kept = report.lost_highlights_file
    assert kept == tmp_path / "recovered-highlights-without-article.md"
    text = kept.read_text(encoding="utf-8")
    assert all(f"**{h['quote']}**" in text and str(h["note"]) in text for h in report.lost_highlights)
    assert any(line.endswith(f"whose article was lost: kept with {'its note' if dropped == 1 else 'their notes'} "
                             f"in {kept}") for line in report.lines())


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def found_after_a_crash(healthy: Path, folder: Path, *, damaged: bool = True) -> Path:
    """The library as a person finds it after a crash: a damaged documents page in the main file
    (unless not ``damaged``), and beside it a ``-wal`` holding an article and a highlight with its
    note that were committed but never checkpointed into the main file (no ``-shm``)."""
    live, found = folder / "live" / "library.sqlite", folder / "found" / "library.sqlite"
    live.parent.mkdir()
    found.parent.mkdir()
    shutil.copy(healthy, live)
    with open_library(live) as lib:
        lib.db.execute("PRAGMA wal_autocheckpoint = 0")
        with lib.db.atomic():
            doc_id = add_article(lib.db, "written after the last checkpoint harbin " * 20,
                                 title="The newest article")
        create_annotation(lib.db, doc_id, 0, 7, note="my newest note")
        shutil.copy(live, found)
        wal = live.with_name("library.sqlite-wal").read_bytes()
    if damaged:
        flip_page_bytes(found, btree="documents", seed=2)
    found.with_name("library.sqlite-shm").unlink(missing_ok=True)
    found.with_name("library.sqlite-wal").write_bytes(wal)
    return found


def test_recover_brings_back_the_highlights_still_only_in_the_wal(healthy, tmp_path):
    """Before, the -wal beside the damaged file was ignored: the newest article, highlight and note
    were silently missing from the recovered library."""
    path = found_after_a_crash(healthy, tmp_path)
    out = tmp_path / "recovered.sqlite"
    recover(path, out)
    with open_library(out) as lib:
        assert lib.db.execute("SELECT count(*) FROM documents WHERE title = 'The newest article'"
                              ).fetchone()[0] == 1
        assert [r[0] for r in lib.db.execute("SELECT note FROM annotations WHERE note = 'my newest note'")
                ] == ["my newest note"]


def test_recover_reads_the_wal_without_changing_the_damaged_file_or_its_wal(healthy, tmp_path):
    path = found_after_a_crash(healthy, tmp_path)
    wal = path.with_name("library.sqlite-wal")
    before = sha256(path), sha256(wal)
    report = recover(path, tmp_path / "recovered.sqlite")
    assert (sha256(path), sha256(wal)) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["library.sqlite", "library.sqlite-wal"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no working copy left
    assert report.lines()[0].startswith("the latest changes, still only in library.sqlite-wal (")
    assert report.lines()[0].endswith("), were recovered as well")


def test_recover_with_too_little_space_for_a_working_copy_says_so_and_reads_the_file_alone(
        healthy, tmp_path, monkeypatch):
    path = found_after_a_crash(healthy, tmp_path)
    monkeypatch.setattr("desktop.core.recover_source.shutil.disk_usage",
                        lambda folder: shutil._ntuple_diskusage(2**30, 2**30 - 2**20, 2**20))
    report = recover(path, tmp_path / "recovered.sqlite")
    line = report.lines()[0]
    assert line.startswith("the latest changes, still only in library.sqlite-wal (")
    assert f"could not be read (the disk holding {tmp_path} has 1 MB free, " in line
    assert line.endswith("and recover again): recovered from library.sqlite alone")
    assert ARTICLES - 40 <= report.tables["documents"].copied <= ARTICLES
    assert report.to_json()["wal"]["applied"] is False


def test_recover_says_when_the_wal_is_damaged_and_reads_the_file_alone(healthy, tmp_path):
    path = found_after_a_crash(healthy, tmp_path)
    wal = path.with_name("library.sqlite-wal")
    data = bytearray(wal.read_bytes())
    data[12] ^= 0xFF  # the checkpoint sequence number, under the header's checksum
    wal.write_bytes(bytes(data))
    report = recover(path, tmp_path / "recovered.sqlite")
    assert report.lines()[0].endswith(
        "could not be read (its header is damaged): recovered from library.sqlite alone")
    assert ARTICLES - 40 <= report.tables["documents"].copied <= ARTICLES


def test_recover_of_a_library_without_a_wal_says_nothing_about_one(healthy, tmp_path):
    path = damaged_copy(healthy, tmp_path, "documents", 2)
    report = recover(path, tmp_path / "recovered.sqlite")
    assert report.wal is None and report.lines()[0].startswith("meta: ")
