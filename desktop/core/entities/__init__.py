"""Named entities: extraction with spaCy and post-processing, storage, corrections, queries.

``pipeline`` finds entities in texts, ``normalise`` turns dates and sums into values,
``store`` holds the extraction job, ``rules`` and ``corrections`` the user's fixes
(each returning an undoable change), ``queries`` what the reader and the entity page show,
``candidates`` which entity another one most likely is (the merge picker's ranking).
"""

from __future__ import annotations

from .candidates import (
    Candidate,
    CandidatePool,
    Match,
    Selection,
    candidate_pool,
    clear_best,
    merge_candidates,
)
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
    entity_details,
    entity_timeline,
    find_entity,
    labels_in_use,
)
from .store import ExtractionReport, extract_entities

__all__ = [
    "Candidate", "CandidatePool", "ExtractionReport", "Match", "Selection", "aliases_of", "always_treat",
    "candidate_pool", "clear_best", "cooccurring", "document_entities", "entity_details",
    "entity_mentions", "entity_summary", "entity_timeline", "extract_entities", "find_entity",
    "labels_in_use", "list_rules", "mark_mention", "merge_candidates", "merge_entities",
    "never_treat", "relabel_mention", "remove_mention", "remove_rule", "rename_entity",
    "split_alias",
]
