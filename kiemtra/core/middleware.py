"""Vietnamese unless the user chose otherwise."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class VietnameseByDefaultMiddleware:
    """The browser's language is not a choice the user made here: only the language switcher is.

    Without this, a browser set to English would get English pages although the
    product is Vietnamese by default. Placed before ``LocaleMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
