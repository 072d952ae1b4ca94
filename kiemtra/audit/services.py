"""Writing to and checking the audit log. Every state change of every module calls ``record``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from . import chain, checkpoints
from .models import AuditEvent, AuditHead


def _unit_id_of(obj: Any) -> int | None:
    # By label, not by import: the audit record sits below orgs in the app graph.
    if obj is not None and getattr(getattr(obj, "_meta", None), "label_lower", "") == "orgs.orgunit":
        return int(obj.pk)
    unit_id = getattr(obj, "unit_id", None)
    return int(unit_id) if unit_id is not None else None


@transaction.atomic
def record(
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    *,
    unit: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    is_read: bool = False,
    **extra: Any,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction."""
    # The head row is locked for the rest of the transaction: appends are serial.
    head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
    actor_obj = actor if getattr(actor, "pk", None) else None
    fields = chain.row_fields(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor_id=actor_obj.pk if actor_obj else None,
        actor_label=str(actor_obj) if actor_obj else str(actor or "hệ thống"),
        unit_id=(unit.pk if unit is not None else _unit_id_of(obj)),
        action=action,
        is_read=is_read,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        before=chain.normalise(before),
        after=chain.normalise(after),
        extra=chain.normalise(extra) or {},
    )
    digest = chain.digest(head.last_digest or chain.GENESIS, fields)
    event = AuditEvent.objects.create(
        seq=fields["seq"],
        at=dt.datetime.fromisoformat(fields["at"]),
        actor=actor_obj,
        actor_label=fields["actor_label"],
        unit_id=fields["unit_id"],
        action=action,
        is_read=is_read,
        object_type=fields["object_type"],
        object_id=fields["object_id"],
        object_repr=fields["object_repr"],
        before=fields["before"],
        after=fields["after"],
        extra=fields["extra"],
        prev_digest=head.last_digest or chain.GENESIS,
        digest=digest,
    )
    head.last_seq = event.seq
    head.last_digest = digest
    head.save(update_fields=["last_seq", "last_digest"])
    return event


@dataclass(frozen=True)
class Entry:
    """One event for ``record_many``, described without loading its object (a label, an id, a repr)."""

    action: str
    actor_label: str
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    unit_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def lock_head() -> AuditHead:
    """The chain's head, locked to the end of the caller's transaction (appends wait for it)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:  # a plain query: batches of intake take it a few hundred times a second
        cursor.execute(f"SELECT last_seq, last_digest FROM {AuditHead._meta.db_table} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        return head
    head = AuditHead(pk=1, last_seq=row[0], last_digest=row[1])
    head._state.adding = False
    return head


def record_many(entries: list[Entry], head: AuditHead | None = None) -> int:
    """Append several events in the caller's transaction: one head lock, one INSERT, one head update.

    The same rows, digests and order as ``record`` called once per entry (``verify`` cannot tell);
    for a batch that is appended together (the VNeID intake's journal). ``head``: from
    ``lock_head`` in this transaction, when the caller took it already.
    """
    if not entries:
        return 0
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_many must run inside a transaction (it locks the chain's head)")
    head = head or lock_head()
    seq, prev = head.last_seq, head.last_digest or chain.GENESIS
    rows = []
    for entry in entries:
        seq += 1
        fields = chain.row_fields(
            seq=seq,
            at=timezone.now(),
            actor_id=None,
            actor_label=entry.actor_label,
            unit_id=entry.unit_id,
            action=entry.action,
            is_read=False,
            object_type=entry.object_type,
            object_id=entry.object_id,
            object_repr=entry.object_repr[:255],
            before=None,
            after=None,
            extra=chain.normalise(entry.extra) or {},
        )
        digest = chain.digest(prev, fields)
        rows.append(
            AuditEvent(
                seq=seq,
                at=dt.datetime.fromisoformat(fields["at"]),
                actor=None,
                actor_label=fields["actor_label"],
                unit_id=fields["unit_id"],
                action=entry.action,
                is_read=False,
                object_type=fields["object_type"],
                object_id=fields["object_id"],
                object_repr=fields["object_repr"],
                before=None,
                after=None,
                extra=fields["extra"],
                prev_digest=prev,
                digest=digest,
            )
        )
        prev = digest
    if connection.vendor == "postgresql":
        _append_pg(rows, seq, prev)
    else:
        AuditEvent.objects.bulk_create(rows)
        AuditHead.objects.filter(pk=1).update(last_seq=seq, last_digest=prev)
    return len(rows)


def _column_type(f: models.Field[Any, Any]) -> str:
    return str(f.db_type(connection)).split("(")[0]  # a foreign key answers its target's type


def _append_pg(rows: list[AuditEvent], seq: int, digest: str) -> None:
    """The events and the head's new end in one statement: a column of values per array (``unnest``), so its
    text is the same for any batch and the intake's folds, a few hundred a second, pay one round trip."""
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    arrays = ", ".join(f"%s::{_column_type(f)}[]" for f in fields)
    params: list[Any] = [[f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows] for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH appended AS (INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) "  # noqa: S608 — names from the model
            f"SELECT * FROM unnest({arrays})) "
            f"UPDATE {quote(AuditHead._meta.db_table)} SET last_seq = %s, last_digest = %s WHERE id = 1",
            [*params, seq, digest],
        )


def record_read(actor: Any, action: str, obj: models.Model, **extra: Any) -> AuditEvent:
    """Log a read of protected data (letter content, classified decisions, citizen IDs)."""
    return record(actor, action, obj, is_read=True, **extra)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""
    checkpoint_seq: int | None = None  # the latest checkpoint compared with, if any


def verify(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain, then compare its end with the latest checkpoint kept outside the database."""
    try:
        reference = checkpoints.latest()
    except checkpoints.CheckpointError as exc:
        return VerifyResult(False, 0, None, f"tệp điểm kiểm tra bị can thiệp ở dòng {exc.line_number}: {exc.message}")
    result, digest_at_reference = _walk(batch_size, reference.seq if reference else None)
    if not result.ok or reference is None:
        return result
    if result.checked < reference.seq:
        return VerifyResult(
            False,
            result.checked,
            result.checked + 1,
            f"các bản ghi cuối chuỗi đã bị xóa: điểm kiểm tra ngày {reference.at[:10]} ghi đến bản ghi số "
            f"{reference.seq}, chuỗi chỉ còn đến số {result.checked}",
            reference.seq,
        )
    if digest_at_reference != reference.digest:
        return VerifyResult(
            False,
            result.checked,
            reference.seq,
            "bản ghi tại điểm kiểm tra không khớp với mã băm đã ghi ngoài cơ sở dữ liệu",
            reference.seq,
        )
    return VerifyResult(True, result.checked, checkpoint_seq=reference.seq)


def _walk(batch_size: int, keep_seq: int | None) -> tuple[VerifyResult, str | None]:
    """Walk the chain in order; report the first row that does not link or does not hash.

    Also gives back the digest of row ``keep_seq`` (the latest checkpoint's), to compare with it.
    """
    kept: str | None = None
    expected_prev = chain.GENESIS
    expected_seq = 1
    checked = 0
    rows = AuditEvent.objects.order_by("seq").values().iterator(chunk_size=batch_size)
    for row in rows:
        if row["seq"] != expected_seq:
            return VerifyResult(
                False, checked, expected_seq, f"thiếu bản ghi số {expected_seq} (gặp số {row['seq']})"
            ), kept
        if row["prev_digest"] != expected_prev:
            return VerifyResult(False, checked, row["seq"], "liên kết với bản ghi trước bị đứt"), kept
        fields = chain.row_fields(
            seq=row["seq"],
            at=row["at"],
            actor_id=row["actor_id"],
            actor_label=row["actor_label"],
            unit_id=row["unit_id"],
            action=row["action"],
            is_read=row["is_read"],
            object_type=row["object_type"],
            object_id=row["object_id"],
            object_repr=row["object_repr"],
            before=row["before"],
            after=row["after"],
            extra=row["extra"],
        )
        if chain.digest(expected_prev, fields) != row["digest"]:
            return VerifyResult(False, checked, row["seq"], "nội dung bản ghi đã bị sửa"), kept
        if row["seq"] == keep_seq:
            kept = row["digest"]
        expected_prev = row["digest"]
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or (checked and head.last_digest != expected_prev)):
        return VerifyResult(False, checked, checked + 1, "các bản ghi cuối chuỗi đã bị xóa"), kept
    return VerifyResult(True, checked), kept
