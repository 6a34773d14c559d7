"""MinHash signatures of article texts and their LSH band keys: what makes two copies of one story
look alike while two reports of the same event do not.

A text is cut into tokens (words, lower-cased, ё folded to е; each Han character is a token of
its own, since Chinese has no spaces), the tokens into overlapping shingles of
``WORD_SHINGLE`` words (``HAN_SHINGLE`` characters for a text written mostly in Han), and the
set of shingles into a 128-value MinHash (datasketch). The share of equal values of two
signatures estimates the Jaccard similarity of the two shingle sets; two articles are copies
of one story when it reaches ``THRESHOLD``.

To find the candidates without comparing every pair, a signature is cut into ``BANDS`` bands
of ``ROWS`` values (126 of the 128), each band hashed to one integer key (LSH banding): two articles sharing a
key are candidates. Keys are 48-bit so they sit in an indexed SQLite table compactly; a
collision only adds a candidate that the signature comparison then rejects.

The parameters were tuned on half of the evaluation set of ``tests/bench/bench_stories.py``
and checked on the other half; changing them changes stored signatures
(``SIGNATURE_VERSION``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 42
ROWS = 3
THRESHOLD = 0.28
WORD_SHINGLE = 3
HAN_SHINGLE = 4
MIN_SHINGLES = 8
SIGNATURE_VERSION = f"minhash-affine32-{NUM_PERM}-{BANDS}x{ROWS}-w{WORD_SHINGLE}-h{HAN_SHINGLE}-poly"

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+")
_HAN_CHAR = re.compile(rf"[{_HAN}]")
_ASCII_WORD = re.compile(r"\w+", re.ASCII)
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations
_MASK32 = np.uint64(0xFFFFFFFF)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                dtype=np.uint64)
_BASE = np.uint64(0x100000001B3)


def tokens(text: str) -> list[str]:
    """The words of ``text`` lower-cased (ё read as е), each Han character a token of its own."""
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())  # the same tokens, found faster
    return _TOKEN.findall(text.lower().replace("ё", "е"))


def _token_hashes(words: list[str]) -> np.ndarray:
    """A 64-bit polynomial hash of each token, all tokens at once: the sum of its UTF-8 bytes
    (each plus one) times ``_BASE`` to the power of the byte's place in the token, modulo 2**64.
    The tokens are joined with a space after each (no token holds one), which counts as zero."""
    data = np.frombuffer((" ".join(words) + " ").encode(), dtype=np.uint8).astype(np.uint64) + np.uint64(1)
    ends = np.flatnonzero(data == 33) + 1
    data[ends - 1] = 0
    starts = np.concatenate(([0], ends[:-1]))
    lengths = ends - starts
    places = np.arange(len(data)) - np.repeat(starts, lengths)
    powers = np.ones(int(lengths.max()), dtype=np.uint64)
    powers[1:] = np.cumprod(np.full(len(powers) - 1, _BASE, dtype=np.uint64))
    return np.add.reduceat(data * powers[places], starts)


def _shingle_size(text: str, words: list[str]) -> int:
    han = 0 if text.isascii() else len(_HAN_CHAR.findall(text))
    return HAN_SHINGLE if han * 2 > len(words) else WORD_SHINGLE


def shingle_sets(texts: list[str]) -> list[np.ndarray]:
    """For each text, the distinct 32-bit hashes of its shingles (word or Han-character
    n-grams), sorted; the tokens of all the texts are hashed and shingled together."""
    words = [tokens(text) for text in texts]
    sizes = np.array([_shingle_size(text, ws) for text, ws in zip(texts, words)], dtype=np.int64)
    counts = np.array([len(ws) for ws in words], dtype=np.int64)
    flat = [w for ws in words for w in ws]
    found: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    if flat:
        hashed = _token_hashes(flat)
        starts = np.cumsum(counts) - counts
        for size in sorted(set(sizes.tolist())):
            docs = np.flatnonzero((sizes == size) & (counts >= size))
            if not len(docs):
                continue
            count = len(hashed) - size + 1
            mixed = np.zeros(count, dtype=np.uint64)
            for offset in range(size):
                mixed ^= hashed[offset:offset + count] * _MIX[offset]
                mixed = (mixed << np.uint64(7)) | (mixed >> np.uint64(57))
            lengths = counts[docs] - size + 1
            first = np.repeat(starts[docs] - (np.cumsum(lengths) - lengths), lengths)
            positions = np.arange(lengths.sum()) + first
            chosen = mixed[positions]
            found.append((chosen >> np.uint64(32)) ^ (chosen & _MASK32))
            owners.append(np.repeat(docs.astype(np.uint64), lengths))
    if not found:
        return [np.zeros(0, dtype=np.uint32) for _ in texts]
    keys = np.sort((np.concatenate(owners) << np.uint64(32)) | np.concatenate(found))
    keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    bounds = np.searchsorted(keys >> np.uint64(32), np.arange(len(texts) + 1, dtype=np.uint64))
    values = (keys & _MASK32).astype(np.uint32)
    return [values[bounds[i]:bounds[i + 1]] for i in range(len(texts))]


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
    holds them equal), with the permutations applied to a whole batch in a few array operations."""
    a, b = (np.asarray(p, dtype=np.uint32)[:, None] for p in _PERMUTATIONS)
    out = np.full((len(sets), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    filled = [i for i, shingles in enumerate(sets) if len(shingles)]
    for start in range(0, len(filled), 64):
        chunk = filled[start:start + 64]
        hashes = _fmix32(np.concatenate([sets[i] for i in chunk]).astype(np.uint32))
        permuted = a * hashes[None, :] + b  # one row per permutation, the sets side by side
        offsets = np.cumsum([0] + [len(sets[i]) for i in chunk[:-1]])
        out[chunk] = np.minimum.reduceat(permuted, offsets, axis=1).T
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
    return (mixed >> np.uint64(16)).astype(np.int64)


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


def same_story(a: Signature, b: Signature, *, threshold: float = THRESHOLD) -> bool:
    """Whether two articles are copies of one story by their signatures."""
    return similarity(a, b) >= threshold
