"""Backing up and restoring the database and the stored files (Quy định 06 Art. 9.3; Quy định 11 Art. 13).

A backup is one ``.kbak`` file (see ``archive.py``) around a tar of:
``database.sqlite3`` or ``database.pgdump``, ``files/...`` (MEDIA_ROOT) and
``manifest.json``. The manifest is the last member so that each digest in it
is taken from the bytes actually written, in one pass.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from kiemtra.audit import checkpoints
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from . import archive
from .archive import ArchiveError
from .models import BackupRecord

FORMAT_VERSION = 1
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MANIFEST = "manifest.json"
CHECKPOINTS = "audit-checkpoints.log"


class _HashingReader:
    def __init__(self, src: BinaryIO) -> None:
        self.src = src
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.src.read(size)
        self.digest.update(data)
        return data


def _key() -> bytes:
    return archive.decode_key(settings.BACKUP_KEY)


def _backup_dir() -> Path:
    return Path(settings.BACKUP_DIR).resolve()


def _media_files() -> Iterator[tuple[str, Path]]:
    """(name relative to MEDIA_ROOT, path) of every regular file, in a stable order."""
    media = Path(settings.MEDIA_ROOT)
    for folder, dirs, names in os.walk(media):
        # A BACKUP_DIR placed inside MEDIA_ROOT must not end up inside its own backups.
        dirs[:] = sorted(d for d in dirs if (Path(folder) / d).resolve() != _backup_dir())
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(media).as_posix(), path


def _pg_env() -> dict[str, str]:
    # Environment rather than arguments: the password never shows in the process list,
    # and empty settings fall back to libpq's defaults exactly as Django's own connection does.
    conf = connection.settings_dict
    env = dict(os.environ)
    for var, value in (
        ("PGHOST", conf.get("HOST")),
        ("PGPORT", conf.get("PORT")),
        ("PGUSER", conf.get("USER")),
        ("PGPASSWORD", conf.get("PASSWORD")),
        ("PGDATABASE", conf.get("NAME")),
        ("PGSSLMODE", conf.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            env[var] = str(value)
    return env


def _run(command: list[str]) -> None:
    done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DomainError(f"{command[0]} thất bại: {done.stderr.strip()}", code="pg_tool_failed")


def _dump_database(dest: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(dest)
        try:
            connection.connection.backup(target)  # a consistent copy, page by page, while others keep working
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={dest}"])
    else:
        raise DomainError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.", code="vendor")


def _add(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    stat = path.stat()
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), stat.st_mode & 0o777
    with path.open("rb") as src:
        reader = _HashingReader(src)
        tar.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


def _write_tar(tar_path: Path, dump: Path) -> None:
    members: dict[str, dict[str, Any]] = {}
    with tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as tar:
        members[dump.name] = _add(tar, dump.name, dump)
        # The audit checkpoints travel inside each backup too (issue 8.5).
        if checkpoints.path().is_file():
            members[CHECKPOINTS] = _add(tar, CHECKPOINTS, checkpoints.path())
        for name, path in _media_files():
            members[f"files/{name}"] = _add(tar, f"files/{name}", path)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()),
            "database": dump.name,
            "members": members,
        }
        encoded = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime, info.mode = len(encoded), int(timezone.now().timestamp()), 0o600
        tar.addfile(info, io.BytesIO(encoded))


def _default_path(folder: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = folder / f"kiemtra-{stamp}.kbak"
    n = 1
    while path.exists():  # two backups in one second (manual + scheduled) must not overwrite each other
        n += 1
        path = folder / f"kiemtra-{stamp}-{n}.kbak"
    return path


def _write_archive(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under another name and renamed at the end: a half-written archive never looks like a backup.
    partial = path.with_name(path.name + ".part")
    try:
        with tempfile.TemporaryDirectory(prefix="kiemtra-backup-") as tmp:
            dump = Path(tmp) / DUMP_NAMES.get(connection.vendor, "database")
            # The head as it is now, outside the database: the dump cannot end before it.
            checkpoints.write("backup")
            _dump_database(dump)
            plain = Path(tmp) / "backup.tar"
            _write_tar(plain, dump)
            # Owner-only although encrypted: size and timing of backups are nobody else's business either.
            partial.unlink(missing_ok=True)
            partial.touch(mode=0o600)
            with plain.open("rb") as src, partial.open("wb") as dst:
                archive.encrypt(src, dst, _key())
                dst.flush()
                os.fsync(dst.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    # Read back from disk rather than computed on the way out: it also proves the file is readable.
    sha256 = archive.file_sha256(path)
    archive.sidecar(path).write_text(f"{sha256}  {path.name}\n")
    return sha256


def backup(output: Path | None = None) -> BackupRecord:
    """Write one archive (to ``output``, into it if a directory, else into BACKUP_DIR) and record it.

    A failure is recorded too, then raised again.
    """
    if output is None or output.is_dir():
        output = _default_path(output or _backup_dir())
    path = output.resolve()
    try:
        sha256 = _write_archive(path)
    except Exception as exc:
        failed = BackupRecord.objects.create(status=BackupRecord.Status.FAILED, path=str(path), error=str(exc))
        audit.record(None, "backups.failed", failed, path=str(path), error=str(exc))
        raise
    record = BackupRecord.objects.create(
        status=BackupRecord.Status.SUCCEEDED, path=str(path), size=path.stat().st_size, sha256=sha256
    )
    audit.record(None, "backups.created", record, path=str(path), size=record.size, sha256=sha256)
    return record


def prune(keep: int) -> list[BackupRecord]:
    """Delete the archives in BACKUP_DIR beyond the newest ``keep``; the records stay, marked pruned."""
    in_backup_dir = [
        record
        for record in BackupRecord.objects.filter(status=BackupRecord.Status.SUCCEEDED).order_by("-created_at", "-pk")
        if Path(record.path).parent == _backup_dir()
    ]
    pruned = in_backup_dir[max(keep, 1) :]
    for record in pruned:
        Path(record.path).unlink(missing_ok=True)
        archive.sidecar(Path(record.path)).unlink(missing_ok=True)
        record.status = BackupRecord.Status.PRUNED
        record.save(update_fields=["status"])
        audit.record(None, "backups.pruned", record, path=record.path, sha256=record.sha256)
    return pruned


@dataclass(frozen=True)
class Unpacked:
    """A verified, decrypted archive waiting in a temporary directory."""

    archive: Path
    sha256: str
    root: Path
    manifest: dict[str, Any]

    @property
    def files(self) -> list[str]:
        return [name for name in self.manifest["members"] if name.startswith("files/")]

    @property
    def unknown_migrations(self) -> list[str]:
        return sorted(set(self.manifest["migrations"]) - _known_migrations())

    @property
    def missing_migrations(self) -> list[str]:
        """Migrations of this code that the archived database lacks: ``kiemtra migrate`` after restoring."""
        return sorted(_known_migrations() - set(self.manifest["migrations"]))


def _known_migrations() -> set[str]:
    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def _verify_members(root: Path, manifest: dict[str, Any]) -> None:
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {MANIFEST}
    listed = set(manifest["members"])
    mismatched = [
        name
        for name in sorted(listed & present)
        if archive.file_sha256(root / name) != manifest["members"][name]["sha256"]
    ]
    if present != listed or mismatched:
        raise ArchiveError("Nội dung tệp sao lưu không khớp với bảng kê (manifest); không khôi phục.", code="manifest")


@contextmanager
def unpacked(path: Path) -> Iterator[Unpacked]:
    """Check and decrypt ``path`` into a temporary directory; nothing outside it is touched."""
    if not path.is_file():
        raise ArchiveError(f"Không tìm thấy tệp sao lưu {path}.", code="missing")
    sha256 = archive.check(path)
    with tempfile.TemporaryDirectory(prefix="kiemtra-restore-") as tmp:
        plain = Path(tmp) / "backup.tar"
        with plain.open("wb") as dst:
            archive.decrypt(path, dst, _key())
        root = Path(tmp) / "content"
        with tarfile.open(plain) as tar:
            tar.extractall(root, filter="data")
        plain.unlink()
        manifest = json.loads((root / MANIFEST).read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise ArchiveError("Bảng kê của tệp sao lưu có định dạng chưa được hỗ trợ.", code="unsupported")
        _verify_members(root, manifest)
        if manifest["vendor"] != connection.vendor or DUMP_NAMES[connection.vendor] not in manifest["members"]:
            raise ArchiveError(
                f"Tệp sao lưu từ cơ sở dữ liệu {manifest['vendor']}, không khôi phục được vào {connection.vendor}.",
                code="vendor",
            )
        result = Unpacked(path, sha256, root, manifest)
        if result.unknown_migrations:
            raise ArchiveError(
                "Tệp sao lưu được tạo bởi phiên bản phần mềm mới hơn (có cấu trúc dữ liệu chưa biết: "
                f"{', '.join(result.unknown_migrations[:5])}); hãy nâng cấp phần mềm trước khi khôi phục.",
                code="newer_schema",
            )
        yield result


def _restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        name = connection.settings_dict["NAME"]
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={name}",
                str(dump),
            ]
        )


def _replace_media(staged: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    # The contents are replaced, not the directory: MEDIA_ROOT may be a mount point.
    for child in media.iterdir():
        if child.resolve() == _backup_dir():
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if staged.is_dir():
        for child in staged.iterdir():
            shutil.move(child, media / child.name)


def restore(source: Unpacked) -> None:
    """Replace the database and MEDIA_ROOT with the unpacked archive, then log it."""
    if connection.in_atomic_block:
        # SQLite cannot copy into a connection with an open transaction; PostgreSQL would wait on our own locks.
        raise DomainError("Không thể khôi phục bên trong một giao dịch đang mở.", code="in_transaction")
    _restore_database(source.root / DUMP_NAMES[connection.vendor])
    _replace_media(source.root / "files")
    # Content type ids are cached per process and may differ in the restored database.
    ContentType.objects.clear_cache()
    # The restored chain is older than the latest checkpoint: from now on it is the reference.
    checkpoints.mark_restored()
    # Logged only now: the restore has just replaced the audit table with the archived one.
    audit.record(
        None,
        "backups.restored",
        None,
        archive=str(source.archive),
        sha256=source.sha256,
        archive_created_at=source.manifest["created_at"],
        files=len(source.files),
    )
