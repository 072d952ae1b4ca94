"""Statistics URLs; each area of the module keeps its own views file and ``urlpatterns``."""

from django.urls import URLPattern, URLResolver

from .views import board, designer, entry, excel, lookup, periods, validation

app_name = "stats"
URL_PREFIX = "thong-ke/"  # discovered by kiemtra/urls.py

urlpatterns: list[URLPattern | URLResolver] = [
    *entry.urlpatterns,
    *board.urlpatterns,
    *periods.urlpatterns,
    *excel.urlpatterns,
    *designer.urlpatterns,
    *lookup.urlpatterns,
    *validation.urlpatterns,
]
