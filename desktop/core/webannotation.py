"""Exchange of highlights as W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/).

Export writes one ``AnnotationCollection`` whose single page holds every
highlight as an ``Annotation``:

- ``id`` ``urn:uuid:<annotation uuid>``, ``created`` / ``modified``, ``motivation``
  ``commenting`` (with a note) or ``highlighting``;
- ``body``: the note as a ``TextualBody`` (purpose ``commenting``) and each of the
  article's tags as a ``TextualBody`` with purpose ``tagging``;
- ``target``: ``source`` is the article, identified by its content hash as
  ``urn:sha256:<hex>`` with its title, date and outlet (Dublin Core terms); the
  passage is given by a ``TextQuoteSelector`` (exact, prefix, suffix) and a
  ``TextPositionSelector`` (start, end);
- ``dossier:colour`` and ``dossier:orphaned`` carry what the model has no term for.

Import reads such a file (a collection, a page, a list or one annotation),
attaches each annotation to the article with the same content hash, re-anchoring
it by its quote when the offsets differ, applies its tags to that article and
keeps its uuid, so a second import of the same file adds nothing.
"""

from __future__ import annotations

import json
import os
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from desktop import __app_name__, __version__

from .anchoring import Anchor, locate, make_anchor
from .annotations import DEFAULT_COLOUR, PALETTE, list_annotations, store_annotation
from .backups import backup_before
from .documents import tags_of
from .errors import InvalidInput
from .library import now_iso
from .tags import normalise_tag_name
from .undo import IN_IDS, id_list

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"dc": "http://purl.org/dc/terms/", "dossier": "urn:x-dossier:"}]
HASH_PREFIX = "urn:sha256:"
UUID_PREFIX = "urn:uuid:"
IMPORTED_UUIDS = uuidlib.UUID("6f1d2b1e-4f57-4a43-9d8e-3c8a1f0e7d21")


def _sources(db: Database, doc_ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    rows = db.conn.execute(
        f"SELECT id, sha256, title, published, source, language FROM documents WHERE id {IN_IDS}",
        [id_list(doc_ids)],
    )
    for doc_id, sha256, title, published, source, language in rows:
        described = {"id": HASH_PREFIX + sha256, "type": "Text", "format": "text/plain", "dc:title": title}
        optional = {"dc:date": published, "dc:publisher": source, "language": language}
        found[doc_id] = described | {k: v for k, v in optional.items() if v}
    return found


def _annotation(row: dict[str, Any], source: dict[str, Any], tags: list[str]) -> dict[str, Any]:
    bodies: list[dict[str, Any]] = []
    if row["note"]:
        bodies.append({"type": "TextualBody", "value": row["note"], "purpose": "commenting",
                       "format": "text/plain"})
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags]
    described: dict[str, Any] = {
        "id": UUID_PREFIX + row["uuid"],
        "type": "Annotation",
        "motivation": "commenting" if row["note"] else "highlighting",
        "created": row["created"],
        "modified": row["updated"],
        "target": {
            "source": source,
            "selector": [
                {"type": "TextQuoteSelector", "exact": row["quote"], "prefix": row["prefix"],
                 "suffix": row["suffix"]},
                {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
            ],
        },
        "dossier:colour": row["colour"],
        "dossier:orphaned": row["orphaned"],
    }
    if bodies:
        described["body"] = bodies
    return described


def annotation_collection(db: Database, *, doc_ids: list[int] | None = None) -> dict[str, Any]:
    """The highlights of ``doc_ids`` (all when None) as a W3C ``AnnotationCollection``."""
    rows = list_annotations(db, doc_ids=doc_ids)
    ids = list(dict.fromkeys(r["document_id"] for r in rows))
    sources, tags = _sources(db, ids), tags_of(db, ids)
    items = [_annotation(r, sources[r["document_id"]], tags.get(r["document_id"], [])) for r in rows]
    return {
        "@context": CONTEXT,
        "id": UUID_PREFIX + str(uuidlib.uuid4()),
        "type": "AnnotationCollection",
        "label": f"{__app_name__} annotations",
        "generator": {"type": "Software", "name": f"{__app_name__} {__version__}"},
        "generated": now_iso(),
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def export_annotations(db: Database, out: Path, *, doc_ids: list[int] | None = None) -> int:
    """Write the highlights (all, or of ``doc_ids``) to ``out`` as JSON-LD; returns how many."""
    collection = annotation_collection(db, doc_ids=doc_ids)
    Path(out).write_text(json.dumps(collection, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return collection["total"]


def _load(path_or_data: str | os.PathLike[str] | dict[str, Any] | list[Any]) -> Any:
    if isinstance(path_or_data, (dict, list)):
        return path_or_data
    path = Path(path_or_data)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InvalidInput(f"Cannot read {path}: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise InvalidInput(f"{path.name} is not a JSON text file (not UTF-8).") from err
    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        raise InvalidInput(f"{path.name} is not valid JSON: {err.msg} (line {err.lineno}).") from err


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
        while isinstance(page, dict):
            yield from _items(page.get("items", []))
            page = page.get("next")
    elif kind == "AnnotationPage":
        yield from _items(data.get("items", []))
    else:
        raise InvalidInput(f"This file is not a W3C annotation file (found type {kind!r}).")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _selectors(target: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s.get("type"): s for s in _as_list(target.get("selector")) if isinstance(s, dict)}


def _source_hash(target: dict[str, Any]) -> str | None:
    source = target.get("source")
    source_id = source.get("id") if isinstance(source, dict) else source
    if isinstance(source_id, str) and source_id.startswith(HASH_PREFIX):
        return source_id[len(HASH_PREFIX) :].lower()
    return None


def _uuid_of(item: dict[str, Any], target: dict[str, Any]) -> str:
    """The annotation's uuid: from its ``urn:uuid:`` id, its other id, or derived from its content."""
    given = item.get("id")
    if isinstance(given, str) and given:
        return given[len(UUID_PREFIX) :] if given.startswith(UUID_PREFIX) else given
    return str(uuidlib.uuid5(IMPORTED_UUIDS, json.dumps(target, sort_keys=True)))


def _bodies(item: dict[str, Any], purpose: str) -> list[str]:
    values = []
    for body in _as_list(item.get("body")):
        if isinstance(body, dict) and isinstance(body.get("value"), str):
            if body.get("purpose", "commenting") == purpose:
                values.append(body["value"])
    return values


def _anchor(text: str, target: dict[str, Any]) -> Anchor | None:
    selectors = _selectors(target)
    quote = selectors.get("TextQuoteSelector", {})
    position = selectors.get("TextPositionSelector", {})
    start, end = position.get("start"), position.get("end")
    exact = quote.get("exact")
    if not isinstance(exact, str):
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            return None
        exact = text[start:end]
    start = start if isinstance(start, int) else 0
    return Anchor(start, start + len(exact), exact, quote.get("prefix") or "", quote.get("suffix") or "")


def _apply_tags(db: Database, doc_id: int, names: list[str]) -> int:
    added = 0
    stamp = now_iso()
    for name in names:
        name = normalise_tag_name(name)
        db.conn.execute("INSERT OR IGNORE INTO tags (name, created) VALUES (?, ?)", [name, stamp])
        added += db.conn.execute(
            "INSERT OR IGNORE INTO document_tags (document_id, tag_id, added_at) "
            "SELECT ?, id, ? FROM tags WHERE name = ?",
            [doc_id, stamp, name],
        ).rowcount
    return added


def _import_one(db: Database, item: dict[str, Any], counts: dict[str, Any]) -> None:
    target = next((t for t in _as_list(item.get("target")) if isinstance(t, dict)), {})
    annotation_uuid = _uuid_of(item, target)
    if db.conn.execute("SELECT 1 FROM annotations WHERE uuid = ?", [annotation_uuid]).fetchone():
        counts["skipped_duplicates"] += 1
        return
    digest = _source_hash(target)
    row = db.conn.execute("SELECT id, text FROM documents WHERE sha256 = ?", [digest]).fetchone()
    anchor = _anchor(row[1], target) if row else None
    placed = locate(anchor, row[1]) if anchor else None
    if placed is None:
        counts["unmatched"].append({
            "id": item.get("id"),
            "source": digest,
            "quote": _selectors(target).get("TextQuoteSelector", {}).get("exact"),
            "reason": "no article with this content" if row is None else "passage not found in the article",
        })
        return
    doc_id, text = row
    colour = item.get("dossier:colour")
    notes = _bodies(item, "commenting")
    store_annotation(
        db, doc_id=doc_id, anchor=make_anchor(text, placed.start, placed.end),
        note="\n\n".join(notes) or None, colour=colour if colour in PALETTE else DEFAULT_COLOUR,
        uuid=annotation_uuid, created=item.get("created"), updated=item.get("modified"),
    )
    counts["tags_added"] += _apply_tags(db, doc_id, _bodies(item, "tagging"))
    counts["imported"] += 1


def import_annotations(
    db: Database, path_or_data: str | os.PathLike[str] | dict[str, Any] | list[Any]
) -> dict[str, Any]:
    """Import W3C annotations (a file path or parsed JSON) in one transaction.

    Returns ``{"imported": n, "skipped_duplicates": n, "tags_added": n, "unmatched":
    [{"id", "source", "quote", "reason"}]}``. Raises InvalidInput for a file that
    is not JSON or not annotations.
    """
    data = _load(path_or_data)
    backup_before(db, "import annotations")
    counts: dict[str, Any] = {"imported": 0, "skipped_duplicates": 0, "tags_added": 0, "unmatched": []}
    with db.atomic():
        for item in _items(data):
            _import_one(db, item, counts)
    return counts
