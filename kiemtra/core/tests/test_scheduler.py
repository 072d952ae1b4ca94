"""The embedded scheduler runs each job on time and keeps no database connection between runs."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kiemtra.core import scheduler

calls: list[bool] = []
stop = threading.Event()


def job_that_uses_the_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    calls.append(connection.connection is not None)
    stop.set()


def failing_job() -> None:
    raise RuntimeError("một việc lỗi không được dừng các việc khác")


@pytest.mark.django_db(transaction=True)
def test_jobs_run_and_the_connection_is_closed_after_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        scheduler,
        "JOBS",
        [
            (f"{__name__}.failing_job", 60),
            (f"{__name__}.job_that_uses_the_database", 60),
        ],
    )
    calls.clear()
    stop.clear()
    scheduler.run_forever(stop)
    assert calls == [True]
    in_memory = connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"])
    if not in_memory:  # Django keeps an in-memory test database open on purpose
        assert connection.connection is None  # closed: no database lock may outlive a job


def test_the_default_jobs_are_importable() -> None:
    from django.utils.module_loading import import_string

    names = [path for path, _ in scheduler.JOBS]
    assert "kiemtra.backups.tasks.backup_if_due" in names and "kiemtra.stats.tasks.lock_periods_at_deadline" in names
    assert "kiemtra.discipline.tasks.ingest_queued" in names
    for path in names:
        assert callable(import_string(path))
