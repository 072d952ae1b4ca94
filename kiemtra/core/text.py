"""Vietnamese text helpers: NFC on input, diacritics folded for search."""

from __future__ import annotations

import re
import unicodedata


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


# Anything but ASCII and the combining marks U+0300–U+036F (all that Vietnamese has, decomposed).
_NOT_LATIN_WITH_MARKS = re.compile("[^\x00-\x7f\u0300-\u036f]")


def fold(text: str) -> str:
    """'Phường Ba Đình' → 'phuong ba dinh': what users type without diacritics."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    if _NOT_LATIN_WITH_MARKS.search(decomposed) is None:
        # Vietnamese: the only non-ASCII characters are marks, dropped in C (a letter's 20,000
        # characters in a fraction of a millisecond instead of several).
        stripped = decomposed.encode("ascii", "ignore").decode("ascii")
    else:
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())
