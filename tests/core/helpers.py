"""Building blocks for core tests: articles and mentions stored directly, the sample articles, spans
of a quote, two articles with their entities found (the first ``EMBASSY_MEETING``), entity spans at
a quote, a folder of text files, a parser that hangs, a library file as an older Dossier wrote it."""

from __future__ import annotations

import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from sqlite_utils import Database

from desktop.core import schema
from desktop.core.annotations import content_hash
from desktop.core.formats import Article, ParsedFile, parser_for
from desktop.core.library import now_iso
from tests.conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt"))
EMBASSY_MEETING = (
    "Zhang Qiang, the secretary of the Chinese Embassy in Russia, met Andrei Rudskoy in Moscow. "
    "President Xi sent greetings."
)


def add_article(db, text: str, **fields) -> int:
    """Store one article directly (as an import would) and return its id."""
    row = {"title": "", "text": text, "sha256": content_hash(text), "imported_at": now_iso(),
           "word_count": len(text.split()), **fields}
    return db["documents"].insert(row).last_pk


def add_mention(db, doc_id: int, label: str, name: str) -> None:
    """Record that article ``doc_id`` mentions the entity ``label``/``name`` (made if new)."""
    db.execute("INSERT OR IGNORE INTO entities (label, name) VALUES (?, ?)", [label, name])
    db.execute(
        "INSERT INTO mentions (document_id, entity_id, start, \"end\", text, origin) "
        "SELECT ?, id, 0, 1, ?, 'model' FROM entities WHERE label = ? AND name = ?",
        [doc_id, name, label, name])


def add_embassy_articles(library, second: str):
    """Store ``EMBASSY_MEETING`` and then ``second``, published a day apart (their ids kept as
    ``library.first`` and ``library.second``), find their entities, and return the library's database."""
    from desktop.core.entities import extract_entities

    library.first = add_article(library.db, EMBASSY_MEETING, published="2017-11-15")
    library.second = add_article(library.db, second, published="2017-11-16")
    extract_entities(library)
    return library.db


def add_seeds(db) -> list[int]:
    """The five sample articles, titled by their file name, with a source and date each."""
    return [
        add_article(db, path.read_text(encoding="utf-8"), title=path.stem, source="Xinhua",
                    published=f"2017-0{n + 1}-15")
        for n, path in enumerate(SEED_FILES)
    ]


@contextmanager
def library_before(path: Path, migration: str) -> Iterator[Database]:
    """The new library file ``path`` as Dossier wrote it before ``migration``, open to fill; on
    leaving it is stamped with that version and closed."""
    db = Database(path)
    schema.migrations.apply(db, stop_before=migration)
    yield db
    db.execute(f"PRAGMA user_version = {len(schema.migrations.applied(db))}")
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    db.close()


def span(db, doc_id: int, quote: str) -> tuple[int, int]:
    """The (start, end) offsets of the first occurrence of ``quote`` in an article's text."""
    text = db.conn.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
    start = text.index(quote)
    return start, start + len(quote)


def hang_forever(data: bytes, path: Path) -> ParsedFile:
    """A parser that never returns (within a test's patience)."""
    time.sleep(600)
    return ParsedFile([])


def text_folder(root: Path, files: dict[str, str]) -> Path:
    """The new folder ``root`` holding one UTF-8 text file per name in ``files``."""
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def parse_as(name: str, data: bytes) -> ParsedFile:
    """``data`` read by the parser registered for a file called ``name``."""
    path = Path(name)
    return parser_for(path)(data, path)


def _single_article(name: str, data: bytes) -> Article:
    parsed = parse_as(name, data)
    assert len(parsed.articles) == 1
    return parsed.articles[0]


def parsers_for(name: str) -> tuple[Callable[[bytes], ParsedFile], Callable[[bytes], Article]]:
    """``parse(data)`` and ``only_article(data)`` for files called ``name``."""
    return partial(parse_as, name), partial(_single_article, name)


def observatory(folder: Path, name: str, n: int) -> Path:
    """``folder/name``: a short article numbered ``n`` (its folders made)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"Observatory {n} opens\n\nA joint observatory number {n} opens in Irkutsk.", encoding="utf-8")
    return path


def linked_and_locked(tmp_path: Path) -> Path:
    """``top/a.txt``, ``top/locked/b.txt`` and ``top/linked`` → a folder of two articles elsewhere
    (``locked`` is left readable: each test takes its permission away its own way)."""
    folder = tmp_path / "top"
    observatory(folder, "a.txt", 1)
    observatory(folder / "locked", "b.txt", 2)
    observatory(tmp_path / "elsewhere", "c.txt", 3)
    observatory(tmp_path / "elsewhere", "d.txt", 4)
    (folder / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    return folder
