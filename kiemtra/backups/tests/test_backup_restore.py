"""Back up, wipe, restore, and find every row and every byte again; refuse what is not our intact archive.

``transaction=True``: pg_dump and pg_restore are other processes and only see committed data.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection

from kiemtra.audit import services as audit
from kiemtra.audit.models import AuditEvent, AuditHead
from kiemtra.backups import archive, services
from kiemtra.backups.archive import ArchiveError
from kiemtra.backups.models import BackupRecord
from kiemtra.conftest import Tree, make_unit
from kiemtra.orgs.choices import UnitKind

from .conftest import Env, new_key, populate, snapshot_db, snapshot_files, split_audit, wipe_database

pytestmark = pytest.mark.django_db(transaction=True)


def restore(path: Path) -> None:
    with services.unpacked(path) as source:
        services.restore(source)


def test_round_trip_restores_every_table_and_every_file(org_tree: Tree, env: Env) -> None:
    populate(org_tree, env.media)
    before_db, before_files = snapshot_db(), snapshot_files(env.media)
    assert all(before_db[t] for t in ("orgs_orgunit", "accounts_user", "accounts_rolegrant", "audit_auditevent"))

    started = time.monotonic()
    record = services.backup()
    print(f"backup of the test database: {time.monotonic() - started:.3f}s, {record.size} bytes")

    wipe_database()
    for path in env.media.rglob("*"):
        if path.is_file():
            path.unlink()
    (env.media / "added-after-backup.txt").write_text("không có trong bản sao lưu")
    assert all(not rows for rows in snapshot_db().values())

    restore(Path(record.path))

    tables, events = split_audit(snapshot_db())
    tables_before, events_before = split_audit(before_db)
    assert tables == tables_before
    assert events[:-1] == events_before
    restored = AuditEvent.objects.order_by("seq").last()
    assert restored is not None and restored.action == "backups.restored" and restored.extra["sha256"] == record.sha256
    assert AuditHead.objects.get().last_seq == len(events_before) + 1
    assert snapshot_files(env.media) == before_files
    assert audit.verify().ok
    with pytest.raises(DatabaseError, match="append-only"):  # the restored table still guards itself
        AuditEvent.objects.filter(pk=restored.pk).update(action="sửa")


def test_archive_layout_and_checksum_file(org_tree: Tree, env: Env) -> None:
    populate(org_tree, env.media)
    record = services.backup()
    path = Path(record.path)

    assert path.parent == env.backup_dir.resolve() and path.name.startswith("kiemtra-") and path.suffix == ".kbak"
    assert archive.sidecar(path).read_text() == f"{record.sha256}  {path.name}\n"
    assert archive.file_sha256(path) == record.sha256 and record.size == path.stat().st_size
    assert path.stat().st_mode & 0o077 == 0
    assert b"quyet" not in path.read_bytes() and "Quyết định".encode() not in path.read_bytes()
    with services.unpacked(path) as source:
        manifest = json.loads((source.root / "manifest.json").read_text())
    assert manifest["vendor"] == connection.vendor
    assert "audit.0002_append_only" in manifest["migrations"]
    assert set(manifest["members"]) == {
        services.DUMP_NAMES[connection.vendor],
        services.CHECKPOINTS,  # the audit checkpoints travel with the backup (issue 8.5)
        "files/empty.dat",
        "files/scan.bin",
        "files/hồ sơ/2025/quyết định số 1.txt",
    }
    event = AuditEvent.objects.get(action="backups.created")
    assert event.object_id == str(record.pk) and event.extra["sha256"] == record.sha256


@pytest.fixture
def archive_then_change(org_tree: Tree, env: Env) -> tuple[Path, dict[str, Any], dict[str, bytes]]:
    """An archive, then a database and files that differ from it: a wrongly accepted restore would show."""
    populate(org_tree, env.media)
    path = Path(services.backup().path)
    make_unit(UnitKind.COMMUNE, org_tree.province, code="X99999")
    (env.media / "scan.bin").write_bytes(b"newer")
    return path, snapshot_db(), snapshot_files(env.media)


def flip_byte(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (lambda p: flip_byte(p, p.stat().st_size // 2), "checksum"),
        (lambda p: flip_byte(p, archive.HEADER_SIZE + 3), "checksum"),
        (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size - 100]), "checksum"),
        (lambda p: p.write_bytes(p.read_bytes()[: archive.HEADER_SIZE]), "checksum"),
    ],
    ids=["flipped-middle", "flipped-first-chunk", "truncated", "header-only"],
)
def test_damaged_archive_is_refused_and_nothing_changes(
    archive_then_change: tuple[Path, dict[str, Any], dict[str, bytes]], env: Env, damage: Any, code: str
) -> None:
    path, db_before, files_before = archive_then_change
    damage(path)
    with pytest.raises(ArchiveError) as refused:
        restore(path)
    assert refused.value.code == code
    assert "không khôi phục" in refused.value.message
    assert snapshot_db() == db_before and snapshot_files(env.media) == files_before


def test_tampered_archive_with_forged_checksums_is_refused(
    archive_then_change: tuple[Path, dict[str, Any], dict[str, bytes]], env: Env
) -> None:
    path, db_before, files_before = archive_then_change
    data = bytearray(path.read_bytes())
    data[-40] ^= 0x01  # inside the last chunk: decryption gets that far before refusing
    data[archive.HEADER_SIZE - 32 : archive.HEADER_SIZE] = archive.hashlib.sha256(data[archive.HEADER_SIZE :]).digest()
    path.write_bytes(bytes(data))
    archive.sidecar(path).write_text(f"{archive.file_sha256(path)}  {path.name}\n")
    with pytest.raises(ArchiveError) as refused:
        restore(path)
    assert refused.value.code == "tampered"
    assert snapshot_db() == db_before and snapshot_files(env.media) == files_before


def test_wrong_key_is_refused_and_nothing_changes(
    archive_then_change: tuple[Path, dict[str, Any], dict[str, bytes]], env: Env, settings: Any
) -> None:
    path, db_before, files_before = archive_then_change
    settings.BACKUP_KEY = new_key()
    with pytest.raises(ArchiveError) as refused:
        restore(path)
    assert refused.value.code == "wrong_key"
    assert snapshot_db() == db_before and snapshot_files(env.media) == files_before


def test_failed_backup_is_recorded_and_leaves_no_partial_file(org_tree: Tree, env: Env, settings: Any) -> None:
    settings.BACKUP_KEY = "ngắn"
    with pytest.raises(ArchiveError):
        services.backup()
    failed = BackupRecord.objects.get()
    assert failed.status == BackupRecord.Status.FAILED and "BACKUP_KEY" in failed.error
    assert AuditEvent.objects.filter(action="backups.failed", object_id=str(failed.pk)).exists()
    assert not any(env.backup_dir.iterdir())


def reseal(path: Path, edit: Callable[[dict[str, bytes], dict[str, Any]], None]) -> None:
    """Decrypt, let ``edit`` change members and manifest, encrypt again with the right key.

    Only the key holder can do this, so it stands for a faulty backup rather than an attack.
    """
    key = archive.decode_key(settings.BACKUP_KEY)
    plain = io.BytesIO()
    archive.decrypt(path, plain, key)
    plain.seek(0)
    with tarfile.open(fileobj=plain) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
    manifest = json.loads(members.pop("manifest.json"))
    edit(members, manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    rebuilt = io.BytesIO()
    with tarfile.open(fileobj=rebuilt, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    rebuilt.seek(0)
    with path.open("wb") as dst:
        archive.encrypt(rebuilt, dst, key)
    archive.sidecar(path).unlink()


def change_a_file(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    members["files/scan.bin"] = b"khac"


def add_an_unlisted_file(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    members["files/la.txt"] = b"khong co trong bang ke"


def from_a_newer_version(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    manifest["migrations"].append("audit.9999_future")


def from_another_database(members: dict[str, bytes], manifest: dict[str, Any]) -> None:
    manifest["vendor"] = "oracle"


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (change_a_file, "manifest"),
        (add_an_unlisted_file, "manifest"),
        (from_a_newer_version, "newer_schema"),
        (from_another_database, "vendor"),
    ],
)
def test_inconsistent_archive_is_refused_and_nothing_changes(
    archive_then_change: tuple[Path, dict[str, Any], dict[str, bytes]], env: Env, edit: Any, code: str
) -> None:
    path, db_before, files_before = archive_then_change
    reseal(path, edit)
    with pytest.raises(ArchiveError) as refused:
        restore(path)
    assert refused.value.code == code
    assert snapshot_db() == db_before and snapshot_files(env.media) == files_before
