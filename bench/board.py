"""The province's completeness board and its data check "including subordinates": size and latency.

.venv/bin/python bench/board.py                                       # SQLite
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/board.py

The issue's targets (issue 10.3): for Hà Nội and its communes, the board page under 200 KB and
300 ms; the data check of the province with its subordinates under 1 s.

Data (set-up, not measured): the national tree; the 14 demo forms (``formsets.load_demo``, 334
rules, other-form and previous-period rules included); one yearly period with the 14 forms opened
through ``open_period``; every input cell of Hà Nội's and its communes' reports filled; the
communes' reports spread over the chain's states by one UPDATE, each with a last step in its
history, and a reminder on a quarter of those not yet sent.

Measured, as Hà Nội's statistician, through Django's test client (middleware, session, policy,
template; no network):

- ``board``: ``GET /thong-ke/theo-doi/`` — progress per form and the first page of the table;
- ``board_filtered``: the same, filtered by a commune's name typed without diacritics;
- ``check``: ``GET /thong-ke/kiem-tra-so-lieu/?cap_duoi=1`` — every current report of the
  province and its communes checked against its rules (``validate_many``), the reports with
  problems listed 25 a page; ``check_service``: ``validate_many`` of those reports alone.

Baselines, alternating with them in the same run:

- ``board_unpaged``: the same page with every row of every form on one page, as the board was
  before (its size and time grow with the communes);
- ``check_one_by_one``: ``reports.validate`` called report by report on the same reports, as the
  data check was before (a few queries per report).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from common import load_average, report, say, scratch_database, summary
from stats_data import HANOI, analyze, load_values, parser, person, run_conditions, system_admin


def main() -> None:
    args_parser = parser(__doc__ or "")
    args_parser.add_argument("--samples", type=int, default=30, help="timed requests of each page")
    args_parser.add_argument("--profile", action="store_true", help="profile one request of each page and stop")
    args = args_parser.parse_args()
    vendor = scratch_database("board")
    setup: dict[str, float] = {}

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from kiemtra.accounts.choices import Role
    from kiemtra.audit.models import AuditEvent
    from kiemtra.core.text import fold
    from kiemtra.orgs.loader import load_national_tree
    from kiemtra.orgs.models import OrgUnit
    from kiemtra.stats import formsets
    from kiemtra.stats.choices import PeriodType, ReportState
    from kiemtra.stats.models import FormVersion, Report, ReportTransition
    from kiemtra.stats.services import board, periods, reports

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("collectstatic", interactive=False, verbosity=0)  # pages name their static files by hash
    S = ReportState
    start = time.perf_counter()
    load_national_tree()
    admin = system_admin()
    formsets.load_demo(admin)
    versions = list(FormVersion.objects.select_related("form").order_by("form__code"))
    now = timezone.now()
    period = periods.open_period(
        admin,
        code="BENCH-2026",
        name="Năm 2026 (thử nghiệm)",
        period_type=PeriodType.YEAR,
        data_start=(now - dt.timedelta(days=300)).date(),
        data_cutoff=(now + dt.timedelta(days=20)).date(),
        opens_at=now - dt.timedelta(hours=1),
        deadline=now + dt.timedelta(days=30),
        form_versions=versions,
    )
    hanoi = OrgUnit.objects.get(code=HANOI)
    communes = list(hanoi.children.filter(valid_to__isnull=True).order_by("code"))
    setup["tree_forms_period"] = time.perf_counter() - start

    start = time.perf_counter()
    load_values(period, [hanoi.pk, *(c.pk for c in communes)])
    below = list(Report.objects.filter(period=period, unit__parent=hanoi).order_by("unit__code", "pk"))
    chain = [S.DRAFT, S.PENDING_APPROVAL, S.APPROVED, S.SUBMITTED, S.RECEIVED]
    by_state: dict[str, list[int]] = {}
    for i, r in enumerate(below):
        by_state.setdefault(chain[i % len(chain)], []).append(r.pk)
    for state, ids in by_state.items():
        Report.objects.filter(pk__in=ids).update(state=state)
    ReportTransition.objects.bulk_create(
        ReportTransition(report_id=r.pk, from_state=S.DRAFT, to_state=S.PENDING_APPROVAL, action="forward", actor=admin)
        for r in below
    )
    statistician = person("bench.hn.thongke", hanoi, Role.STATISTICIAN)
    statistician.must_change_password = False  # signed in below without the first-use password change
    statistician.save(update_fields=["must_change_password"])
    for pk in by_state[S.DRAFT][::4]:
        reminded = Report.objects.select_related("unit__parent").get(pk=pk)
        if not board.reminder_recipients(reminded.unit):
            person(f"bench.{reminded.unit.code.lower()}.thongke", reminded.unit, Role.STATISTICIAN)
        board.send_reminder(statistician, reminded)
    analyze()
    setup["values_states"] = time.perf_counter() - start
    say(
        args.json,
        f"{vendor}: {len(communes)} communes under {hanoi.name}, {len(versions)} forms, "
        f"{len(below)} subordinate reports, {AuditEvent.objects.filter(action=board.REMINDER).count()} reminders",
    )

    client = Client()
    client.force_login(statistician)
    name = communes[len(communes) // 2].name.split()[-1]
    urls = {
        "board": "/thong-ke/theo-doi/",
        "board_filtered": "/thong-ke/theo-doi/?q=" + fold(name).replace(" ", "+"),
        "check": f"/thong-ke/kiem-tra-so-lieu/?don_vi={hanoi.pk}&cap_duoi=1",
    }
    batch = list(
        Report.objects.filter(board.current(), unit__in=[hanoi, *communes]).select_related(
            "unit", "period", "form_version__form"
        )
    )

    def get(url: str) -> int:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(response.content)

    def unpaged() -> int:
        saved = board.BOARD_PAGE_SIZE
        board.BOARD_PAGE_SIZE = 100_000
        try:
            return get(urls["board"])
        finally:
            board.BOARD_PAGE_SIZE = saved

    def one_by_one() -> int:
        return sum(len(reports.validate(r)) for r in batch)

    def batched() -> int:
        return sum(len(p) for p in board.validate_many(batch).values())

    if args.profile:
        import cProfile
        import pstats

        for url in urls.values():
            get(url)
            profiler = cProfile.Profile()
            profiler.enable()
            get(url)
            profiler.disable()
            print(url)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return
    # The batched check finds exactly what the one-by-one check finds.
    assert sum(len(p) for p in board.validate_many(batch).values()) == one_by_one()
    measured: dict[str, list[float]] = {k: [] for k in (*urls, "check_service", "board_unpaged", "check_one_by_one")}
    sizes: dict[str, int] = {}
    for name_, run in [(k, (lambda u=u: get(u))) for k, u in urls.items()] + [
        ("check_service", batched),
        ("board_unpaged", unpaged),
        ("check_one_by_one", one_by_one),
    ]:
        sizes[name_] = run()  # warm-up (and the page's size)
    for _ in range(args.samples):
        for key, url in urls.items():
            begin = time.perf_counter()
            get(url)
            measured[key].append(time.perf_counter() - begin)
        for key, func in (("check_service", batched), ("board_unpaged", unpaged), ("check_one_by_one", one_by_one)):
            if key == "check_one_by_one" and len(measured[key]) >= max(5, args.samples // 3):
                continue  # seconds per run: a third of the samples is enough
            begin = time.perf_counter()
            func()
            measured[key].append(time.perf_counter() - begin)

    figures: dict[str, Any] = {
        "benchmark": "board",
        "database": vendor,
        "communes": len(communes),
        "forms": len(versions),
        "subordinate_reports": len(below),
        "reports_checked": len(batch),
        "board_kb": round(sizes["board"] / 1024, 1),
        "board_filtered_kb": round(sizes["board_filtered"] / 1024, 1),
        "check_kb": round(sizes["check"] / 1024, 1),
        "baseline_board_unpaged_kb": round(sizes["board_unpaged"] / 1024, 1),
        **{f"{k}_ms": summary(v) for k, v in measured.items() if not k.startswith(("board_unpaged", "check_one"))},
        **{f"baseline_{k}_ms": summary(v) for k, v in measured.items() if k.startswith(("board_unpaged", "check_one"))},
        "load_average": load_average(),
        **run_conditions(setup, samples=args.samples),
    }
    report(figures, args.json)


if __name__ == "__main__":
    main()
