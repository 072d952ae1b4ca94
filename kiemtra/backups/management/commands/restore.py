"""``kiemtra restore ARCHIVE [--yes]``: check, decrypt, then replace the database and the stored files."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kiemtra.backups import services
from kiemtra.core.errors import DomainError

YES = {"c", "co", "có", "y", "yes"}


class Command(BaseCommand):
    help = (
        "Khôi phục từ một tệp sao lưu .kbak: THAY THẾ toàn bộ cơ sở dữ liệu và các tệp đính kèm hiện có. "
        "Nên dừng dịch vụ trước khi khôi phục; bản giải mã tạm thời nằm trong thư mục TMPDIR."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="Tệp sao lưu (.kbak)")
        parser.add_argument("--yes", action="store_true", help="Không hỏi xác nhận")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with services.unpacked(options["archive"]) as source:
                # Asked only after the archive is verified: a refusal never needs a confirmation.
                created = timezone.localtime(datetime.fromisoformat(source.manifest["created_at"]))
                self.stdout.write(
                    f"Tệp sao lưu hợp lệ: tạo lúc {created:%H:%M:%S ngày %d/%m/%Y}, "
                    f"cơ sở dữ liệu {source.manifest['vendor']}, {len(source.files)} tệp đính kèm."
                )
                if not options["yes"] and not self._confirmed():
                    raise CommandError("Đã hủy; dữ liệu hiện có không thay đổi.")
                services.restore(source)
                missing = source.missing_migrations
        except (DomainError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Đã khôi phục từ {options['archive']}.")
        if missing:
            self.stdout.write(
                f"Bản sao lưu có cấu trúc dữ liệu cũ hơn phần mềm: hãy chạy `kiemtra migrate` ({len(missing)} bước)."
            )

    def _confirmed(self) -> bool:
        try:
            answer = input("Khôi phục sẽ THAY THẾ toàn bộ dữ liệu và tệp hiện có. Tiếp tục? [c/K] ")
        except EOFError:
            return False
        return answer.strip().lower() in YES
