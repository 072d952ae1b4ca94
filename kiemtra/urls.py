from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("huong-dan/", include("kiemtra.help.urls")),  # before core: /huong-dan/ (core:help) is the help home
    path("", include("kiemtra.core.urls")),
    path("tai-khoan/", include("kiemtra.accounts.urls")),
    path("don-vi/", include("kiemtra.orgs.urls")),
    path("nhat-ky/", include("kiemtra.audit.urls")),
    path("thong-ke/", include("kiemtra.stats.urls")),
    path("ky-luat/", include("kiemtra.discipline.urls")),
    path("api/thong-ke/", include("kiemtra.stats.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
