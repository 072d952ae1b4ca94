"""Reading an object id from a URL parameter: digits only, and never more than a database id can be."""

from __future__ import annotations

MAX_ID_DIGITS = 18  # a 64-bit id; longer is a probe (and int() refuses 4,300 digits with a ValueError)


def object_id(text: object) -> int | None:
    """The id written in ``text``, or None if it is not one (empty, not ASCII digits, too long)."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > MAX_ID_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    return int(text)
