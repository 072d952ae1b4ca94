from django.urls import path

from . import views

# The namespace stays "core": `core:home` is named in templates,
# settings (LOGIN_REDIRECT_URL) and tests; renaming them all would be churn for nothing.
app_name = "core"
URL_PREFIX = ""

urlpatterns = [
    path("", views.home, name="home"),
]
