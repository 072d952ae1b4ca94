"""The help pages: the index of tasks, one page per task, and the files of its media."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from . import media
from .topics import BY_SLUG, TOPICS


@login_required
def index(request: HttpRequest) -> HttpResponse:
    topics = [(topic, media.media_of(topic.slug)) for topic in TOPICS]
    return render(request, "help/index.html", {"topics": topics, "breadcrumbs": [(_("Hướng dẫn sử dụng"), None)]})


@login_required
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    found = BY_SLUG.get(slug)
    if found is None:
        raise Http404(_("Không có trang hướng dẫn này."))
    return render(
        request,
        "help/topic.html",
        {
            "topic": found,
            "media": media.media_of(slug),
            "breadcrumbs": [(_("Hướng dẫn sử dụng"), "help:index"), (found.title, None)],
        },
    )


@login_required
@cache_control(private=True, max_age=3600)
def media_file(request: HttpRequest, slug: str, name: str) -> FileResponse:
    path = media.media_file(slug, name) if slug in BY_SLUG else None
    if path is None:
        raise Http404(_("Không có tệp này."))
    return FileResponse(path.open("rb"), content_type=media.SERVED[path.suffix])
