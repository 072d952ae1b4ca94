"""The root URLconf: every project app's ``urls.py`` (and ``api_urls.py``) that declares a ``URL_PREFIX``.

A new module adds its URLs by shipping ``urls.py`` with ``app_name`` and
``URL_PREFIX``; nothing here names it. An app with a ``urls.py`` but no prefix is
a mistake, reported at start-up rather than left unreachable.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, include, path

URL_MODULES = ("urls", "api_urls")


def _module(name: str) -> ModuleType | None:
    try:
        return import_module(name)
    except ModuleNotFoundError as error:
        if error.name == name:
            return None
        raise


def app_urlpatterns() -> list[URLPattern | URLResolver]:
    found: list[URLPattern | URLResolver] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("kiemtra."):
            continue
        for module_name in URL_MODULES:
            module = _module(f"{config.name}.{module_name}")
            if module is None:
                continue
            prefix = getattr(module, "URL_PREFIX", None)
            if prefix is None:
                raise ImproperlyConfigured(f'{module.__name__} has no URL_PREFIX (e.g. URL_PREFIX = "don-thu/")')
            found.append(path(prefix, include(module)))
    return found


urlpatterns = [
    *app_urlpatterns(),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
