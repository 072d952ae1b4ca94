from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("kiemtra.core.urls")),
    path("tai-khoan/", include("kiemtra.accounts.urls")),
    path("don-vi/", include("kiemtra.orgs.urls")),
    path("nhat-ky/", include("kiemtra.audit.urls")),
    path("thong-ke/", include("kiemtra.stats.urls")),
    path("ky-luat/", include("kiemtra.discipline.urls")),
    path("api/thong-ke/", include("kiemtra.stats.api_urls")),
    path("don-thu/", include("kiemtra.letters.urls")),
    path("api/vneid/v1/", include("kiemtra.letters.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
