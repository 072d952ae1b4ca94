"""Encryption at rest for protected fields, with the key kept outside the database."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


def encrypt_text(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_text(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def lookup_digest(value: str) -> str:
    """A keyed digest to find a record by a secret value without storing the value."""
    key = settings.FIELD_ENCRYPTION_KEY.encode()
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


def encrypt_bytes(data: bytes) -> bytes:
    """Files at rest (original scans and PDFs): the same key as the fields."""
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def blind_word(word: str) -> str:
    """A keyed digest of one folded word: finds a sealed record by an exact word of a name, never storing the word.

    Shared by classified discipline decisions and letters; ``~`` marks it so it never collides with a real word.
    """
    key = settings.FIELD_ENCRYPTION_KEY.encode()
    return "~" + hmac.new(key, word.encode(), hashlib.sha256).hexdigest()[:16]
