"""Named entities: extraction with spaCy and post-processing, storage, corrections, queries.

``pipeline`` finds entities in texts, ``normalise`` turns dates and sums into values,
``store`` holds the extraction job, ``rules`` and ``corrections`` the user's fixes
(each returning an undoable change), ``queries`` what the reader and the entity page show.
"""

from __future__ import annotations

from .corrections import (
    always_treat,
    list_rules,
    mark_mention,
    merge_entities,
    never_treat,
    relabel_mention,
    remove_mention,
    remove_rule,
    rename_entity,
    split_alias,
)
from .queries import (
    aliases_of,
    cooccurring,
    document_entities,
    entity_mentions,
    entity_summary,
    entity_timeline,
    find_entity,
)
from .store import ExtractionReport, extract_entities

__all__ = [
    "ExtractionReport", "aliases_of", "always_treat", "cooccurring", "document_entities",
    "entity_mentions", "entity_summary", "entity_timeline", "extract_entities", "find_entity",
    "list_rules", "mark_mention", "merge_entities", "never_treat", "relabel_mention",
    "remove_mention", "remove_rule", "rename_entity", "split_alias",
]
