"""``kiemtra stats_forms load-demo | export FILE [--form CODE] | import FILE | demo-data``."""

from __future__ import annotations

import getpass
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kiemtra.core.actors import SystemActor
from kiemtra.core.errors import DomainError
from kiemtra.stats import formsets
from kiemtra.stats.models import FormVersion
from kiemtra.stats.services import designer


def operator() -> SystemActor:
    """The audit names the command and the operating-system account that ran it."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry in some containers
        who = "?"
    return SystemActor(f"lệnh stats_forms ({who})")


class Command(BaseCommand):
    help = "Biểu báo cáo thống kê: nạp bộ biểu trình diễn, xuất/nhập định nghĩa biểu (JSON), nạp số liệu trình diễn."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load-demo", help="Nạp bộ biểu trình diễn (idempotent)")
        export = sub.add_parser(
            "export", help="Xuất định nghĩa biểu ra tệp JSON (mặc định: phiên bản mới nhất mọi biểu)"
        )
        export.add_argument("file")
        export.add_argument("--form", action="append", dest="forms", help="số hiệu biểu (lặp lại được)")
        export.add_argument("--version", type=int, help="số phiên bản (khi xuất một biểu)")
        imp = sub.add_parser("import", help="Nhập tệp JSON: mỗi biểu thành một phiên bản mới")
        imp.add_argument("file")
        demo = sub.add_parser("demo-data", help="Nạp số liệu thống kê trình diễn (idempotent)")
        demo.add_argument("--communes", type=int, help="số xã mỗi tỉnh được nhập số liệu (mặc định 20)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _load_demo(self, options: dict[str, Any]) -> None:
        result = designer.load_demo_forms(operator())
        created = ", ".join(f"{v.form.code} v{v.number}" for v in result.created) or "không có"
        self.stdout.write(f"Đã nạp bộ biểu trình diễn: tạo mới {created}; đã có {len(result.skipped)}.")

    def _export(self, options: dict[str, Any]) -> None:
        versions = FormVersion.objects.select_related("form").order_by("form__code", "-number")
        if options["forms"]:
            versions = versions.filter(form__code__in=options["forms"])
        if options["version"]:
            versions = versions.filter(number=options["version"])
        latest: dict[str, FormVersion] = {}
        for version in versions:
            latest.setdefault(version.form.code, version)
        if not latest:
            raise CommandError("Không có biểu nào phù hợp để xuất.")
        Path(options["file"]).write_text(formsets.dumps(formsets.export_many(latest.values())), encoding="utf-8")
        self.stdout.write(f"Đã xuất {len(latest)} biểu ra {options['file']}.")

    def _import(self, options: dict[str, Any]) -> None:
        try:
            raw = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {options['file']}: {exc.strerror}") from exc
        created = designer.import_file(operator(), raw)
        self.stdout.write("Đã nhập: " + ", ".join(f"{v.form.code} v{v.number}" for v in created) + ".")

    def _demo_data(self, options: dict[str, Any]) -> None:
        from kiemtra.stats.demo import load_demo_statistics

        started = time.monotonic()
        summary = load_demo_statistics(timezone.now(), communes_per_province=options["communes"])
        self.stdout.write(f"{summary} ({time.monotonic() - started:.1f} giây).")
