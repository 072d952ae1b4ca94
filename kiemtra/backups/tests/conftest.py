"""Shared set-up: a temporary BACKUP_DIR and MEDIA_ROOT, a populated database, and exact snapshots."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from kiemtra.accounts.choices import Role
from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent, AuditHead
from kiemtra.conftest import Tree, give, make_person

Rows = list[tuple[Any, ...]]
Tables = dict[str, Rows]


@dataclass
class Env:
    backup_dir: Path
    media: Path


@pytest.fixture
def env(settings: Any, tmp_path: Path) -> Env:
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.MEDIA_ROOT = tmp_path / "media"
    # Beside the backups, as in production; the database is rolled back after a test, the file is not.
    settings.AUDIT_CHECKPOINT_FILE = settings.BACKUP_DIR / "audit-checkpoints.log"
    return Env(settings.BACKUP_DIR, settings.MEDIA_ROOT)


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def populate(tree: Tree, media: Path) -> None:
    """Rows in several related tables, audit events, and files including binary and Vietnamese-named ones."""
    admin = make_person("quantri", unit=tree.province)
    give(admin, tree.province, Role.ADMIN)
    clerk = make_person("thongke", unit=tree.commune)
    clerk.set_citizen_id("001099012345")
    clerk.save()
    give(clerk, tree.commune, Role.STATISTICIAN)
    give(clerk, tree.commune, Role.USER)
    audit.record(admin, "accounts.granted", tree.commune, after={"role": "statistician", "person": clerk.pk})
    audit.record(clerk, "letters.read", clerk, is_read=True)
    audit.record(None, "orgs.imported", tree.province, count=10)
    (media / "hồ sơ" / "2025").mkdir(parents=True)
    (media / "hồ sơ" / "2025" / "quyết định số 1.txt").write_text("Quyết định kỷ luật — bản chính\n")
    (media / "scan.bin").write_bytes(bytes(range(256)) * 4096 + os.urandom(1000))  # > 1 MiB: spans chunks
    (media / "empty.dat").write_bytes(b"")


def snapshot_db() -> Tables:
    """Every row of every table, by table name, in primary-key order."""
    tables: Tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        tables[model._meta.db_table] = list(model._base_manager.order_by("pk").values_list(*fields))
    return tables


def snapshot_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def wipe_database() -> None:
    """Empty every table as ``flush`` does: TRUNCATE ... CASCADE on PostgreSQL (no row triggers), DELETE on SQLite."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True):
            cursor.execute(sql)


def split_audit(
    tables: dict[str, list[tuple[Any, ...]]],
) -> tuple[dict[str, list[tuple[Any, ...]]], list[tuple[Any, ...]]]:
    """(every other table, the audit events): the restore appends its own event after restoring."""

    rest = {
        table: rows
        for table, rows in tables.items()
        if table not in {AuditHead._meta.db_table, AuditEvent._meta.db_table}
    }
    return rest, tables[AuditEvent._meta.db_table]
