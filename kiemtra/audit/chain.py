"""Canonical form and digest of an audit row — one definition for writing and verifying."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings

GENESIS = "0" * 64


def normalise(value: Any) -> Any:
    """What the JSON column will give back, so the stored row hashes the same."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False)) if value is not None else None


def canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def row_fields(
    *,
    seq: int,
    at: dt.datetime,
    actor_id: int | None,
    actor_label: str,
    unit_id: int | None,
    action: str,
    is_read: bool,
    object_type: str,
    object_id: str,
    object_repr: str,
    before: Any,
    after: Any,
    extra: Any,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "unit_id": unit_id,
        "action": action,
        "is_read": is_read,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "before": before,
        "after": after,
        "extra": extra,
    }


def digest(prev_digest: str, fields: dict[str, Any]) -> str:
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, prev_digest.encode() + canonical(fields), hashlib.sha256).hexdigest()
