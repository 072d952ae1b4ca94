"""Vietnamese unless the user chose otherwise; a refused change is a message, never a 500."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .errors import DomainError


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


class DomainErrorMiddleware:
    """A ``DomainError`` that escapes any view becomes its Vietnamese message and a 400, never a 500.

    - JSON and API requests (``Accept: application/json``, a JSON body, or a path
      under ``/api/``) get ``{"code", "detail", "error", "errors"}`` — the shape of
      the statistics API's refusals and of the entry grid's JSON errors.
    - htmx requests get the message as a small alert partial; ``HX-Reswap: none``
      plus an ``HX-Trigger`` event carry it when the page keeps its content.
    - Pages, GET or POST, get a 400 page with the message and a way back. Not a
      redirect back: the status stays honest for tests and proxies, and the
      browser's Back keeps what the user typed in the form.

    Views that catch ``DomainError`` themselves (to re-show a form with the error
    on its field) keep doing so; this is the one place for everything else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        return domain_error_response(request, exception)


def domain_error_response(request: HttpRequest, exception: DomainError) -> HttpResponse:
    """The 400 answer to a refused request, in the form the request expects (JSON, htmx partial or page)."""
    message, code = exception.message, exception.code
    if _wants_json(request):
        body = {"code": code, "detail": message, "error": message, "errors": [message]}
        return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
    if request.headers.get("HX-Request") == "true":
        response = render(request, "core/domain_error_partial.html", {"message": message, "code": code}, status=400)
        response["HX-Reswap"] = "none"
        response["HX-Trigger"] = json.dumps({"domain-error": {"code": code, "message": message}})
        return response
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
    context = {"message": message, "code": code, "back": referer if referer and safe else ""}
    return render(request, "core/domain_error.html", context, status=400)


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith("/api/")
        or request.content_type == "application/json"
        or ("application/json" in accept and "text/html" not in accept)
    )


class RefuseNulCharactersMiddleware:
    """A NUL character in a query parameter or a form field is refused with a 400 naming the field.

    No user types one; PostgreSQL refuses to store or even compare text holding it
    (a ``DataError``, then a 500), so it is stopped at the door for every page and
    API at once. JSON bodies are left to their parsers, which name the cell; multipart
    uploads to their views: reading their fields here would fix the upload handlers
    before the views choose them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = self._field_with_nul(request)
        if field is not None:
            message = _("Trường %(field)s có ký tự NUL (mã 0), không được phép: hãy nhập lại.") % {"field": field}
            return domain_error_response(request, DomainError(message, code="nul_character"))
        return self.get_response(request)

    @staticmethod
    def _field_with_nul(request: HttpRequest) -> str | None:
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "")
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            for name, values in request.POST.lists():
                if "\x00" in name or any("\x00" in v for v in values):
                    return name.replace("\x00", "")
        return None
