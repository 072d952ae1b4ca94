"""``kiemtra orgs load`` and ``kiemtra orgs summary [--json]``."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from kiemtra.orgs.loader import load_national_tree, summary


class Command(BaseCommand):
    help = "Cây đơn vị: nạp cây toàn quốc (load) hoặc thống kê số đơn vị (summary)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="Nạp (idempotent) cây đơn vị toàn quốc")
        s = sub.add_parser("summary", help="Số đơn vị đang hoạt động theo loại")
        s.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            result = load_national_tree()
            self.stdout.write(
                f"Đã nạp cây đơn vị: {result.created} mới, {result.updated} cập nhật, tổng {result.total}."
            )
            return
        counts = summary()
        if options["json"]:
            self.stdout.write(json.dumps(counts))
        else:
            for kind, n in counts.items():
                self.stdout.write(f"{kind}: {n}")
