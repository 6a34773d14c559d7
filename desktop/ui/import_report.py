"""How the import dialog tells a scan, an import's pace and its report, and lists the failures.

The ``describe_*`` functions write the scan summary, the progress line, the
report's headline and the line under it when the report lists nothing; ``grouped_failures`` folds the failed records of one
export file into one row, and ``fill_failures`` shows the rows in a
``FailureList`` (also used by the import history).
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QSizePolicy, QTreeWidget, QTreeWidgetItem

from desktop.core.import_history import source_file
from desktop.core.import_report import ImportReport
from desktop.core.jobs import BYTES, Progress, byte_size
from desktop.core.scan import ScanSummary
from desktop.core.undo import plural

MAX_FAILURE_ROWS = 5000
GROUP_NUMBERS = 5
NAMED_UNREADABLE = 3  # files that cannot be read named in the scan's summary, with why
UNCHANGED_MEANING = "imported before from the same place; a file changed since updates its article"
DUPLICATE_MEANING = "text files whose text the library, or a file before them in this import, already holds"


def names_of(paths: Sequence[Path]) -> str:
    """``"bbc"``, ``"a.txt, b.txt and 3 more"``: what is being imported, in a few words."""
    names = [path.name or str(path) for path in paths[:2]]
    more = f" and {len(paths) - 2:,} more" if len(paths) > 2 else ""
    return ", ".join(names) + more


def describe_scan(summary: ScanSummary) -> str:
    """What the scan found, as the few lines of rich text shown above the Import button."""
    if not summary.files:
        return "No files found."
    types = ", ".join(f"{count:,} {suffix}" for suffix, count in summary.by_type.items())
    lines = [f"<b>{plural(summary.supported, 'file')} to read</b>" + (f": {types}" if types else "")]
    if summary.unsupported:
        kinds = ", ".join(summary.unsupported_by_type())
        lines.append(f"{plural(len(summary.unsupported), 'file')} of a type Dossier cannot read ({kinds}) "
                     "— listed as failed")
    if summary.unreadable_folders:
        lines.append(f"{plural(len(summary.unreadable_folders), 'folder')} cannot be read — listed as failed")
    if summary.unreadable:
        lines.append(f"{plural(len(summary.unreadable), 'file')} cannot be read — listed as failed: "
                     + _named(summary.unreadable))
    if summary.missing:
        lines.append(f"{plural(len(summary.missing), 'path')} not found")
    unchanged = len(summary.likely_unchanged)
    if unchanged:
        lines.append(f"{plural(unchanged, 'file is', 'files are')} already in the library, unchanged "
                     f"<span style='color: gray'>({UNCHANGED_MEANING})</span>")
    duplicates = len(summary.likely_duplicates)
    lines.append(f"{plural(duplicates, 'file looks', 'files look')} like "
                 f"{'a duplicate' if duplicates == 1 else 'duplicates'} "
                 f"<span style='color: gray'>({DUPLICATE_MEANING})</span>")
    return "<br>".join(lines)


def _named(files: Sequence[tuple[Path, str]]) -> str:
    """``"a.txt: a link to …; b.txt: its name is …"`` for the first few ``(file, why)``, escaped."""
    shown = "; ".join(html.escape(f"{path.name}: {why}") for path, why in files[:NAMED_UNREADABLE])
    more = len(files) - NAMED_UNREADABLE
    return shown + (f"; and {more:,} more" if more > 0 else "")


def describe_pace(*, step: Progress | None, articles: int, seconds: float) -> str:
    """Files done / total (or the bytes read of the export being read), articles per second
    and time left, in one line."""
    noun = step.unit.removesuffix("s") if step is not None and step.unit else "file"
    if step is None:
        parts = ["Reading the first file…"]
    elif step.unit == BYTES:
        parts = [f"{byte_size(step.done)} of {byte_size(step.total)} read"]
    else:
        parts = [f"{step.done:,} of {plural(step.total, noun)}"]
    if articles and seconds > 0.5:
        parts.append(f"{articles / seconds:,.0f} articles/s")
    if step is not None and 0 < step.done < step.total:
        left = seconds * (step.total - step.done) / step.done
        parts.append(f"about {_duration(left)} left")
    return " · ".join(parts)


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def common_folder(paths: Sequence[Path]) -> Path | None:
    """The folder holding every one of ``paths`` (a chosen folder holds itself), or None."""
    folders = [str(path if path.is_dir() else path.parent) for path in paths]
    try:
        return Path(os.path.commonpath(folders)) if folders else None
    except ValueError:
        return None


def shown_path(path: str, folder: Path | None) -> str:
    """``path`` relative to ``folder`` when it lies inside it, else as it is."""
    if folder is None or not path.startswith(str(folder) + os.sep):
        return path
    return path[len(str(folder)) + 1:]


def grouped_failures(failed: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Failures as report rows: failed records of one export file that share a reason become
    one row, ``"feed.jsonl:12"`` … as ``"feed.jsonl — 1,799 records (30, 31, 45, …)"``."""
    groups: dict[tuple[str, str], list[str]] = {}
    for path, reason in failed:
        groups.setdefault((source_file(path), reason), []).append(path)
    rows = []
    for (file, reason), paths in groups.items():
        if len(paths) == 1:
            rows.append((paths[0], reason))
            continue
        numbers = [path[len(file) + 1:] for path in paths[:GROUP_NUMBERS]]
        more = ", …" if len(paths) > GROUP_NUMBERS else ""
        rows.append((f"{file} — {len(paths):,} records ({', '.join(numbers)}{more})", reason))
    return rows


def describe_report(report: ImportReport) -> str:
    """The report's headline: imported / updated / unchanged / duplicates / failed / missing."""
    text = f"Imported {plural(len(report.imported), 'article')} · "
    if report.updated:
        text += f"updated {len(report.updated):,} · "
    if report.unchanged:
        text += f"{len(report.unchanged):,} unchanged · "
    text += f"{plural(len(report.duplicates), 'duplicate')} · {len(report.failed):,} failed"
    if report.missing:
        text += f" · {report.missing_summary()}"
    if report.orphaned:
        text += (f" — {plural(len(report.orphaned), 'highlight')} could not be placed in the new text "
                 "(kept, flagged)")
    if report.stopped_within is not None:
        text += (f" — cancelled: {report.stopped_within.describe()}; everything imported before Cancel is kept, "
                 "and importing the file again adds the rest")
    elif report.cancelled:
        text += " — cancelled; everything imported before Cancel is kept"
    return text


def describe_clean_run(report: ImportReport) -> str:
    """The line under the headline of a report that lists nothing (no file failed, was missing,
    had a note or repeated an article); empty for a cancelled run, whose headline says it."""
    if report.cancelled:
        return ""
    if report.changed_ids:
        return ("Every file was read; none failed and none repeats an article the library holds.\n"
                "Show in list selects the new articles.")
    return "Every file was read; the library already holds each of them."


class FailureList(QTreeWidget):
    """The failed files with their reasons: rows with room to breathe, and no taller than
    its rows need (a long list scrolls inside the dialog)."""

    ROW_PADDING = 5

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet(f"QTreeView::item {{ padding: {self.ROW_PADDING}px 4px; }}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

    def sizeHint(self) -> QSize:
        rows = sum(self.sizeHintForRow(row) for row in range(self.topLevelItemCount()))
        height = self.header().sizeHint().height() + rows + 2 * self.frameWidth() + 2
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.header().sizeHint().height() * 3)


def fill_failures(tree: QTreeWidget, rows: Sequence[tuple[str, str]], *, folder: Path | None) -> None:
    """Show failure ``rows`` (path, reason) in ``tree``, paths relative to ``folder``; at most
    ``MAX_FAILURE_ROWS``, then one row saying how many more the copied report holds."""
    tree.clear()
    items = []
    for path, reason in rows[:MAX_FAILURE_ROWS]:
        item = QTreeWidgetItem([shown_path(path, folder), reason])
        item.setToolTip(0, path)
        item.setToolTip(1, reason)
        items.append(item)
    tree.addTopLevelItems(items)
    hidden = len(rows) - len(items)
    if hidden > 0:
        tree.addTopLevelItem(QTreeWidgetItem([f"… and {hidden:,} more (Copy report lists them all)", ""]))
    tree.setCurrentItem(None)
    tree.updateGeometry()
