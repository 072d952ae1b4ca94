from django.urls import path

from . import views

app_name = "cases"
URL_PREFIX = "kiem-tra/"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("ho-so/<int:pk>/", views.case_detail, name="case"),
]
