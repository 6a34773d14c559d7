"""Copies under another headline: the same text re-published with a new headline is an article.

Agency copy is carried word for word by other outlets under headlines of their own. Such a
copy is not a duplicate: it is an article of its own (its outlet, date and headline count), and
story grouping shows it beside the first. An article's ``documents.sha256`` is the digest of its
text (what annotation exchange names it by), and that column is unique; a copy whose text the
library holds under another headline, or that an earlier article of the same import brought
under another headline, is told apart by ``copy_digest``, the digest of its headline and text.
Headlines are compared ignoring case and spacing; an article without a headline, or a copy of
one without, is the same article (nothing tells them apart).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Sequence


def copy_digest(title: str, text: str) -> str:
    """The digest that tells a copy under the headline ``title`` from the article first stored
    with ``text``."""
    return hashlib.sha256(f"{title.strip()}\n\n{text}".encode("utf-8")).hexdigest()


def heading_key(title: str) -> str:
    """A headline as headlines are compared: ignoring case and spacing."""
    return " ".join(title.split()).casefold()


def copy_digests(conn: sqlite3.Connection, articles: Sequence[tuple[str, str, str]]) -> dict[int, str]:
    """For ``articles`` as (text digest, headline, text), in the order an import reads them: the
    position of each that is a copy under another headline, with its ``copy_digest``."""
    wanted = [digest for digest, _, _ in articles]
    stored = conn.execute(
        "SELECT sha256, title FROM documents WHERE sha256 IN (SELECT value FROM json_each(?))",
        [json.dumps(wanted)],
    )
    headings = {digest: heading_key(title or "") for digest, title in stored}
    copies: dict[int, str] = {}
    for position, (digest, title, text) in enumerate(articles):
        heading = heading_key(title)
        first = headings.setdefault(digest, heading)
        if heading and first and heading != first:
            copies[position] = copy_digest(title, text)
    return copies
