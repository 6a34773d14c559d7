"""Reading entities for the reader, the entity page and the command line.

Every function takes a sqlite-utils ``Database`` and returns plain dicts, ordered
as the caller shows them; counts are by canonical entity (aliases merged).
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from ..errors import NotFound
from ..library import CASEFOLD_SQL


def _rows(db: Database, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    cursor = db.conn.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def document_entities(db: Database, doc_id: int) -> list[dict[str, Any]]:
    """Mentions of one article ordered by start: label, text, name (canonical), start, end,
    origin, value, entity_id, mention_id (the ``entities`` list of ``show --json``)."""
    return _rows(
        db,
        'SELECT e.label, m.text, e.name, m.start, m."end", m.origin, m.value, '
        "e.id AS entity_id, m.id AS mention_id "
        "FROM mentions m JOIN entities e ON e.id = m.entity_id "
        'WHERE m.document_id = ? ORDER BY m.start, m."end"',
        (doc_id,),
    )


def entity_summary(db: Database, *, label: str | None = None) -> list[dict[str, Any]]:
    """Every entity with mentions: label, name, documents, mentions, entity_id; most documents
    first (the list of ``entities --json``)."""
    where = "WHERE e.label = ?" if label else ""
    return _rows(
        db,
        "SELECT e.label, e.name, COUNT(DISTINCT m.document_id) AS documents, "
        "COUNT(*) AS mentions, e.id AS entity_id "
        f"FROM entities e JOIN mentions m ON m.entity_id = e.id {where} "
        "GROUP BY e.id ORDER BY documents DESC, mentions DESC, e.name COLLATE NOCASE",
        (label,) if label else (),
    )


def find_entity(db: Database, label: str, name: str) -> dict[str, Any]:
    """The entity a user means by ``label`` and ``name``: exact name, then an alias, then the
    name or an alias in another case (in any script). Raises NotFound."""
    fold = CASEFOLD_SQL
    for sql in (
        "SELECT id, label, name FROM entities WHERE label = ? AND name = ?",
        "SELECT e.id, e.label, e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE a.label = ? AND a.name = ?",
        f"SELECT id, label, name FROM entities WHERE label = ? COLLATE NOCASE AND {fold}(name) = {fold}(?)",
        "SELECT e.id, e.label, e.name FROM entity_aliases a JOIN entities e ON e.id = a.entity_id "
        f"WHERE a.label = ? COLLATE NOCASE AND {fold}(a.name) = {fold}(?)",
    ):
        found = _rows(db, sql + " LIMIT 1", (label, name))
        if found:
            return found[0]
    raise NotFound(f"No {label} named '{name}' in this library.")


def _require(db: Database, entity_id: int) -> None:
    if db.conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is None:
        raise NotFound(f"No entity with id {entity_id}.")


def entity_details(db: Database, entity_id: int) -> dict[str, Any]:
    """One entity: entity_id, label, name, mentions and documents (how many articles mention it).
    Raises NotFound."""
    found = _rows(
        db,
        "SELECT e.id AS entity_id, e.label, e.name, "
        "(SELECT COUNT(*) FROM mentions m WHERE m.entity_id = e.id) AS mentions, "
        "(SELECT COUNT(*) FROM document_entities de WHERE de.entity_id = e.id) AS documents "
        "FROM entities e WHERE e.id = ?",
        (entity_id,),
    )
    if not found:
        raise NotFound(f"No entity with id {entity_id}.")
    return found[0]


def labels_in_use(db: Database) -> list[str]:
    """The entity types that have at least one mention in the library, alphabetically."""
    rows = db.conn.execute(
        "SELECT label FROM (SELECT DISTINCT label FROM entities) AS used WHERE EXISTS (SELECT 1 FROM "
        "entities e JOIN document_entities de ON de.entity_id = e.id WHERE e.label = used.label) "
        "ORDER BY label"
    )
    return [row[0] for row in rows]


def entity_mentions(
    db: Database, entity_id: int, *, context: int = 60, limit: int = 200, after: int = 0
) -> list[dict[str, Any]]:
    """Keyword-in-context lines for one entity across the library, in mention order:
    document_id, title, published, mention_id, start, end, text, left, right.

    Only ``context`` characters each side are read; ``after`` is the last mention id of the
    previous page (keyset paging by mention id within the ordering).
    """
    _require(db, entity_id)
    lines = _rows(
        db,
        "SELECT d.id AS document_id, d.title, d.published, m.id AS mention_id, m.start, "
        'm."end", m.text, '
        "substr(d.text, max(m.start - ? + 1, 1), min(m.start, ?)) AS left, "
        'substr(d.text, m."end" + 1, ?) AS right '
        "FROM mentions m JOIN documents d ON d.id = m.document_id "
        "WHERE m.entity_id = ? AND m.id > ? "
        "ORDER BY m.id LIMIT ?",
        (context, context, context, entity_id, after, limit),
    )
    for line in lines:
        line["left"] = " ".join(line["left"].split())
        line["right"] = " ".join(line["right"].split())
    return lines


def cooccurring(db: Database, entity_id: int, *, limit: int = 20) -> list[dict[str, Any]]:
    """Entities found in the same articles, most shared articles first: entity_id, label,
    name, documents (articles shared). Dates and sums of money are left out."""
    _require(db, entity_id)
    return _rows(
        db,
        "WITH docs AS (SELECT DISTINCT document_id FROM mentions WHERE entity_id = ?) "
        "SELECT e.id AS entity_id, e.label, e.name, COUNT(DISTINCT m.document_id) AS documents "
        "FROM docs JOIN mentions m ON m.document_id = docs.document_id "
        "JOIN entities e ON e.id = m.entity_id "
        "WHERE m.entity_id <> ? AND e.label NOT IN ('DATE', 'MONEY') "
        "GROUP BY e.id ORDER BY documents DESC, e.name COLLATE NOCASE LIMIT ?",
        (entity_id, entity_id, limit),
    )


def entity_timeline(db: Database, entity_id: int) -> list[dict[str, Any]]:
    """Articles mentioning the entity per month of publication: month (``YYYY-MM``), documents.
    Undated articles are counted under month None, listed last."""
    _require(db, entity_id)
    return _rows(
        db,
        "SELECT substr(d.published, 1, 7) AS month, COUNT(*) AS documents FROM documents d "
        "WHERE d.id IN (SELECT document_id FROM mentions WHERE entity_id = ?) "
        "GROUP BY month ORDER BY month IS NULL, month",
        (entity_id,),
    )


def aliases_of(db: Database, entity_id: int) -> list[str]:
    """The other names an entity goes by: its aliases and the ways its mentions are written."""
    _require(db, entity_id)
    rows = db.conn.execute(
        "SELECT name FROM entity_aliases WHERE entity_id = ? "
        "UNION SELECT text FROM mentions WHERE entity_id = ? "
        "EXCEPT SELECT name FROM entities WHERE id = ? ORDER BY 1",
        (entity_id, entity_id, entity_id),
    ).fetchall()
    return [r[0] for r in rows]
