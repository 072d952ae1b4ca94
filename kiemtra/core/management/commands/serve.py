"""``kiemtra serve``: the production WSGI server (gunicorn) plus the scheduler process."""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from kiemtra.wsgi import application

        return application


class Command(BaseCommand):
    help = "Chạy máy chủ web (gunicorn) cùng bộ lập lịch công việc định kỳ."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        # One process per core and one more: a request waiting on PostgreSQL leaves its core to another
        # (VNeID intake on 2 cores: 2 workers 189 letters/s, 3 workers 205–211; bench/intake.py).
        parser.add_argument(
            "--workers", type=int, default=(os.cpu_count() or 1) + 1, help="Số tiến trình (mặc định: số lõi + 1)"
        )
        parser.add_argument("--threads", type=int, default=4, help="Số luồng của mỗi tiến trình")
        parser.add_argument("--no-scheduler", action="store_true", help="Khi lịch do Celery beat đảm nhận")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_scheduler"] and not settings.REDIS_URL:
            # A process of its own: no database connection may cross gunicorn's fork.
            scheduler = subprocess.Popen([sys.executable, "-m", "kiemtra.cli", "scheduler"])
            atexit.register(scheduler.terminate)
        self.stdout.write(f"Kiểm tra số đang chạy tại http://{options['host']}:{options['port']}/")
        _Gunicorn(
            {
                "bind": f"{options['host']}:{options['port']}",
                "workers": options["workers"],
                "threads": options["threads"],
                "accesslog": "-",
                "timeout": 120,
            }
        ).run()
