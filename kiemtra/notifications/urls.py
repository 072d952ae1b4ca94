from django.urls import path

from . import views

app_name = "notifications"
URL_PREFIX = "thong-bao/"  # discovered by kiemtra/urls.py

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/da-doc/", views.mark_read, name="read"),
    path("da-doc-het/", views.mark_all_read, name="read_all"),
]
