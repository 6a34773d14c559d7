"""The English entity model adapted to a library from the user's corrections: training, storage, reset.

``adapt_model(library)`` fine-tunes a copy of the packaged spaCy ``ner`` on the articles the
user corrected (an English article with a mention the user marked, relabelled or removed),
taking their entities as the library now shows them (corrections applied) as the truth,
with pseudo-rehearsal: other articles of the library, annotated by the packaged model
itself, are mixed into every epoch so the model does not forget what it knew. A few
epochs, a small learning rate, dropout, a fixed seed. The result is saved beside the
library, in ``<library folder>/entity-models/<library name>/adapted-NNN/`` (the spaCy
pipeline plus ``manifest.json``: base model and version, corrected articles, date, losses),
made the library's model (``active.json``), and every English article the user has not
corrected is read again with it; corrected articles keep the user's entities.

``active_model(path)`` is what extraction asks for (``store.extract_entities``): the folder of
the adapted pipeline, or None for the packaged one. ``reset_model`` returns to the packaged
model (the adapted versions stay on disk, so a reset is itself reversible by adapting again)
and reads the uncorrected articles again with it. Only the English spaCy model is adapted;
Russian and Chinese articles keep their own models.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from ..errors import InvalidInput
from ..jobs import CancelToken, Progress, ProgressCallback, no_progress
from ..undo import plural
from .languages import ENGLISH, SAMPLE_CHARS, model_language
from .pipeline import KEPT_LABELS, model_setting, prepare_text
from .reading import PIECE_CHARS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

    from ..library import Library

MODELS_FOLDER = "entity-models"
ACTIVE_FILE = "active.json"
MANIFEST = "manifest.json"
MIN_CORRECTED = 50
"""Corrected articles before Dossier offers to adapt: in the CoNLL simulation
(tests/bench/bench_adapt.py, curve in the README) 25 articles gave no clear gain, 50 a clear one.
Adapting on fewer stays possible from the menu and the command line."""


@dataclass(frozen=True)
class Settings:
    """Hyper-parameters of one adaptation (fixed before measuring, see bench_adapt.py)."""

    epochs: int = 4
    learn_rate: float = 0.0005
    dropout: float = 0.2
    batch_size: int = 8
    rehearsal_ratio: float = 2.0
    """Rehearsal articles per corrected article (at most the library's other articles)."""
    seed: int = 0


@dataclass
class AdaptReport:
    """What one adaptation did: the saved version, articles used, seconds, articles read again."""

    version: str
    path: Path
    corrected: int
    rehearsal: int
    seconds: float
    reextracted: int = 0
    losses: list[float] = field(default_factory=list)

    def summary(self) -> str:
        """``"Entity model adapted-001 learnt from 3 corrected articles in 12.4 s; 1 other article
        read again"`` (what the window and ``dossier adapt-model`` say when it is done)."""
        return (f"Entity model {self.version} learnt from {plural(self.corrected, 'corrected article')} in "
                f"{self.seconds:.1f} s; {plural(self.reextracted, 'other article')} read again")


def reset_summary(reextracted: int) -> str:
    """What ``reset_model`` did, in words: ``"The packaged entity model is used again; 1 article read again"``."""
    return f"The packaged entity model is used again; {plural(reextracted, 'article')} read again"


SpanTuple = tuple[int, int, str]


def models_dir(library_path: Path) -> Path:
    """Where a library's adapted models live: ``entity-models/<library name>`` beside its file."""
    library_path = Path(library_path)
    return library_path.parent / MODELS_FOLDER / library_path.stem


def active_model(library_path: Path) -> Path | None:
    """The adapted pipeline the library uses, or None for the packaged model."""
    folder = models_dir(library_path)
    try:
        name = json.loads((folder / ACTIVE_FILE).read_text(encoding="utf-8")).get("active")
    except (OSError, ValueError, AttributeError):
        return None
    if not name or not (folder / name / "config.cfg").is_file():
        return None
    return folder / name


def manifest(model_path: Path) -> dict:
    """The manifest of an adapted model (empty when unreadable)."""
    try:
        return json.loads((Path(model_path) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _set_active(library_path: Path, name: str | None) -> None:
    folder = models_dir(library_path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ACTIVE_FILE
    partial = target.with_suffix(".tmp")
    partial.write_text(json.dumps({"active": name}), encoding="utf-8")
    partial.replace(target)


def _next_version(library_path: Path) -> str:
    folder = models_dir(library_path)
    numbers = [int(p.name.split("-")[1]) for p in folder.glob("adapted-[0-9]*") if p.name[8:].isdigit()]
    return f"adapted-{max(numbers, default=0) + 1:03d}"


# --- what the library knows ------------------------------------------------------------------

def _english(rows: Sequence[tuple[int, str, str | None]]) -> list[int]:
    return [doc_id for doc_id, text, language in rows if model_language(text, language) == ENGLISH]


def corrected_documents(library: Library) -> list[int]:
    """English articles in which the user marked, relabelled or removed an entity."""
    rows = library.db.conn.execute(
        "SELECT id, substr(text, 1, ?), language FROM documents WHERE id IN ("
        "SELECT document_id FROM mentions WHERE origin = 'user' "
        "UNION SELECT document_id FROM removed_mentions) ORDER BY id", (SAMPLE_CHARS,)
    ).fetchall()
    return _english(rows)


def uncorrected_documents(library: Library) -> list[int]:
    """English articles the user has not corrected (those adaptation reads again)."""
    corrected = set(corrected_documents(library))
    rows = library.db.conn.execute(
        "SELECT id, substr(text, 1, ?), language FROM documents ORDER BY id", (SAMPLE_CHARS,)).fetchall()
    return [doc_id for doc_id in _english(rows) if doc_id not in corrected]


def final_spans(library: Library, doc_id: int) -> list[SpanTuple]:
    """The entities the article shows now (model, rule and user mentions, corrections applied)."""
    return [tuple(r) for r in library.db.conn.execute(
        'SELECT m.start, m."end", e.label FROM mentions m JOIN entities e ON e.id = m.entity_id '
        "WHERE m.document_id = ? ORDER BY m.start", (doc_id,))]


# --- training ----------------------------------------------------------------------------------

def load_base(model: str | None = None) -> Language:
    """A fresh, trainable copy of the packaged NER-only pipeline (never the cached one)."""
    import spacy

    from .pipeline import EXCLUDED_COMPONENTS, drop_unheard_embeddings

    package = model_setting(model)
    try:
        nlp = spacy.load(package, exclude=list(EXCLUDED_COMPONENTS))
    except OSError as err:
        raise InvalidInput(f"The spaCy pipeline '{package}' is not installed.") from err
    drop_unheard_embeddings(nlp)
    return nlp


def _example(nlp: Language, text: str, spans: Sequence[SpanTuple], raw: Sequence[SpanTuple]) -> Example:
    """A training example: ``spans`` as the truth, plus the model's own entities of the kinds
    Dossier does not show (numbers, times…) where they overlap none of them."""
    from spacy.training import Example
    from spacy.util import filter_spans

    ner_labels = set(nlp.get_pipe("ner").labels)
    reference = nlp.make_doc(text)
    chosen = [(s, e, label) for s, e, label in spans if label in ner_labels and e <= len(text)]
    chosen += [(s, e, label) for s, e, label in raw
               if label not in KEPT_LABELS and not any(s < e2 and s2 < e for s2, e2, _ in chosen)]
    ents = [reference.char_span(s, e, label=label, alignment_mode="contract") for s, e, label in chosen]
    reference.set_ents(filter_spans([span for span in ents if span is not None]), default="outside")
    return Example(nlp.make_doc(text), reference)


def own_entities(nlp: Language, texts: Sequence[str]) -> list[list[SpanTuple]]:
    """The model's raw entities of each text (what it would say before any adaptation)."""
    return [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(texts, batch_size=16)]


def fine_tune(
    nlp: Language,
    corrected: Sequence[tuple[str, Sequence[SpanTuple]]],
    rehearsal: Sequence[str],
    *,
    settings: Settings = Settings(),
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> list[float]:
    """Fine-tune ``nlp``'s ``ner`` in place on ``corrected`` (text, true spans) with the model's
    own output on ``rehearsal`` texts mixed in; returns the loss of each epoch.

    Texts are the model's view of them (``prepare_text``), cut to ``PIECE_CHARS``. The averaged weights are kept at
    the end. Raises ``Cancelled`` between batches when ``cancel`` is set.
    """
    from spacy.util import fix_random_seed, minibatch

    report = progress or no_progress
    fix_random_seed(settings.seed)
    rng = random.Random(settings.seed)
    texts = [prepare_text(text[:PIECE_CHARS]) for text, _ in corrected]
    rehearsed = [prepare_text(text[:PIECE_CHARS]) for text in rehearsal]
    raw = own_entities(nlp, texts + rehearsed)
    examples = [_example(nlp, text, spans, own) for text, (_, spans), own in zip(texts, corrected, raw)]
    examples += [_example(nlp, text, own, own) for text, own in zip(rehearsed, raw[len(texts):])]
    optimizer = nlp.resume_training()
    optimizer.learn_rate = settings.learn_rate
    batches = -(-len(examples) // settings.batch_size)
    total = batches * settings.epochs
    losses_by_epoch: list[float] = []
    done = 0
    for epoch in range(settings.epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=settings.batch_size):
            if cancel is not None:
                cancel.raise_if_cancelled()
            nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
            done += 1
            report(Progress(done, total, f"Learning from corrections: epoch {epoch + 1} of {settings.epochs}",
                            phase="learning from corrections", unit="steps"))
        losses_by_epoch.append(round(float(losses.get("ner", 0.0)), 2))
    _keep_averages(nlp, optimizer.averages or {})
    return losses_by_epoch


def _keep_averages(nlp: Language, averages: dict) -> None:
    """Make the optimizer's averaged weights the model's own (they generalise better)."""
    for node in nlp.get_pipe("ner").model.walk():
        for name in node.param_names:
            if (node.id, name) in averages:
                node.set_param(name, averages[(node.id, name)])


def save_model(nlp: Language, library_path: Path, *, info: dict) -> tuple[str, Path]:
    """Save ``nlp`` as the library's next adapted version with its manifest; returns (name, folder)."""
    version = _next_version(library_path)
    folder = models_dir(library_path) / version
    base = f"{nlp.meta.get('name', 'model')}"
    nlp.meta["name"] = f"{base}_{version.replace('-', '_')}"
    partial = folder.with_name(f".{version}.partial")
    folder.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(partial, ignore_errors=True)
    try:
        nlp.to_disk(partial)
    finally:
        nlp.meta["name"] = base
    (partial / MANIFEST).write_text(json.dumps({"version": version, **info}, indent=1), encoding="utf-8")
    partial.rename(folder)
    return version, folder


# --- the library operations ------------------------------------------------------------------

def adapt_model(
    library: Library,
    *,
    settings: Settings = Settings(),
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    reextract: bool = True,
    min_corrected: int = 1,
) -> AdaptReport:
    """Adapt the English model to the library's corrections, save it, use it, and read the
    uncorrected English articles again (see the module docstring).

    Raises ``InvalidInput`` with fewer than ``min_corrected`` corrected articles, ``Cancelled``
    when cancelled (nothing is saved before training ends; a cancelled re-reading keeps the
    batches it finished and the next extraction goes on from there).
    """
    from .store import extract_entities

    report = progress or no_progress
    started = time.perf_counter()
    corrected_ids = corrected_documents(library)
    if len(corrected_ids) < max(1, min_corrected):
        raise InvalidInput(
            f"No model to adapt yet: {plural(len(corrected_ids), 'English article')} corrected, "
            f"{max(1, min_corrected)} needed (correct entities in the reader first)."
        )
    others = uncorrected_documents(library)
    rng = random.Random(settings.seed)
    rehearsal_ids = sorted(rng.sample(others, min(len(others), round(len(corrected_ids) * settings.rehearsal_ratio))))
    conn = library.db.conn
    text_of = dict(conn.execute(
        f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(corrected_ids + rehearsal_ids))})",
        corrected_ids + rehearsal_ids).fetchall())
    report(Progress(0, 1, f"Reading {len(corrected_ids)} corrected articles", phase="reading corrected articles"))
    nlp = load_base()
    base_version = f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}"
    losses = fine_tune(
        nlp, [(text_of[i], final_spans(library, i)) for i in corrected_ids],
        [text_of[i] for i in rehearsal_ids], settings=settings, progress=report, cancel=cancel,
    )
    if cancel is not None:
        cancel.raise_if_cancelled()
    info = {
        "base_model": base_version,
        "corrected_articles": len(corrected_ids),
        "rehearsal_articles": len(rehearsal_ids),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "settings": settings.__dict__,
        "losses": losses,
    }
    version, folder = save_model(nlp, library.path, info=info)
    _set_active(library.path, version)
    result = AdaptReport(version, folder, len(corrected_ids), len(rehearsal_ids),
                         time.perf_counter() - started, losses=losses)
    if reextract:
        result.reextracted = extract_entities(
            library, doc_ids=others, progress=report, cancel=cancel).documents
    return result


def reset_model(
    library: Library,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    reextract: bool = True,
) -> int:
    """Use the packaged model again and read the uncorrected English articles with it; returns
    how many were read (0 when the library had no adapted model)."""
    from .store import extract_entities

    if active_model(library.path) is None:
        return 0
    _set_active(library.path, None)
    if not reextract:
        return 0
    return extract_entities(library, doc_ids=uncorrected_documents(library),
                            progress=progress, cancel=cancel).documents


def model_status(library: Library) -> dict:
    """What the window and the CLI show: the model in use, its manifest, corrected articles."""
    path = active_model(library.path)
    return {
        "model": str(path) if path else model_setting(),
        "adapted": manifest(path) if path else None,
        "corrected_articles": len(corrected_documents(library)),
        "offer_at": MIN_CORRECTED,
    }
