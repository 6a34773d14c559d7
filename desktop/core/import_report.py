"""What an import run reports: the lines of what became of its files (``ImportLines``, one
committed batch's or a whole run's) and the run's report (``ImportReport``, with where a
cancel stopped it within a record export: ``StoppedWithin``), with the shape
``dossier import --json`` prints."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any


def totals_line(*, imported: int, updated: int = 0, unchanged: int = 0, duplicates: int = 0, failed: int = 0,
                missing: int = 0) -> str:
    """One line for a person: ``"4,047 imported, 109 duplicates, 94 failed"``, with ``"1 updated"``
    and ``"40 unchanged"`` after the imported and ``"1 missing"`` at the end when there are some."""
    text = f"{imported:,} imported, "
    if updated:
        text += f"{updated:,} updated, "
    if unchanged:
        text += f"{unchanged:,} unchanged, "
    text += f"{duplicates:,} duplicate{'' if duplicates == 1 else 's'}, {failed:,} failed"
    return text + (f", {missing:,} missing" if missing else "")


@dataclass(kw_only=True)
class ImportLines:
    """What became of the files of an import: new document ids, ids of the articles updated in
    place (with the highlights that could not be placed in their new text), the paths of files
    already in the library as they are (``unchanged``: stored from that same file, same text),
    the paths of duplicates (another file's text, already in the library or earlier in the run),
    failures with their reasons, the files gone from the folders imported (``missing``), and
    notes on files stored after a change made to read them (``"3 NUL bytes removed"``)."""

    imported: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    orphaned: list[int] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def note(self, path: str, note: str | None) -> str | None:
        """Note how the file ``path`` of a stored article was read, if there is ``note``, once for
        the articles of one file read one after the other (the records of an export share its
        note); returns ``note`` when it was noted now."""
        if not note or (path, note) in self.notes[-1:]:
            return None
        self.notes.append((path, note))
        return note

    def add(self, other: ImportLines) -> None:
        """Append every line of ``other`` (a committed batch) to these."""
        for line in fields(ImportLines):
            getattr(self, line.name).extend(getattr(other, line.name))


@dataclass(frozen=True)
class StoppedWithin:
    """The record export an import was cancelled within: how many of its records were read (and
    committed: stored, or reported as duplicates and failures) and how many of its ``total``
    bytes (``done``)."""

    path: str
    records: int
    done: int
    total: int

    def describe(self) -> str:
        """``"stopped after the first 12,000 records of export.jsonl (34% of the file)"``."""
        share = 100 * self.done // self.total if self.total else 0
        name = os.path.basename(self.path)
        return f"stopped after the first {self.records:,} records of {name} ({share}% of the file)"

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "records": self.records, "bytes_read": self.done, "bytes": self.total}

    @classmethod
    def from_json(cls, shape: dict[str, Any]) -> StoppedWithin:
        """The ``StoppedWithin`` that ``to_json`` gave ``shape`` (as an import run records it)."""
        return cls(shape["path"], shape["records"], shape["bytes_read"], shape["bytes"])


@dataclass
class ImportReport(ImportLines):
    """What one import run did: its lines (``ImportLines``), whether it was cancelled (and within
    which record export, ``stopped_within``) and how many files it was given."""

    run_id: int
    cancelled: bool = False
    total_files: int = 0
    stopped_within: StoppedWithin | None = None

    @property
    def changed_ids(self) -> list[int]:
        """The articles whose text is new: imported or updated (their entities need finding)."""
        return self.imported + self.updated

    def totals(self) -> str:
        """``"4,047 imported, 109 duplicates, 94 failed"`` (the missing files have a line of their
        own, ``missing_summary``)."""
        return totals_line(imported=len(self.imported), updated=len(self.updated), unchanged=len(self.unchanged),
                           duplicates=len(self.duplicates), failed=len(self.failed))

    @property
    def all_failed(self) -> bool:
        """Every file given failed: nothing was imported, updated, found unchanged or found a
        duplicate (a failed operation, as the command line reports it)."""
        return bool(self.failed) and not (self.imported or self.updated or self.unchanged or self.duplicates)

    def missing_summary(self) -> str:
        """``"missing: 2 files no longer in the folder"``; empty when no file is missing."""
        n = len(self.missing)
        return f"missing: {n:,} {'file' if n == 1 else 'files'} no longer in the folder" if n else ""

    def to_json(self) -> dict[str, Any]:
        """The shape ``dossier import --json`` prints (``notes`` only when there are some)."""
        shape: dict[str, Any] = {
            "imported": len(self.imported),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "duplicates": len(self.duplicates),
            "failed": [{"path": path, "error": reason} for path, reason in self.failed],
            "missing": list(self.missing),
        }
        if self.notes:
            shape["notes"] = [{"path": path, "note": note} for path, note in self.notes]
        if self.stopped_within is not None:
            shape["stopped_within"] = self.stopped_within.to_json()
        return shape
