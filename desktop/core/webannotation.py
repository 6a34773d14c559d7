"""Export of a library's annotations as W3C Web Annotation JSON-LD (https://www.w3.org/TR/annotation-model/).

Export writes one ``AnnotationCollection`` (``urn:uuid:`` id) whose single
embedded ``AnnotationPage`` (its own ``urn:uuid:`` id, ``partOf`` the
collection's id, label and total) holds, for each batch of articles (newest first):

- every highlight as an ``Annotation``: ``id`` ``urn:uuid:<highlight uuid>``,
  ``motivation`` ``commenting`` (with a note, as a ``TextualBody`` of purpose
  ``commenting``) or ``highlighting``; its ``target`` is a specific resource whose
  ``source`` is the article and whose selectors are a ``TextQuoteSelector``
  (exact, prefix, suffix) and a ``TextPositionSelector`` (start, end);
- every article note as a ``commenting`` annotation whose target is the whole
  article (a ``source`` and no selector);
- the tags of every tagged article as one ``tagging`` annotation on the whole
  article, one ``TextualBody`` of purpose ``tagging`` per tag.

The article is identified by its content hash, ``urn:sha256:<hex>``, described
with its title, date, outlet and address (Dublin Core terms). Article notes and
tag sets have ids derived from that hash, so two exports of one library agree.
Times are UTC written with ``Z``. Every annotation, and the page, carries the
``@context``, so each is valid taken out of the collection. ``dossier:colour``
and ``dossier:orphaned`` carry what the model has no term for.

The file is written whole or not at all (``desktop.core.replace_file``), a batch of
articles at a time, so a large library is never held in memory at once. Reading such
files back is ``desktop.core.webannotation_import``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid as uuidlib
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from desktop import __app_name__, __version__

from .annotations import list_annotations
from .documents import tags_of
from .jobs import CancelToken, Progress, ProgressCallback, no_progress
from .library import now_iso
from .replace_file import replacing
from .undo import IN_IDS, id_list

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT: list[Any] = [ANNO_CONTEXT, {"dc": "http://purl.org/dc/terms/", "dossier": "urn:x-dossier:"}]
HASH_PREFIX = "urn:sha256:"
UUID_PREFIX = "urn:uuid:"
ARTICLE_UUIDS = uuidlib.UUID("0b8e5c43-2f6a-4d1e-9a57-5e1c7d3b9f60")
BATCH = 500


def utc_moment(stamp: Any) -> dt.datetime | None:
    """An ISO 8601 time (any offset, or ``Z``; none means UTC) in UTC; None when it is not a time."""
    if not isinstance(stamp, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def utc_z(stamp: str | None) -> str | None:
    """An ISO 8601 time as the model writes it (UTC, ending in ``Z``); None when it is not a time."""
    moment = utc_moment(stamp)
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def article_annotation_id(sha256: str, kind: str) -> str:
    """The stable id of an article's ``kind`` ("note" or "tags") annotation."""
    return UUID_PREFIX + str(uuidlib.uuid5(ARTICLE_UUIDS, f"{kind}:{sha256}"))


def _article_ids(db: Database, doc_ids: list[int] | None) -> list[int]:
    """The annotated, noted or tagged articles among ``doc_ids`` (all when None), in the order
    their highlights are listed (newest published first)."""
    sql = (
        "SELECT id FROM documents WHERE (note IS NOT NULL OR id IN (SELECT document_id FROM annotations) "
        "OR id IN (SELECT document_id FROM document_tags))"
    )
    order = " ORDER BY published IS NULL, published DESC, id"
    rows = db.conn.execute(sql + order if doc_ids is None else f"{sql} AND id {IN_IDS}{order}",
                           [] if doc_ids is None else [id_list(doc_ids)])
    return [row[0] for row in rows]


def _articles(db: Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The articles ``ids`` (one batch), in that order: ``source`` (their description), ``note``, ``sha256``."""
    rows = db.conn.execute(
        f"SELECT id, sha256, title, published, source, language, url, note FROM documents WHERE id {IN_IDS}",
        [id_list(ids)])
    found: dict[int, dict[str, Any]] = {}
    for doc_id, sha256, title, published, source, language, url, note in rows:
        described = {"id": HASH_PREFIX + sha256, "type": "Text", "format": "text/plain", "dc:title": title}
        optional = {"dc:date": published, "dc:publisher": source, "dc:identifier": url, "language": language}
        found[doc_id] = {"source": described | {k: v for k, v in optional.items() if v},
                         "note": note, "sha256": sha256}
    return {doc_id: found[doc_id] for doc_id in ids if doc_id in found}


def _annotation(annotation_id: str, motivation: str, bodies: list[dict[str, Any]],
                target: dict[str, Any], **extra: Any) -> dict[str, Any]:
    described: dict[str, Any] = {"@context": CONTEXT, "id": annotation_id, "type": "Annotation",
                                 "motivation": motivation}
    described |= {k: v for k, v in extra.items() if v is not None}
    if bodies:
        described["body"] = bodies
    described["target"] = target
    return described


def _note_body(note: str) -> dict[str, Any]:
    return {"type": "TextualBody", "value": note, "purpose": "commenting", "format": "text/plain"}


def _highlight(row: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    target = {
        "source": source,
        "selector": [
            {"type": "TextQuoteSelector", "exact": row["quote"], "prefix": row["prefix"], "suffix": row["suffix"]},
            {"type": "TextPositionSelector", "start": row["start"], "end": row["end"]},
        ],
    }
    return _annotation(
        UUID_PREFIX + row["uuid"], "commenting" if row["note"] else "highlighting",
        [_note_body(row["note"])] if row["note"] else [], target,
        created=utc_z(row["created"]), modified=utc_z(row["updated"]),
        **{"dossier:colour": row["colour"], "dossier:orphaned": row["orphaned"]},
    )


def _notes(articles: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """The article notes as annotations on whole articles."""
    return [
        _annotation(article_annotation_id(a["sha256"], "note"), "commenting", [_note_body(a["note"])],
                    {"source": a["source"]})
        for a in articles.values() if a["note"]
    ]


def _tag_sets(articles: dict[int, dict[str, Any]], tags: dict[int, list[str]]) -> list[dict[str, Any]]:
    """The tags of each tagged article as one tagging annotation on the whole article."""
    return [
        _annotation(article_annotation_id(a["sha256"], "tags"), "tagging",
                    [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in tags[doc_id]],
                    {"source": a["source"]})
        for doc_id, a in articles.items() if tags.get(doc_id)
    ]


def _items(db: Database, ids: list[int], highlight_ids: Collection[int] | None, *,
           progress: ProgressCallback, cancel: CancelToken | None) -> Iterator[dict[str, Any]]:
    """The annotations of the articles ``ids``, read ``BATCH`` articles at a time: of each
    batch its highlights, then its article notes, then its tag sets."""
    for start in range(0, len(ids), BATCH):
        if cancel is not None:
            cancel.raise_if_cancelled()
        batch = ids[start : start + BATCH]
        articles = _articles(db, batch)
        yield from (_highlight(r, articles[r["document_id"]]["source"]) for r in list_annotations(db, doc_ids=batch)
                    if highlight_ids is None or r["id"] in highlight_ids)
        yield from _notes(articles)
        yield from _tag_sets(articles, tags_of(db, batch))
        done = min(start + BATCH, len(ids))
        progress(Progress(done, len(ids), f"{done} articles written"))


def _member(key: str, value: Any, depth: int) -> str:
    """``"key": value`` as pretty-printed JSON at ``depth`` levels of indent."""
    pad = "  " * depth
    return f"{pad}{json.dumps(key)}: " + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + pad)


def export_annotations(db: Database, out: Path | IO[str], *, doc_ids: list[int] | None = None,
                       highlight_ids: Collection[int] | None = None, progress: ProgressCallback | None = None,
                       cancel: CancelToken | None = None) -> int:
    """Write the annotations (all, or of ``doc_ids``; only the highlights ``highlight_ids`` when
    given) to ``out`` as one JSON-LD ``AnnotationCollection``; returns how many.

    Annotations are written as they are read, a batch of articles at a time, so the
    collection's ``total`` (and the page's ``partOf``) follow its items. Raises Cancelled
    when ``cancel`` is set (nothing is written).
    """
    collection_id, label = UUID_PREFIX + str(uuidlib.uuid4()), f"{__app_name__} annotations"
    head = {"@context": CONTEXT, "id": collection_id, "type": "AnnotationCollection", "label": label,
            "generator": {"type": "Software", "name": f"{__app_name__} {__version__}"},
            "generated": utc_z(now_iso())}
    page = {"@context": CONTEXT, "id": UUID_PREFIX + str(uuidlib.uuid4()), "type": "AnnotationPage",
            "startIndex": 0}
    item_pad = "\n" + "  " * 3
    total = 0
    with replacing(out) as stream:
        stream.write("{\n" + "".join(_member(k, v, 1) + ",\n" for k, v in head.items()) + '  "first": {\n')
        stream.write("".join(_member(k, v, 2) + ",\n" for k, v in page.items()) + '    "items": [')
        for item in _items(db, _article_ids(db, doc_ids), highlight_ids, progress=progress or no_progress,
                           cancel=cancel):
            stream.write(("," if total else "") + item_pad
                         + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", item_pad))
            total += 1
        stream.write(("\n    ]" if total else "]") + ",\n")
        part_of = {"id": collection_id, "label": label, "total": total}
        stream.write(_member("partOf", part_of, 2) + "\n  },\n" + _member("total", total, 1) + "\n}\n")
    return total
