"""Reading the case pages' posted fields into the services' inputs, each refusal naming its field in Vietnamese.

The pages post plain fields (dates typed dd/mm/yyyy, the house widget's format);
what the regulations check stays in the services. A programme's items are posted
as parallel lists, one row of the table each; a row without a subject is an
empty row of the form and is skipped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from kiemtra.core.errors import DomainError
from kiemtra.core.widgets import parse_date
from kiemtra.orgs.models import OrgUnit

from .models import CaseFile
from .services.followup import RequestInput
from .services.programmes import ItemInput

ITEM_FIELDS = ("kind", "subject_kind", "subject_name", "planned_start", "planned_end", "lead", "key")


def date_field(data: QueryDict, field: str, label: str) -> dt.date:
    day = parse_date(data.get(field))
    if day is None:
        raise DomainError(_("%(field)s: nhập ngày theo dạng ngày/tháng/năm.") % {"field": label}, code=field)
    return day


def text_field(data: QueryDict, field: str, label: str) -> str:
    value = (data.get(field) or "").strip()
    if not value:
        raise DomainError(_("%(field)s: không được để trống.") % {"field": label}, code=field)
    return value


def year_field(data: QueryDict) -> int:
    text = (data.get("year") or "").strip()
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise DomainError(_("Năm: nhập bốn chữ số, ví dụ 2026."), code="year")
    return int(text)


@dataclass(frozen=True)
class ItemRows:
    items: list[ItemInput]
    keys: list[str]


def item_rows(data: QueryDict) -> ItemRows:
    """The table's rows as items (and, for an amendment, each row's key across versions)."""
    columns = {name: data.getlist(name) for name in ITEM_FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    items: list[ItemInput] = []
    keys: list[str] = []
    for n in range(count):
        row = {name: (values[n] if n < len(values) else "").strip() for name, values in columns.items()}
        if not row["subject_name"]:
            continue
        label = _("Nội dung dòng %(n)s") % {"n": n + 1}
        start, end = parse_date(row["planned_start"]), parse_date(row["planned_end"])
        if start is None:
            raise DomainError(
                _("%(row)s, Thời gian bắt đầu: nhập ngày theo dạng ngày/tháng/năm.") % {"row": label},
                code="planned_start",
            )
        if end is None:
            raise DomainError(
                _("%(row)s, Thời gian kết thúc: nhập ngày theo dạng ngày/tháng/năm.") % {"row": label},
                code="planned_end",
            )
        items.append(ItemInput(row["kind"], row["subject_kind"], row["subject_name"], start, end, row["lead"]))
        keys.append(row["key"])
    if not items:
        raise DomainError(_("Nội dung: ghi ít nhất một đối tượng kiểm tra, giám sát."), code="items")
    return ItemRows(items, keys)


REQUEST_FIELDS = ("request_text", "request_unit", "request_due")
NOTICE_NUMBER_MAX = 64  # Conclusion.notice_number


def responsible_units(case: CaseFile) -> list[OrgUnit]:
    """Who a request may be addressed to: the subject's organisation and the units right under the commission."""
    units = list(OrgUnit.objects.active().filter(parent=case.unit).order_by("name"))
    if case.subject_unit is not None and all(u.pk != case.subject_unit_id for u in units):
        units.insert(0, case.subject_unit)
    return units


def request_rows(data: QueryDict, units: list[OrgUnit]) -> list[RequestInput]:
    """The requests' table: a row with neither text nor due date is an empty row of the form and is skipped."""
    columns = {name: data.getlist(name) for name in REQUEST_FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    by_pk = {str(u.pk): u for u in units}
    out: list[RequestInput] = []
    for n in range(count):
        row = {name: (values[n] if n < len(values) else "").strip() for name, values in columns.items()}
        if not row["request_text"] and not row["request_due"]:
            continue
        label = _("Yêu cầu dòng %(n)s") % {"n": n + 1}
        if not row["request_text"]:
            raise DomainError(_("%(row)s, Nội dung: không được để trống.") % {"row": label}, code="request_text")
        due = parse_date(row["request_due"])
        if due is None:
            raise DomainError(
                _("%(row)s, Hạn thực hiện: nhập ngày theo dạng ngày/tháng/năm.") % {"row": label}, code="request_due"
            )
        unit = None
        if row["request_unit"]:
            unit = by_pk.get(row["request_unit"])
            if unit is None:
                raise DomainError(
                    _("%(row)s, Đơn vị thực hiện: chọn một đơn vị trong danh sách.") % {"row": label},
                    code="request_unit",
                )
        out.append(RequestInput(row["request_text"], due, unit))
    return out


@dataclass(frozen=True)
class ConclusionInput:
    violations_found: bool
    shortcomings: bool
    categories: list[str]
    content: str
    responsibility: str
    discipline_required: bool
    penalty: str
    measures: str
    notice_number: str
    concluded_on: dt.date
    requests: list[RequestInput]


def conclusion_fields(data: QueryDict, case: CaseFile) -> ConclusionInput:
    """Every field of the structured conclusion, checked against the lists the page offered."""
    from kiemtra.discipline.choices import PenaltyCode

    from . import categories as violation_categories

    violations = data.get("violations_found") == "1"
    discipline = data.get("discipline_required") == "1"
    chosen = list(dict.fromkeys(c.strip() for c in data.getlist("categories") if c.strip()))
    allowed = set(violation_categories.for_subject(case.subject_kind))
    if any(c not in allowed for c in chosen):
        raise DomainError(_("Nội dung vi phạm: chọn trong danh mục của biểu thống kê."), code="categories")
    if chosen and not violations:
        raise DomainError(_("Nội dung vi phạm: chỉ chọn khi kết luận có vi phạm."), code="categories")
    penalty = (data.get("penalty") or "").strip()
    if penalty and penalty not in PenaltyCode.values:
        raise DomainError(_("Hình thức kỷ luật đề nghị: chọn một hình thức trong danh sách."), code="penalty")
    if penalty and not discipline:
        raise DomainError(_("Hình thức kỷ luật đề nghị: chỉ ghi khi phải thi hành kỷ luật."), code="penalty")
    notice = (data.get("notice_number") or "").strip()
    if len(notice) > NOTICE_NUMBER_MAX:
        raise DomainError(
            _("Số thông báo kết luận: không quá %(n)s ký tự.") % {"n": NOTICE_NUMBER_MAX}, code="notice_number"
        )
    return ConclusionInput(
        violations_found=violations,
        shortcomings=data.get("shortcomings") == "1",
        categories=chosen,
        content=text_field(data, "content", _("Nội dung kết luận")),
        responsibility=(data.get("responsibility") or "").strip(),
        discipline_required=discipline,
        penalty=penalty,
        measures=(data.get("measures") or "").strip(),
        notice_number=notice,
        concluded_on=date_field(data, "concluded_on", _("Ngày kết luận")),
        requests=request_rows(data, responsible_units(case)),
    )
