"""Reproducible screenshots of Dossier's window for the README.

Run from the repository root::

    .venv/bin/python tests/ui/make_screenshots.py [--out resources/screenshots]

The script renders offscreen under a temporary ``DOSSIER_HOME`` (a fresh one
per picture, so no remembered layout or theme leaks from one to the next),
builds the libraries it needs in a temporary folder, opens windows with
``create_main_window``, drives them through their public methods, waits for
their workers and writes one PNG per picture, at the highest compression
(palette-reduced by ImageMagick when it is installed). Besides the feature
pictures at 1440×900, the sample library is shown at a laptop (1366×768) and
a desktop (1920×1080) size with the reader panels closed and open. The BBC
picture needs the corpus in ``../shared/corpora/bbc``; it is skipped with a
message when the corpus is not there.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlite_utils import Database

from desktop.core.entities import extract_entities
from desktop.core.import_report import ImportReport
from desktop.core.ingest import import_paths
from desktop.core.library import open_library
from desktop.core.paths import default_library_path
from desktop.core.samples import ensure_sample_corpus
from desktop.core.search import Filters, search_ids
from desktop.core.workflows import import_and_extract
from desktop.ui import annotate, entities, importing
from desktop.ui.app import create_main_window
from desktop.ui.entity_review import EntityReview
from desktop.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
BBC = REPO.parent / "shared" / "corpora" / "bbc"
WINDOW_SIZE = QSize(1440, 900)
VERSIONS_FILES = ("sport/424.txt", "sport/511.txt")  # one BBC report in two versions
SCREEN_SIZES = {"laptop": QSize(1366, 768), "desktop": QSize(1920, 1080)}
WAIT_SECONDS = 300.0
PNG_COLOURS = 256
BBC_QUERY = "mobile phone"
BBC_EXTRACTED_HITS = 40
BBC_OUTLET = "BBC"
MULTILINGUAL_SAMPLES = REPO / "tests" / "data" / "multilingual"  # original sample articles
MULTILINGUAL_QUERY = "Новосибирск OR 合作 OR Novosibirsk"
MULTILINGUAL_ARTICLES = {"ru": "ru_science_centre.txt", "zh": "zh_joint_laboratory.txt"}

ANNOTATED_SEED = "000_971e70b93473d978.txt"
ENTITIES_SEED = "002_923e814bdcd60de3.txt"
HIGHLIGHTS = (
    ("Innovation requires openness and willingness to share technologies", "yellow",
     "The thesis of the piece: openness as a condition of innovation."),
    ("Russian-Chinese cooperation in biomedicine will definitely bring mutually beneficial results",
     "sky blue", "Compare with the 2019 forum statement."),
    ("the secretary of science and technology", "reddish purple",
     "His exact title: check the embassy's staff list."),
)
CARET_KEYS = (  # down past the headline, on to 'Russian-Chinese', then that and three words on selected
    (Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier, 6),
    (Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier, 4),
    (Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, 6),
)
ARTICLE_NOTE = "Embassy line on biomedical cooperation; quote Zhang Qiang in chapter 2."
TAGS = ("biomedicine", "to cite")


@dataclass
class Shot:
    """One picture: its file name and the function that opens the window and returns what to grab."""

    name: str
    make: Callable[[Path], QWidget]


def wait_until(condition: Callable[[], bool], *, what: str) -> None:
    """Run the event loop until ``condition()`` holds; raise after ``WAIT_SECONDS``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        QApplication.processEvents()
        time.sleep(0.01)


def settle(window: MainWindow) -> None:
    """Wait until the window's searches and writes are done and their results painted."""
    wait_until(lambda: window.writer.active == 0 and window.settled(), what="the window's workers")
    for _ in range(5):
        QApplication.processEvents()


def fresh_home(work: Path, name: str) -> None:
    """Point ``DOSSIER_HOME`` at a new folder so the window starts with default settings."""
    home = work / "homes" / name
    home.mkdir(parents=True)
    os.environ["DOSSIER_HOME"] = str(home)


def open_window(library_path: Path, *, theme: str = "light", size: QSize = WINDOW_SIZE) -> MainWindow:
    """The main window over ``library_path`` at ``size``, settled, in ``theme``."""
    window = create_main_window(library_path)
    window.resize(size)
    window.set_theme(theme)
    settle(window)
    return window


def show_panel(window: MainWindow, panel: QWidget) -> None:
    """Bring ``panel`` up beside the reader, where the window makes room for it."""
    window.show_reader_panel(panel)
    settle(window)


def seed_id(window: MainWindow, file_name: str) -> int:
    """The id of the sample article imported from ``file_name``."""
    row = window.library.db.conn.execute(
        "SELECT id FROM documents WHERE path LIKE ?", [f"%{file_name}"]).fetchone()
    if row is None:
        raise LookupError(f"the sample article {file_name} is not in the library")
    return int(row[0])


def read_article(window: MainWindow, doc_id: int) -> None:
    """Select and read ``doc_id`` in the list."""
    if not window.show_article(doc_id):
        raise LookupError(f"article {doc_id} is not in the result list")
    settle(window)


def sample_library(work: Path) -> Path:
    """The sample library a new user gets, built once and copied for each picture."""
    template = work / "samples" / "library.sqlite"
    if not template.exists():
        template.parent.mkdir(parents=True)
        with open_library(template) as library:
            ensure_sample_corpus(library)
    return template


def copy_of(template: Path, work: Path, name: str) -> Path:
    """A copy of the library file ``template`` for one picture."""
    target = work / "libraries" / f"{name}.sqlite"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, target)
    return target


# the pictures ---------------------------------------------------------------------------------


def first_start(work: Path) -> QWidget:
    """The default library of a new user: the sample articles with their entities, the first one open."""
    fresh_home(work, "first-start")
    path = default_library_path()
    with open_library(path) as library:
        ensure_sample_corpus(library)
    return open_window(path)


def bbc(work: Path) -> QWidget:
    """The BBC corpus: a search typed, an organisation chosen in the sidebar, the best hit open.

    Entities are extracted for the search's best hits only, which keeps the picture quick to make.
    """
    fresh_home(work, "bbc")
    path = work / "libraries" / "bbc.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_library(path) as library:
        started = time.perf_counter()
        report = import_paths(library, [BBC])
        print(f"  BBC: {len(report.imported)} articles imported in {time.perf_counter() - started:.1f} s")
        hits = search_ids(library.db, BBC_QUERY)[:BBC_EXTRACTED_HITS]
        started = time.perf_counter()
        extract_entities(library, doc_ids=hits)
        print(f"  BBC: entities of {len(hits)} articles in {time.perf_counter() - started:.1f} s")
        organisation = most_mentioned(library.db, hits, label="ORG", besides=BBC_OUTLET)
    window = open_window(path)
    window.set_query(BBC_QUERY)
    settle(window)
    window.set_filters(Filters().including("entity:ORG", organisation))
    settle(window)
    return window


def most_mentioned(db: Database, doc_ids: list[int], *, label: str, besides: str) -> str:
    """The entity of type ``label`` found in most of ``doc_ids``, leaving out names containing
    ``besides`` (the outlet's own name, found in most of its articles)."""
    marks = ", ".join("?" for _ in doc_ids)
    row = db.conn.execute(
        f"SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id "
        f"WHERE e.label = ? AND instr(e.name, ?) = 0 AND m.document_id IN ({marks}) "
        f"GROUP BY e.id ORDER BY COUNT(DISTINCT m.document_id) DESC, e.name LIMIT 1",
        [label, besides, *doc_ids],
    ).fetchone()
    if row is None:
        raise LookupError(f"no {label} entity in the articles")
    return str(row[0])


def screen_size(work: Path, *, screen: str, panels: bool) -> QWidget:
    """The sample library at a laptop or desktop screen's size, with the Entities panel beside
    the reader or the panels closed."""
    name = f"{screen}-panels" if panels else screen
    fresh_home(work, name)
    window = open_window(copy_of(sample_library(work), work, name), size=SCREEN_SIZES[screen])
    read_article(window, seed_id(window, ENTITIES_SEED))
    if panels:
        show_panel(window, entities.install(window).panel)
    return window


def multilingual_library(work: Path) -> Path:
    """The sample library with a Russian and a Chinese article (original sample text, in the
    shapes of TASS and Xinhua copy) imported with their entities, built once."""
    template = work / "multilingual" / "library.sqlite"
    if not template.exists():
        template.parent.mkdir(parents=True)
        shutil.copy(sample_library(work), template)
        with open_library(template) as library:
            import_and_extract(library, [MULTILINGUAL_SAMPLES])
    return template


def multilingual(work: Path, *, screen: str, language: str) -> QWidget:
    """A search across scripts with the Russian or the Chinese article open: its hits marked,
    its entities highlighted, the Language facet and column showing the three languages."""
    name = f"{language}-{screen}"
    fresh_home(work, name)
    window = open_window(copy_of(multilingual_library(work), work, name), size=SCREEN_SIZES[screen])
    window.set_query(MULTILINGUAL_QUERY)
    settle(window)
    read_article(window, seed_id(window, MULTILINGUAL_ARTICLES[language]))
    return window


def caret_browsing(work: Path) -> QWidget:
    """Caret browsing at a laptop's size: the caret moved into the article with the arrow keys
    and a few words selected with Ctrl+Shift+Right, ready for H."""
    fresh_home(work, "caret")
    window = open_window(copy_of(sample_library(work), work, "caret"), size=SCREEN_SIZES["laptop"])
    read_article(window, seed_id(window, ANNOTATED_SEED))
    window.action_caret.trigger()
    for key, modifiers, times in CARET_KEYS:
        for _ in range(times):
            QTest.keyClick(window.reader, key, modifiers)
    settle(window)
    return window


def annotated(work: Path) -> QWidget:
    """A sample article with three highlights in three colours, notes, two tags and the Notes panel."""
    fresh_home(work, "annotated")
    window = open_window(copy_of(sample_library(work), work, "annotated"))
    annotator = annotate.install(window)
    doc_id = seed_id(window, ANNOTATED_SEED)
    read_article(window, doc_id)
    text = window.reader.current_document.text
    for quote, colour, note in HIGHLIGHTS:
        start = text.find(quote)
        if start < 0:
            raise LookupError(f"“{quote}” is not in the sample article")
        window.reader.select_range(start, start + len(quote))
        annotation_id = annotator.highlight_selection(colour=colour)
        if annotation_id is None:
            raise RuntimeError(f"the highlight of “{quote}” was not made")
        annotator.save_note(annotation_id, note)
    annotator.save_document_note(doc_id, ARTICLE_NOTE)
    for tag in TAGS:
        annotator.add_tag([doc_id], tag)
    window.reader.select_range(0, 0)
    show_panel(window, annotator.panel)
    return window


def entity_panel(work: Path, *, theme: str = "light") -> QWidget:
    """A sample article with its entities highlighted and the Entities panel with its legend."""
    fresh_home(work, f"entities-{theme}")
    window = open_window(copy_of(sample_library(work), work, f"entities-{theme}"), theme=theme)
    read_article(window, seed_id(window, ENTITIES_SEED))
    show_panel(window, entities.install(window).panel)
    return window


def import_report(work: Path) -> QWidget:
    """The import dialog's report after a folder of good and bad files."""
    fresh_home(work, "import-report")
    window = open_window(copy_of(sample_library(work), work, "import-report"))
    dialog = importing.install(window).open_dialog()
    finished: list[ImportReport] = []
    dialog.import_finished.connect(finished.append)
    dialog.start([mixed_folder(work)])
    wait_until(lambda: bool(finished), what="the import")
    settle(window)
    return dialog


def mixed_folder(work: Path) -> Path:
    """A folder of good articles and files that cannot be imported, as a person's downloads look."""
    folder = work / "downloads"
    folder.mkdir()
    (folder / "tomsk-harbin-lab.txt").write_text(
        "Joint lab opens in Harbin\n\nScientists from Tomsk Polytechnic University and Harbin "
        "Institute of Technology opened a joint laboratory for new materials on Monday.",
        encoding="utf-8")
    (folder / "arctic-station.html").write_text(
        "<!doctype html><html><head><title>Arctic station opens</title></head><body>"
        "<nav>Home | World | Science</nav><article><h1>Arctic station opens</h1>"
        "<p>Russian and Chinese researchers opened a joint polar research station in Yakutia, "
        "the Academy of Sciences said on Friday. The station will study permafrost.</p></article>"
        "</body></html>", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "report.pdf").write_text(
        "<!doctype html><html><body><p>Not a PDF at all</p></body></html>", encoding="utf-8")
    (folder / "slides.pptx").write_bytes(b"PK\x03\x04 not really a presentation")
    records = [
        {"title": "Vaccine trial in Novosibirsk", "text": "Russian and Chinese scientists began a "
         "joint vaccine trial in Novosibirsk.", "date": "2021-03-02"},
        {"title": "Satellite data shared", "text": "Roscosmos and the China National Space "
         "Administration agreed to share satellite data.", "date": "2021-06-11"},
    ]
    lines = [json.dumps(record) for record in records]
    lines.insert(1, '{"title": "Cut off in the middle", "text": "This line')
    (folder / "export.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def entity_page(work: Path) -> QWidget:
    """The page of the person mentioned in most sample articles."""
    fresh_home(work, "entity-page")
    window = open_window(copy_of(sample_library(work), work, "entity-page"))
    row = window.library.db.conn.execute(
        "SELECT e.id FROM entities e JOIN mentions m ON m.entity_id = e.id WHERE e.label = 'PERSON' "
        "GROUP BY e.id ORDER BY COUNT(DISTINCT m.document_id) DESC, COUNT(*) DESC, e.name LIMIT 1"
    ).fetchone()
    if row is None:
        raise LookupError("no person among the sample articles' entities")
    page = entities.install(window).open_page(int(row[0]))
    settle(window)
    return page


def entity_review(work: Path) -> QWidget:
    """Entities ▸ Review entities… over the BBC politics articles with every entity extracted:
    the table narrowed to "blair", the suggestions beside it."""
    fresh_home(work, "entity-review")
    path = work / "libraries" / "bbc-politics.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_library(path) as library:
        import_paths(library, [BBC / "politics"])
        started = time.perf_counter()
        report = extract_entities(library)
        print(f"  BBC politics: entities of {report.documents} articles in {time.perf_counter() - started:.1f} s")
    window = open_window(path)
    window.findChild(QAction, "actionReviewEntities").trigger()
    review = window.findChild(EntityReview)
    review.resize(WINDOW_SIZE)
    review.filter.setText("blair")
    wait_until(lambda: review.suggestions_ready() and review.counts_ready() and review.model.text == "blair",
               what="the suggestions and the counts")
    review.suggestion_list.setFocus()
    QApplication.processEvents()
    return review


def versions(work: Path) -> QWidget:
    """Two versions of one BBC story in the Versions panel, with the word-level diff of the later one."""
    from desktop.ui.versions import Versions

    fresh_home(work, "versions")
    path = work / "libraries" / "versions.sqlite"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_library(path) as library:
        import_paths(library, [BBC / name for name in VERSIONS_FILES])
    window = open_window(path)
    window.action_panels.trigger()
    show_panel(window, window.findChild(Versions).panel)
    reading = sum(window.reader_splitter.sizes())
    window.reader_splitter.setSizes([reading // 2, reading - reading // 2])
    read_article(window, window.model.ids[-1])
    return window


SHOTS = (
    Shot("main-window", first_start),
    Shot("bbc", bbc),
    Shot("annotated", annotated),
    Shot("entities", entity_panel),
    Shot("dark", lambda work: entity_panel(work, theme="dark")),
    Shot("import-report", import_report),
    Shot("entity-page", entity_page),
    Shot("entity-review", entity_review),
    Shot("versions", versions),
    Shot("caret-1366x768", caret_browsing),
    *(Shot(f"{screen}-{size.width()}x{size.height()}{'-panels' if panels else ''}",
           functools.partial(screen_size, screen=screen, panels=panels))
      for screen, size in SCREEN_SIZES.items() for panels in (False, True)),
    *(Shot(f"{language}-{size.width()}x{size.height()}",
           functools.partial(multilingual, screen=screen, language=language))
      for screen, size in SCREEN_SIZES.items() for language in MULTILINGUAL_ARTICLES),
)


def close_all() -> None:
    """Close every top-level window (main windows shut their workers down) and let them go."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.close()
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QApplication.processEvents()


def take(shot: Shot, *, work: Path, out: Path) -> None:
    """Open the picture's window, grab it and write ``<out>/<name>.png``."""
    started = time.perf_counter()
    widget = shot.make(work)
    QApplication.processEvents()
    target = out / f"{shot.name}.png"
    if not widget.grab().save(str(target), "PNG", 0):
        raise OSError(f"could not write {target}")
    close_all()
    shrink(target)
    print(f"{target} ({time.perf_counter() - started:.1f} s)")


def shrink(target: Path) -> None:
    """Reduce the PNG to ``PNG_COLOURS`` colours with ImageMagick, when it is installed (the
    window's flat colours survive it; the file is a third of the size)."""
    magick = shutil.which("magick") or shutil.which("convert")
    if magick is None:
        return
    done = subprocess.run([magick, str(target), "-colors", str(PNG_COLOURS), "-define",
                           "png:compression-level=9", f"PNG8:{target}"], capture_output=True, text=True)
    if done.returncode != 0:  # the picture stays as Qt wrote it
        print(f"{target.name}: not reduced ({magick} failed: {done.stderr.strip()[:120]})", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Write every picture into the chosen folder; returns the exit status."""
    parser = argparse.ArgumentParser(description="Write Dossier's README screenshots.")
    parser.add_argument("--out", type=Path, default=REPO / "resources" / "screenshots",
                        help="folder for the PNG files (default: resources/screenshots)")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME",
                        choices=[shot.name for shot in SHOTS],
                        help="write only these pictures: " + ", ".join(shot.name for shot in SHOTS))
    args = parser.parse_args(argv)
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    wanted = [shot for shot in SHOTS if args.only is None or shot.name in args.only]
    if not BBC.is_dir():
        print(f"skipping bbc.png, entity-review.png and versions.png: no corpus at {BBC}", file=sys.stderr)
        wanted = [shot for shot in wanted if shot.name not in ("bbc", "entity-review", "versions")]
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dossier-screenshots-") as tmp:
        for shot in wanted:
            take(shot, work=Path(tmp), out=args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
