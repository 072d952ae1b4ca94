"""Keyed digests of folded name words: find a letter by a sender's or the accused's name without storing it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from kiemtra.core.crypto import blind_word
from kiemtra.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def name_digests(names: Iterable[str]) -> list[str]:
    """Each distinct word of the names once, as its keyed digest."""
    return sorted({blind_word(w) for name in names for w in words(name)})


def query_digests(text: str) -> list[str]:
    return [blind_word(w) for w in dict.fromkeys(words(text))]


def rows(names: Iterable[str]) -> Any:
    """The ``NameWord`` rows of these names, to insert with their letter (``inserts.Children``)."""
    from .inserts import Children
    from .models import NameWord

    return Children(NameWord, {"digest": name_digests(names)})


def store(letter: Any, names: Iterable[str], *, fresh: bool = False) -> None:
    """Replace the letter's name-word digests (on intake, ``fresh``: none yet; and when an edit changes a name)."""
    from .models import NameWord

    if not fresh:
        NameWord.objects.filter(letter=letter).delete()
    NameWord.objects.bulk_create([NameWord(letter=letter, digest=d) for d in name_digests(names)])
