"""Periodic jobs: one list (``registry.jobs()``, filled by each app's ``ready()``), two runners.

Embedded, ``kiemtra serve`` starts ``kiemtra scheduler`` as a child process (a
thread in the gunicorn master would hold a SQLite connection across gunicorn's
fork, which SQLite forbids: the workers then hang on the database lock). At
scale, Celery beat reads the same list through ``beat_schedule()`` (see
``kiemtra/celery.py``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections
from django.utils.module_loading import import_string

from . import registry

log = logging.getLogger(__name__)


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


def run_forever(stop: threading.Event | None = None, jobs: Sequence[registry.Job] | None = None) -> None:
    """Run the jobs (by default every registered one) until ``stop`` is set: the body of ``kiemtra scheduler``."""
    chosen = registry.jobs() if jobs is None else jobs
    _loop([(import_string(job.path), job.every) for job in chosen], stop or threading.Event())


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The same jobs for Celery beat, each under its Celery task name."""
    schedule: dict[str, dict[str, Any]] = {}
    for job in registry.jobs():
        task = import_string(job.path)
        schedule[job.path] = {"task": getattr(task, "name", job.path), "schedule": float(job.every)}
    return schedule
