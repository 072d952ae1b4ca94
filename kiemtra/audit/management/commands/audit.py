"""``kiemtra audit verify``: walk the hash chain, exit non-zero at the first broken link."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kiemtra.audit.services import verify


class Command(BaseCommand):
    help = "Nhật ký truy vết: kiểm tra tính toàn vẹn của chuỗi (verify)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="Kiểm tra chuỗi băm của nhật ký")

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify()
        if not result.ok:
            raise CommandError(
                f"Nhật ký bị can thiệp: bản ghi số {result.broken_seq} — {result.problem} "
                f"({result.checked} bản ghi trước đó hợp lệ)."
            )
        self.stdout.write(f"Nhật ký toàn vẹn: {result.checked} bản ghi hợp lệ.")
        if result.checkpoint_seq is None:
            self.stdout.write("Chưa có điểm kiểm tra ngoài cơ sở dữ liệu để so sánh phần cuối chuỗi.")
        else:
            self.stdout.write(f"Chuỗi khớp điểm kiểm tra gần nhất (bản ghi số {result.checkpoint_seq}).")
