from django.urls import path

from . import views

app_name = "help"
URL_PREFIX = "huong-dan/"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.topic, name="topic"),
    path("<slug:slug>/tep/<str:name>", views.media_file, name="media"),
]
