"""`dossier publish`, and Datasette serving a library with the command it prints:
search, an article's page, a facet, the internal tables hidden."""

from __future__ import annotations

import json
import shlex
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.helpers import run
from tests.conftest import SEEDS

DATASETTE = Path(sys.executable).with_name("datasette")
START_TIMEOUT = 60
SHOWN = {"documents", "tags", "document_tags", "entities", "mentions", "annotations"}
INTERNAL = {"search_log", "document_entities", "imports", "import_runs", "entity_rules", "meta"}


def publish(library: Path, out: Path, *extra: str, check: int | None = 0) -> subprocess.CompletedProcess:
    return run("--library", str(library), "publish", "--out", str(out), *extra, check=check)


def serve_command(output: str) -> list[str]:
    """The `datasette serve …` command `publish` printed, split into arguments."""
    line = next(line.strip() for line in output.splitlines() if line.strip().startswith("datasette "))
    return shlex.split(line)


def copy_library(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> tuple[Path, Path, str, dict]:
    """A library of the sample articles (two tagged) with its metadata: (library, metadata,
    what publish printed, the environment the commands ran in)."""
    folder = tmp_path_factory.mktemp("published")
    env = {"DOSSIER_HOME": str(folder / "home")}
    library = folder / "corpus.sqlite"
    run("--library", str(library), "import", str(SEEDS), "--no-entities", env=env)
    run("--library", str(library), "tag", "1", "3", "--add", "economy", env=env)
    out = folder / "metadata.json"
    printed = run("--library", str(library), "publish", "--out", str(out), env=env).stdout
    return library, out, printed, env


@pytest.fixture(scope="module")
def server(published) -> Iterator[str]:
    """Datasette started with the command `publish` printed, on a free local port; its base URL."""
    if not DATASETTE.exists():
        pytest.skip("Datasette is not installed: pip install -e '.[publish]' (make test does)")
    command = serve_command(published[2])
    port = free_port()
    process = subprocess.Popen(
        [str(DATASETTE), *command[1:], "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"datasette exited with {process.returncode}: {process.stderr.read()}")
            try:
                get_json(base, "/-/versions.json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"datasette did not answer within {START_TIMEOUT} s")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        process.stderr.close()


def test_publish_prints_the_immutable_serve_command_for_the_library(published):
    library, out, printed, _ = published
    assert serve_command(printed) == ["datasette", "serve", "-i", str(library.resolve()),
                                      "-m", str(out.resolve())]


def test_publish_refuses_a_missing_library_and_writes_nothing(tmp_path):
    result = publish(tmp_path / "missing.sqlite", tmp_path / "metadata.json", check=1)
    assert result.stderr.startswith("dossier: no library at ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "missing.sqlite").exists()
    assert not (tmp_path / "metadata.json").exists()


def test_publish_leaves_a_metadata_file_it_did_not_write_alone(published, tmp_path):
    out = tmp_path / "metadata.json"
    out.write_text('{"title": "hand-written"}', encoding="utf-8")
    result = publish(published[0], out, check=1)
    assert "was not written by dossier publish" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == {"title": "hand-written"}


def test_publish_asks_for_a_file_name_when_given_a_folder(published, tmp_path):
    result = publish(published[0], tmp_path, check=2)
    assert result.stderr == (f"dossier publish: {tmp_path} is a folder; --out takes the file to write; "
                             "see dossier publish --help\n")


def test_publish_into_a_folder_that_does_not_exist_is_a_usage_error_naming_it(published, tmp_path):
    out = tmp_path / "no" / "metadata.json"
    result = publish(published[0], out, check=2)
    assert result.stderr == (f"dossier publish: there is no folder {out.parent} to write metadata.json in; "
                             "see dossier publish --help\n")
    assert not out.parent.exists()


def test_publish_writes_over_its_own_metadata_with_a_new_title(published, tmp_path):
    out = tmp_path / "metadata.json"
    publish(published[0], out)
    publish(published[0], out, "--title", "Sino-Russian science")
    assert json.loads(out.read_text(encoding="utf-8"))["title"] == "Sino-Russian science"


def test_publish_hides_a_table_it_does_not_know(published, tmp_path):
    library = copy_library(published[0], tmp_path / "copy.sqlite")
    with closing(sqlite3.connect(library)) as conn:
        conn.execute("CREATE TABLE later_working_table (id INTEGER PRIMARY KEY)")
    publish(library, tmp_path / "metadata.json")
    tables = json.loads((tmp_path / "metadata.json").read_text())["databases"]["copy"]["tables"]
    assert tables["later_working_table"] == {"hidden": True}


def test_publish_refuses_an_old_read_only_library_whose_index_it_cannot_update(tmp_path):
    from tests.core.test_fts_declaration import old_library

    library, _ = old_library(tmp_path / "old.sqlite")
    library.chmod(0o444)
    result = publish(library, tmp_path / "metadata.json", check=1)
    assert "read-only" in result.stderr and "older Dossier" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "metadata.json").exists()


def test_publish_warns_when_another_process_keeps_changes_from_the_file(published, tmp_path):
    library = copy_library(published[0], tmp_path / "busy.sqlite")
    reader, writer = sqlite3.connect(library), sqlite3.connect(library)
    try:
        writer.execute("PRAGMA journal_mode = WAL")
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM documents").fetchone()
        with writer:
            writer.execute("UPDATE documents SET title = 'Changed' WHERE id = 1")
        result = publish(library, tmp_path / "metadata.json")
    finally:
        reader.close()
        writer.close()
    assert "close Dossier and publish again" in result.stderr


def test_datasette_search_returns_only_the_articles_dossier_finds(published, server):
    library, _, _, env = published
    expected = {hit["id"] for hit in json.loads(
        run("--library", str(library), "search", "Harbin", "--json", env=env).stdout)}
    rows = get_json(server, "/corpus/documents.json?_search=Harbin&_shape=objects")["rows"]
    assert 0 < len(expected) < 5
    assert {row["id"] for row in rows} == expected


def test_datasette_shows_an_article_page(published, server):
    with urllib.request.urlopen(f"{server}/corpus/documents/3", timeout=30) as response:
        page = response.read().decode()
    assert response.status == 200
    assert "China-Russia Science and Innovation Activities Held in Harbin" in page


def test_datasette_counts_articles_by_source(server):
    facets = get_json(server, "/corpus/documents.json?_facet=source")["facet_results"]
    counts = {r["value"]: r["count"] for r in facets["source"]["results"]}
    assert counts == {"Xinhua": 1, "chinadaily.com.cn": 1, "CCFAO": 1}


def test_datasette_counts_articles_by_tag_name(server):
    facets = get_json(server, "/corpus/document_tags.json?_facet=tag_id")["facet_results"]
    assert [(r["label"], r["count"]) for r in facets["tag_id"]["results"]] == [("economy", 2)]


def test_datasette_hides_the_internal_tables(server):
    hidden = {t["name"]: t["hidden"] for t in get_json(server, "/corpus.json")["tables"]}
    assert {name for name in SHOWN if hidden[name]} == set()
    assert {name for name in INTERNAL if not hidden[name]} == set()


def test_datasette_answers_the_canned_tag_query(server):
    query = urllib.parse.urlencode({"tag": "economy", "_shape": "objects"})
    rows = get_json(server, f"/corpus/articles_with_tag.json?{query}")["rows"]
    assert sorted(row["id"] for row in rows) == [1, 3]


def test_serving_immutable_leaves_no_working_files_beside_the_library(published, server):
    library = published[0]
    get_json(server, "/corpus/documents.json")
    assert not library.with_name(library.name + "-wal").exists()
    assert not library.with_name(library.name + "-shm").exists()
