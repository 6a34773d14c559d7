"""Importing text files and folders: what is stored, duplicates, failures, progress, cancel, kill."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.core import formats, ingest
from desktop.core.errors import Cancelled
from desktop.core.formats import Article, ParsedFile
from desktop.core.import_files import collect_files
from desktop.core.import_report import ImportReport
from desktop.core.ingest import import_paths, word_count
from desktop.core.jobs import CancelToken, Progress
from desktop.core.library import open_library
from tests.conftest import REPO, SEEDS
from tests.core.helpers import hang_forever

BODY = "Scientists from Tomsk and Harbin met on Monday to plan a joint laboratory for new materials."


@pytest.fixture
def registered(monkeypatch):
    """Register a parser for a made-up suffix for one test only."""

    def register(suffix: str, parser) -> None:
        monkeypatch.setitem(formats._PARSERS, suffix, parser)
        formats.register(suffix)(parser)

    return register


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def article_file(folder: Path, name: str, n: int) -> Path:
    return write(folder, name, f"Joint laboratory number {n} opens\n\n{BODY} Item uniq{n:04d}.\n")


def rows(library, sql: str, params=()) -> list[tuple]:
    return library.db.conn.execute(sql, params).fetchall()


def test_seed_folder_imports_five_documents_with_their_metadata(library):
    report = import_paths(library, [SEEDS])
    assert (len(report.imported), report.duplicates, report.failed) == (5, [], [])
    stored = rows(library, "SELECT title, published, source, author FROM documents ORDER BY path")
    assert stored[3] == (
        "Biomedical international alliance built for Belt and Road Initiative",
        "2017-09-15", "chinadaily.com.cn", "Meng Fanbin",
    )
    assert [r[1] for r in stored] == ["2017-11-15", None, None, "2017-09-15", "2021-03-30"]


def test_stored_document_has_absolute_path_word_count_and_import_time(library, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    article_file(tmp_path / "in", "a.txt", 1)
    import_paths(library, ["in"])
    path, words, imported_at, text = rows(
        library, "SELECT path, word_count, imported_at, text FROM documents"
    )[0]
    assert path == str(tmp_path / "in" / "a.txt")
    assert words == len(text.split()) == 18
    assert imported_at.startswith("20") and "T" in imported_at


def test_reimporting_the_same_folder_adds_nothing_and_reports_its_files_unchanged(library):
    first = import_paths(library, [SEEDS])
    second = import_paths(library, [SEEDS])
    assert (second.imported, second.duplicates, len(second.unchanged)) == ([], [], 5)
    assert library.document_count() == 5
    recorded = rows(
        library, "SELECT status, document_id FROM imports WHERE run_id = ? ORDER BY path", [second.run_id]
    )
    assert {status for status, _ in recorded} == {"unchanged"}
    assert sorted(doc_id for _, doc_id in recorded) == sorted(first.imported)


def test_same_text_twice_in_one_run_is_stored_once(library, source):
    article_file(source, "a.txt", 1)
    article_file(source, "copy/a.txt", 1)
    report = import_paths(library, [source])
    assert (len(report.imported), report.duplicates) == (1, [str(source / "copy" / "a.txt")])


def test_texts_differing_only_in_line_endings_are_duplicates(library, source):
    write(source, "unix.txt", f"Lab opens\n\n{BODY}\n")
    write(source, "windows.txt", f"Lab opens\r\n\r\n{BODY}\r\n".encode())
    report = import_paths(library, [source])
    assert (len(report.imported), len(report.duplicates)) == (1, 1)


def test_one_import_row_per_file_and_a_run_row_with_counts(library, source):
    article_file(source, "a.txt", 1)
    article_file(source, "b.txt", 1)
    write(source, "c.txt", b"")
    report = import_paths(library, [source])
    statuses = rows(library, "SELECT path, status, reason FROM imports WHERE run_id = ? ORDER BY path",
                    [report.run_id])
    assert [(Path(p).name, s, r) for p, s, r in statuses] == [
        ("a.txt", "imported", None), ("b.txt", "duplicate", None), ("c.txt", "failed", "empty file"),
    ]
    run = rows(library, "SELECT imported, duplicates, failed, cancelled, finished_at IS NOT NULL "
               "FROM import_runs WHERE id = ?", [report.run_id])
    assert run == [(1, 1, 1, 0, 1)]


def test_bad_files_fail_with_reasons_while_the_rest_import(library, source, monkeypatch):
    good = article_file(source, "good.txt", 1)
    write(source, "empty.txt", b"")
    write(source, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    write(source, "slides.pptx", b"PK\x03\x04ppt/slide1.xml")
    locked = article_file(source, "locked.txt", 2)
    real_open = os.open

    def open_file(path, *args, **kwargs) -> int:  # root reads any file: deny the one read here
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_file)
    report = import_paths(library, [source, source / "vanished.txt"])
    assert len(report.imported) == 1
    assert sorted((Path(p).name, reason) for p, reason in report.failed) == [
        ("empty.txt", "empty file"),
        ("image.txt", "binary file, not text"),
        ("locked.txt", "permission denied"),
        ("slides.pptx", "unsupported type .pptx"),
        ("vanished.txt", "file not found"),
    ]
    assert rows(library, "SELECT path FROM documents") == [(str(good),)]


def test_a_file_named_in_an_older_encoding_fails_with_its_reason_while_the_rest_import(library, source):
    good = article_file(source, "good.txt", 1)
    cp1251_name = os.fsdecode("Статья".encode("cp1251") + b".txt")
    article_file(source, cp1251_name, 2)
    report = import_paths(library, [source])
    assert [Path(p).name for p, _ in report.failed] == ["\ufffd" * 6 + ".txt"]
    assert report.failed[0][1] == "its name is not UTF-8 (an older encoding): rename the file to import it"
    assert rows(library, "SELECT path FROM documents") == [(str(good),)]
    assert rows(library, "SELECT status FROM imports ORDER BY path") == [("imported",), ("failed",)]


def test_a_crashing_parser_fails_its_file_only(library, source, registered):
    article_file(source, "a.txt", 1)
    write(source, "b.rec", "x")

    def broken(data: bytes, path: Path) -> ParsedFile:
        raise ValueError("bad record header")

    registered(".rec", broken)
    report = import_paths(library, [source])
    assert len(report.imported) == 1
    assert report.failed == [(str(source / "b.rec"), "could not read the file: bad record header (ValueError)")]


def test_a_hanging_html_parser_is_stopped_at_the_time_limit_while_the_rest_import(
    library, source, monkeypatch
):
    article_file(source, "a.txt", 1)
    write(source, "stuck.hang", "<html></html>")
    article_file(source, "z.txt", 2)
    monkeypatch.setitem(formats._PARSERS, ".hang", hang_forever)
    monkeypatch.setattr(hang_forever, "isolated", True, raising=False)
    report = import_paths(library, [source], parse_timeout=1)
    assert len(report.imported) == 2
    assert report.failed == [(str(source / "stuck.hang"), "parser took longer than 1 s — skipped")]


def test_html_file_imports_and_no_parser_process_is_left_running(library, source):
    write(source, "page.html", "<html><body><article><p>Harbin and Tomsk open a joint laboratory "
                               "for new materials this spring.</p></article></body></html>")
    report = import_paths(library, [source])
    assert (len(report.imported), report.failed) == (1, [])
    assert [p for p in multiprocessing.active_children() if p.name == "dossier-parser"] == []


def test_folder_holding_the_library_skips_its_files_without_failures(library, library_path):
    article_file(library_path.parent, "a.txt", 1)
    assert {library_path.name + "-wal", library_path.name + "-shm"} <= {p.name for p in library_path.parent.iterdir()}
    report = import_paths(library, [library_path.parent])
    assert (len(report.imported), report.failed, report.total_files) == (1, [], 1)


TEXT_ONLY_IMPORT = textwrap.dedent(
    """
    import sys
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    with open_library(sys.argv[1]) as library:
        import_paths(library, [sys.argv[2]])
    print(sorted({"trafilatura", "pypdf", "docx"} & set(sys.modules)))
    """
)


def test_importing_text_files_does_not_load_the_html_pdf_or_word_libraries(library_path):
    loaded = subprocess.run(
        [sys.executable, "-c", TEXT_ONLY_IMPORT, str(library_path), str(SEEDS)],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout
    assert loaded.strip() == "[]"


def test_every_supported_suffix_has_a_parser():
    assert {".txt", ".md", ".html", ".pdf", ".docx", ".jsonl", ".csv"} <= set(formats.supported_suffixes())
    assert [s for s in formats.supported_suffixes() if formats.parser_for(Path(f"x{s}")) is None] == []


def test_record_file_stores_each_article_and_reports_problems_by_line(library, source, monkeypatch):
    write(source, "export.rec", "three records")

    def records(data: bytes, path: Path) -> ParsedFile:
        return ParsedFile(
            [Article(text="First story text.", title="One"), Article(text="Second story text.", title="Two")],
            problems=["line 3: not valid JSON", "the file ends early"],
        )

    monkeypatch.setattr(ingest, "parser_for", lambda path: records)
    report = import_paths(library, [source])
    name = str(source / "export.rec")
    assert len(report.imported) == 2
    assert report.failed == [(f"{name}:3", "not valid JSON"), (name, "the file ends early")]


def test_article_without_text_fails_as_no_text(library, source, monkeypatch):
    write(source, "export.rec", "one record")
    monkeypatch.setattr(
        ingest, "parser_for", lambda path: lambda data, p: ParsedFile([Article(text="  \n", title="T")])
    )
    report = import_paths(library, [source])
    assert report.failed == [(str(source / "export.rec"), "no text")]


def test_text_file_without_headline_is_titled_by_its_file_name(library, source):
    write(source, "harbin-expo-2017.txt", BODY + "\n\nThe expo closed on Friday.")
    import_paths(library, [source])
    assert rows(library, "SELECT title, text FROM documents") == [
        ("harbin-expo-2017", BODY + "\n\nThe expo closed on Friday.")
    ]


def test_markdown_files_are_imported(library, source):
    write(source, "note.md", f"Lab opens\n\n{BODY}")
    assert len(import_paths(library, [source]).imported) == 1


def test_a_markdown_article_reads_as_its_text_without_the_markup(library, source):
    write(source, "lab.md", textwrap.dedent("""\
        # Lab *opens* in Harbin

        Scientists from **Tomsk** and [Harbin](https://example.org/harbin) met on Monday.
        They plan a `joint` laboratory &amp; a school.

        - new materials
        - polar research

        | city | team |
        |------|------|
        | Tomsk | 12 |
        """))
    import_paths(library, [source])
    assert rows(library, "SELECT title, text FROM documents") == [(
        "Lab opens in Harbin",
        "Scientists from Tomsk and Harbin met on Monday.\nThey plan a joint laboratory & a school."
        "\n\n• new materials\n\n• polar research\n\ncity | team\n\nTomsk | 12",
    )]


def test_a_folder_holding_the_library_imports_neither_it_nor_its_backups(library, tmp_path):
    from desktop.core.backups import backup_before

    write(tmp_path, "harbin.txt", f"Lab opens\n\n{BODY}")
    assert len(import_paths(library, [tmp_path]).imported) == 1
    backup_before(library, "manual")
    write(tmp_path, "tomsk.txt", f"Tomsk lab\n\n{BODY} Tomsk too.")
    report = import_paths(library, [tmp_path])
    assert (len(report.imported), report.failed) == (1, [])


def test_collect_files_walks_folders_sorted_and_skips_hidden(tmp_path):
    for name in ["b/2.txt", "a.txt", "b/1.md", ".hidden.txt", ".git/x.txt", "b/.cache/y.txt"]:
        write(tmp_path, name, "x")
    assert collect_files([tmp_path]) == [tmp_path / "a.txt", tmp_path / "b/1.md", tmp_path / "b/2.txt"]


def test_collect_files_takes_named_files_and_folders_once(tmp_path):
    one = write(tmp_path, "one.txt", "x")
    assert collect_files([one, tmp_path, one]) == [one]


def test_collect_files_takes_text_paths_and_resolves_dot_dot(tmp_path):
    one = write(tmp_path, "one.txt", "x")
    assert collect_files([str(tmp_path / "sub" / ".." / "one.txt")]) == [one]


def test_documents_of_one_batch_are_numbered_in_file_order(library, source):
    for n in (3, 1, 2):
        article_file(source, f"{n}.txt", n)
    import_paths(library, [source])
    assert [Path(p).name for (p,) in rows(library, "SELECT path FROM documents ORDER BY id")] == [
        "1.txt", "2.txt", "3.txt",
    ]


def test_every_imported_document_is_found_by_full_text_search(library, source):
    for n in range(12):
        article_file(source, f"{n:02d}.txt", n)
    report = import_paths(library, [source], batch_size=5)
    found = rows(library, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'laboratory' ORDER BY 1")
    assert [doc_id for (doc_id,) in found] == sorted(report.imported) and len(found) == 12


def test_progress_is_reported_for_every_file(library, source):
    for n in range(3):
        article_file(source, f"{n}.txt", n)
    seen: list[Progress] = []
    import_paths(library, [source], progress=seen.append)
    assert [(p.done, p.total, Path(p.message).name) for p in seen] == [
        (1, 3, "0.txt"), (2, 3, "1.txt"), (3, 3, "2.txt"),
    ]


def test_cancel_keeps_committed_documents_and_marks_the_run(library, source):
    for n in range(10):
        article_file(source, f"{n:02d}.txt", n)
    token = CancelToken()

    def progress(p: Progress) -> None:
        if p.done == 3:
            token.cancel()

    report = import_paths(library, [source], progress=progress, cancel=token, batch_size=2)
    assert report.cancelled and len(report.imported) == 3
    assert library.document_count() == 3
    assert rows(library, "SELECT cancelled, imported FROM import_runs WHERE id = ?", [report.run_id]) == [
        (1, 3)
    ]


def test_progress_callback_raising_cancelled_stops_the_import_quietly(library, source):
    for n in range(5):
        article_file(source, f"{n}.txt", n)

    def progress(p: Progress) -> None:
        if p.done == 2:
            raise Cancelled("cancelled")

    report = import_paths(library, [source], progress=progress)
    assert report.cancelled and library.document_count() == 2


def test_report_json_has_the_command_line_shape():
    report = ImportReport(run_id=1, imported=[4, 5], unchanged=["/c.txt", "/d.txt"], duplicates=["/a.txt"],
                          failed=[("/b.txt", "empty file")])
    assert report.to_json() == {
        "imported": 2, "updated": 0, "unchanged": 2, "duplicates": 1,
        "failed": [{"path": "/b.txt", "error": "empty file"}],
        "missing": [],
    }


def test_word_count_counts_each_chinese_character():
    assert word_count("中俄科技 cooperation deepens") == 6
    # punctuation and numbers between the characters took one character off each run
    assert word_count("世界福音联盟是由128个国家，共有六亿人。") == 16 + 1


KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from desktop.core.ingest import import_paths
    from desktop.core.library import open_library

    library = open_library(sys.argv[1])
    inserts = 0

    def trace(sql):
        global inserts
        if sql.startswith("INSERT INTO imports"):
            inserts += 1
            if inserts == int(sys.argv[3]):
                print("inside a batch", flush=True)
                time.sleep(60)

    library.db.conn.set_trace_callback(trace)
    import_paths(library, [sys.argv[2]], batch_size=20, batch_seconds=3600)
    """
)


def test_killed_import_leaves_only_whole_committed_documents(library_path, tmp_path):
    folder = tmp_path / "many"
    for n in range(300):
        article_file(folder, f"{n:03d}.txt", n)
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(library_path), str(folder), "150"],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert child.stdout.readline().strip() == "inside a batch"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    with open_library(library_path) as library:
        assert library.document_count() == 140
        assert rows(library, "SELECT count(*) FROM imports WHERE status = 'imported'") == [(140,)]
        assert rows(library, "SELECT count(*) FROM documents WHERE text = '' OR title = ''") == [(0,)]
        library.db.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
        for doc_id, token in rows(library, "SELECT id, substr(text, instr(text, 'uniq'), 8) FROM documents"):
            assert rows(library, "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?", [token]) == [
                (doc_id,)
            ]


@pytest.mark.parametrize("batch_size", [1, 7])
def test_batch_size_does_not_change_what_is_imported(library, source, batch_size):
    for n in range(10):
        article_file(source, f"{n:02d}.txt", n)
    report = import_paths(library, [source], batch_size=batch_size)
    assert len(report.imported) == 10 and library.document_count() == 10
