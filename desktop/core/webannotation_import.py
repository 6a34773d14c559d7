"""Import of W3C Web Annotation JSON-LD into a library: highlights, article notes and tags.

Reads a file written by ``desktop.core.webannotation`` or by another conforming
tool (a collection with its pages, a page, a list or one annotation) and finds
each annotation's article by the content hash of its source (``urn:sha256:``),
else by its address (the source's id or ``dc:identifier`` against
``documents.url``), else — the library's copy of the article differing a little —
for a highlight by its title (``dc:title``, and ``dc:date`` when both have one) and its
passage found in the text; the article note and tags of that source then go to the
article its highlights are on.
Then, by the shape of its target:

- with a quote or position selector it is a highlight: re-anchored by its quote
  when the offsets differ, keeping its uuid, times, note and colour, so a second
  import of the same file adds nothing; a highlight whose article is found by its
  content or address but whose passage is not is kept, flagged orphaned (as a
  re-import keeps it), and listed in ``not_placed``; a highlight already here whose note
  in the file says more (edited since the last import) gets that note after its own;
- without a selector it is about the whole article: its ``commenting`` bodies
  become the article's note (appended after a different note already there,
  never replacing it) and its ``tagging`` bodies the article's tags.

Tagging bodies of a highlight tag its article too. Every annotation is counted
once: imported, updated (an article note or a highlight's note added to another), skipped
(already here) or unmatched (with the reason).
"""

from __future__ import annotations

import json
import os
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .anchoring import Anchor, locate, make_anchor
from .annotations import DEFAULT_COLOUR, PALETTE, refresh_notes, store_annotation
from .backups import backup_before
from .changes import ChangeSet
from .errors import InvalidInput, describe_os_error
from .jobs import CancelToken, Progress, ProgressCallback, no_progress
from .library import now_iso
from .tags import normalise_tag_name
from .undo import plural
from .webannotation import HASH_PREFIX, UUID_PREFIX, utc_moment

IMPORTED_UUIDS = uuidlib.UUID("6f1d2b1e-4f57-4a43-9d8e-3c8a1f0e7d21")
POSITION_SELECTORS = ("TextQuoteSelector", "TextPositionSelector")
NO_CONTENT = "no article with this content"
NO_ADDRESS = "no article with this address"
BATCH = 200
TOO_DEEP = "nested too deeply"
TAG_REFUSED = "empty, or with an empty level as in 'a//b'"


@dataclass
class AnnotationImport:
    """What an import of annotations did: counts, the unmatched annotations and the ``ChangeSet``."""

    imported: int = 0
    updated: int = 0
    skipped_duplicates: int = 0
    tags_added: int = 0
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    not_placed: list[dict[str, Any]] = field(default_factory=list)
    tags_refused: list[dict[str, Any]] = field(default_factory=list)
    changes: ChangeSet = field(default_factory=ChangeSet)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON: the counts, ``unmatched`` ``[{"id", "source", "quote", "reason"}]`` and
        ``not_placed`` (imported highlights kept orphaned) ``[{"id", "document_id", "quote"}]`` and
        ``tags_refused`` (tags left out, the rest of their annotation imported) ``[{"id", "tag", "reason"}]``."""
        found = asdict(self)
        del found["changes"]
        return found

    def summary(self) -> str:
        """One sentence for a person: ``Imported 4, updated 1, skipped 2 already here.``"""
        unmatched, lost = len(self.unmatched), len(self.not_placed)
        return (f"Imported {self.imported:,}, updated {self.updated:,}, "
                f"skipped {self.skipped_duplicates:,} already here"
                + (f", {unmatched:,} without a matching article" if unmatched else "")
                + (f"; {lost:,} whose passage is not in the article kept as not found in the text"
                   if lost else "")
                + (f"; {plural(len(self.tags_refused), 'tag')} left out ({TAG_REFUSED})"
                   if self.tags_refused else "") + ".")


def _load(path_or_data: str | os.PathLike[str] | dict[str, Any] | list[Any]) -> Any:
    if isinstance(path_or_data, (dict, list)):
        return path_or_data
    path = Path(path_or_data)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InvalidInput(f"Cannot read {path}: {describe_os_error(err)}") from err
    except UnicodeDecodeError as err:
        raise InvalidInput(f"{path.name} is not a JSON text file (not UTF-8).") from err
    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        raise InvalidInput(f"{path.name} is not valid JSON: {err.msg} (line {err.lineno}).") from err
    except RecursionError as err:
        raise InvalidInput(f"{path.name} cannot be read: its values are {TOO_DEEP}.") from err


def _items(data: Any) -> Iterator[dict[str, Any]]:
    """The annotations of a collection, a page, a list or a single annotation."""
    if isinstance(data, list):
        for entry in data:
            yield from _items(entry)
        return
    if not isinstance(data, dict):
        raise InvalidInput("This file is not a W3C annotation file (expected JSON objects).")
    kind = data.get("type")
    if kind == "Annotation":
        yield data
    elif kind == "AnnotationCollection":
        page = data.get("first")
        if data.get("total") and not isinstance(page, dict):
            raise InvalidInput("This collection's pages are not in the file (only their addresses).")
        while isinstance(page, dict):
            yield from _items(page.get("items", []))
            page = page.get("next")
    elif kind == "AnnotationPage":
        yield from _items(data.get("items", []))
    else:
        found = f"its type is {kind!r}" if kind is not None else 'an object without a "type"'
        raise InvalidInput(f"This file is not a W3C annotation file ({found}; expected an Annotation, "
                           "AnnotationPage or AnnotationCollection).")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _selectors(target: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s.get("type"): s for s in _as_list(target.get("selector")) if isinstance(s, dict)}


def _source(target: Any) -> dict[str, Any]:
    """The annotated resource of a target: a specific resource's ``source``, or the target itself."""
    if isinstance(target, str):
        return {"id": target}
    if not isinstance(target, dict):
        return {}
    source = target.get("source", target)
    return {"id": source} if isinstance(source, str) else source if isinstance(source, dict) else {}


def _find_article(db: Database, source: dict[str, Any]) -> tuple[int, str] | str:
    """The (id, text) of the article ``source`` describes, or why there is none."""
    source_id = source.get("id")
    if isinstance(source_id, str) and source_id.startswith(HASH_PREFIX):
        row = db.conn.execute(
            "SELECT id, text FROM documents WHERE sha256 = ?", [source_id[len(HASH_PREFIX) :].lower()]
        ).fetchone()
        if row is not None:
            return row
    addresses = [a for a in (source_id, source.get("dc:identifier")) if isinstance(a, str) and "://" in a]
    for address in addresses:
        row = db.conn.execute("SELECT id, text FROM documents WHERE url = ? ORDER BY id", [address]).fetchone()
        if row is not None:
            return row
    return NO_ADDRESS if addresses else NO_CONTENT


def _uuid_of(item: dict[str, Any], target: dict[str, Any], shared: set[str]) -> str:
    """The annotation's uuid: from its ``urn:uuid:`` id, its other id, or derived from its content;
    an id the file gives to several different annotations (``shared``) is derived from the id and
    the whole annotation, so each of them is imported once and none is taken for another."""
    given = item.get("id")
    if isinstance(given, str) and given in shared:
        return str(uuidlib.uuid5(IMPORTED_UUIDS, given + json.dumps(item, sort_keys=True)))
    if isinstance(given, str) and given:
        return given[len(UUID_PREFIX) :] if given.startswith(UUID_PREFIX) else given
    return str(uuidlib.uuid5(IMPORTED_UUIDS, json.dumps(target, sort_keys=True)))


def _shared_ids(items: list[dict[str, Any]]) -> set[str]:
    """The ids the file gives to more than one different annotation."""
    seen: dict[str, str] = {}
    shared = set()
    for item in items:
        given = item.get("id")
        if isinstance(given, str) and given:
            content = json.dumps(item, sort_keys=True)
            if seen.setdefault(given, content) != content:
                shared.add(given)
    return shared


def _bodies(item: dict[str, Any], purpose: str) -> list[str]:
    """The values of the textual bodies with ``purpose``; a body without one serves the
    annotation's motivation when that is tagging, else commenting."""
    unstated = "tagging" if item.get("motivation") == "tagging" else "commenting"
    values = []
    for body in _as_list(item.get("body")):
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            if body.get("purpose", unstated) == purpose:
                values.append(body["value"])
    if purpose == "commenting" and isinstance(item.get("bodyValue"), str):
        values.append(item["bodyValue"])
    return values


def _stored_time(value: Any) -> str | None:
    """A time from the file as the library stores it (UTC, ``+00:00``); None when it is not one."""
    moment = utc_moment(value)
    return moment.isoformat() if moment else None


def _anchor(text: str, target: dict[str, Any]) -> Anchor | None:
    selectors = _selectors(target)
    quote = selectors.get("TextQuoteSelector", {})
    position = selectors.get("TextPositionSelector", {})
    start, end = position.get("start"), position.get("end")
    exact = quote.get("exact")
    if not isinstance(exact, str) or not exact:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            return None
        exact = text[start:end]
    start = start if isinstance(start, int) else 0
    return Anchor(start, start + len(exact), exact, quote.get("prefix") or "", quote.get("suffix") or "")


def _merged_note(current: str | None, note: str) -> str | None:
    """``note`` after ``current`` (or alone), never over it; None when ``note`` is empty or
    ``current`` already holds it."""
    note = note.strip()
    if not note or (current and note in current):
        return None
    return f"{current}\n\n{note}" if current else note


class _Importer:
    """One import run: applies annotations inside the caller's transaction and keeps the report."""

    def __init__(self, db: Database, shared_ids: set[str]) -> None:
        self.db = db
        self.shared_ids = shared_ids
        self.report = AnnotationImport()
        self.annotated: set[int] = set()
        self.tagged: set[int] = set()
        self.new_tags = False
        self.by_source: dict[str, tuple[int, str]] = {}

    def apply(self, item: dict[str, Any]) -> None:
        target = next((t for t in _as_list(item.get("target")) if isinstance(t, (dict, str))), {})
        target = target if isinstance(target, dict) else {"source": target}
        highlight = any(kind in _selectors(target) for kind in POSITION_SELECTORS)
        annotation_uuid = _uuid_of(item, target, self.shared_ids)
        source = _source(target)
        if highlight:
            here = self.db.conn.execute(
                "SELECT a.document_id, d.text, a.id, a.note FROM annotations a "
                "JOIN documents d ON d.id = a.document_id WHERE a.uuid = ?", [annotation_uuid]).fetchone()
            if here is not None:
                self._found_for(source, (here[0], here[1]))
                if self._highlight_note(here[2], here[0], here[3], "\n\n".join(_bodies(item, "commenting"))):
                    self.report.updated += 1
                else:
                    self.report.skipped_duplicates += 1
                return
        found = _find_article(self.db, source)
        if isinstance(found, str):
            found = (self._by_title(source, target) if highlight
                     else self.by_source.get(str(source.get("id")))) or found
        if isinstance(found, str):
            self._unmatched(item, source, target, found)
        elif highlight:
            self._found_for(source, found)
            self._highlight(item, target, annotation_uuid, found)
        else:
            self._whole_article(item, found[0])

    def _found_for(self, source: dict[str, Any], article: tuple[int, str]) -> None:
        """Remember the article a highlight of ``source`` is on: its article note and tags go there
        too when the library's copy differs (its content hash then names no article here)."""
        self.by_source.setdefault(str(source.get("id")), article)

    def _by_title(self, source: dict[str, Any], target: dict[str, Any]) -> tuple[int, str] | None:
        """The article of the source's title (and date) that holds the highlight's passage (the
        best placed when several do)."""
        title, date = source.get("dc:title"), source.get("dc:date")
        if not isinstance(title, str) or not title.strip():
            return None
        rows = self.db.conn.execute(
            "SELECT id, text, published FROM documents WHERE title = ? ORDER BY id", [title.strip()]
        ).fetchall()
        found = [(doc_id, text) for doc_id, text, published in rows
                 if not (isinstance(date, str) and date and published and published[:10] != date[:10])]
        placed = []
        for doc_id, text in found:
            anchor = _anchor(text, target)
            where = locate(anchor, text) if anchor else None
            if where is not None:
                placed.append((where.score, -doc_id, (doc_id, text)))
        return max(placed)[2] if placed else None

    def _unmatched(self, item: dict[str, Any], source: dict[str, Any], target: dict[str, Any], reason: str) -> None:
        source_id = source.get("id")
        self.report.unmatched.append({
            "id": item.get("id"),
            "source": source_id[len(HASH_PREFIX) :] if isinstance(source_id, str)
            and source_id.startswith(HASH_PREFIX) else source_id,
            "quote": _selectors(target).get("TextQuoteSelector", {}).get("exact"),
            "reason": reason,
        })

    def _highlight(self, item: dict[str, Any], target: dict[str, Any], annotation_uuid: str,
                   article: tuple[int, str]) -> None:
        doc_id, text = article
        anchor = _anchor(text, target)
        placed = locate(anchor, text) if anchor else None
        if anchor is None:
            self._unmatched(item, _source(target), target, "passage not found in the article")
            return
        colour = item.get("dossier:colour")
        created = _stored_time(item.get("created"))
        store_annotation(
            self.db, doc_id=doc_id, anchor=make_anchor(text, placed.start, placed.end) if placed else anchor,
            note="\n\n".join(_bodies(item, "commenting")) or None,
            colour=colour if colour in PALETTE else DEFAULT_COLOUR, orphaned=placed is None,
            uuid=annotation_uuid, created=created, updated=_stored_time(item.get("modified")) or created,
            refresh=False,
        )
        if placed is None:
            self.report.not_placed.append({"id": item.get("id"), "document_id": doc_id, "quote": anchor.quote})
        self.annotated.add(doc_id)
        self._tag(item, doc_id, _bodies(item, "tagging"))
        self.report.imported += 1

    def _whole_article(self, item: dict[str, Any], doc_id: int) -> None:
        note_outcome = self._note(doc_id, "\n\n".join(_bodies(item, "commenting")))
        tagged = self._tag(item, doc_id, _bodies(item, "tagging"))
        if note_outcome == "updated":
            self.report.updated += 1
        elif note_outcome == "imported" or tagged:
            self.report.imported += 1
        else:
            self.report.skipped_duplicates += 1

    def _note(self, doc_id: int, note: str) -> str | None:
        """Give the article ``note``: "imported" (it had none), "updated" (added after another) or None."""
        current = self.db.conn.execute("SELECT note FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
        merged = _merged_note(current, note)
        if merged is None:
            return None
        self.db.conn.execute("UPDATE documents SET note = ? WHERE id = ?", [merged, doc_id])
        self.annotated.add(doc_id)
        return "updated" if current else "imported"

    def _highlight_note(self, annotation_id: int, doc_id: int, current: str | None, note: str) -> bool:
        """Give a highlight already here the file's ``note`` (edited since the last import) after
        its own; False when the file says nothing the highlight's note does not."""
        merged = _merged_note(current, note)
        if merged is None:
            return False
        self.db.conn.execute("UPDATE annotations SET note = ?, updated = ? WHERE id = ?",
                             [merged, now_iso(), annotation_id])
        self.annotated.add(doc_id)
        return True

    def _tag(self, item: dict[str, Any], doc_id: int, names: list[str]) -> int:
        """Give the article the tags ``names``; one that cannot be a tag here (an empty level: "",
        "a//b", an address) is left out and listed in ``tags_refused``."""
        added = 0
        stamp = now_iso()
        for given in names:
            try:
                name = normalise_tag_name(given)
            except InvalidInput as err:
                self.report.tags_refused.append({"id": item.get("id"), "tag": given, "reason": str(err)})
                continue
            self.new_tags |= self.db.conn.execute(
                "INSERT OR IGNORE INTO tags (name, created) VALUES (?, ?)", [name, stamp]
            ).rowcount > 0
            added += self.db.conn.execute(
                "INSERT OR IGNORE INTO document_tags (document_id, tag_id, added_at) "
                "SELECT ?, id, ? FROM tags WHERE name = ?",
                [doc_id, stamp, name],
            ).rowcount
        if added:
            self.tagged.add(doc_id)
        self.report.tags_added += added
        return added

    def refresh(self) -> None:
        """Recompute the searchable notes of every article given highlights or a note, once each."""
        refresh_notes(self.db, sorted(self.annotated))

    def finish(self) -> AnnotationImport:
        self.report.changes = ChangeSet.of(annotated=self.annotated, tagged=self.tagged,
                                           tag_definitions=self.new_tags)
        return self.report


def import_annotations(
    db: Database, path_or_data: str | os.PathLike[str] | dict[str, Any] | list[Any], *,
    progress: ProgressCallback | None = None, cancel: CancelToken | None = None,
) -> AnnotationImport:
    """Import W3C annotations (a file path or parsed JSON) in one transaction; returns the report.

    Raises InvalidInput (one line) for a file that cannot be read, is not JSON or
    is not annotations; nothing is written then. ``progress`` hears after each
    ``BATCH`` annotations; ``cancel`` is checked before each, and Cancelled is
    raised before the transaction commits, so a cancelled import changes nothing.
    """
    report = progress or no_progress
    data = _load(path_or_data)
    try:
        items = list(_items(data))
        shared_ids = _shared_ids(items)
    except RecursionError as err:
        raise InvalidInput(f"This file is not a W3C annotation file (its annotations are {TOO_DEEP}).") from err
    if cancel is not None:
        cancel.raise_if_cancelled()
    report(Progress(0, len(items), f"{len(items):,} annotations read"))
    backup_before(db, "import annotations")
    importer = _Importer(db, shared_ids)
    with db.atomic():
        for start in range(0, len(items), BATCH):
            if cancel is not None:
                cancel.raise_if_cancelled()
            for item in items[start : start + BATCH]:
                importer.apply(item)
            done = min(start + BATCH, len(items))
            report(Progress(done, len(items), f"{done:,} of {len(items):,} annotations imported"))
        importer.refresh()
        if cancel is not None:
            cancel.raise_if_cancelled()
    return importer.finish()
