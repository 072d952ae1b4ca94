"""Load the national tree: the Centre, its departments, 40 provincial-level and 3,321 commune commissions.

Administrative units and coordinates come from the ``vietnamadminunits``
package (MIT licence), the 34-province data set in force since 1 July 2025.
Loading is idempotent: units are matched by code, changed names and
coordinates are updated, nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import vietnamadminunits
from django.db import transaction

from .choices import UnitEventKind, UnitKind
from .models import OrgUnit, OrgUnitEvent, RegionalAssignment, unit_search_text

TREE_VALID_FROM = dt.date(2025, 7, 1)  # Nghị quyết 202/2025/QH15: 34 provinces, two-level local government
CENTRAL_FILE = Path(__file__).parent / "data" / "central.json"


def province_unit_code(admin_code: str) -> str:
    return f"T{admin_code}"


def commune_unit_code(admin_code: str) -> str:
    return f"X{admin_code}"


def _commission_name(province: str) -> str:
    committee = "Thành ủy" if province.startswith("Thành phố") else "Tỉnh ủy"
    place = province.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    return f"Ủy ban Kiểm tra {committee} {place}"


def admin_units() -> list[dict[str, Any]]:
    db = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "SELECT province, provinceShort, provinceCode, provinceLat, provinceLon, ward, wardShort, wardType,"
            " wardCode, wardLat, wardLon FROM admin_units ORDER BY provinceCode, wardCode"
        ).fetchall()
    return [dict(r) for r in rows]


def _coord(value: float | None) -> Decimal | None:
    return Decimal(str(round(value, 6))) if value is not None else None


@dataclass
class LoadResult:
    created: int
    updated: int
    total: int


def _desired_units() -> list[dict[str, Any]]:
    """Every unit of the tree as field dicts, parents before children, ``parent`` as a code."""
    spec = json.loads(CENTRAL_FILE.read_text())
    central = spec["central"]
    units: list[dict[str, Any]] = [
        {
            "code": central["code"],
            "name": central["name"],
            "short_name": central["short_name"],
            "kind": UnitKind.CENTRAL,
            "parent": None,
        }
    ]
    for dep in spec["departments"]:
        units.append(
            {
                "code": dep["code"],
                "name": dep["name"],
                "short_name": dep.get("short_name", dep["name"]),
                "kind": UnitKind.DEPARTMENT,
                "department_role": dep["department_role"],
                "parent": central["code"],
            }
        )
    rows = admin_units()
    provinces: dict[str, dict[str, Any]] = {}
    for r in rows:
        provinces.setdefault(r["provinceCode"], r)
    for code, r in provinces.items():
        units.append(
            {
                "code": province_unit_code(code),
                "name": _commission_name(r["province"]),
                "short_name": r["provinceShort"],
                "kind": UnitKind.PROVINCIAL,
                "admin_code": code,
                "admin_type": r["province"].split(" ")[0] if r["province"].startswith("Tỉnh") else "Thành phố",
                "latitude": _coord(r["provinceLat"]),
                "longitude": _coord(r["provinceLon"]),
                "parent": central["code"],
            }
        )
    for pc in spec["party_committees"]:
        units.append(
            {
                "code": pc["code"],
                "name": pc["name"],
                "short_name": pc["short_name"],
                "kind": UnitKind.PROVINCIAL,
                "parent": central["code"],
            }
        )
    for r in rows:
        units.append(
            {
                "code": commune_unit_code(r["wardCode"]),
                "name": f"Ủy ban Kiểm tra Đảng ủy {r['ward']}",
                "short_name": r["ward"],
                "kind": UnitKind.COMMUNE,
                "admin_code": r["wardCode"],
                "admin_type": r["wardType"],
                "latitude": _coord(r["wardLat"]),
                "longitude": _coord(r["wardLon"]),
                "parent": province_unit_code(r["provinceCode"]),
            }
        )
    return units


FIELDS = ("name", "short_name", "kind", "department_role", "admin_code", "admin_type", "latitude", "longitude")


@transaction.atomic
def load_national_tree(actor: Any = None) -> LoadResult:
    from kiemtra.audit import services as audit

    desired = _desired_units()
    existing = {u.code: u for u in OrgUnit.objects.all()}
    created: list[OrgUnit] = []
    changed: list[OrgUnit] = []
    for spec in desired:
        unit = existing.get(spec["code"])
        values = {f: spec.get(f, "" if f not in ("latitude", "longitude") else None) for f in FIELDS}
        if unit is None:
            unit = OrgUnit(code=spec["code"], valid_from=TREE_VALID_FROM, **values)
            unit.search_text = unit_search_text(unit)
            created.append(unit)
            existing[unit.code] = unit
        elif unit.valid_to is None and any(getattr(unit, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(unit, f, v)
            unit.search_text = unit_search_text(unit)
            changed.append(unit)
    OrgUnit.objects.bulk_create(created, batch_size=1000)
    if any(u.pk is None for u in created):  # backends that do not return ids from bulk inserts
        ids = dict(OrgUnit.objects.filter(code__in=[u.code for u in created]).values_list("code", "pk"))
        for u in created:
            u.pk = ids[u.code]
    OrgUnit.objects.bulk_update(changed, [*FIELDS, "search_text"], batch_size=1000)

    # Parents and paths of the new units (parents come first in ``desired``).
    created_codes = {u.code for u in created}
    for spec in desired:
        if spec["code"] not in created_codes:
            continue
        unit = existing[spec["code"]]
        parent = existing[spec["parent"]] if spec["parent"] else None
        unit.parent = parent
        unit.depth = parent.depth + 1 if parent else 0
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    OrgUnit.objects.bulk_update(created, ["parent", "path", "depth"], batch_size=1000)
    OrgUnitEvent.objects.bulk_create(
        [
            OrgUnitEvent(
                unit=u,
                kind=UnitEventKind.CREATED,
                effective_date=TREE_VALID_FROM,
                after={"name": u.name},
                document_ref="vietnamadminunits 1.0.4",
            )
            for u in created
        ],
        batch_size=1000,
    )
    _assign_regions(existing)
    if created or changed:
        audit.record(actor, "orgs.tree.loaded", None, created=len(created), updated=len(changed))
    return LoadResult(created=len(created), updated=len(changed), total=len(desired))


def _assign_regions(units: dict[str, OrgUnit]) -> None:
    """First-load assignment of provinces to regional departments; later edits win."""
    spec = json.loads(CENTRAL_FILE.read_text())
    assigned = set(RegionalAssignment.objects.values_list("province_id", flat=True))
    new = []
    for dep in spec["departments"]:
        for ref in dep.get("provinces", []):
            province = units.get(province_unit_code(ref)) or units[ref]
            if province.pk not in assigned:
                new.append(
                    RegionalAssignment(department=units[dep["code"]], province=province, valid_from=TREE_VALID_FROM)
                )
    RegionalAssignment.objects.bulk_create(new)


def summary() -> dict[str, int]:
    counts = {kind.value: 0 for kind in UnitKind}
    for kind in OrgUnit.objects.active().values_list("kind", flat=True):
        counts[kind] += 1
    return counts
