"""Checkpoints of the audit chain's head, kept outside the database (issue 8.5).

The hash chain proves that no row was changed or removed in the middle; it cannot prove that the
newest rows were not removed with the head row rewound to match. So the head (sequence number and
digest) is written every few minutes, and at every backup, to an append-only file beside the backups,
each line signed with the audit key. ``kiemtra audit verify`` then checks that the chain still
reaches the latest checkpoint with the same digest. A restore appends a line of its own kind: from
then on the restored chain is the reference.

One JSON object per line: ``{"kind", "seq", "digest", "at", "mac"}``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditHead

KINDS = ("scheduled", "backup", "restored")


@dataclass(frozen=True)
class Checkpoint:
    kind: str
    seq: int
    digest: str
    at: str

    def mac(self) -> str:
        message = f"kiemtra-audit-checkpoint|{self.kind}|{self.seq}|{self.digest}|{self.at}".encode()
        return hmac.new(settings.AUDIT_HMAC_KEY.encode(), message, hashlib.sha256).hexdigest()

    def line(self) -> str:
        body = {"kind": self.kind, "seq": self.seq, "digest": self.digest, "at": self.at, "mac": self.mac()}
        return json.dumps(body, sort_keys=True) + "\n"


class CheckpointError(Exception):
    """The checkpoint file itself was tampered with: a line that does not parse or does not sign."""

    def __init__(self, message: str, line_number: int) -> None:
        super().__init__(message)
        self.message = message
        self.line_number = line_number


def path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def current_head() -> Checkpoint | None:
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or not head.last_seq:
        return None
    return Checkpoint("scheduled", head.last_seq, head.last_digest, timezone.now().isoformat())


def _append(checkpoint: Checkpoint) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    # O_APPEND: each line lands at the end, whole, even when two processes write at once.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, checkpoint.line().encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def read_all(source: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint of the file, each signature checked; a bad line raises ``CheckpointError``."""
    source = source or path()
    if not source.exists():
        return []
    found: list[Checkpoint] = []
    for number, raw in enumerate(source.read_text().splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
            checkpoint = Checkpoint(str(data["kind"]), int(data["seq"]), str(data["digest"]), str(data["at"]))
            mac = str(data["mac"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CheckpointError("dòng không đọc được", number) from exc
        if checkpoint.kind not in KINDS or not hmac.compare_digest(mac, checkpoint.mac()):
            raise CheckpointError("chữ ký không hợp lệ (điểm kiểm tra giả mạo)", number)
        if found and checkpoint.seq < found[-1].seq and checkpoint.kind != "restored":
            raise CheckpointError("số thứ tự lùi lại so với điểm kiểm tra trước", number)
        # A signed line copied again later (a replay, even of a restore) is older than the line before it.
        if found and _moment(checkpoint.at) <= _moment(found[-1].at):
            raise CheckpointError("thời điểm lùi lại so với điểm kiểm tra trước (dòng chép lại)", number)
        found.append(checkpoint)
    return found


def _moment(at: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(at)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)


def latest(source: Path | None = None) -> Checkpoint | None:
    found = read_all(source)
    return found[-1] if found else None


def write(kind: str = "scheduled") -> Checkpoint | None:
    """Append the current head, unless it is the one already written last (the file grows with the log)."""
    head = current_head()
    if head is None:
        return None
    checkpoint = Checkpoint(kind, head.seq, head.digest, head.at)
    try:
        last = latest()
    except CheckpointError:
        last = None  # a tampered file is reported by verify; new checkpoints are still written
    if kind == "scheduled" and last is not None and (last.seq, last.digest) == (head.seq, head.digest):
        return last
    _append(checkpoint)
    return checkpoint


def mark_restored() -> Checkpoint | None:
    """After a restore, the restored head is the reference (the older chain is expected to be shorter)."""
    return write("restored")
