"""Writing entities and mentions, and the extraction job over the library.

The batch API is ``load_batch`` (the articles of a batch, as the model reads them)
and ``store_batch`` (their entities, in one transaction): both drivers use it, the
extraction job ``extract_entities`` below and the queue's ``run_queue``
(``extraction_queue``). Storing a batch replaces its articles' model and rule
mentions, so a cancel or a crash keeps every finished batch. User corrections are
never replaced: user mentions stay, removed mentions stay removed, rules and
aliases apply.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from ..facet_store import keep_saved
from ..jobs import CancelToken, Progress, ProgressCallback, no_progress
from ..library import Library, now_iso
from ..row_numbers import take_ids
from ..undo import RowChange
from .name_keys import store_keys
from .normalise import value_of
from .languages import Extraction, extract_articles
from .pipeline import Span, model_setting
from .rules import Rule, load_rules, plan_mentions

DEFAULT_BATCH = 64
REMEMBERED = 20_000
"""How many mention keys a resolver remembers (≈ 6 MB): a 100,000-article import meets hundreds of
thousands of distinct spellings; past this the older half is forgotten and looked up again."""
VALUE_NAMED = frozenset({"DATE", "MONEY"})


@dataclass
class ExtractionReport:
    """What one extraction run did: articles read, mentions stored, the model, how long, and
    the automatic merges of names written in other scripts that followed (one undoable step,
    None when there were none), and where this process's time went (``stages``: wall
    seconds by stage, e.g. "starting workers", "reading", "finding", "waiting for workers",
    "storing")."""

    documents: int
    mentions: int
    model: str
    seconds: float
    names_linked: RowChange | None = None
    stages: dict[str, float] = field(default_factory=dict)


class EntityResolver:
    """Finds or creates the entity a mention belongs to: an alias of its surface text or
    name first, then the entity of that label and name.

    Answers are remembered; ``refresh`` forgets them when another connection wrote to
    the library since (a merge or a rename in the window), so one resolver can serve
    every batch of a run."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[tuple[str, str, str], int] = {}
        self._seen = self._data_version()

    def _data_version(self) -> int:
        return self._db.conn.execute("PRAGMA data_version").fetchone()[0]

    def refresh(self) -> None:
        """Forget the remembered entities if another connection committed since the last call."""
        seen = self._data_version()
        if seen != self._seen:
            self._cache.clear()
            self._seen = seen

    def forget(self) -> None:
        """Forget every remembered entity (a transaction that created some was rolled back)."""
        self._cache.clear()

    def entity_id(self, *, label: str, name: str, surface: str) -> int:
        """The id of the entity for a mention, created when the library has none yet."""
        key = (label, name, surface)
        if key not in self._cache:
            if len(self._cache) >= REMEMBERED:
                for old in list(itertools.islice(self._cache, REMEMBERED // 2)):
                    del self._cache[old]
            self._cache[key] = self._lookup(label, name, surface)
        return self._cache[key]

    def _lookup(self, label: str, name: str, surface: str) -> int:
        conn = self._db.conn
        for alias in dict.fromkeys((" ".join(surface.split()), name)):
            row = conn.execute(
                "SELECT entity_id FROM entity_aliases WHERE label = ? AND name = ?", (label, alias)
            ).fetchone()
            if row:
                return row[0]
        found = conn.execute("SELECT id FROM entities WHERE label = ? AND name = ?", (label, name)).fetchone()
        if found:
            return found[0]
        entity_id = take_ids(conn, "entities")  # only for a new entity: no number given for nothing
        conn.execute("INSERT INTO entities (id, label, name) VALUES (?, ?, ?)", (entity_id, label, name))
        store_keys(conn, entity_id=entity_id, label=label, name=name)
        return entity_id


def entity_name(label: str, *, name: str, value: str | None) -> str:
    """The canonical name a new mention gets: ``name``, or the normalised value for dates and sums."""
    return value if value and label in VALUE_NAMED else name


@dataclass
class StoredMentions:
    """What an article holds before its mentions are replaced: its model and rule mentions by
    (start, end, origin), the places the user removed, and the user's own mentions."""

    existing: dict[tuple[int, int, str], tuple[int, list]] = field(default_factory=dict)
    removed: set[tuple[int, int]] = field(default_factory=set)
    users: list[tuple[int, int]] = field(default_factory=list)


def stored_mentions(db: Database, doc_ids: Sequence[int]) -> dict[int, StoredMentions]:
    """``StoredMentions`` of each of ``doc_ids`` (three queries for the whole batch)."""
    found = {doc_id: StoredMentions() for doc_id in doc_ids}
    marks = ",".join("?" * len(found))
    for mention_id, doc_id, start, end, origin, *rest in db.conn.execute(
        'SELECT id, document_id, start, "end", origin, entity_id, text, model, value FROM mentions '
        f"WHERE document_id IN ({marks}) AND origin IN ('model', 'rule')", list(found),
    ):
        found[doc_id].existing[(start, end, origin)] = (mention_id, rest)
    for doc_id, start, end in db.conn.execute(
        f'SELECT document_id, start, "end" FROM removed_mentions WHERE document_id IN ({marks})', list(found)
    ):
        found[doc_id].removed.add((start, end))
    for doc_id, start, end in db.conn.execute(
        f'SELECT document_id, start, "end" FROM mentions WHERE document_id IN ({marks}) AND origin = \'user\'',
        list(found),
    ):
        found[doc_id].users.append((start, end))
    return found


def write_mentions(
    db: Database,
    resolver: EntityResolver,
    *,
    doc_id: int,
    text: str,
    published: str | None,
    planned: list[tuple[Span, str]],
    model: str | None,
    stored: StoredMentions | None = None,
) -> int:
    """Replace the document's model and rule mentions by ``planned`` (minus what the user
    removed or marked); returns how many were written. A mention found again at the same
    place keeps its id, so corrections recorded against it still apply. ``stored`` is what
    ``stored_mentions`` read for it (read here when not given)."""
    conn = db.conn
    stored = stored or stored_mentions(db, [doc_id])[doc_id]
    existing, removed, users = dict(stored.existing), stored.removed, stored.users
    added: list[tuple] = []
    written = 0
    for span, origin in planned:
        if (span.start, span.end) in removed or any(span.start < e and s < span.end for s, e in users):
            continue
        surface = text[span.start:span.end]
        value = value_of(span.label, surface, published=published)
        entity = resolver.entity_id(
            label=span.label, name=entity_name(span.label, name=span.name, value=value), surface=surface
        )
        row = [entity, surface, model if origin == "model" else None, value]
        mention_id, old = existing.pop((span.start, span.end, origin), (None, None))
        if mention_id is None:
            added.append((doc_id, span.start, span.end, origin, *row))
        elif old != row:
            conn.execute(
                "UPDATE mentions SET entity_id = ?, text = ?, model = ?, value = ? WHERE id = ?",
                (*row, mention_id),
            )
        written += 1
    conn.executemany("DELETE FROM mentions WHERE id = ?", [(i,) for i, _ in existing.values()])
    first = take_ids(conn, "mentions", len(added))
    conn.executemany(
        'INSERT INTO mentions (id, document_id, start, "end", origin, entity_id, text, model, value) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(first + n, *row) for n, row in enumerate(added)],
    )
    return written


def _pending_ids(db: Database, *, redo: bool) -> list[int]:
    sql = "SELECT id FROM documents"
    if not redo:
        sql += " WHERE id NOT IN (SELECT document_id FROM entity_extractions)"
    return [r[0] for r in db.conn.execute(sql + " ORDER BY id")]


Article = tuple[int, str, str | None, str | None]
"""An article as a batch holds it: id, text, published date, stored language."""


def load_batch(db: Database, ids: Sequence[int]) -> list[Article]:
    """The articles ``ids`` (those that still exist), in id order, for ``store_batch``."""
    marks = ",".join("?" * len(ids))
    return db.conn.execute(
        f"SELECT id, text, published, language FROM documents WHERE id IN ({marks}) ORDER BY id",
        list(ids),
    ).fetchall()


def store_batch(
    db: Database, batch: Sequence[Article], found: Sequence[Extraction], *,
    rules: list[Rule], resolver: EntityResolver | None = None,
) -> int:
    """Store the entities ``found`` for each article of ``batch`` (``load_batch``) in one
    transaction (nested in the caller's when there is one): the rules applied, each
    article's model and rule mentions replaced, its extraction recorded. Returns the
    mentions written.

    ``resolver`` carries the entities found by earlier batches of the same run (a new
    one when not given); it is refreshed first and forgets what a failed batch created.
    """
    resolver = resolver or EntityResolver(db)
    resolver.refresh()
    written = 0
    stamp = now_iso()
    try:
        with db.atomic():
            stored = stored_mentions(db, [doc_id for doc_id, *_ in batch])
            for (doc_id, text, published, _), extraction in zip(batch, found):
                written += write_mentions(
                    db, resolver, doc_id=doc_id, text=text, published=published,
                    planned=plan_mentions(text, extraction.spans, rules), model=extraction.model,
                    stored=stored[doc_id],
                )
            db.conn.executemany(
                "INSERT OR REPLACE INTO entity_extractions (document_id, model, extracted_at) VALUES (?, ?, ?)",
                [(doc_id, extraction.model, stamp) for (doc_id, *_), extraction in zip(batch, found)],
            )
    except BaseException:
        resolver.forget()
        raise
    return written


def adapted_model(library: Library) -> str | None:
    """The folder of the entity model adapted to this library's corrections, when it uses one."""
    from .adapt import active_model  # adapt builds on this module

    path = active_model(library.path)
    return str(path) if path else None


def extract_entities(
    library: Library,
    *,
    doc_ids: Sequence[int] | None = None,
    redo: bool = False,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    batch_size: int = DEFAULT_BATCH,
    model: str | None = None,
) -> ExtractionReport:
    """Find the entities of ``doc_ids`` (default: documents not read by the model yet, or
    every document with ``redo``) and store them, one committed transaction per batch.

    Each article is read by its language's model (``languages.extract_articles``); ``model``
    names the spaCy package for English. The report names every model that ran.

    Raises ``Cancelled`` between batches when ``cancel`` is set (finished batches are kept).
    """
    started = time.perf_counter()
    report_progress = progress or no_progress
    db = library.db
    ids = list(doc_ids) if doc_ids is not None else _pending_ids(db, redo=redo)
    versions: dict[str, None] = {}
    model = model or adapted_model(library)
    rules = load_rules(db)
    resolver = EntityResolver(db)
    documents = mentions = 0
    report_progress(Progress(0, len(ids), "Finding people, places and organisations", phase="finding entities",
                             unit="articles"))
    for start in range(0, len(ids), batch_size):
        if cancel is not None:
            cancel.raise_if_cancelled()
        batch = load_batch(db, ids[start:start + batch_size])
        found = extract_articles(
            [(text, language) for _, text, _, language in batch], model=model
        )
        versions.update(dict.fromkeys(extraction.model for extraction in found))
        mentions += store_batch(db, batch, found, rules=rules, resolver=resolver)
        documents += len(batch)
        done = min(start + batch_size, len(ids))
        report_progress(Progress(done, len(ids), f"Entities found in {done:,} of {len(ids):,} articles",
                                 phase="finding entities", unit="articles"))
    linked = None
    if ids:
        from .name_links import link_names  # name_links builds on corrections, which imports this

        linked = link_names(db)
        keep_saved(db.conn)
    return ExtractionReport(
        documents=documents, mentions=mentions, model=", ".join(versions) or model_setting(model),
        seconds=time.perf_counter() - started, names_linked=linked,
    )
