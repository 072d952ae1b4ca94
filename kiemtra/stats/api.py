"""Integration API (Quy định 11 Art. 12): other software pushes statistics in and reads approved figures.

The HTTP side only: token authentication, payloads, the OpenAPI schema and
Vietnamese errors. Registering clients, pushing and reading are the services of
``services.integration``. Clients send ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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

from kiemtra.accounts.models import User
from kiemtra.core.errors import DomainError, PolicyDenied

from .models_api import ApiClient
from .services import rollup
from .services.integration import (
    Refused,
    acting_for,
    approved_figures,
    push,
    register_client,
    resolve,
    revoke_client,
)

# The services, under the names the views and the tests of this module know.
__all__ = ["Refused", "acting_for", "approved_figures", "push", "register_client", "resolve", "revoke_client"]


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
