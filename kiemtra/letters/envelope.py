"""Sealing a letter's fields with its own data key (Fernet: AES-128-CBC + HMAC-SHA256)."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet


def seal(key: bytes, value: Any) -> str:
    """JSON of ``value`` encrypted with ``key``; what the database holds."""
    return Fernet(key).encrypt(json.dumps(value, ensure_ascii=False).encode()).decode()


def open_sealed(key: bytes, token: str) -> Any:
    if not token:
        return None
    return json.loads(Fernet(key).decrypt(token.encode()))


def seal_bytes(key: bytes, data: bytes) -> bytes:
    return Fernet(key).encrypt(data)


def open_bytes(key: bytes, token: bytes) -> bytes:
    return Fernet(key).decrypt(token)
