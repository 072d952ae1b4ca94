"""What every benchmark shares: a scratch database, timing, and the one-line JSON report.

Run a benchmark as ``.venv/bin/python bench/NAME.py [--json]``. It migrates a
scratch database of its own (SQLite in a temporary folder, or — when
``DATABASE_URL`` points at PostgreSQL — a fresh ``<name>_bench`` database on
that server), measures, measures its baseline in the same run, and prints its
figures; the last line is always one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--repeat", type=int, default=200, help="timed repetitions of each query")
    return parser.parse_args()


def scratch_database(name: str) -> str:
    """Point Django at an empty database for this benchmark and return its vendor."""
    url = os.environ.get("DATABASE_URL", "")
    os.environ["KIEMTRA_VAR_DIR"] = tempfile.mkdtemp(prefix=f"kiemtra-bench-{name}-")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        bench_db = f"{parts.path.lstrip('/') or 'kiemtra'}_{name}_bench"
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
            conn.execute(f'CREATE DATABASE "{bench_db}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_db}"))
        vendor = "postgresql"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.environ['KIEMTRA_VAR_DIR']}/bench.sqlite3"
        vendor = "sqlite"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemtra.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return vendor


def seconds(func: Callable[..., Any], *args: Any) -> float:
    """How long ``func(*args)`` took."""
    start = time.perf_counter()
    func(*args)
    return time.perf_counter() - start


def summary(samples: list[float]) -> dict[str, float]:
    """p50/p95/max in milliseconds of durations in seconds."""
    ordered = sorted(s * 1000 for s in samples)
    return {
        "p50_ms": round(statistics.median(ordered), 3),
        "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 3),
        "max_ms": round(ordered[-1], 3),
    }


def latencies(func: Callable[[], Any], repeat: int) -> dict[str, float]:
    """p50/p95/max in milliseconds over ``repeat`` runs, after one warm-up run."""
    func()
    return summary([seconds(func) for _ in range(repeat)])


def load_average() -> float:
    """The one-minute load average, rounded: how busy the machine was."""
    return round(os.getloadavg()[0], 2)


def say(only_json: bool, text: str) -> None:
    """A progress line, unless only the JSON line is wanted."""
    if not only_json:
        print(text, flush=True)


def fmt_timings(timings: dict[str, float]) -> str:
    """``{"tree": 1.73}`` as ``tree 1.7 s``."""
    return ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())


def report(figures: dict[str, Any], only_json: bool) -> None:
    if not only_json:
        for key, value in figures.items():
            print(f"{key:>40}: {value}")
    print(json.dumps(figures, ensure_ascii=False))
