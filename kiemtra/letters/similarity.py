"""Related letters without opening them: keyed MinHash signatures of folded word shingles, banded for LSH.

At intake the letter's text is folded (no diacritics, lower case: "đất đai" and
"dat dai" are the same words), cut into word shingles (single words and pairs,
so a paraphrase that keeps most words still overlaps), and each shingle is
hashed with a key kept outside the database. The signature holds the minimum
of ``NUM_PERM`` hash permutations; equal positions estimate the Jaccard
similarity of the shingle sets. The signature is cut into ``BANDS`` bands of
``ROWS`` values, each band one bucket key in an indexed table: a letter's
candidates are the letters sharing a bucket (an index lookup however large the
register), ranked by estimated similarity and kept above ``THRESHOLD``. No
other letter is ever decrypted to suggest it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import random
import re
import struct
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from django.conf import settings

from kiemtra.core.text import fold

NUM_PERM = 63
BANDS = 21
ROWS = 3
THRESHOLD = 0.3  # estimated Jaccard of the shingle sets at which a handler is shown the letter
MAX_SUGGESTIONS = 5
# Only the letters sharing the most bands have their signatures compared.
CANDIDATE_LIMIT = 200
# A bucket holding more letters than this is crowded (a boilerplate shingle set, a campaign): only its
# newest ``BUCKET_FANOUT`` + 1 letters are read, and between letters sharing as many bands the one whose
# rarest shared bucket is smaller ranks first. This bounds the work of one suggestion however large the register.
BUCKET_FANOUT = 500
_PRIME = 4_294_967_311  # the first prime above 2**32
_MASK = 0xFFFFFFFF
_WORD = re.compile(r"[a-z0-9]+")
# Words every letter has: they say nothing about the matter.
STOP_WORDS = frozenset(
    {
        "va",
        "la",
        "cua",
        "co",
        "cac",
        "nhung",
        "mot",
        "toi",
        "chung",
        "duoc",
        "cho",
        "trong",
        "voi",
        "khong",
        "da",
        "se",
        "ve",
        "theo",
        "tai",
        "nay",
        "do",
        "thi",
        "de",
        "ong",
        "ba",
        "anh",
        "chi",
        "em",
        "kinh",
        "gui",
        "don",
        "thu",
        "xin",
        "nghi",
        "to",
        "cao",
        "khieu",
        "nai",
        "phan",
        "kien",
    }
)


@lru_cache(maxsize=1)
def _key() -> bytes:
    return hmac.new(settings.FIELD_ENCRYPTION_KEY.encode(), b"letters.minhash", hashlib.sha256).digest()


@lru_cache(maxsize=1)
def _permutations() -> tuple[tuple[int, int], ...]:
    # Fixed by the key: every process and the benchmark draw the same permutations.
    r = random.Random(_key())  # noqa: S311 — permutation coefficients, not secrets
    return tuple((r.randrange(1, _PRIME), r.randrange(0, _PRIME)) for _ in range(NUM_PERM))


def shingles(text: str) -> set[str]:
    words = [w for w in _WORD.findall(fold(text or "")) if w not in STOP_WORDS]
    return set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}


@lru_cache(maxsize=1)
def _keyed() -> hashlib.blake2b:
    return hashlib.blake2b(key=_key()[:32], digest_size=4)


def _hash(shingle: str) -> int:
    keyed = _keyed().copy()  # the key block hashed once, not once per shingle
    keyed.update(shingle.encode())
    return int.from_bytes(keyed.digest(), "big")


@lru_cache(maxsize=1)
def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    a, b = zip(*_permutations(), strict=True)
    return np.array(a, dtype=np.uint64)[:, None], np.array(b, dtype=np.uint64)[:, None]


def signature(text: str) -> tuple[int, ...]:
    """``min over shingles of ((a·h + b) mod p) & 0xFFFFFFFF`` for each permutation, exactly, vectorised.

    a·h can reach 2**65, past 64 bits, so h is split in 16-bit halves: every product stays below 2**50.
    """
    hashes = np.fromiter((_hash(s) for s in shingles(text)), dtype=np.uint64)
    if not hashes.size:
        return tuple([_MASK] * NUM_PERM)
    a, b = _coefficients()
    p = np.uint64(_PRIME)
    high = (a * (hashes >> np.uint64(16))) % p * np.uint64(1 << 16) % p
    low = a * (hashes & np.uint64(0xFFFF)) % p
    values = (high + low + b) % p & np.uint64(_MASK)
    return tuple(int(v) for v in values.min(axis=1))


def signature_reference(text: str) -> tuple[int, ...]:
    """The same signature in plain Python integers (what ``signature`` must equal; tests compare them)."""
    hashes = [_hash(s) for s in shingles(text)]
    if not hashes:
        return tuple([_MASK] * NUM_PERM)
    return tuple(min(((a * h + b) % _PRIME) & _MASK for h in hashes) for a, b in _permutations())


def pack(sig: Sequence[int]) -> bytes:
    return struct.pack(f">{NUM_PERM}I", *sig)


def unpack(data: bytes) -> tuple[int, ...]:
    return struct.unpack(f">{NUM_PERM}I", bytes(data))


def buckets(sig: Sequence[int]) -> list[int]:
    """One signed 63-bit key per band (fits a PostgreSQL bigint), the band's number mixed in."""
    if all(v == _MASK for v in sig):
        return []  # no words: no bucket, so empty letters are not all "related"
    keys = []
    for band in range(BANDS):
        values = sig[band * ROWS : (band + 1) * ROWS]
        raw = hashlib.blake2b(struct.pack(f">B{ROWS}I", band, *values), digest_size=8).digest()
        keys.append(int.from_bytes(raw, "big", signed=True) >> 1)
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_PERM


def preselect(keys: Sequence[int], table: dict[int, list[int]], exclude: int | None = None) -> list[int]:
    """The candidates the product's query keeps (``related._candidates_sql``), for letters held in memory.

    ``table`` maps a bucket key to its letters in the order they arrived.
    """
    seen: dict[int, list[int]] = defaultdict(list)  # letter -> sizes of the buckets it shares
    for key in keys:
        held = table.get(key, [])[::-1][: BUCKET_FANOUT + 1]  # newest first, cut like the index scan
        for letter in held:
            seen[letter].append(len(held))
    ranked = sorted((-len(sizes), min(sizes), -letter, letter) for letter, sizes in seen.items() if letter != exclude)
    return [letter for *_order, letter in ranked[:CANDIDATE_LIMIT]]


def related_among(texts: Iterable[str]) -> list[list[int]]:
    """For each text, the indexes of the others the engine suggests (same buckets, same threshold), best first."""
    sigs = [signature(t) for t in texts]
    table: dict[int, list[int]] = defaultdict(list)
    for i, sig in enumerate(sigs):
        for key in buckets(sig):
            table[key].append(i)
    out = []
    for i, sig in enumerate(sigs):
        scored = [(similarity(sig, sigs[j]), j) for j in preselect(buckets(sig), table, exclude=i)]
        ranked = sorted(((-s, j) for s, j in scored if s >= THRESHOLD))
        out.append([j for _s, j in ranked[:MAX_SUGGESTIONS]])
    return out
