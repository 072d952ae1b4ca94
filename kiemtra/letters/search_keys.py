"""Keyed digests of folded name words: find a letter by a sender's or the accused's name without storing it."""

from __future__ import annotations

import re
from collections.abc import Iterable

from kiemtra.core.crypto import blind_word
from kiemtra.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def name_digests(names: Iterable[str]) -> str:
    """' ~d1 ~d2 … ': each distinct word once, spaces around so a whole digest matches."""
    digests = sorted({blind_word(w) for name in names for w in words(name)})
    return f" {' '.join(digests)} " if digests else ""


def query_digests(text: str) -> list[str]:
    return [f" {blind_word(w)} " for w in dict.fromkeys(words(text))]
