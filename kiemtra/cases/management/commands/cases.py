"""``kiemtra cases import DIR --unit CODE --as CODE [--no-ocr]``: load the digitised backlog from a folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kiemtra.accounts.models import User
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.models import OrgUnit


class Command(BaseCommand):
    help = "Hồ sơ kiểm tra, giám sát: nạp hồ sơ số hóa (import DIR)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Nạp các thư mục hồ sơ (manifest.json + bản quét).")
        imp.add_argument("directory")
        imp.add_argument("--unit", required=True, help="Mã đơn vị")
        imp.add_argument("--as", dest="actor", required=True, help="Mã định danh người nạp")
        imp.add_argument("--no-ocr", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        from kiemtra.cases.services import backlog

        root = Path(options["directory"])
        if not root.is_dir():
            raise CommandError(f"Không có thư mục {root}")
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        actor = User.objects.filter(identifier_code=options["actor"]).first()
        if unit is None or actor is None:
            raise CommandError("Không tìm thấy đơn vị hoặc người nạp.")
        started = time.monotonic()
        try:
            batch = backlog.start_import(actor, unit, backlog.from_directory(root), use_ocr=not options["no_ocr"])
        except (DomainError, PolicyDenied) as error:
            raise CommandError(str(getattr(error, "message", error))) from None
        while backlog.process_queued(50):
            p = backlog.progress(batch)
            self.stdout.write(f"{p['percent']}% ({p['total'] - p['queued']}/{p['total']})")
        p = backlog.progress(batch)
        for item in batch.items.exclude(outcome="stored"):
            self.stdout.write(f"{item.folder}/{item.filename}: {item.outcome} {item.message}")
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"batch {batch.pk}: {p['stored']} stored, {p['duplicate']} duplicate, {p['failed']} failed"
            f" in {elapsed:.1f}s"
        )
