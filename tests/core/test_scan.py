"""Looking at chosen paths before an import: file types, unsupported files, likely duplicates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.core.errors import Cancelled
from desktop.core.ingest import import_paths
from desktop.core.jobs import CancelToken
from desktop.core.scan import NO_SUFFIX, scan_paths
from tests.conftest import SEEDS

BODY = "Researchers from Kazan and Wuhan agreed on Tuesday to share telescope time for two years."


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_files_are_counted_by_type_recursively_and_unsupported_ones_named(library, source):
    write(source, "a.txt", f"One\n\n{BODY}")
    write(source, "deep/b.txt", f"Two\n\n{BODY} Again.")
    write(source, "deep/c.md", f"# Three\n\n{BODY} Markdown.")
    write(source, "records.jsonl", '{"title": "x", "text": "y"}\n')
    write(source, "slides.pptx", "not really")
    write(source, "README", "no suffix")
    summary = scan_paths(library.db, [source])
    assert summary.by_type == {".txt": 2, ".md": 1, ".jsonl": 1}
    assert summary.supported == 4
    assert summary.unsupported_by_type() == {".pptx": 1, NO_SUFFIX: 1}
    assert summary.likely_unchanged == summary.likely_duplicates == []


def test_a_folder_holding_the_library_counts_neither_it_nor_its_backups(library, tmp_path):
    from desktop.core.backups import backup_before

    write(tmp_path, "a.txt", f"One\n\n{BODY}")
    import_paths(library, [tmp_path])
    backup_before(library, "manual")
    summary = scan_paths(library.db, [tmp_path])
    assert (summary.by_type, summary.unsupported) == ({".txt": 1}, [])


def test_a_path_that_does_not_exist_is_reported_missing(library, tmp_path):
    summary = scan_paths(library.db, [tmp_path / "gone.txt"])
    assert summary.missing == [tmp_path / "gone.txt"] and summary.supported == 0


def test_a_link_to_nothing_and_a_name_not_utf8_are_named_with_why_not_as_missing(library, source, tmp_path):
    """Before, both were counted among the paths not found."""
    write(source, "a.txt", f"One\n\n{BODY}")
    (source / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    (source / "loop.txt").symlink_to(source / "loop.txt")
    (Path(os.fsdecode(bytes(source) + b"/caf\xe9.txt"))).write_text(f"Two\n\n{BODY}", encoding="utf-8")
    summary = scan_paths(library.db, [source])
    assert summary.missing == [] and summary.supported == 1
    assert {path.name: why for path, why in summary.unreadable} == {
        "gone.txt": f"a link to something that is not there: {tmp_path / 'nowhere.txt'}",
        "loop.txt": "a loop of symbolic links",
        "caf\ufffd.txt": "its name is not UTF-8 (an older encoding): rename the file to import it",
    }


def test_files_imported_before_and_unchanged_look_unchanged_not_like_duplicates(library):
    import_paths(library, [SEEDS])
    summary = scan_paths(library.db, [SEEDS])
    assert (len(summary.likely_unchanged), summary.likely_duplicates) == (5, [])


def test_a_text_file_touched_since_its_import_with_the_same_text_looks_unchanged(library, source):
    text = write(source, "a.txt", f"Telescope deal\n\n{BODY}")
    import_paths(library, [source])
    later = text.stat().st_mtime + 60
    os.utime(text, (later, later))
    summary = scan_paths(library.db, [source])
    assert (summary.likely_unchanged, summary.likely_duplicates) == ([text], [])


def test_a_file_modified_after_its_import_and_not_text_is_not_a_likely_duplicate(library, source):
    records = write(source, "records.jsonl", '{"title": "Lab", "text": "A joint lab opens in Omsk."}\n')
    import_paths(library, [source])
    later = records.stat().st_mtime + 60
    os.utime(records, (later, later))
    summary = scan_paths(library.db, [source])
    assert summary.likely_unchanged == summary.likely_duplicates == []


def test_a_copy_of_an_imported_text_elsewhere_looks_like_a_duplicate(library, source, tmp_path):
    original = write(source, "a.txt", f"Telescope deal\n\n{BODY}")
    import_paths(library, [source])
    copy = write(tmp_path / "elsewhere", "copy.txt", original.read_text(encoding="utf-8"))
    new = write(tmp_path / "elsewhere", "new.txt", f"Other news\n\n{BODY} Something new.")
    retitled = write(tmp_path / "elsewhere", "retitled.txt", f"Kazan and Wuhan share a telescope\n\n{BODY}")
    summary = scan_paths(library.db, [tmp_path / "elsewhere"])
    assert summary.likely_duplicates == [copy]  # the same text under another headline is new
    assert summary.likely_unchanged == []
    assert new not in summary.likely_duplicates and retitled not in summary.likely_duplicates


def test_a_file_repeating_one_read_before_in_the_same_folder_looks_like_the_duplicate_the_import_finds(
        library, source):
    write(source, "a.txt", f"Telescope deal\n\n{BODY}")
    write(source, "b/copy.txt", f"Telescope deal\n\n{BODY}")
    write(source, "c/retitled.txt", f"Kazan and Wuhan share a telescope\n\n{BODY}")
    summary = scan_paths(library.db, [source])
    assert [path.name for path in summary.likely_duplicates] == ["copy.txt"]
    report = import_paths(library, [source])
    assert [Path(path).name for path in report.duplicates] == ["copy.txt"]


def test_a_file_imported_as_a_duplicate_and_not_modified_since_looks_like_a_duplicate_again(library, source):
    write(source, "a.txt", f"One\n\n{BODY}")
    write(source, "copy of a.txt", f"One\n\n{BODY}")
    report = import_paths(library, [source])
    assert (len(report.imported), len(report.duplicates)) == (1, 1)
    summary = scan_paths(library.db, [source])
    assert [path.name for path in summary.likely_unchanged] == ["a.txt"]
    assert [path.name for path in summary.likely_duplicates] == ["copy of a.txt"]
    again = import_paths(library, [source])
    assert (len(again.unchanged), len(again.duplicates)) == (1, 1)


def test_a_record_export_an_import_was_cancelled_within_does_not_look_unchanged(library, source):
    export = write(source, "export.jsonl", "".join(f'{{"title": "T{n}", "text": "{BODY} Number {n}."}}\n'
                                                  for n in range(2_500)))
    token = CancelToken()
    report = import_paths(library, [export], progress=lambda step: token.cancel(), cancel=token)
    assert report.stopped_within is not None and report.imported
    assert scan_paths(library.db, [export]).likely_unchanged == []
    import_paths(library, [export])
    assert scan_paths(library.db, [export]).likely_unchanged == [export]


def test_a_cancelled_scan_raises_cancelled(library):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        scan_paths(library.db, [SEEDS], cancel=token)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_and_an_empty_file_are_named_with_why_and_not_counted_to_read(library, source):
    write(source, "a.txt", f"One\n\n{BODY}")
    os.mkfifo(source / "pipe.txt")
    (source / "empty.html").write_bytes(b"")
    (source / "empty.pptx").write_bytes(b"")
    summary = scan_paths(library.db, [source])
    assert summary.by_type == {".txt": 1}
    assert {path.name: why for path, why in summary.unreadable} == {
        "pipe.txt": "not a regular file (a named pipe)",
        "empty.html": "empty file",
    }
    assert [path.name for path in summary.unsupported] == ["empty.pptx"]


def test_the_scan_names_a_file_unreadable_with_the_reason_the_import_gives(library, source):
    os.mkfifo(source / "pipe.txt")
    (source / "empty.txt").write_bytes(b"")
    scanned = dict(scan_paths(library.db, [source]).unreadable)
    assert scanned == dict((Path(path), why) for path, why in import_paths(library, [source]).failed)


def _sparse(path: Path, megabytes: int) -> Path:
    with path.open("wb") as file:
        file.truncate(megabytes * 1024 * 1024)
    return path


def test_a_file_over_its_formats_size_limit_is_named_with_the_imports_reason_not_counted_to_read(
        library, source):
    big_text = _sparse(source / "big.txt", 21)  # text files are limited to 20 MB,
    _sparse(source / "big.jsonl", 21)  # JSON Lines exports to 200 MB
    summary = scan_paths(library.db, [source])
    assert summary.by_type == {".jsonl": 1}
    assert [(str(path), why) for path, why in summary.unreadable] == import_paths(library, [big_text]).failed
    assert summary.unreadable == [(big_text, "file is 21 MB — larger than the 20 MB limit for a text file")]
