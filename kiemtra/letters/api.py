"""The VNeID inbound API: the national platform forwards submissions and reads their status.

Every request is signed: ``X-Client-Id``, ``X-Timestamp`` (Unix seconds) and
``X-Signature`` = lowercase hex HMAC-SHA256(secret, ``"<timestamp>.<raw body>"``).
The raw body is read here, before any parsing, because the signature covers the
bytes as sent. Order of refusals: too large (413, before reading) → signature
(401) → JSON and fields (400) → attachments (413 / 400) → same id, other body (409).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kiemtra.core.errors import DomainError
from kiemtra.orgs.models import OrgUnit

from . import files
from .choices import Channel, Kind, Status
from .policies import commission_of
from .services import handling, records, vneid

# 5 files of 10 MB in base64 (4/3), plus the JSON around them.
MAX_BODY_BYTES = files.MAX_FILES * (files.MAX_FILE_BYTES * 4 // 3 + 4) + 1024 * 1024


class SenderSerializer(serializers.Serializer[Any]):
    full_name = serializers.CharField(max_length=255)
    citizen_id = serializers.RegexField(
        r"^\d{12}$", error_messages={"invalid": "Số định danh cá nhân phải gồm 12 chữ số."}
    )
    phone = serializers.CharField(max_length=32)
    address = serializers.CharField(max_length=500)
    email = serializers.EmailField(required=False, allow_blank=True, allow_null=True)


class AboutSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255, required=False, allow_blank=True)
    position = serializers.CharField(max_length=255, required=False, allow_blank=True)
    organisation = serializers.CharField(max_length=255, required=False, allow_blank=True)


class AttachmentSerializer(serializers.Serializer[Any]):
    filename = serializers.CharField(max_length=255)
    content_type = serializers.CharField(max_length=100)
    data_base64 = serializers.CharField()


class SubmissionSerializer(serializers.Serializer[Any]):
    submission_id = serializers.CharField(max_length=128)
    submitted_at = serializers.DateTimeField()
    sender = SenderSerializer()
    keep_identity_confidential = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=Kind.values)
    addressed_unit_code = serializers.CharField(max_length=32, allow_null=True, required=False)
    about = AboutSerializer(required=False, allow_null=True)
    title = serializers.CharField(max_length=500)
    content = serializers.CharField(max_length=records.MAX_CONTENT_CHARS)
    attachments = serializers.ListField(
        child=AttachmentSerializer(), required=False, max_length=files.MAX_FILES, default=list
    )

    def validate_addressed_unit_code(self, code: str | None) -> OrgUnit | None:
        if code in (None, ""):
            return None
        unit = OrgUnit.objects.filter(code=code, valid_to__isnull=True).select_related("parent").first()
        if unit is None:
            raise serializers.ValidationError(_("Không có cơ quan với mã này trong cây đơn vị."))
        return unit


class ReceiptSerializer(serializers.Serializer[Any]):
    tracking_code = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.values)


class StatusSerializer(ReceiptSerializer):
    status_label = serializers.CharField()
    reply = serializers.CharField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ErrorSerializer(serializers.Serializer[Any]):
    error = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(required=False)  # type: ignore[assignment]  # the error body's key


def error(status: int, code: str, message: str, fields: Any = None) -> Response:
    body: dict[str, Any] = {"error": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    return Response(body, status=status)


SIGNED = [
    OpenApiParameter("X-Client-Id", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True),
    OpenApiParameter("X-Timestamp", OpenApiTypes.INT, OpenApiParameter.HEADER, required=True, description="Giây Unix"),
    OpenApiParameter(
        "X-Signature",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=True,
        description='Hex chữ thường của HMAC-SHA256(khóa bí mật, "<X-Timestamp>.<thân yêu cầu nguyên dạng>")',
    ),
]
ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Dữ liệu không hợp lệ, tệp đính kèm sai loại"),
    401: OpenApiResponse(
        ErrorSerializer, description="Thiếu hoặc sai chữ ký, ứng dụng lạ, thời điểm lệch quá 300 giây"
    ),
}


def documented(**kwargs: Any) -> Any:
    def decorate(method: Any) -> Any:
        method.__dict__["schema"] = AutoSchema
        return extend_schema(**kwargs)(method)

    return decorate


def _headers(request: Request) -> tuple[str, str, str]:
    meta = request._request.META
    return meta.get("HTTP_X_CLIENT_ID", ""), meta.get("HTTP_X_TIMESTAMP", ""), meta.get("HTTP_X_SIGNATURE", "")


def _decode(items: list[dict[str, Any]]) -> list[files.IncomingFile]:
    decoded = []
    for i, item in enumerate(items, 1):
        try:
            data = base64.b64decode(item["data_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise DomainError(
                _("Tệp đính kèm %(n)d: data_base64 không phải base64 hợp lệ.") % {"n": i}, code="attachment_base64"
            ) from None
        decoded.append(files.IncomingFile(item["filename"], data, item["content_type"]))
    return decoded


def _new_letter(data: dict[str, Any], attachments: list[files.IncomingFile]) -> records.NewLetter:
    sender = data["sender"]
    about = data.get("about") or {}
    addressed = data.get("addressed_unit_code")
    submitted = data["submitted_at"]
    return records.NewLetter(
        channel=Channel.VNEID,
        kind=data["kind"],
        holding_unit=commission_of(addressed) if addressed else records.root_commission(),
        addressed_unit=addressed,
        received_on=timezone.localdate(),
        submitted_at=submitted if isinstance(submitted, dt.datetime) else None,
        title=data["title"],
        content=data["content"],
        senders=[
            records.Sender(
                full_name=sender["full_name"],
                citizen_id=sender["citizen_id"],
                address=sender["address"],
                phone=sender["phone"],
                email=sender.get("email") or "",
            )
        ],
        keep_identity_confidential=data["keep_identity_confidential"],
        about=records.About(
            name=about.get("name", ""), position=about.get("position", ""), organisation=about.get("organisation", "")
        ),
        attachments=attachments,
        citizen_id=sender["citizen_id"],
    )


class SignedView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    parser_classes: list[Any] = []
    schema = AutoSchema()


class SubmissionsView(SignedView):
    @documented(
        operation_id="gui_don_thu",
        tags=["VNeID"],
        summary="Chuyển một đơn thư công dân gửi qua VNeID",
        description=(
            "Gửi lại cùng submission_id với cùng nội dung trả về 200 và cùng mã theo dõi (an toàn khi gửi lại "
            "đồng thời); cùng submission_id với nội dung khác trả về 409. Tối đa 5 tệp PDF, JPEG, PNG, DOCX, "
            "mỗi tệp 10 MB; nội dung tối đa 20.000 ký tự."
        ),
        parameters=SIGNED,
        request=SubmissionSerializer,
        responses={
            201: ReceiptSerializer,
            200: ReceiptSerializer,
            **ERRORS,
            409: OpenApiResponse(ErrorSerializer, description="Cùng submission_id nhưng nội dung khác"),
            413: OpenApiResponse(ErrorSerializer, description="Yêu cầu hoặc tệp đính kèm quá lớn"),
        },
    )
    def post(self, request: Request) -> Response:
        django_request = request._request
        try:
            length = int(django_request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return error(413, "too_large", _("Yêu cầu quá lớn."))
        # Read the stream ourselves: Django's ``body`` stops at DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
        raw = django_request.read(MAX_BODY_BYTES + 1)
        if len(raw) > MAX_BODY_BYTES:
            return error(413, "too_large", _("Yêu cầu quá lớn."))
        try:
            client = vneid.authenticate(*_headers(request), raw)
        except vneid.Unauthorized as refused:
            return error(401, refused.code, refused.message)
        try:
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return error(400, "invalid_json", _("Thân yêu cầu không phải JSON hợp lệ."))
        if not isinstance(payload, dict):
            return error(400, "invalid_json", _("Thân yêu cầu phải là một đối tượng JSON."))
        serializer = SubmissionSerializer(data=payload)
        if not serializer.is_valid():
            return error(400, "invalid", _("Dữ liệu không hợp lệ."), serializer.errors)
        data = dict(serializer.validated_data)
        try:
            new = _new_letter(data, _decode(data.get("attachments") or []))
            outcome = vneid.receive(client, data["submission_id"], vneid.body_digest(payload), new)
        except vneid.Conflict:
            return error(409, "conflict", _("submission_id này đã được gửi với nội dung khác."))
        except DomainError as refused:
            status = 413 if refused.code == "attachment_too_large" else 400
            return error(status, refused.code, refused.message)
        letter = outcome.letter
        return Response(
            {"tracking_code": letter.tracking_code, "status": letter.status}, status=201 if outcome.created else 200
        )


class SubmissionStatusView(SignedView):
    @documented(
        operation_id="trang_thai_don_thu",
        tags=["VNeID"],
        summary="Trạng thái và câu trả lời của một đơn thư",
        description="Ký như khi gửi, trên thân rỗng.",
        parameters=SIGNED,
        responses={200: StatusSerializer, **ERRORS, 404: OpenApiResponse(ErrorSerializer, description="Không có")},
    )
    def get(self, request: Request, submission_id: str) -> Response:
        try:
            client = vneid.authenticate(*_headers(request), b"")
        except vneid.Unauthorized as refused:
            return error(401, refused.code, refused.message)
        letter = vneid.find(client, submission_id)
        if letter is None:
            return error(404, "not_found", _("Không có đơn thư với submission_id này."))
        return Response(
            {
                "tracking_code": letter.tracking_code,
                "status": letter.status,
                "status_label": handling.destination_label(letter),
                "reply": records.reply_of(letter),
                "updated_at": letter.updated_at.isoformat(),
            }
        )
