"""MinHash signatures of article texts, their LSH band keys and the coverage test: what makes two
copies of one story look alike while two reports of the same event do not.

A text is cut into tokens (words, lower-cased, ё folded to е; each Han character is a token of
its own, since Chinese has no spaces), the tokens into overlapping shingles of
``WORD_SHINGLE`` words (``HAN_SHINGLE`` characters for a text written mostly in Han), and the
set of shingles into a 128-value MinHash (datasketch's ``affine32`` permutations). The tokens of a whole
batch of texts are found and hashed in array operations over their characters, and the
permutations applied to all their shingles at once. The share of equal values of two
signatures estimates the Jaccard similarity of the two shingle sets.

To find the candidates without comparing every pair, the first ``BANDS`` x ``ROWS`` values of
a signature are cut into ``BANDS`` bands of ``ROWS``, each band hashed to one integer key (LSH
banding): two articles sharing a key are candidates. Keys are 32-bit so they sit in an
indexed SQLite table compactly and are written with the article's id packed beside them in
one integer; a collision only adds a candidate that the signature comparison then rejects.

Two candidates whose estimate reaches ``THRESHOLD`` are copies of one story when it reaches
``SURE`` too, or else when their texts pass the coverage test (``coverages``): a copy with a
word changed here and there keeps ``COVERAGE`` or more of its tokens in shingles of the other,
while the BBC's own rewrite of a report, which re-uses some of its sentences, does not. Either
way the two must give the same figures (``same_figures``) and state no facts differently
(``stories_facts``), and a text under ``MIN_SHINGLES`` shingles is too short to group.

The parameters were tuned on halves of the evaluation sets of ``tests/bench/bench_stories.py``
and checked on the other halves; changing them changes stored signatures
(``SIGNATURE_VERSION``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np

from .stories_facts import BLOCK, MAX_TOKENS, SHARE_OF_CHANGES, SHARE_OF_FACTS, contradict
from .textindex import parts_between_words

NUM_PERM = 128
BANDS = 20
ROWS = 2
THRESHOLD = 0.25
COVERAGE = 0.58
SURE = 0.7
WORD_SHINGLE = 3
HAN_SHINGLE = 4
MIN_SHINGLES = 20  # about 22 words: a notice cast in a mould is all mould below that
MIN_FIGURES = 2  # see same_figures
FIGURES_SHARED = 0.5
SIGNATURE_VERSION = (f"minhash-affine32-{NUM_PERM}-{BANDS}x{ROWS}-w{WORD_SHINGLE}-h{HAN_SHINGLE}-codepoints-k32-m{MIN_SHINGLES}"
                     f"-figures{MIN_FIGURES}x{FIGURES_SHARED}-facts{BLOCK}x{SHARE_OF_FACTS}x{SHARE_OF_CHANGES}x{MAX_TOKENS}")

K = TypeVar("K", bound=Hashable)
_HAN = "\u3400-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+")
_HAN_CHAR = re.compile(rf"[{_HAN}]")
_WORD_CHAR = re.compile(r"\w")
_MASK32 = np.uint64(0xFFFFFFFF)


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """datasketch's ``affine32`` permutations (seed 1): odd multipliers and offsets drawn by NumPy's
    ``RandomState`` in datasketch's order, so that signatures are datasketch MinHashes
    (``tests/core/test_stories.py`` compares them with datasketch's own). Made here, not by
    importing datasketch: that imports SciPy (≈ 0.6 s and 55 MB in every process that signs —
    an importer, whose entity workers fork from it and count its pages, and a window)."""
    generator = np.random.RandomState(1)
    a = generator.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return np.array([a, b])


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                dtype=np.uint64)
_BASE = np.uint64(0x100000001B3)
_INVERSE = np.uint64(pow(int(_BASE), -1, 2**64))
_SHINGLES_AT_ONCE = 1 << 13


def tokens(text: str) -> list[str]:
    """The words of ``text`` lower-cased (ё read as е), each Han character a token of its own
    (what ``_token_hashes`` finds, as strings)."""
    return _TOKEN.findall(_folded(text))


def _folded(text: str) -> str:
    return text.lower().replace("ё", "е")


def _powers(base: np.uint64, count: int) -> np.ndarray:
    """``base`` to the powers 0 .. ``count`` - 1, modulo 2**64 (each block of the powers so far
    times the next power gives the next block: a few array products, not a running product)."""
    powers = np.ones(max(count, 1), dtype=np.uint64)
    done = 1
    while done < count:
        step = min(done, count - done)
        powers[done:done + step] = powers[:step] * np.uint64(pow(int(base), done, 2**64))
        done += step
    return powers


@lru_cache(maxsize=1)
def _kind_table() -> np.ndarray:
    """What each character of the Basic Multilingual Plane is to ``tokens``: 0 not in a word,
    1 in a word, 2 a Han character (a token of its own)."""
    return np.array([_kind(point) for point in range(0x10000)], dtype=np.int8)


def _kind(point: int) -> int:
    char = chr(point)
    return 2 if _HAN_CHAR.match(char) else int(_WORD_CHAR.match(char) is not None)


def _kinds(points: np.ndarray) -> np.ndarray:
    kinds = np.take(_kind_table(), points, mode="clip")
    beyond = np.flatnonzero(points > 0xFFFF)  # rare: emoji, historic scripts, rare Han
    if len(beyond):
        kinds[beyond] = [_kind(point) for point in points[beyond].tolist()]
    return kinds


def _token_hashes(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The hash of every token of every text (its ``tokens``), back to back; also how many tokens
    each text has, and how many of them are Han. The texts are hashed ``_CHARS_AT_ONCE``
    characters at a time (``_block_hashes``), a longer text in parts cut at a space or a line end,
    where no token is cut (a token's hash does not depend on where it stands)."""
    hashed: list[np.ndarray] = [np.zeros(0, dtype=np.uint64)]
    counts = np.zeros(len(texts), dtype=np.int64)
    han = np.zeros(len(texts), dtype=np.int64)
    for owners, parts in _blocks(texts):
        found, part_counts, part_han = _block_hashes(parts)
        hashed.append(found)
        np.add.at(counts, owners, part_counts)
        np.add.at(han, owners, part_han)
    return np.concatenate(hashed), counts, han


_CHARS_AT_ONCE = 1 << 20
"""Characters whose tokens are hashed in one set of array operations: they take about 40 bytes
a character (a 19 MB text hashed at once held 760 MB of arrays)."""
_TOKENS_AT_ONCE = 1 << 20
"""Tokens whose shingles are made in one set of array operations (about 8 bytes each an array)."""


def _blocks(texts: list[str]) -> Iterator[tuple[np.ndarray, list[str]]]:
    """The texts folded, in blocks of at most ``_CHARS_AT_ONCE`` characters where they can be cut
    (between words: lower-casing reads each word as in the whole text), in order, with the index
    of the text each part is of."""
    owners: list[int] = []
    parts: list[str] = []
    size = 0
    for index, text in enumerate(texts):
        for part in parts_between_words(text, _CHARS_AT_ONCE):
            if parts and size + len(part) > _CHARS_AT_ONCE:
                yield np.array(owners, dtype=np.int64), parts
                owners, parts, size = [], [], 0
            owners.append(index)
            parts.append(_folded(part))
            size += len(part)
    if parts:
        yield np.array(owners, dtype=np.int64), parts


def _block_hashes(folded: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_token_hashes`` of folded texts, found and hashed in array operations over the characters
    of all of them at once: the sum of the token's
    code points (each plus one) times ``_BASE`` to the power of the character's place in the
    token, modulo 2**64, taken as the difference of two prefix sums over the whole text
    divided by ``_BASE`` to the power of the token's start (``_BASE`` is odd, so it has an
    inverse modulo 2**64)."""
    points = np.frombuffer("\n".join(folded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    kinds = _kinds(points)
    edges = np.diff((kinds == 1).view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # runs of word characters
    han = np.flatnonzero(kinds == 2)
    if len(han):
        starts, ends = np.sort(np.concatenate((starts, han))), np.sort(np.concatenate((ends, han + 1)))
    # Characters outside tokens are never summed (no token spans them), so they need no masking.
    values = points.astype(np.uint64)
    values += np.uint64(1)
    values *= _powers(_BASE, len(values))
    sums = np.zeros(len(values) + 1, dtype=np.uint64)
    np.cumsum(values, out=sums[1:])
    hashes = (sums[ends] - sums[starts]) * _powers(_INVERSE, len(values))[starts]
    bounds = np.cumsum([0] + [len(text) + 1 for text in folded])
    counts = np.diff(np.searchsorted(starts, bounds))
    return hashes, counts, np.diff(np.searchsorted(han, bounds))


def _shingles(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 32-bit hash of every shingle of every text, in the texts' order and each text's in
    order of place; the text of each (both as 32-bit integers); and each text's shingle size. The
    tokens of all the texts are hashed and shingled together."""
    hashed, counts, han = _token_hashes(texts)
    sizes = np.where(han * 2 > counts, HAN_SHINGLE, WORD_SHINGLE).astype(np.int64)
    found: list[np.ndarray] = [np.zeros(0, dtype=np.uint32)]
    owners: list[np.ndarray] = [np.zeros(0, dtype=np.uint32)]
    starts = np.cumsum(counts) - counts
    for size in sorted(set(sizes.tolist())) if len(hashed) else []:
        docs = np.flatnonzero((sizes == size) & (counts >= size))
        if not len(docs):
            continue
        firsts = starts[docs]  # each text's shingles start at firsts .. lasts - 1 of the tokens
        lasts = firsts + counts[docs] - size + 1
        for low in range(0, len(hashed) - size + 1, _TOKENS_AT_ONCE):
            high = min(low + _TOKENS_AT_ONCE, len(hashed) - size + 1)
            among = slice(np.searchsorted(lasts, low, side="right"), np.searchsorted(firsts, high))
            begin, end = np.clip(firsts[among], low, high), np.clip(lasts[among], low, high)
            if not len(begin):
                continue
            mixed = np.zeros(high - low, dtype=np.uint64)
            for offset in range(size):
                mixed ^= hashed[low + offset:high + offset] * _MIX[offset]
                mixed = (mixed << np.uint64(7)) | (mixed >> np.uint64(57))
            lengths = end - begin
            first = np.repeat(begin - low - (np.cumsum(lengths) - lengths), lengths)
            chosen = mixed[np.arange(lengths.sum()) + first]
            found.append(((chosen >> np.uint64(32)) ^ (chosen & _MASK32)).astype(np.uint32))
            owners.append(np.repeat(docs[among].astype(np.uint32), lengths))
    found_all, owners_all = np.concatenate(found), np.concatenate(owners)
    if len(found) > 2 and np.any(owners_all[1:] < owners_all[:-1]):  # texts of more than one shingle
        # size: put them back in order
        order = np.argsort(owners_all, kind="stable")
        found_all, owners_all = found_all[order], owners_all[order]
    return found_all, owners_all, sizes


def _split(values: np.ndarray, owners: np.ndarray, n: int) -> list[np.ndarray]:
    bounds = np.searchsorted(owners, np.arange(n + 1, dtype=np.uint64))
    return [values[bounds[i]:bounds[i + 1]] for i in range(n)]


def _distinct(found: np.ndarray, owners: np.ndarray, n: int) -> list[np.ndarray]:
    """Each text's distinct shingle hashes, sorted (all the texts sorted at once)."""
    keys = owners.astype(np.uint64)
    keys <<= np.uint64(32)
    keys |= found
    keys.sort()
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))[:len(keys)]]
    return _split((keys & _MASK32).astype(np.uint32), keys >> np.uint64(32), n)


def shingle_sets(texts: list[str]) -> list[np.ndarray]:
    """For each text, the distinct 32-bit hashes of its shingles (word or Han-character
    n-grams), sorted."""
    return _distinct(*_shingles(texts)[:2], len(texts))


_FIGURE = re.compile(r"\d+(?:[-/.,:]\d+)*")  # 12, 1994, 5-1/8, 1,000, 7.5, 10:30


def same_figures(a: str, b: str) -> bool:
    """Whether two texts give the same figures, as copies of one story do: at least
    ``FIGURES_SHARED`` of the distinct numbers of the one with fewer are in the other (always
    true below ``MIN_FIGURES`` numbers). Notices cast in one mould — a company's quarterly
    dividend, a bond issue, the day's money-market operation — share most of their shingles
    and differ in their amounts and dates, which no copy changes."""
    ours, theirs = _figures(a), _figures(b)
    fewer = min(len(ours), len(theirs))
    return fewer < MIN_FIGURES or len(ours & theirs) >= FIGURES_SHARED * fewer


def _figures(text: str) -> set[str]:
    """The distinct figures of ``text`` longer than one digit (a lone 1 or 4 is in every notice)."""
    return {figure for figure in _FIGURE.findall(text) if len(figure) > 1}


def coverages(texts: list[str], pairs: list[tuple[int, int]]) -> list[float]:
    """For each pair of indexes into ``texts``: the larger of the two texts' shares of tokens
    that lie in a shingle the other text holds too. A copy with a word changed here and there
    keeps most of its tokens covered; another report of the same event in its own words keeps
    only the sentences it re-uses, however many shingles those share."""
    found, owners, sizes = _shingles(texts)
    sequences = _split(found.astype(np.uint32), owners, len(texts))
    sets = _distinct(found, owners, len(texts))

    def covered(a: int, b: int) -> float:
        if not len(sequences[a]) or not len(sets[b]):
            return 0.0
        places = np.minimum(np.searchsorted(sets[b], sequences[a]), len(sets[b]) - 1)
        hit = sets[b][places] == sequences[a]
        tokens_in = np.zeros(len(hit) + int(sizes[a]) - 1, dtype=bool)
        for offset in range(int(sizes[a])):
            tokens_in[offset:offset + len(hit)] |= hit
        return float(np.count_nonzero(tokens_in)) / len(tokens_in)

    return [max(covered(a, b), covered(b, a)) for a, b in pairs]


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of one text's shingles."""
    return shingle_sets([text])[0]


@dataclass(frozen=True)
class Signature:
    """One article's MinHash (``values``, ``NUM_PERM`` 32-bit integers) and how many
    shingles it was made of (fewer than ``MIN_SHINGLES``: too short to group)."""

    values: np.ndarray
    shingles: int

    @property
    def usable(self) -> bool:
        return self.shingles >= MIN_SHINGLES

    def to_blob(self) -> bytes:
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_blob(cls, blob: bytes, shingles: int) -> Signature:
        return cls(np.frombuffer(blob, dtype="<u4").astype(np.uint32), shingles)


def _fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer, the pre-mix datasketch's "affine32" scheme applies."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    return values ^ (values >> np.uint32(16))


def minhash_values(sets: list[np.ndarray]) -> np.ndarray:
    """The datasketch MinHash values (``affine32`` scheme, seed 1) of many shingle sets at once,
    one row per set: the same values ``MinHash.update_batch`` gives one set at a time (a test
    holds them equal), with the permutations applied to a whole batch in a few array operations
    (``_SHINGLES_AT_ONCE`` shingles of the sets side by side, so the permuted values stay in the
    processor's cache and a long text's 128 permutations of a million shingles are never held
    at once; a set cut there takes the least of its parts)."""
    a, b = (np.asarray(p, dtype=np.uint32)[:, None] for p in _permutations())
    out = np.full((len(sets), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = np.array([i for i, shingles in enumerate(sets) if len(shingles)], dtype=np.int64)
    if not len(filled):
        return out
    sizes = np.array([len(sets[i]) for i in filled], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    ends = starts + sizes
    hashes = _fmix32(np.concatenate([sets[i] for i in filled]).astype(np.uint32))
    for low in range(0, len(hashes), _SHINGLES_AT_ONCE):
        high = min(low + _SHINGLES_AT_ONCE, len(hashes))
        among = slice(np.searchsorted(ends, low, side="right"), np.searchsorted(starts, high))
        permuted = np.multiply(a, hashes[None, low:high])  # one row per permutation, the sets side by side
        permuted += b
        least = np.minimum.reduceat(permuted, np.maximum(starts[among], low) - low, axis=1).T
        rows = filled[among]
        out[rows] = np.minimum(out[rows], least)
    return out


def signatures(texts: list[str]) -> list[Signature]:
    """The MinHash signatures of ``texts`` (see the module docstring), computed as one batch."""
    sets = shingle_sets(texts)
    values = minhash_values(sets)
    return [Signature(row, len(shingles)) for row, shingles in zip(values, sets)]


def signature(text: str) -> Signature:
    """The MinHash signature of one text."""
    return signatures([text])[0]


def band_key_rows(values: np.ndarray) -> np.ndarray:
    """The ``BANDS`` LSH keys of each row of MinHash values (an n x ``NUM_PERM`` array), as int64."""
    rows = values[:, : BANDS * ROWS].astype(np.uint64).reshape(len(values), BANDS, ROWS)
    mixed = np.broadcast_to(np.arange(1, BANDS + 1, dtype=np.uint64) * _MIX[7], (len(values), BANDS)).copy()
    for column in range(ROWS):
        mixed ^= rows[:, :, column] * _MIX[column]
        mixed = (mixed << np.uint64(13)) | (mixed >> np.uint64(51))
        mixed *= _MIX[4]
    return (mixed >> np.uint64(32)).astype(np.int64)


def band_keys(sig: Signature) -> list[int]:
    """The ``BANDS`` LSH keys of a signature (none for a text too short to group)."""
    if not sig.usable:
        return []
    return band_key_rows(sig.values[None, :])[0].tolist()


def similarity(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of two articles' shingle sets (0 for a text too short)."""
    if not (a.usable and b.usable):
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def similarities(pairs: Sequence[tuple[K, K]], signed: Mapping[K, Signature]) -> np.ndarray:
    """``similarity`` of each pair of articles, all at once."""
    if not pairs:
        return np.zeros(0)
    involved = list({key for pair in pairs for key in pair})
    place = {key: n for n, key in enumerate(involved)}
    values = np.stack([signed[key].values for key in involved])
    usable = np.array([signed[key].usable for key in involved])
    left = np.array([place[a] for a, _ in pairs])
    right = np.array([place[b] for _, b in pairs])
    same = np.count_nonzero(values[left] == values[right], axis=1) / NUM_PERM
    return np.where(usable[left] & usable[right], same, 0.0)


def same_story(a: Signature, b: Signature, *, threshold: float = THRESHOLD) -> bool:
    """Whether two articles may be copies of one story by their signatures (``copies`` decides)."""
    return similarity(a, b) >= threshold


def copies(
    pairs: list[tuple[K, K]], signed: Mapping[K, Signature], texts: Callable[[set[K]], Mapping[K, str]], *,
    coverage: float = COVERAGE,
) -> list[tuple[K, K]]:
    """The pairs of articles (``same_story`` by their signatures) that are copies of one story:
    those whose texts give the same figures (``same_figures``) without contradicting each other
    (``stories_facts.contradict``) and whose signatures are ``SURE`` alike, or whose texts cover
    each other to ``coverage`` (see ``coverages``)."""
    if not pairs:
        return []
    found = texts({doc for pair in pairs for doc in pair})
    pairs = [(a, b) for a, b in pairs if same_figures(found[a], found[b]) and not contradict(found[a], found[b])]
    unsure = [pair for pair, sim in zip(pairs, similarities(pairs, signed).tolist()) if sim < SURE]
    if not unsure:
        return list(pairs)
    distinct = list(dict.fromkeys(found.values()))  # a text stored twice is shingled once
    place = {text: n for n, text in enumerate(distinct)}
    shares = coverages(distinct, [(place[found[a]], place[found[b]]) for a, b in unsure])
    apart = {pair for pair, share in zip(unsure, shares) if share < coverage}
    return [pair for pair in pairs if pair not in apart]
