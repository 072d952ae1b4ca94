from django.urls import path

from . import views

app_name = "orgs"
URL_PREFIX = "don-vi/"  # discovered by kiemtra/urls.py

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("them/", views.unit_create, name="create"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("<int:pk>/truc-thuoc/", views.unit_children, name="children"),
    path("<int:pk>/cap-nhat/", views.unit_change, name="change"),
    path("<int:pk>/dia-ban/", views.regional_assignment, name="regional"),
]
