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
import zlib
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
SIGNATURE_VERSION = f"minhash-{NUM_PERM}-{BANDS}x{ROWS}-w{WORD_SHINGLE}-h{HAN_SHINGLE}"

_HAN = "\u3400-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+")
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations
_MASK32 = np.uint64(0xFFFFFFFF)
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5,
                 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
                dtype=np.uint64)


def tokens(text: str) -> list[str]:
    """The words of ``text`` lower-cased (ё read as е), each Han character a token of its own."""
    return _TOKEN.findall(text.lower().replace("ё", "е"))


def _is_han(token: str) -> bool:
    return len(token) == 1 and "\u3400" <= token <= "\ufaff"


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct 32-bit hashes of the text's shingles (word or Han-character n-grams)."""
    words = tokens(text)
    if not words:
        return np.zeros(0, dtype=np.uint64)
    han = sum(1 for w in words if _is_han(w))
    size = HAN_SHINGLE if han * 2 > len(words) else WORD_SHINGLE
    hashed = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    if len(words) < size:
        return np.zeros(0, dtype=np.uint64)
    count = len(words) - size + 1
    mixed = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        mixed ^= hashed[offset:offset + count] * _MIX[offset]
        mixed = (mixed << np.uint64(7)) | (mixed >> np.uint64(57))
    return np.unique((mixed >> np.uint64(32)) ^ (mixed & _MASK32))


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
        return cls(np.frombuffer(blob, dtype="<u4").astype(np.uint64), shingles)


def _identity(value: int) -> int:
    return value


def signature(text: str) -> Signature:
    """The MinHash signature of ``text`` (see the module docstring)."""
    hashes = shingle_hashes(text)
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=_identity, permutations=_PERMUTATIONS, scheme="affine32")
    if len(hashes):
        minhash.update_batch(hashes.tolist())
    return Signature(np.asarray(minhash.hashvalues, dtype=np.uint64) & _MASK32, int(len(hashes)))


def band_keys(sig: Signature) -> list[int]:
    """The ``BANDS`` LSH keys of a signature (none for a text too short to group)."""
    if not sig.usable:
        return []
    rows = sig.values[: BANDS * ROWS].reshape(BANDS, ROWS)
    mixed = np.arange(1, BANDS + 1, dtype=np.uint64) * _MIX[7]
    for column in range(ROWS):
        mixed ^= rows[:, column] * _MIX[column]
        mixed = (mixed << np.uint64(13)) | (mixed >> np.uint64(51))
        mixed *= _MIX[4]
    return [int(k) for k in (mixed >> np.uint64(16))]


def similarity(a: Signature, b: Signature) -> float:
    """The estimated Jaccard similarity of two articles' shingle sets (0 for a text too short)."""
    if not (a.usable and b.usable):
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / NUM_PERM


def same_story(a: Signature, b: Signature, *, threshold: float = THRESHOLD) -> bool:
    """Whether two articles are copies of one story by their signatures."""
    return similarity(a, b) >= threshold
