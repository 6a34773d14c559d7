"""Stories in the library: grouping the copies of one article from many outlets, and reading the groups.

``group_documents`` signs articles (``stories_signatures``), stores their signatures and LSH
band keys, looks their candidates up by key in SQL and joins each article to the story of
every stored article that is a copy of it: close signatures, and texts that cover each other
where the signatures alone are not conclusive (checked once per pair of stories). It runs inside the caller's
transaction (an import batch, a re-import), so its cost follows the number of articles it
is given, not the size of the library. ``group_library`` is the long job that does the same
for the articles of an existing library that were never grouped (or, with ``rebuild``, for
all of them), in batches, with progress and cancel.

A story is the set of articles joined by close signatures, with a person's corrections
applied on top (``story_corrections``: "same story" joins two articles whatever their
signatures say, "not the same story" keeps two apart); its id is the id of its original: the
pinned one, or else the earliest published (then the first imported). Only stories of two or
more are stored (``story_members``); every other article is a story of its own whose id is
its own id.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .jobs import CancelToken, Progress, ProgressCallback, no_progress
from .busy import retry_when_busy
from .library import Library, read_snapshot, require_writable
from .library_messages import damaged_error
from . import stories_bands as bands
from .stories_groups import Groups, join_copies
from .stories_bands import HeldBands
from .stories_signatures import (
    BANDS, SIGNATURE_VERSION, THRESHOLD, Signature, band_key_rows, band_keys, copies, signatures, similarities,
)
from .tag_order import tag_sort_key
from .undo import plural
from .unreadable import require_articles
from .wire_corrections import OPENING, is_correction

BATCH = 500
CROWD = 50  # articles sharing one band key beyond which they are linked to the first only
IN_JSON = "IN (SELECT value FROM json_each(?))"
HIDE_COPIES = "d.id NOT IN (SELECT document_id FROM story_members WHERE story <> document_id)"
_VERSION_KEY = "stories.signature_version"


def _ids(values: Iterable[int]) -> str:
    return json.dumps(sorted({int(v) for v in values}))


def _signatures(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Signature]:
    return _parsed(conn.execute(
        f"SELECT document_id, minhash, shingles FROM story_signatures WHERE document_id {IN_JSON}", [_ids(ids)]
    ).fetchall())


def _parsed(rows: list[tuple[int, bytes, int]]) -> dict[int, Signature]:
    """Signatures from stored rows (article, blob, shingles), all blobs read at once."""
    if not rows:
        return {}
    values = np.frombuffer(b"".join(blob for _, blob, _ in rows), dtype="<u4").reshape(len(rows), -1)
    values = values.astype(np.uint32)
    return {doc: Signature(row, shingles) for row, (doc, _, shingles) in zip(values, rows)}


def _texts(conn: sqlite3.Connection, docs: Iterable[int], known: dict[int, str]) -> dict[int, str]:
    """The texts of articles ``docs``, from ``known`` or else from the library."""
    wanted = set(docs) - known.keys()
    rows = dict(conn.execute(f"SELECT id, coalesce(text, '') FROM documents WHERE id {IN_JSON}", [_ids(wanted)])) if wanted else {}
    require_articles(conn, wanted, rows)
    return {**{doc: known[doc] for doc in set(docs) & known.keys()}, **rows}


def _members(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, set[int]]:
    """The stored stories of ``ids``: story id -> every member."""
    rows = conn.execute(
        f"""SELECT story, document_id FROM story_members WHERE story IN
            (SELECT story FROM story_members WHERE document_id {IN_JSON})""",
        [_ids(ids)],
    )
    out: dict[int, set[int]] = {}
    for story, doc in rows:
        out.setdefault(story, set()).add(doc)
    return out


def _corrections(conn: sqlite3.Connection, ids: Iterable[int]) -> tuple[list[tuple[int, int]], dict[int, set[int]]]:
    """The "same story" pairs and the "not the same story" partners of any of ``ids``."""
    wanted = _ids(ids)
    rows = conn.execute(
        f"SELECT a, b, kind FROM story_corrections WHERE a {IN_JSON} OR b {IN_JSON}", [wanted, wanted]
    )
    same: list[tuple[int, int]] = []
    apart: dict[int, set[int]] = {}
    for a, b, kind in rows:
        if kind == "same":
            same.append((a, b))
        else:
            apart.setdefault(a, set()).add(b)
            apart.setdefault(b, set()).add(a)
    return same, apart


def _original_ranks(conn: sqlite3.Connection, docs: Iterable[int]) -> dict[int, int]:
    """The articles ``docs`` ranked as originals: pinned ones first (the last pinned first), then
    by published date (undated last), then by id."""
    rows = conn.execute(
        f"""SELECT d.id FROM documents AS d LEFT JOIN story_originals AS o ON o.document_id = d.id
            WHERE d.id {IN_JSON}
            ORDER BY o.document_id IS NULL, o.created DESC, d.published IS NULL, d.published, d.id""",
        [_ids(docs)],
    )
    return {doc: rank for rank, (doc,) in enumerate(rows)}


def choose_original(conn: sqlite3.Connection, members: Iterable[int]) -> int:
    """The original of a story: the member last pinned, else the earliest published, else the lowest id."""
    ranks = _original_ranks(conn, members)
    return min(ranks, key=ranks.__getitem__)


def write_groups(conn: sqlite3.Connection, groups: Iterable[set[int]]) -> set[int]:
    """Store each group as one story (a group of one as none); returns the articles whose story changed."""
    groups = [set(group) for group in groups]
    everyone = {doc for group in groups for doc in group}
    if not everyone:
        return set()
    before = dict(conn.execute(
        f"SELECT document_id, story FROM story_members WHERE document_id {IN_JSON}", [_ids(everyone)]
    ).fetchall())
    alone = [doc for group in groups if len(group) < 2 for doc in group]
    conn.execute(f"DELETE FROM story_members WHERE document_id {IN_JSON}", [_ids(alone)])
    ranks = _original_ranks(conn, everyone.difference(alone))
    rows = []
    for group in groups:
        if len(group) >= 2:
            story = min(group, key=ranks.__getitem__)
            rows += [(doc, story) for doc in group if before.get(doc) != story]
    conn.executemany(
        "INSERT INTO story_members (document_id, story) VALUES (?, ?) "
        "ON CONFLICT (document_id) DO UPDATE SET story = excluded.story",
        rows,
    )
    return {doc for doc in alone if doc in before} | {doc for doc, _ in rows}


def _drop_lone_stories(conn: sqlite3.Connection, stories: Iterable[int]) -> None:
    conn.execute(
        f"""DELETE FROM story_members WHERE story IN (SELECT story FROM story_members
            WHERE story {IN_JSON} GROUP BY story HAVING count(*) = 1)""",
        [_ids(stories)],
    )


def _store_signatures(conn: sqlite3.Connection, signed: dict[int, Signature]) -> tuple[np.ndarray, np.ndarray]:
    """Replace the stored signatures of ``signed`` and drop their old band keys; returns the new
    keys (flat) and the article of each, not stored yet."""
    old = _signatures(conn, signed)
    conn.executemany(
        "DELETE FROM story_bands WHERE key = ? AND document_id = ?",
        [(key, doc) for doc, sig in old.items() for key in band_keys(sig)],
    )
    conn.executemany(
        "INSERT INTO story_signatures (document_id, minhash, shingles) VALUES (?, ?, ?) "
        "ON CONFLICT (document_id) DO UPDATE SET minhash = excluded.minhash, shingles = excluded.shingles",
        [(doc, sig.to_blob(), sig.shingles) for doc, sig in signed.items()],
    )
    usable = [doc for doc, sig in signed.items() if sig.usable]
    if not usable:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    keys = band_key_rows(np.stack([signed[doc].values for doc in usable]))
    return keys.ravel(), np.repeat(np.asarray(usable, dtype=np.int64), BANDS)


def _candidates(
    conn: sqlite3.Connection, keys: np.ndarray, docs: np.ndarray, held: HeldBands | None,
) -> tuple[set[tuple[int, int]], dict[int, Signature]]:
    """Pairs (new article, other article) sharing a band key: with the stored articles (found
    before the new keys are stored, with their signatures) and within the new ones (a run of
    one key in the sorted keys); a run of more than ``CROWD`` articles is linked to its first
    only. Also the signatures of the stored articles found."""
    if not len(keys):
        return set(), {}
    order = np.argsort(keys, kind="stable")
    keys, docs = keys[order], docs[order]
    pairs: set[tuple[int, int]] = set()
    edges = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1], [True])))
    shared = np.flatnonzero(np.diff(edges) > 1)
    for lo, hi in zip(edges[shared].tolist(), edges[shared + 1].tolist()):
        run = docs[lo:hi].tolist()
        linked = combinations(run, 2) if len(run) <= CROWD else ((run[0], d) for d in run[1:])
        pairs.update((a, b) for a, b in linked if a != b)
    found = bands.sharing(conn, keys[edges[:-1]], held)
    stored = _signatures(conn, found[:, 1].tolist()) if len(found) else {}
    found = found[np.isin(found[:, 1], np.fromiter(stored, dtype=np.int64, count=len(stored)))]
    if len(found):  # (a removed article's keys stay until a rebuild: it has no signature)
        lo = np.searchsorted(keys, found[:, 0], side="left")
        spans = np.searchsorted(keys, found[:, 0], side="right") - lo
        mine = docs[np.repeat(lo - (np.cumsum(spans) - spans), spans) + np.arange(spans.sum())]
        others = np.repeat(found[:, 1], spans)
        pairs.update(zip(mine[mine != others].tolist(), others[mine != others].tolist()))
    bands.store(conn, keys, docs, held)
    return pairs, stored


def _signed(texts: Mapping[int, str], ahead: Mapping[str, Signature]) -> dict[int, Signature]:
    """The signature of each article of ``texts``: from ``ahead`` when it has the text, the others made here in one batch."""
    unsigned = [doc for doc, text in texts.items() if text not in ahead]
    made = dict(zip(unsigned, signatures([texts[doc] for doc in unsigned])))
    return {doc: made[doc] if doc in made else ahead[text] for doc, text in texts.items()}


def group_documents(
    conn: sqlite3.Connection, doc_ids: Iterable[int], *,
    signed_ahead: Mapping[str, Signature] | None = None, held: HeldBands | None = None,
) -> set[int]:
    """Sign articles ``doc_ids`` (new, or with a new text) and join them to the stories of the
    stored articles they are copies of, inside the caller's transaction. ``signed_ahead`` holds
    signatures already made of some texts (by text; see ``stories_ahead``); a run of many
    batches passes the band keys it holds (``stories_bands.HeldBands``).

    An article given again leaves its story first. Returns the ids of every article whose
    story changed (the articles given, and the copies that gained or lost one). Raises
    ``LibraryDamaged`` when an article given is listed but cannot be read.
    """
    ids = sorted({int(i) for i in doc_ids})
    if not ids:
        return set()
    left = _members(conn, ids)
    conn.execute(f"DELETE FROM story_members WHERE document_id {IN_JSON}", [_ids(ids)])
    _drop_lone_stories(conn, left)
    changed = set(ids) | {doc for members in left.values() for doc in members}
    texts = dict(conn.execute(f"SELECT id, coalesce(text, '') FROM documents WHERE id {IN_JSON}", [_ids(ids)]))
    require_articles(conn, ids, texts)  # a damaged page hides an article from a lookup by id
    signed = _signed(texts, signed_ahead or {})
    pairs, stored = _candidates(conn, *_store_signatures(conn, signed), held)
    known = {**stored, **signed}
    pairs = list(pairs)
    close = similarities(pairs, known)
    edges = [pair for pair, sim in sorted(zip(pairs, close.tolist()), key=lambda e: -e[1]) if sim >= THRESHOLD]
    same, _ = _corrections(conn, ids)
    linked = set(ids) | {b for _, b in edges} | {doc for pair in same for doc in pair}
    stories = _members(conn, linked)
    same, apart = _corrections(conn, linked | {d for m in stories.values() for d in m})
    groups = Groups(apart)
    for members in stories.values():
        groups.bind(members)
    for a, b in same:
        groups.join(a, b)
    join_copies(groups, edges, lambda chosen: copies(chosen, known, lambda docs: _texts(conn, docs, texts)))
    touched = [g for g in groups.groups() if g & set(ids)]
    return changed | write_groups(conn, touched)


def story_ids(conn: sqlite3.Connection, doc_ids: Sequence[int]) -> dict[int, int]:
    """The story id of each article (its own id when it has no copies)."""
    stored: dict[int, int] = {}
    for start in range(0, len(doc_ids), 50_000):
        stored.update(conn.execute(
            f"SELECT document_id, story FROM story_members WHERE document_id {IN_JSON}",
            [_ids(doc_ids[start:start + 50_000])],
        ).fetchall())
    return {doc: stored.get(doc, doc) for doc in doc_ids}


def one_per_story(conn: sqlite3.Connection, doc_ids: Sequence[int]) -> list[int]:
    """``doc_ids`` in their order with one article per story: the original a person pinned, else
    the latest correction (``wire_corrections``), else the story's original, each when among
    them, else the first of its copies (as ``FacetIndex.one_per_story`` keeps them)."""
    stories = story_ids(conn, doc_ids)
    kept = _kept_copies(conn, doc_ids)
    return list(dict.fromkeys(doc for doc in doc_ids if kept.get(stories[doc], doc) == doc))


def _kept_copies(conn: sqlite3.Connection, docs: Sequence[int]) -> dict[int, int]:
    """For each story of ``docs`` with copies among them: the one that stands for it (see ``one_per_story``)."""
    rows = conn.execute(
        f"""SELECT d.id, m.story, d.title, substr(d.text, 1, {OPENING}), d.published,
                   o.document_id IS NOT NULL FROM story_members AS m JOIN documents AS d ON d.id = m.document_id
            LEFT JOIN story_originals AS o ON o.document_id = d.id WHERE d.id {IN_JSON}""", [_ids(docs)]).fetchall()
    place = {doc: n for n, doc in reversed(list(enumerate(docs)))}
    best: dict[int, tuple] = {}
    for doc, story, title, opening, published, pinned in rows:
        corrected = is_correction(title, opening)
        rank = (not pinned, not corrected, _negated(published) if corrected else "", doc != story, place[doc])
        if story not in best or rank < best[story][0]:
            best[story] = (rank, doc)
    return {story: doc for story, (_, doc) in best.items()}


def _negated(published: str | None) -> str:
    """A date that sorts the later first (undated last)."""
    return "~" if not published else "".join(chr(ord("9") - int(c)) if c.isdigit() else c for c in published)


@dataclass(frozen=True)
class Version:
    """One copy of a story as the Versions panel and ``dossier stories`` show it."""

    id: int
    title: str
    source: str | None
    published: str | None
    original: bool
    yours: str = ""  # what the person added to this copy: "2 highlights, a note, tagged lunar"


def _yours(highlights: int, noted: bool, tags: str | None) -> str:
    parts = [plural(highlights, "highlight")] if highlights else []
    parts += ["a note"] if noted else []
    parts += [f"tagged {', '.join(sorted(json.loads(tags), key=tag_sort_key))}"] if tags != "[]" else []
    return ", ".join(parts)


def versions(conn: sqlite3.Connection, doc_id: int) -> list[Version]:
    """Every copy of article ``doc_id``'s story, the original first, then by date; [] when it has none."""
    with read_snapshot(conn):
        row = conn.execute("SELECT story FROM story_members WHERE document_id = ?", [doc_id]).fetchone()
        if row is None:
            return []
        rows = conn.execute(
            """SELECT d.id, d.title, d.source, d.published, d.id = m.story,
                      (SELECT count(*) FROM annotations AS a WHERE a.document_id = d.id),
                      coalesce(d.note, '') <> '',
                      (SELECT json_group_array(t.name) FROM document_tags AS dt JOIN tags AS t ON t.id = dt.tag_id
                       WHERE dt.document_id = d.id)
               FROM story_members AS m
               JOIN documents AS d ON d.id = m.document_id WHERE m.story = ?
               ORDER BY d.id <> m.story, d.published IS NULL, d.published, d.id""",
            [row[0]],
        ).fetchall()
    return [Version(i, t or "", s, p, bool(o), _yours(n, bool(noted), tags))
            for i, t, s, p, o, n, noted, tags in rows] if len(rows) > 1 else []


def version_summaries(conn: sqlite3.Connection, doc_ids: Sequence[int]) -> dict[int, tuple[int, list[str]]]:
    """For each of ``doc_ids`` that has copies: how many articles its story holds and their outlets."""
    rows = conn.execute(
        f"""SELECT m.document_id, count(*), group_concat(DISTINCT coalesce(d.source, ''))
            FROM story_members AS m JOIN story_members AS o ON o.story = m.story
            JOIN documents AS d ON d.id = o.document_id
            WHERE m.document_id {IN_JSON} GROUP BY m.document_id""",
        [_ids(doc_ids)],
    ).fetchall()
    return {doc: (n, sorted(s for s in (outlets or "").split(",") if s)) for doc, n, outlets in rows if n > 1}


def list_stories(conn: sqlite3.Connection, *, min_size: int = 2) -> list[dict]:
    """Stories of at least ``min_size`` articles, largest first: id, size, title, outlets, articles."""
    with read_snapshot(conn):
        rows = conn.execute(
            """SELECT m.story, d.id, d.title, d.source, d.published FROM story_members AS m
               JOIN documents AS d ON d.id = m.document_id
               ORDER BY m.story, d.id <> m.story, d.published IS NULL, d.published, d.id"""
        ).fetchall()
    stories: dict[int, dict] = {}
    for story, doc, title, source, published in rows:
        entry = stories.setdefault(story, {"story": story, "title": title or "", "articles": []})
        entry["articles"].append({"id": doc, "title": title or "", "source": source, "published": published})
    if min_size <= 1:
        singles = conn.execute(
            "SELECT id, title, source, published FROM documents WHERE id NOT IN (SELECT document_id FROM story_members)"
        )
        for doc, title, source, published in singles:
            stories[doc] = {"story": doc, "title": title or "", "articles": [
                {"id": doc, "title": title or "", "source": source, "published": published}]}
    out = []
    for entry in stories.values():
        entry["size"] = len(entry["articles"])
        entry["outlets"] = sorted({a["source"] for a in entry["articles"] if a["source"]})
        if entry["size"] >= min_size:
            out.append(entry)
    out.sort(key=lambda e: (-e["size"], e["story"]))
    return out


def ungrouped_count(conn: sqlite3.Connection) -> int:
    """How many articles were never grouped (imported before grouping existed, or with other parameters)."""
    version = conn.execute("SELECT value FROM meta WHERE key = ?", [_VERSION_KEY]).fetchone()
    if version is not None and version[0] != SIGNATURE_VERSION:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    return conn.execute(
        "SELECT count(*) FROM documents WHERE id NOT IN (SELECT document_id FROM story_signatures)"
    ).fetchone()[0]


def needs_grouping(conn: sqlite3.Connection) -> bool:
    """Whether the library holds articles imported before grouping existed (or grouped with other
    parameters): what a window groups in the background when it opens the library."""
    version = conn.execute("SELECT value FROM meta WHERE key = ?", [_VERSION_KEY]).fetchone()
    if version is not None:
        return version[0] != SIGNATURE_VERSION
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM documents WHERE id NOT IN (SELECT document_id FROM story_signatures))"
    ).fetchone()[0] == 1


def mark_grouped(conn: sqlite3.Connection) -> None:
    """Record that the library's articles are grouped with this version's parameters."""
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [_VERSION_KEY, SIGNATURE_VERSION])


@dataclass
class GroupingReport:
    """What ``group_library`` did: articles grouped, stories of two or more, whether it was cancelled."""

    grouped: int = 0
    stories: int = 0
    cancelled: bool = False


def group_library(
    library: Library, *, rebuild: bool = False,
    progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
) -> GroupingReport:
    """Group every article of ``library`` not grouped yet (with ``rebuild``: forget the stored
    signatures and stories and group all of them again; corrections and pins are kept).

    Batches of ``BATCH`` articles in the order of their ids, each committed on its own; a
    cancel stops after the batch it is on and keeps what was committed (the next run goes on
    from there). A damaged library is refused before anything is written (``LibraryDamaged``).
    """
    require_writable(library)
    report_progress = progress or no_progress
    db = library.db
    conn = db.conn
    stale = ungrouped_count(conn) and conn.execute(
        "SELECT value FROM meta WHERE key = ?", [_VERSION_KEY]).fetchone() not in (None, (SIGNATURE_VERSION,))
    if rebuild or stale:
        def forget() -> None:
            with db.atomic():
                for table in ("story_members", "story_bands", "story_signatures"):
                    conn.execute(f"DELETE FROM {table}")
        retry_when_busy(forget)
    with db.atomic():
        mark_grouped(conn)
    report = GroupingReport()
    total = ungrouped_count(conn)
    held = HeldBands(total)
    report_progress(Progress(0, total, "Grouping copies of one story", phase="grouping", unit="articles"))
    last = 0  # each batch starts after the last one, so the run ends whatever the file returns
    while True:
        if cancel is not None and cancel.cancelled:
            report.cancelled = True
            break
        batch = [r[0] for r in conn.execute(
            "SELECT id FROM documents WHERE id > ? AND id NOT IN (SELECT document_id FROM story_signatures) "
            "ORDER BY id LIMIT ?", [last, BATCH],
        )]
        if not batch:
            break
        if batch[0] <= last:
            raise damaged_error(library.path, f"article {batch[0]} is listed again after article {last}")
        last = batch[-1]

        def step(ids: list[int] = batch) -> None:
            with db.atomic():
                group_documents(conn, ids, held=held)
        retry_when_busy(step)
        report.grouped += len(batch)
        report_progress(Progress(min(report.grouped, total), total, f"Grouped {report.grouped:,} of {total:,} articles",
                                 phase="grouping", unit="articles"))
    report.stories = conn.execute("SELECT count(DISTINCT story) FROM story_members").fetchone()[0]
    return report
