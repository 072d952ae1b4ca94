"""The embedded scheduler runs each job on time and keeps no database connection between runs."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kiemtra.core import registry, scheduler

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
def test_jobs_run_and_the_connection_is_closed_after_each() -> None:
    jobs = [registry.Job(f"{__name__}.failing_job", 60), registry.Job(f"{__name__}.job_that_uses_the_database", 60)]
    calls.clear()
    stop.clear()
    scheduler.run_forever(stop, jobs)
    assert calls == [True]
    in_memory = connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"])
    if not in_memory:  # Django keeps an in-memory test database open on purpose
        assert connection.connection is None  # closed: no database lock may outlive a job


def test_the_jobs_the_apps_registered_are_importable() -> None:
    from django.utils.module_loading import import_string

    names = [job.path for job in registry.jobs()]
    assert "kiemtra.backups.tasks.backup_if_due" in names and "kiemtra.stats.tasks.lock_periods_at_deadline" in names
    assert "kiemtra.discipline.tasks.ingest_queued" in names
    for path in names:
        assert callable(import_string(path))


def test_celery_beat_runs_the_same_list_as_the_embedded_scheduler() -> None:
    """One schedule: beat's entries are the registered jobs, each under the name its Celery task is known by."""
    from kiemtra.celery import app

    app.loader.import_default_modules()
    app.finalize()
    schedule = app.conf.beat_schedule
    assert sorted(schedule) == sorted(job.path for job in registry.jobs())
    for job in registry.jobs():
        assert schedule[job.path]["schedule"] == job.every
        assert schedule[job.path]["task"] in app.tasks  # beat would send a task no worker knows otherwise
