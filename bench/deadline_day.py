"""Deadline day: commune statisticians entering, forwarding and approvers approving at once, on loopback.

.venv/bin/python bench/deadline_day.py [--json]                    # SQLite: a quick check only
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/deadline_day.py

Needs Locust (``pip install -e '.[dev]'``). Takes about 6 minutes on PostgreSQL with 2 cores.
The server inherits the environment: ``KIEMTRA_DB_CONN_MAX_AGE=0`` in front of the
command measures a connection per request (the product's default keeps them 60 s).

Set-up (not measured): a scratch database (``common.scratch_database``) with the
national tree, the demo form set, one six-month period opened through
``services.periods.open_period`` (a report per unit and form), and ``--communes``
communes (the first by code) each with a statistician and an approver account
(bulk-created, one password hash shared by all). Each commune team files
``--forms`` (default 01 and 05): every input cell of the commune's own rows, with
figures from the demo generators (they keep every blocking rule; "0" where the
generator leaves a cell empty), saved in even chunks of 20–50 cells. Then ``ANALYZE``.

The server is ``kiemtra serve --workers W --no-scheduler`` (gunicorn, 4 threads a
worker) on a free loopback port, started as a subprocess against the scratch
database with ``DJANGO_SETTINGS_MODULE`` pointing at a settings module this
script writes into its scratch folder (on ``PYTHONPATH``): ``kiemtra.settings``
with two overrides, nothing else changed —

- ``PASSWORD_HASHERS`` starts with Django's MD5 hasher, so that creating the
  accounts and each sign-in cost next to nothing and the figures are about data
  entry. ``--hasher argon2`` keeps the product's Argon2 (the accounts share one
  Argon2 hash, made once) to see what the sign-ins cost for real.
- static files use Django's ``ManifestStaticFilesStorage`` (same hashed URLs)
  instead of WhiteNoise's compressing one, whose ``collectstatic`` takes four
  minutes here; the simulated browsers fetch no static files anyway.

Measured: the server is warmed up (sign-in page, report pages and saves of a
spare commune), then

(baseline) ``--users`` Locust users GET the sign-in page, with the same think
times, until they have made as many requests as the scenario will: the
server's floor at the same concurrency;

(scenario) ``--users`` Locust users (``bench/locustfile_deadline.py``), each
taking the next commune team from a shared pool until none is left: the
statistician signs in, opens the home page, the report list and each report,
saves its figures chunk by chunk with the revision each save returns, forwards
it; then the approver signs in, opens the list and approves each report.
Between two requests a user waits ``--think-min``–``--think-max`` seconds.
Each team has its own reports, so no save should meet a 409.

Reported: requests, throughput, p50/p95/max per request type and overall
(exact, from every request's time), errors (a failed or refused request of any
kind other than 409, which is counted apart; a team that did not finish; a
report of a finished team that is not approved with the figures sent), the
server's peak memory (sum of the RSS — and of the PSS, which counts pages
shared after fork once — of the gunicorn master and workers, sampled every
0.5 s), where the CPU went (the server, Locust, the rest of the machine:
PostgreSQL, and whatever else runs — the machine's load while the warm server
idles is printed first, as ``background_cpu_percent``), and the latency of a
save with no other load. Targets: p95 ≤ 500 ms, zero errors.

Cleaned up at the end, even on failure: the server, the scratch database, the scratch folder.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psutil
from common import ROOT, load_average, say, scratch_database, summary

BENCH = ROOT / "bench"
PASSWORD = "Bench-Deadline-2026!"  # noqa: S105 — scratch accounts of a scratch database
SETTINGS_MODULE = "deadline_day_settings"
TARGET_P95_MS = 500.0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--communes", type=int, default=200, help="commune teams (statistician + approver)")
    parser.add_argument("--forms", default="01,05", help="form codes each team files")
    parser.add_argument("--users", type=int, default=50, help="concurrent Locust users")
    parser.add_argument("--spawn-rate", type=float, default=10.0, help="users started per second")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4 threads each)")
    parser.add_argument("--think-min", type=float, default=0.5, help="seconds a user waits between requests, least")
    parser.add_argument("--think-max", type=float, default=1.5, help="… and most")
    parser.add_argument("--max-run-time", type=int, default=300, help="seconds after which a Locust run is cut")
    parser.add_argument("--hasher", choices=("md5", "argon2"), default="md5", help="password hasher of the accounts")
    return parser.parse_args()


# --- data ----------------------------------------------------------------------------------


def prepare(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, Any]]:
    """The scratch data; returns the plan of the teams and the spare team used for the warm-up."""
    import datetime as dt

    from django.contrib.auth.hashers import MD5PasswordHasher, make_password
    from django.utils import timezone

    from kiemtra.accounts.choices import Module, Role
    from kiemtra.accounts.models import RoleGrant, User
    from kiemtra.orgs.choices import UnitKind
    from kiemtra.orgs.loader import load_national_tree
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats import demo, formsets
    from kiemtra.stats.choices import CellType, PeriodType
    from kiemtra.stats.models import FormVersion, Report
    from kiemtra.stats.services import periods, rollup

    load_national_tree()
    formsets.load_demo()
    formset = formsets.demo_formset()
    general_affairs = OrgUnit.objects.get(department_role="general_affairs")
    sysadmin = User.objects.create_user("bench.quantri", None, full_name="Quản trị hệ thống")
    RoleGrant.objects.create(
        person=sysadmin, unit=general_affairs, module=Module.STATS, role=Role.SYSTEM_ADMIN, document_ref="bench"
    )
    latest: dict[str, FormVersion] = {}
    for version in FormVersion.objects.select_related("form").order_by("form__code", "-number"):
        if PeriodType.SIX_MONTHS in version.period_types:
            latest.setdefault(version.form.code, version)
    now = timezone.now()
    period = periods.open_period(
        sysadmin,
        code="BENCH-DEADLINE",
        name="Kỳ thử tải ngày hạn chót",
        period_type=PeriodType.SIX_MONTHS,
        data_start=(now - dt.timedelta(days=150)).date(),
        data_cutoff=(now + dt.timedelta(days=20)).date(),
        opens_at=now - dt.timedelta(hours=1),
        deadline=now + dt.timedelta(days=30),
        form_versions=list(latest.values()),
    )

    communes = list(
        OrgUnit.objects.active_on(period.data_cutoff)
        .filter(kind=UnitKind.COMMUNE)
        .order_by("code")[: args.communes + 1]
    )
    if len(communes) <= args.communes:
        raise SystemExit(f"only {len(communes)} communes in the tree: ask for fewer than {len(communes)}")
    # MD5 (the bench settings put it first), or the product's first hasher, Argon2: made once, shared by all.
    encoded = MD5PasswordHasher().encode(PASSWORD, "deadlineday") if args.hasher == "md5" else make_password(PASSWORD)
    people: list[User] = []
    for commune in communes:
        for suffix, title in (("thongke", "Thống kê"), ("pheduyet", "Phê duyệt")):
            people.append(
                User(
                    identifier_code=f"bench.{commune.code.lower()}.{suffix}",
                    full_name=f"{title} {commune.name}",
                    home_unit=commune,
                    password=encoded,
                    must_change_password=False,
                )
            )
    User.objects.bulk_create(people, batch_size=1000)
    by_code = {u.identifier_code: u for u in User.objects.filter(identifier_code__startswith="bench.")}
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(
                person=by_code[f"bench.{commune.code.lower()}.{suffix}"],
                unit=commune,
                module=Module.STATS,
                role=role,
                document_ref="bench",
                granted_by=sysadmin,
            )
            for commune in communes
            for suffix, role in (("thongke", Role.STATISTICIAN), ("pheduyet", Role.APPROVER))
        ],
        batch_size=1000,
    )

    forms = [code.strip() for code in args.forms.split(",") if code.strip()]
    filler = demo.Filler(period, formset, demo.People(sysadmin), now)
    filler.load_reports(communes)
    teams: list[dict[str, Any]] = []
    for commune in communes:
        reports: list[dict[str, Any]] = []
        for code in forms:
            found = filler.report(commune, code)
            if found is None:
                raise SystemExit(f"commune {commune.code} has no report of form {code}")
            grid = filler.grid(found)
            figures = filler.figures(found, demo.seeded(commune.code, code, "deadline"))
            spec = formset.form(code)
            cells: list[tuple[str, str]] = []
            for row_code in filler.own_rows(spec, commune):
                row = grid.row_by_code[row_code]
                for column in grid.columns:
                    cell = (row.pk, column.pk)
                    if grid.is_computed(cell):
                        continue
                    value = figures.get(cell)
                    if value is None and column.cell_type == CellType.TEXT:
                        continue
                    cells.append((rollup.key(cell), str(value) if value is not None else "0"))
            reports.append({"pk": found.pk, "form": code, "saves": chunks(cells)})
        teams.append(
            {
                "commune": commune.code,
                "statistician": f"bench.{commune.code.lower()}.thongke",
                "approver": f"bench.{commune.code.lower()}.pheduyet",
                "reports": reports,
            }
        )
    assert Report.objects.filter(pk__in=[r["pk"] for t in teams for r in t["reports"]]).count() == len(teams) * len(
        forms
    )
    spare, teams = teams[-1], teams[:-1]
    plan = {"password": PASSWORD, "think_min": args.think_min, "think_max": args.think_max, "teams": teams}
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as a live database has them
    return plan, spare


def chunks(cells: list[tuple[str, str]], target: int = 35) -> list[dict[str, str]]:
    """Cells in order, cut into even chunks of about ``target`` (20–50 when there are at least 20)."""
    count = max(1, round(len(cells) / target))
    size, extra = divmod(len(cells), count)
    out, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        out.append(dict(cells[start:end]))
        start = end
    return out


def planned_requests(plan: dict[str, Any]) -> int:
    """What the scenario will send if nothing fails: see ``CommuneTeam.file`` in the locustfile."""
    sign_in = 4  # GET sign-in page, POST sign in, GET home, GET report list
    total = 0
    for team in plan["teams"]:
        total += 2 * sign_in
        for entry in team["reports"]:
            total += 1 + len(entry["saves"]) + 2  # page, saves, forward + page after
            total += 1 + 2  # page, approve + page after
    return total


def check_filed(teams: list[dict[str, Any]], done: set[str]) -> list[str]:
    """Reports of the finished teams must be approved and hold the figures sent."""
    from kiemtra.stats.choices import ReportState
    from kiemtra.stats.grid import Grid
    from kiemtra.stats.models import Report
    from kiemtra.stats.services import rollup

    wrong = []
    for team in teams:
        if team["commune"] not in done:
            continue
        for entry in team["reports"]:
            stored = Report.objects.select_related("form_version").get(pk=entry["pk"])
            if stored.state != ReportState.APPROVED:
                wrong.append(f"report {stored.pk} of {team['commune']}: state {stored.state}")
                continue
            grid = Grid.of(stored.form_version)
            values = rollup.own_values(stored)
            for cells in entry["saves"]:
                for key, text in cells.items():
                    cell = rollup.unkey(key)
                    if values.get(cell) != grid.parse(cell, text):
                        wrong.append(f"report {stored.pk} cell {key}: {values.get(cell)!r} ≠ {text!r}")
    return wrong


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_environment(var_dir: Path, hasher: str) -> dict[str, str]:
    """The environment of ``kiemtra`` subprocesses: the scratch database and the bench settings module."""
    lines = [
        '"""Written by bench/deadline_day.py for its server: the product\'s settings, two overrides."""',
        "from kiemtra.settings import *  # noqa: F403",
        "from kiemtra.settings import STORAGES",
        "",
        "STORAGES = {**STORAGES, 'staticfiles': "
        "{'BACKEND': 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}",
    ]
    if hasher == "md5":
        lines += [
            "from kiemtra.settings import PASSWORD_HASHERS",
            "PASSWORD_HASHERS = ['django.contrib.auth.hashers.MD5PasswordHasher', *PASSWORD_HASHERS]",
        ]
    (var_dir / f"{SETTINGS_MODULE}.py").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS_MODULE
    env["PYTHONPATH"] = os.pathsep.join([str(var_dir), str(ROOT)])
    return env


def kiemtra_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "kiemtra.cli", *arguments]


def start_server(env: dict[str, str], port: int, workers: int, log: Path, threads: int = 4) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        server = subprocess.Popen(
            kiemtra_command(
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--no-scheduler",
            ),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {server.returncode}):\n{tail(log)}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/tai-khoan/dang-nhap/", timeout=5) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the server did not answer within 90 s:\n{tail(log)}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the gunicorn master (it stops its workers), SIGKILL to its process group if it lingers."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # any worker left behind; the group is the server's own


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Browser:
    """A signed-in user over urllib, for the warm-up and the unloaded saves."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as answer:
            return str(answer.read().decode("utf-8"))

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> str:
        request = urllib.request.Request(self.base + path, data=body, headers=headers, method="POST")  # noqa: S310
        with self.opener.open(request, timeout=60) as answer:
            return str(answer.read().decode("utf-8"))

    def sign_in(self, username: str) -> None:
        page = self.get("/tai-khoan/dang-nhap/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the sign-in page"
        form = f"csrfmiddlewaretoken={token.group(1)}&username={username}&password={PASSWORD}&otp_token="
        landed = self.post(
            "/tai-khoan/dang-nhap/", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"}
        )
        assert "dang-xuat" in landed, f"sign-in of {username} failed"

    def save(self, pk: int, revision: int, cells: dict[str, str]) -> int:
        page = self.get(f"/thong-ke/bao-cao/{pk}/")
        token = re.search(r'data-csrf="([^"]+)"', page)
        assert token, f"no grid on report {pk}"
        answer = self.post(
            f"/thong-ke/bao-cao/{pk}/luu/",
            json.dumps({"revision": revision, "cells": cells}).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": token.group(1)},
        )
        return int(json.loads(answer)["revision"])


def warm_up(base: str, spare: dict[str, Any], workers: int) -> int:
    """Every worker renders the sign-in page, the report page and answers saves before anything is timed."""
    browser = Browser(base)
    for _ in range(10 * workers):
        browser.get("/tai-khoan/dang-nhap/")
    browser.sign_in(spare["statistician"])
    revision = 0
    for _ in range(2 * workers):
        for entry in spare["reports"]:
            browser.get(f"/thong-ke/bao-cao/{entry['pk']}/")
    entry = spare["reports"][0]
    for _ in range(2 * workers):
        revision = browser.save(entry["pk"], revision, entry["saves"][0])
    return revision


def unloaded_saves(base: str, spare: dict[str, Any], revision: int, repeat: int = 20) -> dict[str, float]:
    """Saves of a chunk of 20–50 changed cells with nothing else running: what one save costs."""
    browser = Browser(base)
    browser.sign_in(spare["statistician"])
    entry = spare["reports"][0]
    cells = entry["saves"][0]
    samples = []
    for i in range(repeat):
        # Alternate two sets of figures so every cell changes each time (both keep the rules: all 0, or as planned).
        sent = cells if i % 2 else {key: "0" for key in cells}
        page_then_save = browser.get(f"/thong-ke/bao-cao/{entry['pk']}/")
        token = re.search(r'data-csrf="([^"]+)"', page_then_save)
        assert token
        start = time.perf_counter()
        answer = browser.post(
            f"/thong-ke/bao-cao/{entry['pk']}/luu/",
            json.dumps({"revision": revision, "cells": sent}).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": token.group(1)},
        )
        samples.append((time.perf_counter() - start) * 1000)
        revision = int(json.loads(answer)["revision"])
    return summary_ms(samples) | {"cells": len(cells)}


# --- measuring ------------------------------------------------------------------------------


def busy_seconds() -> float:
    """CPU seconds the whole machine spent not idle since boot."""
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


def own_and_children_seconds() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children (Locust, once it has been waited for)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime


def database_name() -> str:
    """The scratch PostgreSQL database's name ("" on SQLite)."""
    url = os.environ.get("DATABASE_URL", "")
    return urlsplit(url).path.lstrip("/") if url.startswith(("postgres://", "postgresql://")) else ""


def postgres_processes(database: str) -> tuple[psutil.Process | None, list[psutil.Process]]:
    """The local postmaster, and the backends connected to ``database`` (none when PostgreSQL is elsewhere)."""
    postmaster, backends = None, []
    if not database:
        return None, []
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] != "postgres":
            continue
        command = " ".join(process.info["cmdline"] or [])
        if " -D " in command:
            postmaster = process
        elif f" {database} " in command:
            backends.append(process)
    return postmaster, backends


def cpu_of(process: psutil.Process, *, children: bool = False) -> float:
    try:
        times = process.cpu_times()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return 0.0
    return times.children_user + times.children_system if children else times.user + times.system


class MemorySampler(threading.Thread):
    """Sum of the RSS (and PSS) of the server's processes every ``every`` seconds; where the CPU went meanwhile.

    CPU seconds: the server's processes (master and workers), Locust, this script (the sampling),
    PostgreSQL — the backends of the scratch database, each sampled while it lives (all of it with
    persistent connections; with ``CONN_MAX_AGE`` 0 each request has a backend of its own that mostly
    lives between two samples, so the CPU of the backends that exited unseen is given apart: the
    postmaster's waited-for children, of every database of the cluster) — and the rest of the machine.
    """

    def __init__(self, pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = 0
        self.samples = 0
        self.halt = threading.Event()
        self.cpu_start = self.cpu_seconds()
        self.busy_start = busy_seconds()
        self.own_start, self.children_start = own_and_children_seconds()
        self.wall_start = time.monotonic()
        self.database = database_name()
        self.postmaster, backends = postgres_processes(self.database)
        self.exited_start = cpu_of(self.postmaster, children=True) if self.postmaster else 0.0
        # pid → (CPU when first seen, CPU when last seen); a backend born later started from 0.
        self.backends = {b.pid: (cpu_of(b), cpu_of(b)) for b in backends}

    def processes(self) -> list[psutil.Process]:
        master = psutil.Process(self.pid)
        return [master, *master.children(recursive=True)]

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self.processes():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def run(self) -> None:
        while not self.halt.is_set():
            rss = pss = 0
            for process in self.processes():
                try:
                    info = process.memory_full_info()
                except psutil.NoSuchProcess:
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.sample_backends()
            self.samples += 1
            self.halt.wait(self.every)

    def sample_backends(self) -> None:
        for backend in postgres_processes(self.database)[1]:
            used = cpu_of(backend)
            first = self.backends.get(backend.pid, (0.0, 0.0))[0]
            self.backends[backend.pid] = (first, max(used, first))

    def finish(self) -> dict[str, float]:
        self.halt.set()
        self.join()
        alive = {b.pid for b in postgres_processes(self.database)[1]}
        self.sample_backends()
        postgres = sum(last - first for first, last in self.backends.values())
        exited = cpu_of(self.postmaster, children=True) - self.exited_start if self.postmaster else 0.0
        # A backend seen alive that exited (a connection past CONN_MAX_AGE) is in the postmaster's count
        # with its whole life: take out what the samples saw of it, to count only what they missed.
        exited = max(0.0, exited - sum(last for pid, (_first, last) in self.backends.items() if pid not in alive))
        server = self.cpu_seconds() - self.cpu_start
        busy = busy_seconds() - self.busy_start
        own, children = own_and_children_seconds()
        own, children = own - self.own_start, children - self.children_start
        wall = time.monotonic() - self.wall_start
        return {
            "peak_rss_mb": round(self.peak_rss / 2**20, 1),
            "peak_pss_mb": round(self.peak_pss / 2**20, 1),
            "memory_samples": self.samples,
            "server_cpu_s": round(server, 1),
            "locust_cpu_s": round(children, 1),
            "sampler_cpu_s": round(own, 1),
            "postgres_cpu_s": round(postgres, 1),
            "postgres_exited_backends_cpu_s": round(exited, 1),
            "other_cpu_s": round(busy - server - children - own - postgres - exited, 1),
            "machine_cpu_percent": round(100 * busy / (wall * (psutil.cpu_count() or 1)), 1),
        }


def summary_ms(samples: list[float]) -> dict[str, float]:
    """``common.summary`` of durations given in milliseconds (zeros when there are none)."""
    if not samples:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "max_ms": 0.0}
    return summary([ms / 1000 for ms in samples])


def run_locust(
    args: argparse.Namespace, user_class: str, plan: dict[str, Any], var_dir: Path, base: str, server_pid: int
) -> dict[str, Any]:
    """One headless Locust run of ``user_class``; its requests, grouped, with the server's memory meanwhile."""
    name = user_class.lower()
    plan = {**plan, "results": str(var_dir / f"{name}-results.json")}
    plan_path = var_dir / f"{name}-plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    log = var_dir / f"{name}-locust.log"
    sampler = MemorySampler(server_pid)
    sampler.start()
    started = time.monotonic()
    with log.open("wb") as out:
        finished = subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(BENCH / "locustfile_deadline.py"),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{args.max_run_time}s",
                "--stop-timeout",
                "10",
                "--host",
                base,
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
                user_class,
            ],
            cwd=BENCH,
            env={**os.environ, "DEADLINE_PLAN": str(plan_path)},
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=args.max_run_time + 120,
        )
    wall = time.monotonic() - started
    machine = sampler.finish()
    results_path = Path(plan["results"])
    if finished.returncode != 0 or not results_path.exists():
        raise RuntimeError(f"Locust failed (exit {finished.returncode}):\n{tail(log)}")
    results = json.loads(results_path.read_text(encoding="utf-8"))
    samples = results["samples"]
    by_name: dict[str, list[float]] = {}
    failed: dict[str, int] = {}
    conflicts = 0
    failures: list[str] = []
    for request_name, ms, status, error in samples:
        by_name.setdefault(request_name, []).append(ms)
        if status == 409:
            conflicts += 1
        elif error or not 200 <= status < 400:
            failed[request_name] = failed.get(request_name, 0) + 1
            if len(failures) < 10:
                failures.append(f"{request_name}: {status} {error}")
    duration = (results["last"] - results["first"]) if results["first"] else wall
    all_ms = [ms for _name, ms, _status, _error in samples]
    return {
        "requests": len(samples),
        "duration_s": round(duration, 1),
        "throughput_rps": round(len(samples) / duration, 1) if duration else 0.0,
        **summary_ms(all_ms),
        "failed": sum(failed.values()),
        "conflicts_409": conflicts,
        "failures": failures,
        "problems": results["problems"],
        "teams_done": results["teams_done"],
        "teams_total": results["teams_total"],
        "by_request": {
            request_name: {"requests": len(times), **summary_ms(times), "failed": failed.get(request_name, 0)}
            for request_name, times in sorted(by_name.items())
        },
        **machine,
    }


def drop_scratch_database() -> None:
    """DROP the ``…_deadline_day_bench`` PostgreSQL database (never any other)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_deadline_day_bench"):
        return
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table(title: str, run: dict[str, Any]) -> None:
    print(f"\n{title}: {run['requests']} requests in {run['duration_s']} s = {run['throughput_rps']} req/s")
    print(f"  {'request':<34} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'failed':>6}")
    for request_name, row in [*run["by_request"].items(), ("all", run)]:
        print(
            f"  {request_name:<34} {row['requests']:>6} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['max_ms']:>8.1f} {row['failed']:>6}"
        )
    print(
        f"  server memory peak: {run['peak_rss_mb']} MB RSS, {run['peak_pss_mb']} MB PSS "
        f"({run['memory_samples']} samples)"
    )
    print(
        f"  CPU: server {run['server_cpu_s']} s, PostgreSQL {run['postgres_cpu_s']} s "
        f"+ {run['postgres_exited_backends_cpu_s']} s in backends that exited unseen (any database), "
        f"Locust {run['locust_cpu_s']} s, "
        f"sampling {run['sampler_cpu_s']} s, rest of the machine {run['other_cpu_s']} s; "
        f"machine busy {run['machine_cpu_percent']} %"
    )


def main() -> None:
    args = arguments()
    # A plain kill (SIGTERM) unwinds like Ctrl-C, so the clean-up below runs.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    server: subprocess.Popen[bytes] | None = None
    var_dir: Path | None = None
    try:
        vendor = scratch_database("deadline_day")
        var_dir = Path(os.environ["KIEMTRA_VAR_DIR"])
        started = time.monotonic()
        plan, spare = prepare(args)
        expected = planned_requests(plan)
        env = server_environment(var_dir, args.hasher)
        subprocess.run(kiemtra_command("collectstatic", "--noinput", "-v0"), cwd=ROOT, env=env, check=True)
        from django.db import connections

        connections.close_all()  # the server works alone on the database from here on
        say(
            args.json,
            f"set-up: {len(plan['teams'])} communes, {expected} requests planned, {time.monotonic() - started:.0f} s",
        )

        conn_max_age = os.environ.get("KIEMTRA_DB_CONN_MAX_AGE", "60")
        load = load_average()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(env, port, args.workers, var_dir / "server.log")
        revision = warm_up(base, spare, args.workers)
        # The server idles: what the machine does meanwhile is others' work (this machine may be shared).
        idle = MemorySampler(server.pid)
        idle.start()
        time.sleep(5)
        idle_memory = idle.finish()
        say(
            args.json,
            f"server: {base}, {args.workers} workers × 4 threads, CONN_MAX_AGE {conn_max_age}; "
            f"idle after warm-up {idle_memory['peak_rss_mb']} MB RSS; "
            f"machine busy while it idles {idle_memory['machine_cpu_percent']} % (load average {load})",
        )

        baseline = run_locust(args, "Baseline", {**plan, "requests": expected}, var_dir, base, server.pid)
        if not args.json:
            table("Baseline (GET sign-in page, same users and think times)", baseline)
        scenario = run_locust(args, "CommuneTeam", plan, var_dir, base, server.pid)
        if not args.json:
            table("Deadline day (sign in, enter, forward, approve)", scenario)
        unloaded = unloaded_saves(base, spare, revision)

        wrong = check_filed(plan["teams"], set(scenario["teams_done"]))
        unfinished = scenario["teams_total"] - len(scenario["teams_done"])
        errors = scenario["failed"] + len(wrong) + unfinished
        if not args.json:
            for line in [*scenario["failures"], *scenario["problems"][:10], *wrong[:10]]:
                print(f"  ! {line}")
        by_request = scenario["by_request"]
        figures = {
            "benchmark": "deadline_day",
            "database": vendor,
            "communes": len(plan["teams"]),
            "forms_per_commune": len(spare["reports"]),
            "users": args.users,
            "workers": args.workers,
            "threads_per_worker": 4,
            "think_s": [args.think_min, args.think_max],
            "hasher": args.hasher,
            "conn_max_age": int(conn_max_age),
            "requests": scenario["requests"],
            "requests_planned": expected,
            "duration_s": scenario["duration_s"],
            "throughput_rps": scenario["throughput_rps"],
            "p50_ms": scenario["p50_ms"],
            "p95_ms": scenario["p95_ms"],
            "max_ms": scenario["max_ms"],
            "errors": errors,
            "failed_requests": scenario["failed"],
            "conflicts_409": scenario["conflicts_409"],
            "unfinished_teams": unfinished,
            "wrong_reports": len(wrong),
            "save_p95_ms": by_request.get("POST save values", {}).get("p95_ms"),
            "forward_p95_ms": by_request.get("POST forward", {}).get("p95_ms"),
            "approve_p95_ms": by_request.get("POST approve", {}).get("p95_ms"),
            "report_page_p95_ms": by_request.get("GET report page", {}).get("p95_ms"),
            "sign_in_p95_ms": by_request.get("POST sign in", {}).get("p95_ms"),
            "peak_rss_mb": scenario["peak_rss_mb"],
            "peak_pss_mb": scenario["peak_pss_mb"],
            "server_cpu_s": scenario["server_cpu_s"],
            "postgres_cpu_s": round(scenario["postgres_cpu_s"] + scenario["postgres_exited_backends_cpu_s"], 1),
            "locust_cpu_s": scenario["locust_cpu_s"],
            "other_cpu_s": scenario["other_cpu_s"],
            "machine_cpu_percent": scenario["machine_cpu_percent"],
            "idle_rss_mb": idle_memory["peak_rss_mb"],
            "background_cpu_percent": idle_memory["machine_cpu_percent"],
            "load_average_at_start": load,
            "baseline_requests": baseline["requests"],
            "baseline_throughput_rps": baseline["throughput_rps"],
            "baseline_p50_ms": baseline["p50_ms"],
            "baseline_p95_ms": baseline["p95_ms"],
            "baseline_max_ms": baseline["max_ms"],
            "baseline_errors": baseline["failed"],
            "baseline_peak_rss_mb": baseline["peak_rss_mb"],
            "baseline_server_cpu_s": baseline["server_cpu_s"],
            "save_unloaded": unloaded,
            "target_p95_ms": TARGET_P95_MS,
            "targets_met": scenario["p95_ms"] <= TARGET_P95_MS and errors == 0,
            "by_request": by_request,
        }
        if not args.json:  # as common.report, less the per-request figures: in the table above
            print()
            for key, value in figures.items():
                if key != "by_request":
                    print(f"{key:>40}: {value}")
        print(json.dumps(figures, ensure_ascii=False))
    finally:
        if server is not None:
            stop_server(server)
        drop_scratch_database()
        if var_dir is not None and var_dir.name.startswith("kiemtra-bench-deadline_day-"):
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
