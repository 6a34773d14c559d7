"""What one outlet changed in its copy of a story: a word-level diff against the original.

``compare`` aligns the words of the copy with those of the original (difflib over word
tokens, headline and text separately) and returns the runs: words kept, dropped (only in
the original), added (only in the copy) and changed (a run of the original replaced by a
run of the copy), with how many words of each kind.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

KEPT, DROPPED, ADDED, CHANGED = "kept", "dropped", "added", "changed"


@dataclass(frozen=True)
class Run:
    """A run of words: ``kind`` is KEPT, DROPPED, ADDED or CHANGED (``was`` then holds the original's words)."""

    kind: str
    text: str
    was: str = ""


@dataclass
class Diff:
    """The runs of one text and how many words were dropped, added and changed."""

    runs: list[Run] = field(default_factory=list)
    dropped: int = 0
    added: int = 0
    changed: int = 0

    @property
    def same(self) -> bool:
        return not (self.dropped or self.added or self.changed)


def diff_words(original: str, copy: str) -> Diff:
    """The word-level diff of ``copy`` against ``original`` (words split at white space)."""
    before, after = original.split(), copy.split()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    out = Diff()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        was, now = " ".join(before[i1:i2]), " ".join(after[j1:j2])
        if op == "equal":
            out.runs.append(Run(KEPT, now))
        elif op == "delete":
            out.runs.append(Run(DROPPED, was))
            out.dropped += i2 - i1
        elif op == "insert":
            out.runs.append(Run(ADDED, now))
            out.added += j2 - j1
        else:
            out.runs.append(Run(CHANGED, now, was))
            out.changed += max(i2 - i1, j2 - j1)
    return out


@dataclass
class StoryDiff:
    """A copy compared with its story's original: the headline's diff and the text's."""

    headline: Diff
    text: Diff

    def summary(self) -> str:
        """"Words: 12 dropped, 3 added, 5 changed; headline changed" (or "Same text")."""
        counts = ((self.text.dropped, "dropped"), (self.text.added, "added"), (self.text.changed, "changed"))
        parts = [f"{n:,} {what}" for n, what in counts if n]
        said = f"Words: {', '.join(parts)}" if parts else "Same text"
        return said + ("" if self.headline.same else "; headline changed")


def compare(original_title: str, original_text: str, copy_title: str, copy_text: str) -> StoryDiff:
    """The copy (``copy_title``, ``copy_text``) against the original, word by word."""
    return StoryDiff(diff_words(original_title, copy_title), diff_words(original_text, copy_text))
