"""What ``recover`` writes beside the new library so that no highlight or note it could not put
back is lost without a trace: ``NEW-highlights-without-article.md``.

Two kinds of highlight go there. One whose row was read but whose article was not is written
with its quote, the words around it and its note (``RecoveryReport.lost_highlights``). One
whose own row could not be read still has its words in its article's searchable notes
(``documents.notes``: the article's note, then every highlight's quote and note): a recovered
article whose stored notes name more than its recovered highlights and note has those notes
written out as the library last stored them (``stranded_notes``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from .annotations import notes_of
from .markdown_text import inline, paragraphs


def stranded_notes(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """The recovered articles whose searchable notes hold highlights that were not recovered:
    their id, title and notes as stored."""
    rows = conn.execute(
        "SELECT id, title, note, notes FROM documents WHERE notes IS NOT NULL ORDER BY id"
    ).fetchall()
    return [{"document_id": doc_id, "title": title, "notes": notes}
            for doc_id, title, note, notes in rows if notes != notes_of(conn, doc_id, note)]


def write_lost_highlights(out: Path, highlights: Sequence[dict[str, object]], *, source: Path,
                          stranded: Sequence[dict[str, object]] = ()) -> Path:
    """A Markdown file beside the recovered library ``out`` holding the highlights whose article
    could not be read (their quotes with the words around them, and their notes) and the notes of
    articles whose highlights could not be read (``stranded_notes``): a person's notes are never
    dropped without a trace. Returns its path."""
    path = out.with_name(f"{out.stem}-highlights-without-article.md")
    number = 1
    while path.exists():  # never over a file already there
        number += 1
        path = out.with_name(f"{out.stem}-highlights-without-article-{number}.md")
    lines = []
    if highlights:
        lines += [f"# Highlights whose article could not be recovered from {inline(source.name)}", ""]
    for found in sorted(highlights, key=lambda h: str(h["created"] or "")):
        passage = f"{found['prefix'] or ''}\ue000{found['quote']}\ue001{found['suffix'] or ''}"
        shown = inline(" ".join(passage.split())).replace("\ue000", "**").replace("\ue001", "**")
        lines += [f"## {str(found['created'] or '')[:10] or 'Undated'}, {found['colour'] or 'highlight'}",
                  "", f"> …{shown}…", ""]
        if found["note"]:
            lines += [*paragraphs(str(found["note"])), ""]
    if stranded:
        lines += [f"# Highlights that could not be recovered from {inline(source.name)}, as their article's "
                  "notes held them", "",
                  "Each article's note, then every highlight's quote and note, as the library last "
                  "stored them for search.", ""]
        for article in stranded:
            lines += [f"## Article {article['document_id']}: {inline(str(article['title'] or ''))}", "",
                      *paragraphs(str(article["notes"])), ""]
    partial = path.with_name(path.name + ".partial")
    partial.write_text("\n".join(lines), encoding="utf-8")
    partial.replace(path)
    return path
