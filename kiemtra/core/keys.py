"""The secrets that must never sit in the database next to what they protect."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

KEY_NAMES = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "AUDIT_HMAC_KEY", "BACKUP_KEY")


def _new_key(name: str) -> str:
    if name == "SECRET_KEY":
        return secrets.token_urlsafe(50)
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def load_or_create_keys(path: Path) -> dict[str, str]:
    """Keys from ``KIEMTRA_<NAME>`` variables, else from ``path`` (created once)."""
    stored: dict[str, str] = {}
    if path.exists():
        stored = json.loads(path.read_text())
    missing = [n for n in KEY_NAMES if n not in stored and not os.environ.get(f"KIEMTRA_{n}")]
    if missing:
        stored.update({n: _new_key(n) for n in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, indent=2))
        tmp.chmod(0o600)
        tmp.replace(path)
    return {n: os.environ.get(f"KIEMTRA_{n}") or stored[n] for n in KEY_NAMES}
