"""``kiemtra backup [--output PATH]``: one encrypted archive of the database and the stored files."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from kiemtra.backups import services
from kiemtra.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp đính kèm thành một tệp mã hóa (.kbak) kèm mã kiểm tra SHA-256. "
        "Tệp tạm (bản chưa mã hóa) nằm trong thư mục TMPDIR."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--output", type=Path, help="Tệp hoặc thư mục đích (mặc định: BACKUP_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            # Path() again: call_command(output=...) skips the parser's type conversion.
            record = services.backup(Path(options["output"]) if options["output"] else None)
        except (DomainError, OSError) as exc:
            raise CommandError(f"Sao lưu thất bại: {exc}") from exc
        self.stdout.write(f"Đã sao lưu vào {record.path} ({filesizeformat(record.size)}), SHA-256 {record.sha256}.")
