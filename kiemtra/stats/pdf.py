"""A consolidated report as a PDF in the layout of an official document of a commission.

Layout (as the forms of Quyết định 2011-QĐ/UBKTTW are printed and signed): the issuing
Party committee and "ỦY BAN KIỂM TRA" top left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place
and date top right, the form code and title, the period, the table, the recipients and
the signature block ("NGƯỜI LẬP BIỂU" / "T/M ỦY BAN KIỂM TRA").

Rendered by WeasyPrint from a Django template. Text is laid out by Pango with the fonts
fontconfig finds; the stylesheet names one family, Liberation Serif (Debian
``fonts-liberation2``, installed by the set-up), which has every Vietnamese glyph and the
metrics of Times New Roman, so no letter falls back to another font. WeasyPrint fetches
nothing: every resource is inline and the URL fetcher refuses every scheme.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from .choices import CellType, ReportState
from .excel import consolidated_figures
from .grid import Grid
from .models import Report, ReportTransition
from .services import reports as report_services

# Both spellings are in use: "ủy" (new) and "uỷ" (old accent placement).
_UY = "(?:ủy|uỷ)"
# "UBKT Thành ủy Hà Nội" → the committee is "Thành ủy Hà Nội".
COMMISSION_PREFIX = re.compile(rf"^\s*(?:UBKT|{_UY} ban kiểm tra)\s+", re.IGNORECASE)
COMMITTEE = re.compile(rf"^(?:Thành {_UY}|Tỉnh {_UY}|Đảng {_UY}|Đảng bộ|Ban Chấp hành)\b", re.IGNORECASE)
# "Thành ủy Hà Nội" → "Hà Nội", "Đảng ủy phường Ba Đình" → "Ba Đình": the place of the date line.
PLACE = re.compile(
    rf"^(?:Thành {_UY}|Tỉnh {_UY}|Đảng {_UY} (?:phường|xã|đặc khu|thị trấn))\s+(?P<place>.+)$", re.IGNORECASE
)


def commission_header(unit: OrgUnit) -> tuple[str, str]:
    """(issuing Party committee, commission) for the top-left block of the document."""
    if unit.kind == UnitKind.CENTRAL:
        return _("BAN CHẤP HÀNH TRUNG ƯƠNG"), _("ỦY BAN KIỂM TRA")
    if unit.kind == UnitKind.DEPARTMENT:
        return _("ỦY BAN KIỂM TRA TRUNG ƯƠNG"), unit.name.upper()
    committee = COMMISSION_PREFIX.sub("", unit.name).strip()
    if not COMMITTEE.match(committee):
        # The name does not say which committee: the generic wording of the forms.
        committee = _("Ban Chấp hành Đảng bộ %(name)s") % {"name": committee}
    return committee.upper(), _("ỦY BAN KIỂM TRA")


def place_of(unit: OrgUnit) -> str:
    """Where the document is issued; dots to fill in by hand when the name does not tell."""
    if unit.kind in (UnitKind.CENTRAL, UnitKind.DEPARTMENT):
        return "Hà Nội"
    match = PLACE.match(COMMISSION_PREFIX.sub("", unit.name).strip())
    return match["place"].strip() if match else "……………"


def date_line(place: str, day: dt.date) -> str:
    # Official documents put a leading zero before a day below 10 and before months 1 and 2 only.
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s") % {
        "place": place,
        "d": f"{day.day:02d}",
        "m": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "y": day.year,
    }


def vn_number(value: Decimal | str | None, cell_type: str, places: int) -> str:
    """1234567.5 → "1.234.567,5" (Vietnamese: dot for thousands, comma for decimals)."""
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal) or cell_type == CellType.TEXT:
        return str(value)
    digits = places if cell_type == CellType.DECIMAL else 0
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@dataclass
class _Line:
    code: str
    label: str
    computed: bool
    cells: list[str]


def _who(report: Report, action: str) -> str:
    last = (
        ReportTransition.objects.filter(report=report, action=action, actor__isnull=False)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    return getattr(last.actor, "full_name", "") if last else ""


def context(report: Report, today: dt.date | None = None) -> dict[str, Any]:
    grid = Grid.of(report.form_version)
    figures = consolidated_figures(report, grid)
    committee, commission = commission_header(report.unit)
    lines = [
        _Line(
            row.code,
            row.label,
            bool(row.formula),
            [vn_number(figures.get((row.pk, c.pk)), c.cell_type, c.decimal_places) for c in grid.columns],
        )
        for row in grid.rows
    ]
    subordinates = report_services.direct_subordinate_reports(report)
    return {
        "report": report,
        "committee": committee,
        "commission": commission,
        "date_line": date_line(place_of(report.unit), today or timezone.localdate()),
        "form_code": report.form_version.form.code,
        "title": report.form_version.title,
        "period": report.period,
        "columns": grid.columns,
        "lines": lines,
        "landscape": len(grid.columns) > 6,
        "received": sum(1 for r in subordinates if r.state == ReportState.RECEIVED),
        "subordinates": len(subordinates),
        "state": ReportState(report.state).label,
        "preparer": _who(report, "forward"),
        "approver": _who(report, "approve"),
        "upper": report.unit.parent,
    }


def consolidated_pdf(report: Report, today: dt.date | None = None) -> bytes:
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF download needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("stats/pdf/consolidated.html", context(report, today))
    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=frozenset())).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
