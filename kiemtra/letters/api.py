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
import hmac
import json
import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dateparse import parse_datetime
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
        if not code:
            return None
        unit = records.unit_by_code(code)
        if unit is None:
            raise serializers.ValidationError(_("Không có cơ quan với mã này trong cây đơn vị."))
        return unit


# --- the common case without the serializer ---------------------------------------------------


class _Unusual(Exception):
    """A value the plain check does not vouch for: the serializer decides (and names the errors)."""


_SURROGATES = re.compile("[\ud800-\udfff]")


def _text(value: Any, max_length: int, *, blank: bool = False) -> str:
    # What serializers.CharField accepts and gives back, for plain strings only.
    if not isinstance(value, str) or "\x00" in value or _SURROGATES.search(value):
        raise _Unusual
    value = value.strip()
    if (not value and not blank) or len(value) > max_length:
        raise _Unusual
    return value


def _optional_text(data: dict[str, Any], name: str, max_length: int, out: dict[str, Any]) -> None:
    if name in data:
        out[name] = _text(data[name], max_length, blank=True)


CITIZEN_ID = re.compile(r"^\d{12}$")


def plain_validated(payload: dict[str, Any]) -> dict[str, Any] | None:
    """``SubmissionSerializer``'s validated data for a well-formed body of plain values, else None.

    The serializer costs a few milliseconds a request; this check accepts only what it would
    accept and gives back the same data (a test holds them together), and hands anything
    unusual or wrong to it, so errors keep the serializer's field messages.
    """
    try:
        sender, about, attachments = payload["sender"], payload.get("about"), payload.get("attachments", [])
        if not isinstance(sender, dict) or not isinstance(attachments, list) or len(attachments) > files.MAX_FILES:
            raise _Unusual
        if about is not None and not isinstance(about, dict):
            raise _Unusual
        citizen_id = _text(sender["citizen_id"], 10**6)
        if not CITIZEN_ID.match(citizen_id):
            raise _Unusual
        checked_sender = {
            "full_name": _text(sender["full_name"], 255),
            "citizen_id": citizen_id,
            "phone": _text(sender["phone"], 32),
            "address": _text(sender["address"], 500),
        }
        if "email" in sender:
            email = sender["email"]
            if email is None or email == "":
                checked_sender["email"] = email
            else:
                checked_sender["email"] = _text(email, 254)
                validate_email(checked_sender["email"])
        confidential, kind = payload["keep_identity_confidential"], payload["kind"]
        if not isinstance(confidential, bool) or not isinstance(kind, str) or kind not in Kind.values:
            raise _Unusual
        submitted = payload["submitted_at"]  # serializers.DateTimeField: ISO 8601, not trimmed
        when = parse_datetime(submitted) if isinstance(submitted, str) else None
        if when is None or timezone.is_naive(when):
            raise _Unusual
        data: dict[str, Any] = {
            "submission_id": _text(payload["submission_id"], 128),
            "submitted_at": when.astimezone(timezone.get_current_timezone()),
            "sender": checked_sender,
            "keep_identity_confidential": confidential,
            "kind": kind,
        }
        if "addressed_unit_code" in payload:
            code = payload["addressed_unit_code"]
            if code is None:
                data["addressed_unit_code"] = None
            else:
                unit = records.unit_by_code(_text(code, 32))
                if unit is None:
                    raise _Unusual
                data["addressed_unit_code"] = unit
        if "about" in payload:
            if about is None:
                data["about"] = None
            else:
                checked_about: dict[str, Any] = {}
                for name in ("name", "position", "organisation"):
                    _optional_text(about, name, 255, checked_about)
                data["about"] = checked_about
        data["title"] = _text(payload["title"], 500)
        data["content"] = _text(payload["content"], records.MAX_CONTENT_CHARS)
        checked_attachments = []
        for item in attachments:
            if not isinstance(item, dict):
                raise _Unusual
            checked_attachments.append(
                {
                    "filename": _text(item["filename"], 255),
                    "content_type": _text(item["content_type"], 100),
                    "data_base64": _text(item["data_base64"], MAX_BODY_BYTES),
                }
            )
        data["attachments"] = checked_attachments
    except (_Unusual, KeyError, TypeError, DjangoValidationError, OverflowError, ValueError):
        return None
    return data


def validated(payload: dict[str, Any]) -> tuple[dict[str, Any] | None, Any]:
    """(the validated data, None) or (None, the serializer's field errors)."""
    data = plain_validated(payload)
    if data is not None:
        return data, None
    serializer = SubmissionSerializer(data=payload)
    if not serializer.is_valid():
        return None, serializer.errors
    return dict(serializer.validated_data), None


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
            payload = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = _NOT_JSON
        submission_id = payload.get("submission_id") if isinstance(payload, dict) else None
        try:
            # The client and an earlier submission under this id, in one query; nothing of the body is
            # used before the signature over it holds.
            client, known = vneid.authenticate_submission(*_headers(request), raw, submission_id)
        except vneid.Unauthorized as refused:
            return error(401, refused.code, refused.message)
        if payload is _NOT_JSON:
            return error(400, "invalid_json", _("Thân yêu cầu không phải JSON hợp lệ."))
        if not isinstance(payload, dict):
            return error(400, "invalid_json", _("Thân yêu cầu phải là một đối tượng JSON."))
        digest = vneid.body_digest(payload)
        if known is not None and hmac.compare_digest(known.body_digest, digest):
            # The same body again (a retry): it was valid when its letter was stored.
            return _receipt(vneid.Outcome(known.tracking_code, known.status, created=False))
        data, errors = validated(payload)
        if data is None:
            return error(400, "invalid", _("Dữ liệu không hợp lệ."), errors)
        looked_up: Any = {"known": known} if data["submission_id"] == submission_id else {}
        try:
            new = _new_letter(data, _decode(data.get("attachments") or []))
            outcome = vneid.receive(client, data["submission_id"], digest, new, **looked_up)
        except vneid.Conflict:
            return error(409, "conflict", _("submission_id này đã được gửi với nội dung khác."))
        except DomainError as refused:
            status = 413 if refused.code == "attachment_too_large" else 400
            return error(status, refused.code, refused.message)
        return _receipt(outcome)


_NOT_JSON: Any = object()


def _receipt(outcome: vneid.Outcome) -> Response:
    return Response(
        {"tracking_code": outcome.tracking_code, "status": outcome.status}, status=201 if outcome.created else 200
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
