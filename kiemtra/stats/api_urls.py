"""The statistics integration API, included at ``/api/thong-ke/`` (namespace ``stats_api``)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from . import api

app_name = "stats_api"

PREFIX = URL_PREFIX = "api/thong-ke/"  # URL_PREFIX: discovered by kiemtra/urls.py

endpoints: list[URLPattern | URLResolver] = [
    path("so-lieu/", api.FiguresView.as_view(), name="figures"),
]


class SchemaView(SpectacularAPIView):
    """The published OpenAPI schema of this API (no token needed to read it)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    patterns = [path(PREFIX, include(endpoints))]
    custom_settings = {
        "TITLE": "Kiểm tra số — API thống kê",
        "DESCRIPTION": (
            "Kết nối với Cơ sở dữ liệu thống kê ngành Kiểm tra (Quy định 11-QĐ/UBKTTW, Điều 12). "
            "Ứng dụng được quản trị hệ thống đăng ký theo văn bản phê duyệt kết nối và gửi "
            "'Authorization: Bearer <mã truy cập>' (mã chỉ hiển thị một lần khi đăng ký). Phạm vi: các đơn vị được "
            "phép (kể cả các đơn vị cấp dưới nếu được đăng ký như vậy) và các biểu được phép."
        ),
        "VERSION": "1",
    }


urlpatterns: list[URLPattern | URLResolver] = [
    *endpoints,
    path("schema/", SchemaView.as_view(), name="schema"),
]
