"""The in-memory facet index: every document's facet values and links as arrays by document id.

The index holds, per document id, the value of each column facet of the
registry (``desktop.core.facets``: source, author, year, reading state, ...),
the starred flag and the published date, plus the tag and entity links (a few
megabytes for 100,000 articles, no text). It is read once per connection and
then kept in step with the library by reading ``search_log``, which triggers
fill on every change that matters (schema 0002): a starred article costs one
row read, not a new index. Masks over it are boolean arrays indexed by
document id; counting is numpy work. With ``by_story`` set, every count counts
stories instead of articles: the copies of one story (``stories``, schema 0013)
holding a value count once for it.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence

import numpy as np

from .facets import COPIES, COPY, FACETS, UNTAGGED
from .filters import after
from .ranking import match_ids
from .tag_order import tag_sort_key
from .wire_corrections import OPENING, is_correction

CACHED_RESULT_SETS = 8
_INCREMENTAL_LIMIT = 2_000  # beyond this many changed documents an area is read again whole
_IDS_IN = "IN (SELECT value FROM json_each(?))"
_STORY = "(SELECT m.story FROM story_members AS m WHERE m.document_id = d.id)"
_COLUMN_FACETS = tuple(facet for facet in FACETS if facet.column)
_Distinct = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def ranks(values: Sequence[str], key: Callable[[str], Any] = str.casefold) -> np.ndarray:
    """Each value's place when ``values`` are sorted by ``key``, by default ignoring case (the
    tie-break of counts)."""
    order = np.empty(len(values), dtype=np.int64)
    order[sorted(range(len(values)), key=lambda i: key(values[i]))] = np.arange(len(values))
    return order


def _id_array(text: str | None) -> np.ndarray:
    """The integers of a ``group_concat`` of ids (NULL when there were none)."""
    return np.fromstring(text or "", dtype=np.int32, sep=",")


def _grown(array: np.ndarray, size: int, fill: Any) -> np.ndarray:
    if len(array) >= size:
        return array
    grown = np.full(size, fill, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


@dataclass(frozen=True)
class Counts:
    """Documents per value: ``counts[i]`` documents have ``values[i]``."""

    values: Sequence[str]
    counts: np.ndarray
    ranks: np.ndarray

    @classmethod
    def of(cls, values: Sequence[str], counts: Iterable[int] | np.ndarray) -> Counts:
        """Counts of ``values``, ranked by their names."""
        return cls(values, np.asarray(counts, dtype=np.int64), ranks(values))

    def prepended(self, value: str, count: int) -> Counts:
        """These counts with ``value`` (``count`` documents) first."""
        return Counts.of([value, *self.values], np.concatenate(([count], self.counts)))


class _Column:
    """One text value per document id, as codes into ``values`` (-1: NULL or no document)."""

    def __init__(self) -> None:
        self.codes = np.zeros(0, dtype=np.int32)
        self.values: list[str] = []
        self.numbers: dict[str, int] = {}
        self.value_ranks: np.ndarray | None = None

    def number(self, text: str) -> int:
        """The code of ``text``, given a new one when the column has not held it before."""
        if text not in self.numbers:
            self.numbers[text] = len(self.values)
            self.values.append(text)
            self.value_ranks = None
        return self.numbers[text]

    def set(self, ids: Sequence[int], texts: Sequence[str | None]) -> None:
        """Give each of ``ids`` its text (None: no value); the column must be large enough."""
        for text in set(texts) - self.numbers.keys() - {None}:
            self.number(text)
        lookup = {**self.numbers, None: -1}
        self.codes[list(ids)] = list(map(lookup.__getitem__, texts))

    def has(self, wanted: Iterable[str]) -> np.ndarray:
        """A mask of the documents having one of ``wanted``."""
        return np.isin(self.codes, [self.numbers[v] for v in wanted if v in self.numbers])

    def count(self, mask: np.ndarray, distinct: _Distinct | None = None) -> Counts:
        """Documents (or with ``distinct``, stories) per value within ``mask``; NULL and empty
        values are not counted."""
        docs = np.flatnonzero(mask)
        codes = self.codes[docs]
        if distinct is not None:
            codes, docs = distinct(codes, docs)
        counts = np.bincount(codes[codes >= 0], minlength=len(self.values))
        if "" in self.numbers:
            counts[self.numbers[""]] = 0
        if self.value_ranks is None:
            self.value_ranks = ranks(self.values)
        return Counts(list(self.values), counts, self.value_ranks)


@dataclass
class _Links:
    """Which documents hold which items (tag or entity ids), as two parallel arrays."""

    documents: np.ndarray
    items: np.ndarray

    @classmethod
    def read(cls, conn: sqlite3.Connection, table: str, column: str, ids: list[int] | None) -> _Links:
        """The links of ``table`` (of the documents ``ids``, or all of them)."""
        sql = f"SELECT group_concat(document_id), group_concat({column}) FROM {table}"
        params = [] if ids is None else [json.dumps(ids)]
        if ids is not None:
            sql += f" WHERE document_id {_IDS_IN}"
        documents, items = conn.execute(sql, params).fetchone()
        return cls(_id_array(documents), _id_array(items))

    def replaced(self, ids: list[int], fresh: _Links) -> _Links:
        """These links with those of the documents ``ids`` replaced by ``fresh``."""
        keep = ~np.isin(self.documents, ids)
        return _Links(np.concatenate((self.documents[keep], fresh.documents)),
                      np.concatenate((self.items[keep], fresh.items)))

    def holding(self, items: Sequence[int], size: int) -> np.ndarray:
        """A mask of the documents holding one of ``items``."""
        mask = np.zeros(size, dtype=bool)
        mask[self.documents[np.isin(self.items, items)]] = True
        return mask

    def count(self, mask: np.ndarray, span: int, distinct: _Distinct | None = None) -> np.ndarray:
        """Documents (or with ``distinct``, stories) within ``mask`` per item id, for ids below ``span``."""
        held = mask[self.documents]
        items = self.items[held]
        if distinct is not None:
            items, _ = distinct(items, self.documents[held])
        return np.bincount(items, minlength=span)


def _years(index: FacetIndex) -> tuple[np.ndarray, np.ndarray]:
    """The dated documents and their ``substr(published, 1, 4)`` (the Published facet)."""
    documents = np.flatnonzero(index.exists & index.dated)
    return documents, index.dates[documents].astype("<U4")


def _copies(index: FacetIndex) -> tuple[np.ndarray, np.ndarray]:
    """The documents whose story is another article's (the Copies facet's one value)."""
    documents = np.flatnonzero(index.exists & (index.stories >= 0)
                               & (index.stories != np.arange(index.size)))
    return documents, np.full(len(documents), COPY)


_DERIVED: dict[str, Callable[[FacetIndex], tuple[np.ndarray, np.ndarray]]] = {"year": _years, COPIES: _copies}
"""Column facets read from the index's own arrays when the whole library is read: the same
values as their SQL (``desktop.core.facets``), without another pass over every article."""


class FacetIndex:
    """The facet values and links of every document, as arrays indexed by document id.

    ``columns`` holds one column per facet of the registry that has a
    ``column``, under the facet's name.
    """

    def __init__(self, conn: sqlite3.Connection | None) -> None:
        """Read the index of the library ``conn`` holds (None: an empty index, to be filled
        by ``desktop.core.facet_store``)."""
        self.seq = 0
        self.size = 0
        self.exists = np.zeros(0, dtype=bool)
        self.starred = np.zeros(0, dtype=bool)
        self.dates = np.zeros(0, dtype="<U10")
        self.dated = np.zeros(0, dtype=bool)
        self.lengths = np.zeros(0, dtype=np.int32)
        self._by_length: np.ndarray | None = None
        self.stories = np.zeros(0, dtype=np.int64)
        self.corrections = np.zeros(0, dtype=bool)  # copies marked as a correction (``wire_corrections``)
        self.pinned = np.zeros(0, dtype=bool)  # originals a person pinned
        self.by_story = False
        self.columns = {facet.name: _Column() for facet in _COLUMN_FACETS}
        self.matches: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self.tags = self.entities = _Links(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))
        self.tag_names: dict[int, str] = {}
        self.entity_ids: dict[tuple[str, str], int] = {}
        self.entity_span = 1
        self.labels: dict[str, tuple[np.ndarray, list[str], np.ndarray]] = {}
        if conn is None:
            return
        self.seq = conn.execute("SELECT coalesce(max(seq), 0) FROM search_log").fetchone()[0]
        self._read_documents(conn, None)
        self._read_tags(conn, None)
        self._read_entity_names(conn)
        self._read_entity_links(conn, None)

    def catch_up(self, conn: sqlite3.Connection) -> bool:
        """Apply the library's changes since the index was read; False if they are no longer logged."""
        oldest = conn.execute("SELECT min(seq) FROM search_log").fetchone()[0]
        if oldest is not None and oldest > self.seq + 1:
            return False
        changed: dict[str, set[int | None]] = {"documents": set(), "tags": set(), "entities": set()}
        for seq, area, document_id in conn.execute(
            "SELECT seq, area, document_id FROM search_log WHERE seq > ? ORDER BY seq", [self.seq]
        ):
            changed[area].add(document_id)
            self.seq = seq
        if len(changed["documents"]) > _INCREMENTAL_LIMIT:
            return False
        if changed["documents"]:
            self._read_documents(conn, sorted(changed["documents"]))
            self.matches.clear()
        if changed["tags"]:
            self._read_tags(conn, self._incremental(changed["tags"]))
        if None in changed["entities"]:
            self._read_entity_names(conn)
        if changed["entities"] - {None}:
            self._read_entity_links(conn, self._incremental(changed["entities"] - {None}))
        return True

    @staticmethod
    def _incremental(ids: set[int | None]) -> list[int] | None:
        """The documents to read again, or None to read the whole area."""
        if None in ids or len(ids) > _INCREMENTAL_LIMIT:
            return None
        return sorted(ids)

    def _grow(self, size: int) -> None:
        if size <= self.size:
            return
        self.exists = _grown(self.exists, size, False)
        self.starred = _grown(self.starred, size, False)
        self.dates = _grown(self.dates, size, "")
        self.dated = _grown(self.dated, size, False)
        self.lengths = _grown(self.lengths, size, 0)
        self.stories = _grown(self.stories, size, -1)
        self.corrections = _grown(self.corrections, size, False)
        self.pinned = _grown(self.pinned, size, False)
        for column in self.columns.values():
            column.codes = _grown(column.codes, size, -1)
        self.size = size

    def _read_documents(self, conn: sqlite3.Connection, ids: list[int] | None) -> None:
        """Read the facet columns of the documents ``ids`` (all when None); absent ones are removed."""
        if ids is None:
            self._read_all_documents(conn)
            return
        values = ", ".join(facet.column or "" for facet in _COLUMN_FACETS)
        rows = conn.execute(
            f"SELECT d.id, d.published, d.starred, d.word_count, {_STORY}, {values} FROM documents d "
            f"WHERE d.id {_IDS_IN}", [json.dumps(ids)]).fetchall()
        found, published, starred, lengths, stories, *columns = (
            (list(column) for column in zip(*rows)) if rows else ([] for _ in range(5 + len(_COLUMN_FACETS))))
        self._grow(1 + max([*ids, *found], default=-1))
        self.exists[ids] = False
        self._set_rows(found, published, starred, lengths)
        self.stories[ids] = -1
        self.stories[found] = [-1 if story is None else story for story in stories]
        for facet, texts in zip(_COLUMN_FACETS, columns):
            self.columns[facet.name].codes[ids] = -1
            self.columns[facet.name].set(found, texts)
        self._read_story_marks(conn, ids)

    def _read_all_documents(self, conn: sqlite3.Connection) -> None:
        """Read every document: the few per-document numbers row by row, and each facet column
        as its distinct values with their documents' ids (``GROUP BY``), which spares making a
        Python string per document and column — half the time of a new window's first index."""
        rows = conn.execute(
            "SELECT id, published, starred, word_count FROM documents INDEXED BY documents_search").fetchall()
        found, published, starred, lengths = (list(column) for column in zip(*rows)) if rows else ([], [], [], [])
        self._grow(1 + max(found, default=-1))
        self.exists[:] = False
        self._set_rows(found, published, starred, lengths)
        self.stories[:] = -1
        members, stories = (_id_array(text) for text in conn.execute(
            "SELECT group_concat(document_id), group_concat(story) FROM story_members").fetchone())
        kept = members < self.size
        self.stories[members[kept]] = stories[kept]
        self.stories[~self.exists] = -1
        for facet in _COLUMN_FACETS:
            column = self.columns[facet.name]
            column.codes[:] = -1
            if facet.name in _DERIVED:  # from arrays read above, as the facet's SQL gives them
                documents, texts = _DERIVED[facet.name](self)
                values, codes = np.unique(texts, return_inverse=True)
                numbers = np.array([column.number(str(value)) for value in values], dtype=np.int32)
                column.codes[documents] = numbers[codes]
                continue
            for text, documents in conn.execute(
                    f"SELECT {facet.column}, group_concat(d.id) FROM documents d GROUP BY 1"):
                if text is not None:
                    column.codes[_id_array(documents)] = column.number(text)
        self._read_story_marks(conn, None)

    def _read_story_marks(self, conn: sqlite3.Connection, ids: list[int] | None) -> None:
        """Which copies of the documents ``ids`` (all when None) are corrections, and which are
        pinned originals: what *Hide copies* keeps first (``one_per_story``)."""
        where, params = ("", []) if ids is None else (f"WHERE m.document_id {_IDS_IN}", [json.dumps(ids)])
        rows = conn.execute(
            f"""SELECT d.id, d.title, substr(d.text, 1, {OPENING}), o.document_id IS NOT NULL
                FROM story_members AS m JOIN documents AS d ON d.id = m.document_id
                LEFT JOIN story_originals AS o ON o.document_id = d.id {where}""", params).fetchall()
        chosen = slice(None) if ids is None else ids
        self.corrections[chosen] = False
        self.pinned[chosen] = False
        marked = [doc for doc, title, opening, _ in rows if is_correction(title, opening)]
        self.corrections[marked] = True
        self.pinned[[doc for doc, _, _, pinned in rows if pinned]] = True

    def _set_rows(self, found: list[int], published: list[str | None], starred: list[int],
                  lengths: list[int]) -> None:
        self.exists[found] = True
        self.starred[found] = starred
        if self._by_length is not None and not np.array_equal(self.lengths[found], lengths):
            self._by_length = None
        self.lengths[found] = lengths
        self.dates[found] = ["" if p is None else p[:10] for p in published]
        self.dated[found] = [p is not None for p in published]

    def _read_tags(self, conn: sqlite3.Connection, ids: list[int] | None) -> None:
        self.tag_names = dict(conn.execute("SELECT id, name FROM tags"))
        fresh = _Links.read(conn, "document_tags", "tag_id", ids)
        self.tags = fresh if ids is None else self.tags.replaced(ids, fresh)

    def _read_entity_links(self, conn: sqlite3.Connection, ids: list[int] | None) -> None:
        fresh = _Links.read(conn, "document_entities", "entity_id", ids)
        self.entities = fresh if ids is None else self.entities.replaced(ids, fresh)

    def _read_entity_names(self, conn: sqlite3.Connection) -> None:
        entities = conn.execute("SELECT id, label, name FROM entities ORDER BY id").fetchall()
        self.entity_ids = {(label, name): entity_id for entity_id, label, name in entities}
        self.entity_span = 1 + (entities[-1][0] if entities else 0)
        grouped: dict[str, tuple[list[int], list[str]]] = {}
        for entity_id, label, name in entities:
            ids, names = grouped.setdefault(label, ([], []))
            ids.append(entity_id)
            names.append(name)
        self.labels = {label: (np.array(ids, dtype=np.int64), names, ranks(names))
                       for label, (ids, names) in grouped.items()}

    def by_length(self) -> np.ndarray:
        """Every id (``0`` to ``size - 1``), shortest document first, ties to the lower id;
        remembered until a length changes (the ranking of relevance walks it)."""
        if self._by_length is None or len(self._by_length) != self.size:
            self._by_length = np.argsort(self.lengths, kind="stable")
        return self._by_length

    def entity_labels(self) -> list[str]:
        """The labels of the entities that some document mentions."""
        mentioned = np.zeros(self.entity_span, dtype=bool)
        mentioned[self.entities.items] = True
        return [label for label, (ids, _, _) in self.labels.items() if mentioned[ids].any()]

    def matching(self, conn: sqlite3.Connection, match: str, *, table: str = "documents_fts") -> np.ndarray:
        """A mask of the documents matching the FTS5 expression ``match`` in ``table``, remembered."""
        key = (table, match)
        if key not in self.matches:
            found = match_ids(conn, match, table=table)
            mask = np.zeros(self.size, dtype=bool)
            mask[found[found < self.size]] = True
            self.matches[key] = mask & self.exists
            while len(self.matches) > CACHED_RESULT_SETS:
                self.matches.popitem(last=False)
        self.matches.move_to_end(key)
        return self.matches[key]

    def tagged_with(self, values: frozenset[str]) -> np.ndarray:
        """A mask of the documents with one of the tags ``values`` or a child of one (in any case,
        in every script, as the tag filter's SQL matches them); ``UNTAGGED`` adds the documents
        without tags."""
        names = {value.casefold() for value in values - {UNTAGGED}}
        wanted = [
            tag_id for tag_id, name in self.tag_names.items()
            if name.casefold() in names or any(name.casefold().startswith(n + "/") for n in names)
        ]
        mask = self.tags.holding(wanted, self.size)
        return mask | ~self._tagged() if UNTAGGED in values else mask

    def _tagged(self) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.tags.documents] = True
        return mask

    def tag_counts(self, mask: np.ndarray) -> Counts:
        """Documents within ``mask`` per tag as named, and without tags (``UNTAGGED``)."""
        per_tag = self.tags.count(mask, 1 + max(self.tag_names, default=0), self.distinct)
        values = [*self.tag_names.values(), UNTAGGED]
        counts = [*(per_tag[tag_id] for tag_id in self.tag_names),
                  self.count(mask & ~self._tagged())]
        return Counts(values, np.asarray(counts, dtype=np.int64), ranks(values, key=tag_sort_key))

    def mentioning(self, label: str, names: frozenset[str]) -> np.ndarray:
        """A mask of the documents mentioning one of the entities ``names`` labelled ``label``."""
        wanted = [self.entity_ids[label, name] for name in names if (label, name) in self.entity_ids]
        return self.entities.holding(wanted, self.size)

    def entity_counts(self, mask: np.ndarray) -> dict[str, Counts]:
        """Documents within ``mask`` per entity name, for every label."""
        per_entity = self.entities.count(mask, self.entity_span, self.distinct)
        return {label: Counts(names, per_entity[ids], names_ranks)
                for label, (ids, names, names_ranks) in self.labels.items()}

    @staticmethod
    def no_counts() -> Counts:
        """Counts of no values."""
        return Counts.of([], [])

    def published_within(self, *, since: str | None, before: str | None) -> np.ndarray:
        """A mask of the documents published on or after ``since`` and before ``before``."""
        mask = self.dated.copy()
        if since is not None:
            mask &= self.dates >= since
        if before is not None:
            mask &= self.dates < before
        return mask

    def month_counts(self, mask: np.ndarray, year: str) -> Counts:
        """Documents within ``mask`` per month (``YYYY-MM``) of ``year``."""
        docs = np.flatnonzero(mask & self.published_within(since=year, before=after(year)))
        months, codes = np.unique(self.dates[docs].astype("<U7"), return_inverse=True)
        if self.distinct is not None:
            codes, _ = self.distinct(codes.ravel(), docs)
        return Counts.of([str(month) for month in months], np.bincount(codes.ravel(), minlength=len(months)))

    def column_counts(self, name: str, mask: np.ndarray) -> Counts:
        """Documents (or stories) per value of the column facet ``name`` within ``mask``."""
        return self.columns[name].count(mask, self.distinct)

    @contextlib.contextmanager
    def counting(self, *, by_story: bool) -> Iterator[FacetIndex]:
        """The index counting stories (``by_story``) or documents inside; documents after."""
        self.by_story = by_story
        try:
            yield self
        finally:
            self.by_story = False

    def count(self, mask: np.ndarray) -> int:
        """How many documents ``mask`` holds, or with ``by_story`` how many stories."""
        if not self.by_story:
            return int(np.count_nonzero(mask))
        docs = np.flatnonzero(mask)
        return len(np.unique(self._story_keys(docs)))

    def one_per_story(self, mask: np.ndarray) -> np.ndarray:
        """``mask`` keeping one article of each story it holds (*Hide copies*): the original a
        person pinned, else the latest correction (``wire_corrections``; undated ones after the
        dated), else the story's original, else its earliest published copy (undated last, then
        the lowest id), each when ``mask`` holds it, so a filter that finds only a copy still
        finds the story."""
        docs = np.flatnonzero(mask)
        keys = self._story_keys(docs)
        corrected = self.corrections[docs]
        latest = np.zeros(len(docs), dtype=np.int64)  # the later a correction's date, the lower
        dated = corrected & self.dated[docs]
        latest[dated] = -1 - np.unique(self.dates[docs[dated]], return_inverse=True)[1]
        order = np.lexsort((docs, self.dates[docs], ~self.dated[docs], keys != docs, latest, ~corrected,
                            ~self.pinned[docs], keys))
        _, first = np.unique(keys[order], return_index=True)
        kept = np.zeros_like(mask)
        kept[docs[order[first]]] = True
        return kept

    def _story_keys(self, docs: np.ndarray) -> np.ndarray:
        stories = self.stories[docs]
        return np.where(stories >= 0, stories, docs)

    @property
    def distinct(self) -> _Distinct | None:
        """With ``by_story``: a function keeping one (value, document) pair per value and story."""
        if not self.by_story:
            return None

        def once_per_story(values: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            keys = self._story_keys(docs)
            _, first = np.unique(np.stack((values.astype(np.int64), keys)), axis=1, return_index=True)
            return values[first], docs[first]

        return once_per_story
