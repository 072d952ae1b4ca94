"""``kiemtra scheduler``: run the periodic jobs (backups, period locks) in the embedded set-up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kiemtra.core import registry
from kiemtra.core.scheduler import run_forever


class Command(BaseCommand):
    help = "Chạy các công việc định kỳ (sao lưu, khóa kỳ báo cáo) khi không dùng Celery beat."

    def handle(self, *args: Any, **options: Any) -> None:
        for job in registry.jobs():
            self.stdout.write(f"{job.path}: mỗi {job.every} giây")
        run_forever()
