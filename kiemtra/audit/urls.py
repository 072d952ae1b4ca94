from django.urls import path

from . import views

app_name = "audit"
URL_PREFIX = "nhat-ky/"  # discovered by kiemtra/urls.py

urlpatterns = [path("", views.event_list, name="list")]
