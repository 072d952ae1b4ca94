"""Case files — 2,000,000 files across the national tree: a province's list, its progress board, the national
overdue-follow-up list; and the backlog import's documents per minute with and without OCR.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/cases.py [--cases N]

Set-up (not measured): a scratch database, the national tree (34 provinces, 3,321 communes), then ``--cases``
files seeded by SQL (``INSERT … SELECT generate_series``) over 2018–2026 and every commission (Hà Nội and
Hồ Chí Minh City heavier), 3 % still open with their ten steps, the rest concluded or archived with a
conclusion, one in five conclusions with two requests, about 2 % of those overdue; then VACUUM ANALYZE.
Measured through Django's test client (the whole view: policy, scope, query, template): Hà Nội's case list
(as its commission's leadership; its first page, the next one, and a page in 2019 — keyset pages), its
progress board for the current year (Hà Nội and its communes), and
the national overdue list (as the Central Commission's leadership). Baseline: the sign-in page, same run.
Backlog import: ``--docs`` generated scanned pages (image-only PDFs) loaded by ``kiemtra cases import``
with OCR, then as many text-layer PDFs without OCR; documents per minute.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import tempfile
import time
from pathlib import Path

from common import load_average, report, say, scratch_database, summary


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--cases", type=int, default=2_000_000)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--docs", type=int, default=12)
    return parser.parse_args()


SEED_SQL = """
WITH ids AS (
    SELECT array_agg(id ORDER BY id) AS a FROM orgs_orgunit
    WHERE valid_to IS NULL AND kind IN ('central', 'provincial', 'commune')
), heavy AS (
    SELECT array_agg(id ORDER BY code) AS h FROM orgs_orgunit WHERE code IN (%(hanoi)s, %(hcm)s)
)
INSERT INTO cases_casefile (unit_id, kind, source, state, subject_kind, subject_name, proposal_ref, letter_refs,
    grounds, outline, decision_number, decision_date, signer, year, planned_end, opened_by_id, opened_at,
    closed_at, archive_sha256, archive_envelope)
SELECT
    CASE WHEN g %% 10 = 0 THEN h[1] WHEN g %% 10 = 1 THEN h[2]
         ELSE a[1 + ((g::bigint * 7919) %% array_length(a, 1))::int] END,
    (ARRAY['inspection_member','inspection_org','inspection_lower','finance','supervision_thematic',
           'supervision_regular'])[1 + g %% 6],
    (ARRAY['programme','programme','direct','proposal','backlog'])[1 + g %% 5],
    CASE WHEN g %% 33 = 0 THEN 'open' WHEN g %% 7 = 0 THEN 'concluded' ELSE 'closed' END,
    CASE WHEN g %% 2 = 0 THEN 'member' ELSE 'organisation' END,
    'Đối tượng ' || g, '', '[]', '', '', g || '-QĐ/UBKT', d, 'Chủ nhiệm', extract(year FROM d)::int,
    d + 60, %(user)s, d::timestamptz, NULL, '', '{}'
FROM (
    SELECT g, CASE WHEN g %% 33 = 0 THEN current_date - (g %% 200)
                   ELSE date '2018-01-01' + (g %% 3100) END AS d
    FROM generate_series(1, %(n)s) AS g
) s CROSS JOIN ids CROSS JOIN heavy;
"""

STEPS_SQL = """
INSERT INTO cases_casestep (case_id, "order", code, title, working_days, planned_start, planned_end,
    actual_start, actual_end, warned)
SELECT c.id, s.n, 'step' || s.n, 'Bước ' || s.n, 5, c.decision_date + (s.n - 1) * 7, c.decision_date + s.n * 7,
       CASE WHEN c.decision_date + s.n * 7 < current_date - 30 THEN c.decision_date + (s.n - 1) * 7 END,
       CASE WHEN c.decision_date + s.n * 7 < current_date - 30 THEN c.decision_date + s.n * 7 END, 0
FROM cases_casefile c CROSS JOIN generate_series(1, 10) AS s(n)
WHERE c.state = 'open';
"""

CONCLUSIONS_SQL = """
INSERT INTO cases_conclusion (case_id, violations_found, shortcomings, violation_categories, content,
    responsibility, discipline_required, penalty, measures, notice_number, concluded_on, approved_by_id,
    discipline_decision_id, carried_out_at)
SELECT id, id %% 3 = 0, id %% 5 = 0, '[]', 'Kết luận', '', id %% 9 = 0, '', '', '', decision_date + 50, opened_by_id,
       NULL, CASE WHEN id %% 4 <> 0 THEN now() END
FROM cases_casefile WHERE state <> 'open';
"""

REQUESTS_SQL = """
INSERT INTO cases_remedialrequest (conclusion_id, unit_id, text, responsible_unit_id, due, state, reminder_level,
    verified_at)
SELECT c.id, f.unit_id, 'Yêu cầu ' || r.n, NULL, c.concluded_on + 60 * r.n,
       CASE WHEN c.id %% 50 = 0 THEN 'open' ELSE 'verified' END, 0,
       CASE WHEN c.id %% 50 = 0 THEN NULL ELSE now() END
FROM cases_conclusion c JOIN cases_casefile f ON f.id = c.case_id CROSS JOIN generate_series(1, 2) AS r(n)
WHERE c.id %% 5 = 0;
"""


def seed(n: int, user_id: int, hanoi: str, hcm: str) -> dict[str, float]:
    from django.db import connection

    timings = {}
    with connection.cursor() as cursor:
        for name, sql in (
            ("cases", SEED_SQL),
            ("steps", STEPS_SQL),
            ("conclusions", CONCLUSIONS_SQL),
            ("requests", REQUESTS_SQL),
        ):
            start = time.perf_counter()
            cursor.execute(sql, {"n": n, "user": user_id, "hanoi": hanoi, "hcm": hcm})
            timings[name] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings["vacuum_analyze"] = round(time.perf_counter() - start, 1)
    return timings


def scans(root: Path, count: int, *, image: bool) -> None:
    """``count`` documents in folders of four, each with a manifest; image-only pages need OCR."""
    from PIL import Image, ImageDraw, ImageFont
    from weasyprint import HTML

    font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    for n in range(count):
        folder = root / f"{'scan' if image else 'text'}-{n // 4:03d}"
        folder.mkdir(exist_ok=True)
        manifest = {
            "kind": "inspection_member",
            "subject_name": f"Đồng chí số {n // 4}",
            "decision_number": f"{'S' if image else 'T'}{n // 4}-QĐ/UBKT",
            "decision_date": "2015-06-01",
            "signer": "Chủ nhiệm",
        }
        (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
        text = f"Quyết định kiểm tra số {n}. Ủy ban Kiểm tra Thành ủy kiểm tra đảng viên khi có dấu hiệu vi phạm."
        if image:
            page = Image.new("L", (1654, 2339), 255)
            draw = ImageDraw.Draw(page)
            font = ImageFont.truetype(font_path, 36) if os.path.exists(font_path) else None
            for line in range(12):
                draw.text((120, 160 + line * 70), text[:60] + f" {line}", fill=0, font=font)
            buffer = io.BytesIO()
            page.save(buffer, "PDF", resolution=200)
            (folder / f"scan-{n}.pdf").write_bytes(buffer.getvalue())
        else:
            (folder / f"text-{n}.pdf").write_bytes(HTML(string=f"<p>{text}</p>" * 12).write_pdf())


def import_rate(root: Path, unit_code: str, actor_code: str, ocr: bool) -> float:
    from django.core.management import call_command

    count = sum(1 for p in root.rglob("*.pdf"))
    start = time.perf_counter()
    args = ["cases", "import", str(root), "--unit", unit_code, "--as", actor_code]
    call_command(*args, *([] if ocr else ["--no-ocr"]), stdout=io.StringIO())
    return round(count / ((time.perf_counter() - start) / 60), 1)


def main() -> None:
    args = arguments()
    vendor = scratch_database("cases")
    from django.conf import settings
    from django.test import Client

    from kiemtra.accounts.choices import Role
    from kiemtra.conftest import give, make_person
    from kiemtra.orgs.loader import load_national_tree, province_unit_code
    from kiemtra.orgs.models import OrgUnit

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if vendor != "postgresql":
        raise SystemExit("bench/cases.py seeds with PostgreSQL's generate_series: set DATABASE_URL")
    start = time.perf_counter()
    load_national_tree()
    hanoi = OrgUnit.objects.get(code=province_unit_code("01"))
    hcm = OrgUnit.objects.get(code=province_unit_code("79"))
    centre = OrgUnit.objects.get(parent__isnull=True, valid_to__isnull=True)
    say(args.json, f"national tree in {time.perf_counter() - start:.0f} s")
    lead = make_person("hn.bench.lanhdao", unit=hanoi)
    give(lead, hanoi, Role.CASE_LEADERSHIP)
    national = make_person("tw.bench.lanhdao", unit=centre)
    give(national, centre, Role.CASE_LEADERSHIP)
    officer = make_person("hn.bench.canbo", unit=hanoi)
    give(officer, hanoi, Role.CASE_OFFICER)
    start = time.perf_counter()
    timings = seed(args.cases, lead.pk, hanoi.code, hcm.code)
    say(args.json, f"{args.cases} case files seeded in {time.perf_counter() - start:.0f} s: {timings}")

    figures: dict[str, object] = {"benchmark": "cases", "database": vendor, "cases": args.cases, "seed_s": timings}
    load_before = load_average()
    first = Client()
    first.force_login(lead)
    page = first.get("/kiem-tra/").content.decode()
    next_link = re.search(r'href="([^"]+)" rel="next"', page)
    assert next_link, "the case list has a next page"
    queries = [
        ("province_case_list", lead, "/kiem-tra/"),
        # The list is paged by keyset: the next page, and a page deep in the past, cost as much as the first.
        ("province_case_list_next_page", lead, "/kiem-tra/" + next_link.group(1).replace("&amp;", "&")),
        ("province_case_list_page_in_2019", lead, "/kiem-tra/?sau=2019-06-30.1"),
        ("province_progress_board", lead, "/kiem-tra/tien-do/"),
        ("national_overdue_list", national, "/kiem-tra/qua-han/"),
    ]
    for name, who, url in queries:
        client = Client()
        client.force_login(who)
        assert client.get(url).status_code == 200
        samples = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - t)
            assert response.status_code == 200
        figures[name] = summary(samples)
    baseline = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        Client().get("/tai-khoan/dang-nhap/")
        baseline.append(time.perf_counter() - t)
    figures["baseline_sign_in_page"] = summary(baseline)

    work = Path(tempfile.mkdtemp(prefix="kiemtra-bench-cases-import-"))
    (work / "scans").mkdir()
    (work / "texts").mkdir()
    scans(work / "scans", args.docs, image=True)
    scans(work / "texts", args.docs * 4, image=False)
    figures["import_docs_per_minute_ocr"] = import_rate(work / "scans", hanoi.code, officer.identifier_code, True)
    figures["import_docs_per_minute_text_layer_no_ocr"] = import_rate(
        work / "texts", hanoi.code, officer.identifier_code, False
    )
    figures["load_average"] = [load_before, load_average()]
    report(figures, args.json)


if __name__ == "__main__":
    main()
