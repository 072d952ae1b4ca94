"""Discipline URLs; each area of the module keeps its own views file and ``urlpatterns``."""

from django.urls import URLPattern, URLResolver

from .views import analytics, ingest, persons, reconcile, search, stats_link

app_name = "discipline"
URL_PREFIX = "ky-luat/"  # discovered by kiemtra/urls.py

urlpatterns: list[URLPattern | URLResolver] = [
    *search.urlpatterns,
    *persons.urlpatterns,
    *ingest.urlpatterns,
    *reconcile.urlpatterns,
    *analytics.urlpatterns,
    *stats_link.urlpatterns,
]
