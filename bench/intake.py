"""Letters I — signed VNeID submissions from concurrent clients against ``kiemtra serve`` (gunicorn).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/intake.py [--seconds 60]

Set-up (not measured): a scratch database with a small org tree and a registered
VNeID client; ``kiemtra serve`` on loopback (``--workers W``, gunicorn threads).

Measured: ``--clients`` client threads, spread over ``--processes`` processes, send
signed submissions for ``--seconds`` as fast as answers come back; 10 % of the
requests re-send an earlier submission of the same client (the platform's
retries). Then, from the database: every submission answered 201/200 is there
once (zero lost), and no submission_id has two letters (zero duplicated).

CPU per request: the server's processes, the PostgreSQL backends serving the bench database
(those alive at the end: a run longer than the server's 60 s connection age loses the ones
recycled on the way) and the client processes.

Baseline, in the same run and with the same clients and bodies: the same POSTs to
a trivial endpoint (the sign-in page, which refuses them at the CSRF check without
touching the database) for ``--baseline-seconds``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from common import ROOT, load_average, say, scratch_database, summary
from deadline_day import free_port, kiemtra_command, server_environment, start_server, stop_server

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 2000


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--baseline-seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--clients", type=int, default=24)
    return parser.parse_args()


def body(submission_id: str, unit_code: str, n: int) -> bytes:
    data: dict[str, Any] = {
        "submission_id": submission_id,
        "submitted_at": "2026-12-07T08:00:00+07:00",
        "sender": {
            "full_name": f"Công dân số {n}",
            "citizen_id": f"{n % 10**12:012d}",
            "phone": "0912345678",
            "address": "Số 1 phố Tràng Tiền, Hoàn Kiếm, Hà Nội",
        },
        "keep_identity_confidential": n % 3 == 0,
        "kind": ("complaint", "denunciation", "feedback", "recommendation")[n % 4],
        "addressed_unit_code": unit_code,
        "about": {"name": "Nguyễn Văn Bị", "position": "Trưởng phòng", "organisation": "UBND phường"},
        "title": f"Phản ánh số {n}",
        "content": "Nội dung phản ánh về việc chậm giải quyết thủ tục đất đai. " * 10,
        "attachments": [],
    }
    if n % 10 == 0:
        data["attachments"] = [
            {
                "filename": "bien-ban.pdf",
                "content_type": "application/pdf",
                "data_base64": base64.b64encode(PDF).decode(),
            }
        ]
    return json.dumps(data, ensure_ascii=False).encode()


def client_process(
    base: str,
    path: str,
    client_id: str,
    secret: str,
    units: list[str],
    threads: int,
    seconds: float,
    tag: str,
    out: Any,
) -> None:
    results: list[tuple[str, int, float, str]] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    host, port = urlsplit(base).hostname or "127.0.0.1", urlsplit(base).port or 80

    def run(index: int) -> None:
        # http.client on a kept-alive connection: the client shares the server's 2 cores, and
        # requests' sessions cost it several times more CPU per request than this.
        connection = http.client.HTTPConnection(host, port, timeout=30)
        rng = random.Random(f"{tag}-{index}")
        sent: list[tuple[str, bytes]] = []
        n = 0
        while time.monotonic() < stop_at:
            if sent and rng.random() < 0.10:
                submission_id, data = rng.choice(sent)  # a retry of an earlier submission
            else:
                n += 1
                submission_id = f"{tag}-{index}-{n}"
                data = body(submission_id, rng.choice(units), hash(submission_id) & 0xFFFFFF)
                sent.append((submission_id, data))
            ts = str(int(time.time()))
            signature = hmac.new(secret.encode(), ts.encode() + b"." + data, hashlib.sha256).hexdigest()
            start = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    path,
                    body=data,
                    headers={
                        "Content-Type": "application/json",
                        "X-Client-Id": client_id,
                        "X-Timestamp": ts,
                        "X-Signature": signature,
                    },
                )
                answer = connection.getresponse()
                content = answer.read()
                status = answer.status
                code = (
                    json.loads(content).get("tracking_code", "")
                    if (answer.getheader("Content-Type") or "").startswith("application/json")
                    else ""
                )
                if answer.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException, ValueError):
                status, code = 0, ""
                connection.close()  # the next request opens a new connection
            with lock:
                results.append((submission_id, status, time.perf_counter() - start, code))
        connection.close()

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    out.put((results, time.process_time()))


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used, or 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _backends() -> list[int]:
    """The PostgreSQL backends serving the bench database (the server's connections)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _cpu_now(server_pid: int) -> tuple[dict[int, float], dict[int, float]]:
    return (
        {pid: _cpu(pid) for pid in _descendants(server_pid)},
        {pid: _cpu(pid) for pid in _backends()},
    )


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def load(
    base: str,
    path: str,
    client_id: str,
    secret: str,
    units: list[str],
    args: argparse.Namespace,
    seconds: float,
    tag: str,
    server_pid: int | None = None,
) -> tuple[list[tuple[str, int, float, str]], float, dict[str, float]]:
    """The answers, the time taken, and the CPU milliseconds per request of server, database and clients."""
    queue: Any = multiprocessing.Queue()
    per = max(1, args.clients // args.processes)
    procs = [
        multiprocessing.Process(
            target=client_process, args=(base, path, client_id, secret, units, per, seconds, f"{tag}{p}", queue)
        )
        for p in range(args.processes)
    ]
    cpu_before = _cpu_now(server_pid) if server_pid else ({}, {})
    start = time.monotonic()
    for p in procs:
        p.start()
    results: list[tuple[str, int, float, str]] = []
    client_cpu = 0.0
    for _ in procs:
        answers, cpu = queue.get()
        results += answers
        client_cpu += cpu
    elapsed = time.monotonic() - start
    cpu_after = _cpu_now(server_pid) if server_pid else ({}, {})
    for p in procs:
        p.join()
    n = max(1, len(results))
    cpu = {
        "server_cpu_ms_per_request": round(1000 * _cpu_used(cpu_before[0], cpu_after[0]) / n, 2),
        "database_cpu_ms_per_request": round(1000 * _cpu_used(cpu_before[1], cpu_after[1]) / n, 2),
        "client_cpu_ms_per_request": round(1000 * client_cpu / n, 2),
    }
    return results, elapsed, cpu


def main() -> None:
    args = arguments()
    vendor = scratch_database("intake")
    var_dir = Path(os.environ["KIEMTRA_VAR_DIR"])
    from kiemtra.audit.models import AuditEvent
    from kiemtra.conftest import make_unit
    from kiemtra.letters.models import Letter, VneidSubmission
    from kiemtra.letters.services import vneid
    from kiemtra.orgs.choices import UnitKind

    centre = make_unit(UnitKind.CENTRAL, code="UBKTTW")
    units = [make_unit(UnitKind.PROVINCIAL, centre, code=f"T{i:02d}").code for i in range(1, 11)]
    client, secret = vneid.add_client("bench", "VNeID bench")
    from django.db import connections

    connections.close_all()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = server_environment(var_dir, "md5")
    subprocess.run(kiemtra_command("collectstatic", "--noinput", "-v0"), cwd=ROOT, env=env, check=True)
    server = start_server(env, port, args.workers, var_dir / "server.log", threads=args.threads)
    try:
        say(args.json, f"server up ({args.workers} workers × {args.threads} threads); warming up")
        load(
            base,
            "/api/vneid/v1/submissions",
            client.client_id,
            secret,
            units,
            argparse.Namespace(clients=4, processes=1),
            3,
            "warm",
        )
        say(args.json, f"baseline: {args.baseline_seconds} s of the same POSTs to the sign-in page")
        base_results, base_time, base_cpu = load(
            base,
            "/tai-khoan/dang-nhap/",
            client.client_id,
            secret,
            units,
            args,
            args.baseline_seconds,
            "base",
            server.pid,
        )
        say(args.json, f"intake: {args.seconds} s, {args.clients} clients, 10 % retries")
        load_before = load_average()
        results, elapsed, cpu = load(
            base, "/api/vneid/v1/submissions", client.client_id, secret, units, args, args.seconds, "run", server.pid
        )
    finally:
        stop_server(server)
    ok = [r for r in results if r[1] in (200, 201)]
    failed = [r for r in results if r[1] not in (200, 201)]
    created = sum(1 for r in ok if r[1] == 201)
    accepted_ids = {r[0] for r in ok}
    codes_by_id: dict[str, set[str]] = {}
    for r in ok:
        codes_by_id.setdefault(r[0], set()).add(r[3])
    stored = dict(
        VneidSubmission.objects.filter(submission_id__startswith="run").values_list(
            "submission_id", "letter__tracking_code"
        )
    )
    lost = [s for s in accepted_ids if s not in stored]
    inconsistent = [s for s, codes in codes_by_id.items() if len(codes) > 1 or stored.get(s) not in codes]
    letters_run = Letter.objects.filter(vneid_submission__submission_id__startswith="run").count()
    duplicated = letters_run - len(stored)
    figures = {
        "benchmark": "letters_intake",
        "database": vendor,
        "workers": args.workers,
        "threads": args.threads,
        "clients": args.clients,
        "seconds": round(elapsed, 1),
        "requests": len(results),
        "retries_sent": len(results) - len({r[0] for r in results}),
        "letters_per_s": round(created / elapsed, 1),
        "requests_per_s": round(len(results) / elapsed, 1),
        **summary([r[2] for r in results]),
        "failed": len(failed),
        "failed_statuses": sorted({r[1] for r in failed}),
        "lost": len(lost),
        "duplicated": duplicated,
        "tracking_code_mismatch": len(inconsistent),
        "audit_events_received": AuditEvent.objects.filter(action="letters.letter.received").count(),
        "letters_total": Letter.objects.count(),
        "unaudited": VneidSubmission.objects.filter(audited_at__isnull=True).count(),
        **cpu,
        "baseline_requests_per_s": round(len(base_results) / base_time, 1),
        "baseline": {**summary([r[2] for r in base_results]), **base_cpu},
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "cpus": os.cpu_count(),
    }
    from common import report

    report(figures, args.json)
    connections.close_all()
    from deadline_day import drop_scratch_database

    if "intake_bench" in os.environ.get("DATABASE_URL", ""):
        os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"]
    _drop(vendor)
    shutil.rmtree(var_dir, ignore_errors=True)
    del drop_scratch_database


def _drop(vendor: str) -> None:
    if vendor != "postgresql":
        return
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    if name.endswith("_intake_bench"):
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
