"""The VNeID inbound API, included at ``/api/vneid/v1/`` (namespace ``letters_api``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from . import api

app_name = "letters_api"
URL_PREFIX = "api/vneid/v1/"

PREFIX = "api/vneid/v1/"

endpoints: list[URLPattern | URLResolver] = [
    path("submissions", api.SubmissionsView.as_view(), name="submissions"),
    path("submissions/<str:submission_id>", api.SubmissionStatusView.as_view(), name="submission"),
]


class SchemaView(SpectacularAPIView):
    """The published OpenAPI schema of this API."""

    authentication_classes = []
    permission_classes = [AllowAny]
    patterns = [path(PREFIX, include(endpoints))]
    custom_settings = {
        "TITLE": "Kiểm tra số — API tiếp nhận đơn thư qua VNeID",
        "DESCRIPTION": (
            "Nền tảng VNeID chuyển đơn thư của đảng viên, công dân tới ủy ban kiểm tra có thẩm quyền và đọc "
            "trạng thái, câu trả lời. Mỗi yêu cầu có X-Client-Id, X-Timestamp (giây Unix, lệch không quá 300 giây) "
            'và X-Signature = hex HMAC-SHA256(khóa bí mật, "<X-Timestamp>.<thân yêu cầu>"). Ứng dụng được đăng '
            "ký bằng lệnh 'kiemtra letters vneid-client add TÊN'."
        ),
        "VERSION": "1",
    }


urlpatterns: list[URLPattern | URLResolver] = [
    *endpoints,
    path("schema/", SchemaView.as_view(), name="schema"),
]
