"""The Versions panel beside the reader (object name ``versionsPanel``): every copy of the
article's story, and what one copy changed against the original.

The panel lists the versions (outlet, date, headline; the original first and marked) and,
for the version chosen in the list, shows the word-level diff against the original
(``desktop.core.stories_diff``): dropped words struck through in red, added words in green,
changed words as the original's struck through followed by the copy's in amber, the
headline first. Its buttons ask for corrections through signals; the panel itself writes
nothing.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.core.stories import Version
from desktop.core.stories_diff import ADDED, CHANGED, DROPPED, Diff, StoryDiff

NO_VERSIONS = "No other outlet carried this article's story."
ORIGINAL_MARK = "★ "
YOURS_MARK = " ✎"  # after the outlet of a version holding the person's highlights, note or tags
DIFF_CSS = """
del { color: #b3261e; text-decoration: line-through; }
ins { color: #1b7f3b; text-decoration: none; background: #e3f4e6; }
.changed { color: #8a5a00; background: #fff1c7; }
h4 { margin: 4px 0; }
"""


def diff_html(diff: Diff) -> str:
    """The runs of ``diff`` as HTML (kept words plain, the others marked)."""
    out = []
    for run in diff.runs:
        text = html.escape(run.text)
        if run.kind == DROPPED:
            out.append(f"<del>{html.escape(run.text)}</del>")
        elif run.kind == ADDED:
            out.append(f"<ins>{text}</ins>")
        elif run.kind == CHANGED:
            out.append(f"<del>{html.escape(run.was)}</del> <span class='changed'>{text}</span>")
        else:
            out.append(text)
    return " ".join(out)


def story_diff_html(diff: StoryDiff, *, original: Version) -> str:
    """The whole comparison: against which original, the summary, the headline, the text."""
    against = " · ".join(part for part in (original.source, original.published) if part)
    return (
        f"<style>{DIFF_CSS}</style>"
        f"<p><b>Compared with the original</b> ({html.escape(against or original.title)}): "
        f"{html.escape(diff.summary())}</p>"
        f"<h4>{diff_html(diff.headline)}</h4>"
        f"<p>{diff_html(diff.text)}</p>"
    )


class VersionsPanel(QWidget):
    """The versions of the article's story and one version's diff; corrections go out as signals."""

    version_chosen = Signal(int)
    open_requested = Signal(int)
    pin_requested = Signal(int)
    separate_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versionsPanel")
        self.versions: list[Version] = []
        self.summary = QLabel(NO_VERSIONS)
        self.summary.setObjectName("versionsSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("versionsList")
        self.table.setHorizontalHeaderLabels(["Outlet", "Date", "Headline"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.table.itemDoubleClicked.connect(lambda _item: self._request(self.open_requested))
        self.diff_view = QTextBrowser()
        self.diff_view.setObjectName("versionsDiff")
        self.open_button = self._button("openVersion", "Open", self.open_requested)
        self.pin_button = self._button("pinOriginal", "Pin as original", self.pin_requested)
        self.separate_button = self._button("notSameStory", "Not the same story", self.separate_requested)
        buttons = QGridLayout()  # two rows: the panel stays narrow beside the reader
        buttons.addWidget(self.open_button, 0, 0)
        buttons.addWidget(self.pin_button, 0, 1)
        buttons.addWidget(self.separate_button, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.diff_view, 2)
        layout.addStretch(0)  # takes the room when only the sentence is shown
        self._enable()
        self._show_parts(False)

    def _button(self, name: str, text: str, signal: Signal) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: self._request(signal))
        return button

    def _request(self, signal: Signal) -> None:
        chosen = self.chosen_id()
        if chosen is not None:
            signal.emit(chosen)

    def set_versions(self, versions: Sequence[Version], *, current: int | None) -> None:
        """Show ``versions`` (the original first) and choose ``current`` when it is a copy, else
        the first copy; no versions: say so."""
        self.versions = list(versions)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.versions))
        for row, version in enumerate(self.versions):
            outlet = (ORIGINAL_MARK if version.original else "") + (version.source or "—")
            outlet += YOURS_MARK if version.yours else ""
            for column, text in enumerate((outlet, version.published or "", version.title)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, version.id)
                if version.yours:
                    item.setToolTip(f"Yours on this version: {version.yours}")
                if version.original:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._show_parts(bool(self.versions))
        if not self.versions:
            self.summary.setText(NO_VERSIONS)
            self.diff_view.clear()
            self._enable()
            return
        outlets = sorted({v.source for v in self.versions if v.source})
        yours = sum(1 for v in self.versions if v.yours)
        self.summary.setText(f"{len(self.versions)} versions of this story: {', '.join(outlets) or 'no outlet named'}"
                             + (f".{YOURS_MARK} your highlights, notes or tags are on {yours} of them" if yours else ""))
        ids = [v.id for v in self.versions]
        wanted = current if current in ids and current != ids[0] else ids[min(1, len(ids) - 1)]
        self.table.selectRow(ids.index(wanted))

    def chosen_id(self) -> int | None:
        """The version chosen in the list."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.versions[rows[0].row()].id

    def original(self) -> Version | None:
        return next((v for v in self.versions if v.original), None)

    def show_diff(self, diff: StoryDiff | None) -> None:
        """Show the chosen version's diff (None: it is the original itself)."""
        original = self.original()
        if diff is None or original is None:
            self.diff_view.setHtml("<p>This is the original: choose another version to see what it changed.</p>")
        else:
            self.diff_view.setHtml(story_diff_html(diff, original=original))

    def _chosen(self) -> None:
        self._enable()
        chosen = self.chosen_id()
        if chosen is not None:
            self.version_chosen.emit(chosen)

    def _enable(self) -> None:
        chosen = self.chosen_id()
        original = self.original()
        self.open_button.setEnabled(chosen is not None)
        self.pin_button.setEnabled(chosen is not None and (original is None or chosen != original.id))
        self.separate_button.setEnabled(chosen is not None)

    def _show_parts(self, shown: bool) -> None:
        """The list, its buttons and the diff show only for a story with versions; without, the
        panel is its one sentence instead of empty boxes and greyed buttons."""
        for widget in (self.table, self.open_button, self.pin_button, self.separate_button, self.diff_view):
            widget.setVisible(shown)
