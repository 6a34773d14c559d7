"""The reader in Cyrillic and Chinese: every character drawn with a real glyph of an installed
font (no boxes), and Chinese lines broken between characters, never before 。or ，."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QTextLayout

from desktop.ui.reader import Reader
from tests.ui.conftest import QT_LOG_IGNORE
from tests.ui.test_reader import make_document

pytestmark = pytest.mark.qt_log_ignore(QT_LOG_IGNORE)

CHINESE = ("新华社长春3月13日电（记者王明）中俄两国科学家13日在长春签署生物医学合作协议，双方将共建联合实验室，"
           "开展疫苗研发和人才交流。俄罗斯科学院西伯利亚分院代表表示，合作将持续五年。"
           "专家认为，这一协议标志着两国科技合作进入新阶段，也将惠及更多青年学者。")
RUSSIAN = ("Российские и китайские учёные подписали в Новосибирске соглашение о совместных "
           "исследованиях в области биомедицины. Ёмкость лаборатории — сорок сотрудников.")
NO_LINE_START = "。，、；：？！）」』"


def needs_a_font_for(system: QFontDatabase.WritingSystem, what: str) -> None:
    if not QFontDatabase.families(system):
        pytest.skip(f"no font for {what} is installed (.ci/run installs fonts-wqy-microhei and "
                    "fonts-dejavu-core)")


@pytest.fixture
def reader(qtbot) -> Reader:
    widget = Reader()
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    widget.show()
    return widget


def glyph_runs_of(reader: Reader, text: str) -> list[tuple[str, list[int]]]:
    """(font family, glyph indexes) of each glyph run the reader lays out for the paragraph ``text``."""
    document = reader.document()
    block = document.begin()
    while block.isValid() and block.text() != text:
        block = block.next()
    assert block.isValid(), "the reader shows no such paragraph"
    layout: QTextLayout = block.layout()
    return [(run.rawFont().familyName(), list(run.glyphIndexes()))
            for run in layout.glyphRuns(0, len(text))]


@pytest.mark.parametrize(("text", "system", "what"), [
    (CHINESE, QFontDatabase.WritingSystem.SimplifiedChinese, "Chinese"),
    (RUSSIAN, QFontDatabase.WritingSystem.Cyrillic, "Cyrillic"),
])
def test_the_reader_draws_every_character_with_a_real_glyph(reader, text, system, what):
    needs_a_font_for(system, what)
    reader.show_document(make_document(text, title=text[:12], language="zh" if what == "Chinese" else "ru"))
    runs = glyph_runs_of(reader, text)
    assert runs
    assert all(index != 0 for _, indexes in runs for index in indexes), runs
    assert any(system in QFontDatabase.writingSystems(family) for family, _ in runs), runs


def test_a_chinese_headline_in_the_metadata_and_title_is_drawn_too(reader):
    needs_a_font_for(QFontDatabase.WritingSystem.SimplifiedChinese, "Chinese")
    title = "中俄科学家签署合作协议"
    reader.show_document(make_document(CHINESE, title=title, source="新华社", language="zh"))
    runs = glyph_runs_of(reader, title)
    assert all(index != 0 for _, indexes in runs for index in indexes)


def line_texts(reader: Reader, text: str) -> list[str]:
    document = reader.document()
    block = document.begin()
    while block.isValid() and block.text() != text:
        block = block.next()
    layout = block.layout()
    return [text[line.textStart(): line.textStart() + line.textLength()]
            for line in (layout.lineAt(n) for n in range(layout.lineCount()))]


def test_chinese_lines_break_between_characters_and_never_start_with_closing_punctuation(reader):
    needs_a_font_for(QFontDatabase.WritingSystem.SimplifiedChinese, "Chinese")
    reader.show_document(make_document(CHINESE, title="合作", language="zh"))
    seen_lines = 0
    for width in range(300, 700, 9):  # many widths, so that some line would start at 。or ，
        reader.resize(width, 500)
        lines = line_texts(reader, CHINESE)
        assert "".join(lines) == CHINESE
        assert len(lines) > 1
        seen_lines += len(lines)
        starts = [line[0] for line in lines if line]
        assert not [s for s in starts if s in NO_LINE_START], (width, lines)
        # a line ends inside a run of Han characters: Chinese wraps between characters, not at spaces
        assert any("\u4e00" <= line[-1] <= "\u9fff" for line in lines[:-1]), lines
    assert seen_lines > 100
