"""Letters II — recomputing every open letter's due date after a calendar change, with a baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/letters_due_dates.py [--letters N]

Set-up (not measured), straight in SQL: ``--letters`` open letters (being handled) whose clocks
started on one of the last 400 days, on the denunciation limit (90 working days), a third of them
extended by 30; 2 % also have a suspension. The holiday calendar 2025–2027 is loaded.
Measured: ``clock.recompute_open`` after a new day off is added (what the ``calendar_changed``
signal runs): groups of letters sharing a start, limit and extension get one computed date and one
UPDATE; letters with suspensions are recomputed one by one in batches. Baseline in the same run:
the naive way — load each letter, recompute, save it — timed on 10,000 letters and scaled up.
"""

from __future__ import annotations

import argparse
import sys
import time

from common import ROOT, load_average, report, say, scratch_database

BASELINE_SAMPLE = 10_000


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--letters", type=int, default=1_000_000)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    vendor = scratch_database("letters_due_dates")
    from django.db import connection

    from kiemtra.conftest import make_person, make_unit
    from kiemtra.letters.models import Letter, TimeLimit
    from kiemtra.letters.services import clock
    from kiemtra.orgs.choices import UnitKind
    from kiemtra.workdays import calendar
    from kiemtra.workdays.models import CalendarDay
    from kiemtra.workdays.services import load_shipped

    unit = make_unit(UnitKind.PROVINCIAL, make_unit(UnitKind.CENTRAL, code="UBKTTW"), code="T01")
    actor = make_person("t01.donthu", unit=unit)
    load_shipped("bench")
    limit = TimeLimit.objects.get(code="denunciation")
    n = args.letters
    start = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO letters_letter (uid, tracking_code, kind, declared_kind, channel, status, holding_unit_id, "
            "received_on, received_at, anonymous, false_name, keep_identity_confidential, sender_count, field_code, "
            "locality, key_id, data_key_wrapped, identity_key_wrapped, content_sealed, identity_sealed, reply_sealed, "
            "citizen_digest, version, created_at, updated_at, eligibility, information_reason, accused_rank, "
            "accused_is_organisation, accused_digest, extended_days, extension_reason, finding, complaint_outcome, "
            "violations, disciplined, result_sealed, reply_state, reply_draft_sealed, clock_start, time_limit_id, "
            "due_on) "
            "SELECT md5(g::text)::uuid, 'B-' || g, 'denunciation', 'denunciation', 'vneid', 'handling', %s, "
            "DATE '2026-12-07' - (g %% 400), now(), false, false, false, 1, '', '', 'k', 'x', 'x', 'x', 'x', '', '', "
            "1, now(), now(), 'eligible', '', '', false, '', CASE WHEN g %% 3 = 0 THEN 30 ELSE 0 END, '', '', '', "
            "0, 0, '', '', '', DATE '2026-12-07' - (g %% 400), %s, DATE '2026-01-01' "
            "FROM generate_series(1, %s) g",
            [unit.pk, limit.pk, n],
        )
        cur.execute(
            "INSERT INTO letters_suspension (letter_id, started_on, ended_on, reason, actor_id) "
            "SELECT id, clock_start + 3, clock_start + 17, 'chờ hồ sơ', %s FROM letters_letter WHERE id %% 50 = 0",
            [actor.pk],
        )
        if vendor == "postgresql":
            cur.execute("VACUUM ANALYZE")
    cal = calendar.current()
    first = time.perf_counter()
    clock.recompute_open(cal)  # the first computation (every due date was a placeholder)
    first_seconds = time.perf_counter() - first
    say(args.json, f"{n} open letters in {time.perf_counter() - start:.0f} s; first computation {first_seconds:.1f} s")
    load_before = load_average()
    CalendarDay.objects.create(date="2026-06-15", name="Nghỉ đột xuất (bench)", kind="off")
    cal = calendar.current()
    t = time.perf_counter()
    changed = clock.recompute_open(cal)
    recompute_seconds = time.perf_counter() - t
    # Baseline: one letter at a time.
    sample = list(Letter.objects.filter(status="handling").select_related("time_limit")[:BASELINE_SAMPLE])
    t = time.perf_counter()
    for letter in sample:
        clock.refresh(letter, cal)
        letter.save(update_fields=["due_on"])
    naive_seconds = (time.perf_counter() - t) * n / len(sample)
    figures = {
        "benchmark": "letters_due_dates",
        "database": vendor,
        "open_letters": n,
        "with_suspension": n // 50,
        "recompute_after_change_s": round(recompute_seconds, 1),
        "due_dates_changed": changed,
        "first_computation_s": round(first_seconds, 1),
        "baseline_one_by_one_s_scaled": round(naive_seconds, 1),
        "baseline_sample": len(sample),
        "load_average": [load_before, load_average()],
    }
    report(figures, args.json)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
