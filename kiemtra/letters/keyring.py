"""The master keys that wrap each letter's data keys, kept outside the database.

Envelope encryption: every letter has data keys of its own (``envelope``); only
their wrapped form is stored, next to the id of the master key that wrapped
them. The master keys live in a key file (``LETTERS_KEYRING_PATH``, default
``<var>/letters-master-keys.json``, mode 0600) or, for deployments that keep
secrets in the environment, in ``KIEMTRA_LETTERS_KEYRING`` (the same JSON).
Rotation adds a key and makes it active; older keys stay until no letter uses
them, so a rotation can stop and resume at any point.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

ENV_NAME = "KIEMTRA_LETTERS_KEYRING"


class KeyringError(RuntimeError):
    """A master key is missing: the letters it wrapped cannot be opened (an operator's problem, not a user's)."""


@dataclass(frozen=True)
class Keyring:
    active: str
    keys: dict[str, str]

    def fernet(self, key_id: str) -> Fernet:
        try:
            return Fernet(self.keys[key_id].encode())
        except KeyError:
            raise KeyringError(f"master key {key_id!r} is not in the keyring") from None


_lock = threading.Lock()
_cached: tuple[object, Keyring] | None = None


def path() -> Path:
    configured = getattr(settings, "LETTERS_KEYRING_PATH", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "letters-master-keys.json"


def _new_key_id() -> str:
    return "mk-" + secrets.token_hex(4)


def _write(ring: Keyring) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"active": ring.active, "keys": ring.keys}, indent=2))
    tmp.chmod(0o600)
    tmp.replace(target)


def load() -> Keyring:
    """The keyring, re-read whenever the file changed (another process may have rotated)."""
    global _cached
    from_env = os.environ.get(ENV_NAME)
    if from_env:
        data = json.loads(from_env)
        return Keyring(active=data["active"], keys=dict(data["keys"]))
    target = path()
    with _lock:
        try:
            stat = target.stat()
            stamp: object = (str(target), stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            key_id = _new_key_id()
            _write(Keyring(active=key_id, keys={key_id: Fernet.generate_key().decode()}))
            stat = target.stat()
            stamp = (str(target), stat.st_mtime_ns, stat.st_size)
        if _cached is not None and _cached[0] == stamp:
            return _cached[1]
        data = json.loads(target.read_text())
        ring = Keyring(active=data["active"], keys=dict(data["keys"]))
        _cached = (stamp, ring)
        return ring


def add_active_key() -> str:
    """A new master key becomes the active one; the old ones stay to unwrap what they wrapped."""
    if os.environ.get(ENV_NAME):
        raise KeyringError(f"the keyring comes from {ENV_NAME}; rotate it there")
    ring = load()
    key_id = _new_key_id()
    _write(Keyring(active=key_id, keys={**ring.keys, key_id: Fernet.generate_key().decode()}))
    return key_id


def retire(key_ids: set[str]) -> None:
    """Drop master keys no letter uses any more (after a finished rotation)."""
    ring = load()
    keep = {k: v for k, v in ring.keys.items() if k not in key_ids or k == ring.active}
    _write(Keyring(active=ring.active, keys=keep))


def new_data_key() -> bytes:
    return base64.urlsafe_b64encode(secrets.token_bytes(32))


def wrap(data_key: bytes, key_id: str | None = None) -> tuple[str, str]:
    """(master key id, wrapped data key)."""
    ring = load()
    key_id = key_id or ring.active
    return key_id, ring.fernet(key_id).encrypt(data_key).decode()


def unwrap(key_id: str, wrapped: str) -> bytes:
    ring = load()
    if key_id not in ring.keys:
        ring = _reload()
    try:
        return ring.fernet(key_id).decrypt(wrapped.encode())
    except InvalidToken:
        raise KeyringError(f"master key {key_id!r} does not open this data key") from None


def _reload() -> Keyring:
    global _cached
    with _lock:
        _cached = None
    return load()
