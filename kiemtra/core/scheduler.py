"""Periodic jobs for the embedded set-up: one small process instead of Celery beat.

At scale Celery beat runs the same functions (see ``kiemtra/celery.py``).
``kiemtra serve`` starts ``kiemtra scheduler`` as a child process: a thread in
the gunicorn master would hold a SQLite connection across gunicorn's fork,
which SQLite forbids (the workers then hang on the database lock).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import connections
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

# (dotted path of a function taking no arguments, seconds between runs)
JOBS: list[tuple[str, int]] = [
    ("kiemtra.backups.tasks.backup_if_due", 3600),
    # The audit chain's head, written outside the database every five minutes (issue 8.5).
    ("kiemtra.audit.tasks.checkpoint_audit_head", 300),
    ("kiemtra.stats.tasks.lock_periods_at_deadline", 60),
    ("kiemtra.stats.tasks.purge_trial_data_when_due", 60),
    ("kiemtra.discipline.tasks.ingest_queued", 3),
]


def _loop(jobs: list[tuple[Callable[[], object], int]], stop: threading.Event) -> None:
    next_run = [0.0] * len(jobs)
    while not stop.is_set():
        now = time.monotonic()
        for i, (func, every) in enumerate(jobs):
            if now >= next_run[i]:
                try:
                    func()
                except Exception:  # a failing job must not stop the others; it is logged
                    log.exception("scheduled job %s failed", func)
                finally:
                    connections.close_all()  # hold no database lock between runs
                next_run[i] = now + every
        stop.wait(max(1.0, min(next_run) - time.monotonic()))


def run_forever(stop: threading.Event | None = None) -> None:
    """Run the jobs until ``stop`` is set (or forever): the body of ``kiemtra scheduler``."""
    _loop([(import_string(path), every) for path, every in JOBS], stop or threading.Event())
