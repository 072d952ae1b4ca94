"""Integration API (Quy định 11 Art. 12): other software pushes statistics in and reads approved figures.

Clients are registered by the system admin (``register_client``) and send
``Authorization: Bearer <token>``. A push goes through ``services.reports.save_values``
like a statistician's save: same validation, same locks, same audit record.

The actor of a push is the client's own system account, holding — for that
request only — the statistician function at exactly the unit pushed to, and
only when the unit is within the client's units. The grant is never written
to ``RoleGrant``: the client takes no place in the unit's account quota
(Art. 3.7-3.8), cannot sign in, and gets none of a statistician's other
powers (receiving or returning lower units' reports, look-up).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.core.text import nfc
from kiemtra.orgs.models import OrgUnit

from .grid import Cell, CellError, Grid
from .lookup import OFFICIAL_STATES
from .models import Form, Report, ReportingPeriod
from .models_api import ApiClient, new_token, token_digest
from .services import reports, rollup

# --- registering and revoking clients (the system admin) ---------------------------------


@transaction.atomic
def register_client(
    actor: User,
    *,
    name: str,
    document_ref: str,
    unit_codes: Iterable[str],
    forms: Sequence[Form],
    include_subtree: bool = True,
    can_push: bool = True,
    can_read: bool = False,
) -> tuple[ApiClient, str]:
    """Register a client on its approval document; returns it with its token, shown this once."""
    policies.require(actor, "stats.configure")
    name, document_ref = nfc(name), nfc(document_ref)
    if not name or not document_ref:
        raise DomainError(_("Phải có tên ứng dụng và văn bản phê duyệt kết nối."), code="incomplete_client")
    codes = {c.strip() for c in unit_codes if c.strip()}
    units = list(OrgUnit.objects.filter(code__in=codes, valid_to__isnull=True))
    unknown = sorted(codes - {u.code for u in units})
    if unknown:
        raise DomainError(
            _("Không có đơn vị đang hoạt động với mã: %(codes)s.") % {"codes": ", ".join(unknown)}, code="unknown_unit"
        )
    if not units:
        raise DomainError(_("Chọn ít nhất một đơn vị."), code="no_units")
    if not forms:
        raise DomainError(_("Chọn ít nhất một biểu."), code="no_forms")
    if not (can_push or can_read):
        raise DomainError(_("Ứng dụng phải được gửi số liệu vào hoặc lấy số liệu ra."), code="no_rights")
    system_account = User.objects.create_user(
        f"api-{secrets.token_hex(6)}", None, full_name=_("Ứng dụng kết nối: %(n)s") % {"n": name}
    )
    system_account.must_change_password = False
    system_account.save(update_fields=["must_change_password"])
    token = new_token()
    client = ApiClient.objects.create(
        name=name,
        document_ref=document_ref,
        token_hash=token_digest(token),
        token_hint=token[:10],
        include_subtree=include_subtree,
        can_push=can_push,
        can_read=can_read,
        actor=system_account,
        created_by=actor,
    )
    client.units.set(units)
    client.forms.set(forms)
    audit.record(
        actor,
        "stats.api_client.registered",
        client,
        after={
            "name": name,
            "document_ref": document_ref,
            "units": sorted(u.code for u in units),
            "include_subtree": include_subtree,
            "forms": sorted(f.code for f in forms),
            "can_push": can_push,
            "can_read": can_read,
        },
    )
    return client, token


@transaction.atomic
def revoke_client(actor: User, client: ApiClient, reason: str = "") -> ApiClient:
    """Revoke at once: the token stops working and the system account is switched off."""
    policies.require(actor, "stats.configure")
    client = ApiClient.objects.select_for_update(of=("self",)).select_related("actor").get(pk=client.pk)
    if not client.active:
        raise DomainError(_("Ứng dụng này đã bị thu hồi."), code="already_revoked")
    client.active, client.revoked_by, client.revoked_at = False, actor, timezone.now()
    client.save(update_fields=["active", "revoked_by", "revoked_at"])
    client.actor.is_active = False
    client.actor.save(update_fields=["is_active"])
    audit.record(actor, "stats.api_client.revoked", client, reason=reason.strip())
    return client


def acting_for(client: ApiClient, unit: OrgUnit) -> User:
    """The client's system account, as a statistician of ``unit`` for this request only.

    The grant lives only on this request's user object (``policies.act_with``).
    """
    account = client.actor
    grants = [policies.HeldGrant(unit, Role.STATISTICIAN)] if client.active and client.covers(unit) else []
    policies.act_with(account, grants)
    return account


# --- authentication ------------------------------------------------------------------


class ClientTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <token>`` of a registered client; ``request.auth`` is the ``ApiClient``."""

    keyword = b"bearer"
    touch_every = 60  # seconds between two writes of last_used_at

    def authenticate(self, request: Request) -> tuple[User, ApiClient] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải có dạng: Bearer <mã truy cập>."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ.")) from None
        client = ApiClient.objects.for_token(token)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Mã truy cập không hợp lệ."))
        if not client.active:
            raise exceptions.AuthenticationFailed(_("Ứng dụng kết nối đã bị thu hồi."), code="client_revoked")
        now = timezone.now()
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > self.touch_every:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        return client.actor, client

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="kiemtra"'


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = ClientTokenAuthentication
    name = "maTruyCap"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": str(_("Mã truy cập do quản trị hệ thống cấp."))}


class IsRegisteredClient(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, ApiClient)


# --- errors: Vietnamese, with a stable code --------------------------------------------

MESSAGES: dict[type[exceptions.APIException], Any] = {
    exceptions.NotAuthenticated: gettext_lazy("Thiếu mã truy cập (Authorization: Bearer <mã truy cập>)."),
    exceptions.ParseError: gettext_lazy("Nội dung gửi lên không phải JSON hợp lệ."),
    exceptions.UnsupportedMediaType: gettext_lazy("Chỉ nhận nội dung application/json."),
    exceptions.MethodNotAllowed: gettext_lazy("Phương thức này không được hỗ trợ."),
    exceptions.NotAcceptable: gettext_lazy("Chỉ trả về application/json."),
}
DOMAIN_STATUS = {
    "not_editable": status.HTTP_409_CONFLICT,
    "period_locked": status.HTTP_409_CONFLICT,
    "stale_revision": status.HTTP_409_CONFLICT,
    "no_report": status.HTTP_404_NOT_FOUND,
    "not_approved": status.HTTP_404_NOT_FOUND,
    "unit_not_allowed": status.HTTP_403_FORBIDDEN,
    "form_not_allowed": status.HTTP_403_FORBIDDEN,
    "push_not_allowed": status.HTTP_403_FORBIDDEN,
    "read_not_allowed": status.HTTP_403_FORBIDDEN,
}


class Refused(DomainError):
    """A refusal with its messages, one per bad item."""

    def __init__(self, message: Any, *, code: str, errors: list[str] | None = None) -> None:
        super().__init__(message, code=code)
        self.errors = errors or []


def _flatten(detail: Any, where: str = "") -> list[str]:
    """DRF's nested error details as "cells[2].row: message" lines."""
    if isinstance(detail, dict):
        lines = []
        for key, value in detail.items():
            if isinstance(key, int) or str(key).isdigit():
                inner = f"{where}[{key}]"
            elif key == "non_field_errors":
                inner = where
            else:
                inner = f"{where}.{key}" if where else str(key)
            lines.extend(_flatten(value, inner))
        return lines
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [f"{where}: {item}" if where else str(item) for item in detail]
        return [m for i, item in enumerate(detail) for m in _flatten(item, f"{where}[{i}]")]
    return [f"{where}: {detail}" if where else str(detail)]


def handle_error(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every refusal as ``{"code", "detail", "errors"}`` with a Vietnamese ``detail``."""
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message, "errors": getattr(exc, "errors", []) or [exc.message]}
        return Response(body, status=DOMAIN_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST))
    if isinstance(exc, PolicyDenied):
        message = _("Ứng dụng không có quyền thực hiện thao tác này.")
        return Response({"code": "forbidden", "detail": message, "errors": [message]}, status=403)
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        body = {"code": "invalid", "detail": _("Dữ liệu gửi lên chưa hợp lệ."), "errors": errors}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    message = str(MESSAGES.get(type(exc), exc.detail))
    code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
    response.data = {"code": code, "detail": message, "errors": [message]}
    return response


# --- payloads -----------------------------------------------------------------------------


def _messages(**extra: Any) -> dict[str, Any]:
    return {
        "required": gettext_lazy("Thiếu trường này."),
        "null": gettext_lazy("Không được để trống."),
        "blank": gettext_lazy("Không được để trống."),
        "invalid": gettext_lazy("Giá trị không hợp lệ."),
        "max_length": gettext_lazy("Dài quá {max_length} ký tự."),
        **extra,
    }


@extend_schema_field(
    {"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True, "description": "null = xóa ô"}
)
class CellValueField(serializers.Field):
    """A number, a text (Vietnamese number writing accepted: "1.234", "2,5"), or null to clear the cell."""

    default_error_messages = {"invalid": gettext_lazy("Giá trị phải là số, chuỗi ký tự hoặc null.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int | float | str | None:
        # Only the JSON type here: the value itself is read by ``grid.parse_value``, the one cell parser.
        if data is not None and (isinstance(data, bool) or not isinstance(data, int | float | str)):
            self.fail("invalid")
        return data  # type: ignore[no-any-return]

    def to_representation(self, value: Any) -> str:
        return rollup.text(value) if isinstance(value, Decimal) else str(value)


class CellSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Mỗi ô phải là một đối tượng JSON {row, column, value}.")}
    row = serializers.CharField(max_length=16, error_messages=_messages(), help_text="Mã dòng (chỉ tiêu)")
    column = serializers.CharField(max_length=16, error_messages=_messages(), help_text="Mã cột")
    value = CellValueField(required=True, error_messages=_messages())


class PushSerializer(serializers.Serializer):
    default_error_messages = {"invalid": gettext_lazy("Nội dung phải là một đối tượng JSON.")}
    unit = serializers.CharField(max_length=32, error_messages=_messages(), help_text="Mã đơn vị")
    period = serializers.CharField(max_length=32, error_messages=_messages(), help_text="Mã kỳ báo cáo")
    form = serializers.CharField(max_length=16, error_messages=_messages(), help_text="Số hiệu biểu")
    cells = CellSerializer(
        many=True,
        allow_empty=False,
        error_messages=_messages(
            not_a_list=gettext_lazy("Phải là danh sách các ô."), empty=gettext_lazy("Phải có ít nhất một ô.")
        ),
    )


class QuerySerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=32, error_messages=_messages(), help_text="Mã đơn vị")
    period = serializers.CharField(max_length=32, error_messages=_messages(), help_text="Mã kỳ báo cáo")
    form = serializers.CharField(max_length=16, error_messages=_messages(), help_text="Số hiệu biểu")


class ProblemSerializer(serializers.Serializer):
    rule = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()


class PushResultSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=["saved", "unchanged"])
    changed = serializers.IntegerField(help_text="Số ô thay đổi (kể cả ô tính tự động)")
    revision = serializers.IntegerField()
    state = serializers.CharField()
    problems = ProblemSerializer(many=True, help_text="Kết quả kiểm tra các ràng buộc của biểu")


class FiguresSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    period = serializers.CharField()
    form = serializers.CharField()
    form_version = serializers.IntegerField()
    state = serializers.CharField()
    edition = serializers.IntegerField()
    revision = serializers.IntegerField()
    cells = CellSerializer(many=True)


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]  # the body's key


# --- resolving codes against the client's rights -------------------------------------------


@dataclass
class Target:
    client: ApiClient
    unit: OrgUnit
    form: Form
    period: ReportingPeriod
    report: Report


def _denied(client: ApiClient, code: str, message: str, unit: OrgUnit | None = None, **extra: Any) -> Refused:
    audit.record(client.actor, "stats.api.denied", client, unit=unit, reason=code, **extra)
    return Refused(message, code=code)


def resolve(client: ApiClient, unit_code: str, period_code: str, form_code: str) -> Target:
    """The report addressed by the codes, refusing what lies outside the client's units or forms."""
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Refused(_("Không có đơn vị mã '%(c)s'.") % {"c": unit_code}, code="unknown_unit")
    if not client.covers(unit):
        raise _denied(
            client,
            "unit_not_allowed",
            _("Đơn vị '%(c)s' nằm ngoài phạm vi được phép của ứng dụng.") % {"c": unit_code},
            unit,
        )
    form = Form.objects.filter(code=form_code).first()
    if form is None:
        raise Refused(_("Không có biểu số '%(c)s'.") % {"c": form_code}, code="unknown_form")
    if not client.allows_form(form.pk):
        raise _denied(
            client, "form_not_allowed", _("Ứng dụng không được phép dùng biểu số '%(c)s'.") % {"c": form_code}, unit
        )
    period = ReportingPeriod.objects.filter(code=period_code).first()
    if period is None:
        raise Refused(_("Không có kỳ báo cáo mã '%(c)s'.") % {"c": period_code}, code="unknown_period")
    report = (
        Report.objects.select_related("unit", "period", "form_version__form")
        .filter(unit=unit, period=period, form_version__form=form)
        .first()
    )
    if report is None:
        raise Refused(
            _("Đơn vị '%(u)s' không có báo cáo biểu số '%(f)s' trong kỳ '%(p)s'.")
            % {"u": unit_code, "f": form_code, "p": period_code},
            code="no_report",
        )
    return Target(client, unit, form, period, report)


def _cells(grid: Grid, cells: list[dict[str, Any]]) -> dict[Cell, Decimal | str | None]:
    """Codes to cells and typed values; every bad cell is named, and nothing is stored if one is bad."""
    parsed: dict[Cell, Decimal | str | None] = {}
    errors = []
    form_code = grid.version.form.code
    for i, item in enumerate(cells):
        row, column = grid.row_by_code.get(item["row"]), grid.column_by_code.get(item["column"])
        if row is None or column is None:
            errors.append(
                _("cells[%(i)s]: biểu %(f)s không có ô dòng '%(r)s', cột '%(c)s'.")
                % {"i": i, "f": form_code, "r": item["row"], "c": item["column"]}
            )
            continue
        cell = (row.pk, column.pk)
        if grid.is_computed(cell):
            errors.append(_("%(where)s: là ô tính tự động, không gửi giá trị.") % {"where": grid.cell_name(cell)})
            continue
        if cell in parsed:
            errors.append(_("%(where)s: gửi hai lần.") % {"where": grid.cell_name(cell)})
            continue
        try:
            parsed[cell] = grid.parse(cell, item["value"])
        except CellError as exc:
            errors.append(str(exc))
    if errors:
        raise Refused(_("Số liệu gửi lên chưa hợp lệ; không ô nào được lưu."), code="bad_value", errors=errors)
    return parsed


def _problems(problems: Iterable[Any]) -> list[dict[str, str]]:
    return [{"rule": p.rule_code, "severity": p.severity, "message": p.message} for p in problems]


def push(client: ApiClient, payload: dict[str, Any]) -> dict[str, Any]:
    """Store the pushed cells through ``save_values``; the same payload again changes nothing."""
    if not client.can_push:
        raise _denied(client, "push_not_allowed", _("Ứng dụng không được phép gửi số liệu vào."))
    target = resolve(client, payload["unit"], payload["period"], payload["form"])
    report = target.report
    grid = Grid.of(report.form_version)
    wanted = _cells(grid, payload["cells"])
    common: dict[str, Any] = {
        "client": client.pk,
        "period": target.period.code,
        "form": target.form.code,
        "cells": len(wanted),
    }
    with transaction.atomic():
        # Compared under the row lock: two identical pushes racing each other end as "saved" and "unchanged".
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("unit", "period", "form_version__form")
            .get(pk=report.pk)
        )
        current = rollup.own_values(report)
        if all(current.get(cell) == value for cell, value in wanted.items()):
            audit.record(client.actor, "stats.api.push", report, result="unchanged", **common)
            result = {"result": "unchanged", "changed": 0, "problems": _problems(reports.validate(report))}
        else:
            saved = reports.save_values(
                acting_for(client, target.unit), report, dict(wanted), expected_revision=report.revision
            )
            report = saved.report
            audit.record(client.actor, "stats.api.push", report, result="saved", changed=saved.changed, **common)
            result = {"result": "saved", "changed": saved.changed, "problems": _problems(saved.problems)}
    return {**result, "revision": report.revision, "state": report.state}


def approved_figures(client: ApiClient, unit_code: str, period_code: str, form_code: str) -> dict[str, Any]:
    """The consolidated figures of an approved, sent or received report."""
    if not client.can_read:
        raise _denied(client, "read_not_allowed", _("Ứng dụng không được phép lấy số liệu."))
    target = resolve(client, unit_code, period_code, form_code)
    report = target.report
    if report.state not in OFFICIAL_STATES:
        raise Refused(
            _("Báo cáo chưa được phê duyệt: chưa có số liệu chính thức (trạng thái: %(s)s).")
            % {"s": report.get_state_display()},
            code="not_approved",
        )
    grid = Grid.of(report.form_version)
    placed = [
        (grid.row_by_id[row_id], grid.column_by_id[column_id], value)
        for (row_id, column_id), value in rollup.consolidated(report).items()
        if row_id in grid.row_by_id and column_id in grid.column_by_id
    ]
    placed.sort(key=lambda item: (item[0].position, item[1].position))
    cells = [{"row": row.code, "column": column.code, "value": rollup.text(value)} for row, column, value in placed]
    audit.record(
        client.actor, "stats.api.read", report, is_read=True, client=client.pk, period=period_code, form=form_code
    )
    return {
        "unit": target.unit.code,
        "unit_name": target.unit.name,
        "period": target.period.code,
        "form": target.form.code,
        "form_version": report.form_version.number,
        "state": report.state,
        "edition": report.edition,
        "revision": report.revision,
        "cells": cells,
    }


# --- the endpoints ---------------------------------------------------------------------------

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Dữ liệu không hợp lệ"),
    401: OpenApiResponse(ErrorSerializer, description="Thiếu, sai mã truy cập hoặc ứng dụng đã bị thu hồi"),
    403: OpenApiResponse(ErrorSerializer, description="Đơn vị hoặc biểu ngoài phạm vi của ứng dụng"),
    404: OpenApiResponse(ErrorSerializer, description="Không có báo cáo / chưa có số liệu chính thức"),
}


def documented(**kwargs: Any) -> Any:
    """``extend_schema`` built on drf-spectacular's AutoSchema whatever DRF's DEFAULT_SCHEMA_CLASS is."""

    def decorate(method: Any) -> Any:
        method.__dict__["schema"] = AutoSchema  # extend_schema extends the schema found on the method
        return extend_schema(**kwargs)(method)

    return decorate


class ClientAPIView(APIView):
    authentication_classes = [ClientTokenAuthentication]
    permission_classes = [IsRegisteredClient]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    schema = AutoSchema()

    def get_exception_handler(self) -> Any:
        return handle_error

    def client(self, request: Request) -> ApiClient:
        assert isinstance(request.auth, ApiClient)
        return request.auth


class FiguresView(ClientAPIView):
    """Số liệu của một báo cáo: gửi số liệu vào (POST), lấy số liệu đã phê duyệt (GET)."""

    @documented(
        operation_id="lay_so_lieu_da_phe_duyet",
        tags=["Số liệu thống kê"],
        summary="Lấy số liệu tổng hợp đã phê duyệt",
        description=(
            "Số liệu tổng hợp (của đơn vị cộng các đơn vị cấp dưới đã được tiếp nhận) của báo cáo đã phê duyệt, "
            "đã gửi hoặc đã được cấp trên tiếp nhận. Giá trị số viết dạng thập phân chính xác, dấu chấm thập phân."
        ),
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR, required=True, description="Mã đơn vị"),
            OpenApiParameter("period", OpenApiTypes.STR, required=True, description="Mã kỳ báo cáo"),
            OpenApiParameter("form", OpenApiTypes.STR, required=True, description="Số hiệu biểu"),
        ],
        responses={200: FiguresSerializer, **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = QuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return Response(approved_figures(self.client(request), data["unit"], data["period"], data["form"]))

    @documented(
        operation_id="gui_so_lieu",
        tags=["Số liệu thống kê"],
        summary="Gửi số liệu vào báo cáo của một đơn vị",
        description=(
            "Ghi các ô đã gửi vào báo cáo đang cập nhật (các ô khác giữ nguyên; value = null để xóa ô). "
            "Cùng kiểm tra, cùng khóa kỳ và cùng nhật ký như khi người thống kê nhập. Gửi lại đúng nội dung đã "
            'lưu không thay đổi gì và trả về result = "unchanged". Nếu một ô sai thì không ô nào được lưu.'
        ),
        request=PushSerializer,
        responses={
            200: PushResultSerializer,
            **ERRORS,
            409: OpenApiResponse(ErrorSerializer, description="Báo cáo không còn được cập nhật (đã gửi, kỳ đã khóa)"),
        },
    )
    def post(self, request: Request) -> Response:
        payload = PushSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return Response(push(self.client(request), dict(payload.validated_data)))
