"""The person view: every decision about one member in the reader's scope, and manual merge and split.

A person is an identity (name + birth year + unit, ``services.persons``). The
page lists the decisions of that identity that the reader may see, with their
details; a classified decision whose details are withheld from the reader is
left out altogether (listing it under a name would tell what the decision
withholds). Reading a person with classified decisions is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.accounts.views.common import acting_user
from kiemtra.audit import services as audit
from kiemtra.core.errors import DomainError

from .. import filters, search
from ..models import Decision, Details, Person
from ..services import persons, records

CANDIDATES = 20
CANDIDATE_DECISIONS = 200


@dataclass
class Career:
    """One person as this reader sees them."""

    person: Person
    name: str
    rows: list[tuple[Decision, Details]]

    @property
    def birth_years(self) -> list[int]:
        return sorted({d.birth_year for d, _details in self.rows if d.birth_year})


def _current(pk: int) -> tuple[Person, bool]:
    """The person, following merges; True when it was merged into another."""
    person = get_object_or_404(Person, pk=pk)
    seen = {person.pk}
    while person.merged_into_id is not None and person.merged_into_id not in seen:
        seen.add(person.merged_into_id)
        person = Person.objects.get(pk=person.merged_into_id)
    return person, person.pk != pk


def _career(actor: Any, person: Person) -> Career:
    """The person's published decisions the reader may read, oldest first.

    404 when there is none, as for a person who does not exist: the page never tells that someone has
    decisions the reader may not see.
    """
    visible = policies.scope(actor, Module.DISCIPLINE)
    decisions = list(
        visible.filter(Decision.objects.published().filter(person=person))
        .select_related("unit", "province")
        .prefetch_related("categories")
        .order_by("issued_on", "pk")
    )
    readable = [
        d for d in decisions if not d.is_classified or policies.can(actor, "discipline.read_classified", d.unit)
    ]
    if not readable:
        raise Http404
    details = records.visible_details(actor, readable)
    classified = [d.pk for d in readable if d.is_classified]
    if classified:
        audit.record_read(actor, "discipline.person.read", person, unit=readable[0].unit, decisions=classified)
    rows: list[tuple[Decision, Details]] = []
    for decision in readable:
        shown = details[decision.pk]
        if shown is not None:
            rows.append((decision, shown))
    return Career(person=person, name=person.name, rows=rows)


def _candidates(actor: Any, person: Person, text: str) -> list[Career]:
    """Other people whose decisions match ``text`` (the merge search); names only where readable."""
    if not text.strip():
        return []
    found = search.search(actor, search.DecisionQuery(text=text)).filter(person__isnull=False).exclude(person=person)
    decisions = list(found.select_related("unit", "person")[:CANDIDATE_DECISIONS])
    details = records.visible_details(actor, decisions)
    careers: dict[int, Career] = {}
    for decision in decisions:
        shown = details[decision.pk]
        assert decision.person is not None
        if shown is None or decision.person.merged_into_id is not None:
            continue
        career = careers.setdefault(
            decision.person.pk, Career(person=decision.person, name=shown.subject_name, rows=[])
        )
        career.rows.append((decision, shown))
        if len(careers) >= CANDIDATES:
            break
    return list(careers.values())


@login_required
def person_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = acting_user(request)
    person, moved = _current(pk)
    if moved:
        return redirect("discipline:person", person.pk)
    career = _career(actor, person)
    may_manage = policies.can(actor, "discipline.manage_persons")
    merge_text = filters.clean_value(request.GET.get("gop", ""))
    context = {
        "career": career,
        "may_manage": may_manage,
        "merge_text": merge_text,
        "candidates": _candidates(actor, person, merge_text) if may_manage else [],
        "breadcrumbs": [(_("Tra cứu quyết định kỷ luật"), "discipline:search"), (career.name, None)],
    }
    return render(request, "discipline/person.html", context)


@login_required
def person_merge(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    """GET: both people side by side, to confirm. POST: the decisions of ``other`` move to ``pk``."""
    actor = acting_user(request)
    policies.require(actor, "discipline.manage_persons")
    keep = get_object_or_404(Person, pk=pk)
    absorbed = get_object_or_404(Person, pk=other)
    if keep.merged_into_id is not None or absorbed.merged_into_id is not None:
        messages.error(request, _("Hồ sơ này đã được gộp vào một hồ sơ khác; hãy tải lại trang."))
        return redirect("discipline:person", _current(pk)[0].pk)
    if request.method == "POST":
        try:
            persons.merge(actor, keep, absorbed)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("discipline:person", keep.pk)
        messages.success(request, _("Đã gộp hai hồ sơ làm một."))
        return redirect("discipline:person", keep.pk)
    context = {
        "keep": _career(actor, keep),
        "other": _career(actor, absorbed),
        "breadcrumbs": [(_("Tra cứu quyết định kỷ luật"), "discipline:search"), (_("Gộp hồ sơ"), None)],
    }
    return render(request, "discipline/person_merge.html", context)


@login_required
@require_POST
def person_split(request: HttpRequest, pk: int) -> HttpResponse:
    """The ticked decisions were about someone else: they become a person of their own."""
    actor = acting_user(request)
    policies.require(actor, "discipline.manage_persons")
    person = get_object_or_404(Person, pk=pk, merged_into__isnull=True)
    ids = [i for v in request.POST.getlist("decision")[:1000] if (i := filters.record_id(v)) is not None]
    try:
        new = persons.split(actor, person, list(Decision.objects.filter(pk__in=ids).select_related("unit")))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("discipline:person", person.pk)
    moved = Decision.objects.filter(person=new).count()
    messages.success(request, _("Đã tách %(n)s quyết định thành một hồ sơ riêng.") % {"n": moved})
    return redirect("discipline:person", new.pk)


urlpatterns: list[URLPattern] = [
    path("nguoi/<int:pk>/", person_page, name="person"),
    path("nguoi/<int:pk>/gop/<int:other>/", person_merge, name="person_merge"),
    path("nguoi/<int:pk>/tach/", person_split, name="person_split"),
]
