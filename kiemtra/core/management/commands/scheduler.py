"""``kiemtra scheduler``: run the periodic jobs (backups, period locks) in the embedded set-up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kiemtra.core.scheduler import JOBS, run_forever


class Command(BaseCommand):
    help = "Chạy các công việc định kỳ (sao lưu, khóa kỳ báo cáo) khi không dùng Celery beat."

    def handle(self, *args: Any, **options: Any) -> None:
        for path, every in JOBS:
            self.stdout.write(f"{path}: mỗi {every} giây")
        run_forever()
