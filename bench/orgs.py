"""Load the national org tree and answer ``scope()``; baselines are raw SQL doing the same reads/writes.

.venv/bin/python bench/orgs.py [--json]
DATABASE_URL=postgres://postgres@127.0.0.1:5432/kiemtra .venv/bin/python bench/orgs.py
"""

from __future__ import annotations

from common import latencies, parse_args, report, scratch_database, seconds


def main() -> None:
    args = parse_args(__doc__ or "")
    vendor = scratch_database("orgs")

    from django.db import connection

    from kiemtra.accounts import policies
    from kiemtra.accounts.choices import Module, Role
    from kiemtra.accounts.models import RoleGrant, User
    from kiemtra.orgs.loader import _desired_units, load_national_tree
    from kiemtra.orgs.models import OrgUnit

    # Baseline for the load: one executemany of the same rows into a plain table.
    rows = [(u["code"], u["name"], u["kind"]) for u in _desired_units()]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_units (code varchar(32) PRIMARY KEY, name varchar(255), kind varchar(16))")

    def raw_insert() -> None:
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO bench_units (code, name, kind) VALUES (%s, %s, %s)", rows)

    baseline_load = seconds(raw_insert)
    load = seconds(load_national_tree)
    reload = seconds(load_national_tree)

    hanoi = OrgUnit.objects.get(code="T01")
    general_affairs = OrgUnit.objects.get(department_role="general_affairs")
    statistician = User.objects.create_user("bench.thongke", None, full_name="Thống kê")
    admin = User.objects.create_user("bench.quantri", None, full_name="Quản trị")
    RoleGrant.objects.create(
        person=statistician, unit=hanoi, module=Module.STATS, role=Role.STATISTICIAN, document_ref="bench"
    )
    RoleGrant.objects.create(
        person=admin, unit=general_affairs, module=Module.STATS, role=Role.SYSTEM_ADMIN, document_ref="bench"
    )

    def scope_of(user: User) -> int:
        policies.forget(user)  # a new request: nothing cached
        found = policies.scope(user, Module.STATS)
        return len(found.unit_ids) if not found.everything else OrgUnit.objects.count()

    def raw_subtree() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM orgs_orgunit WHERE path LIKE %s", [hanoi.path + "%"])
            return len(cursor.fetchall())

    assert scope_of(statistician) == raw_subtree() == hanoi.children.count() + 1
    figures = {
        "benchmark": "orgs",
        "database": vendor,
        "units": OrgUnit.objects.count(),
        "load_seconds": round(load, 3),
        "reload_seconds": round(reload, 3),
        "baseline_insert_seconds": round(baseline_load, 3),
        "load_ratio": round(load / baseline_load, 2),
        "scope_provincial_statistician": latencies(lambda: scope_of(statistician), args.repeat),
        "scope_system_admin": latencies(lambda: scope_of(admin), args.repeat),
        "baseline_subtree_sql": latencies(raw_subtree, args.repeat),
    }
    report(figures, args.json)


if __name__ == "__main__":
    main()
