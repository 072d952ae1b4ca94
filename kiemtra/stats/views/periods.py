"""Reporting periods: open, follow, lock; extensions, after-period corrections, trial purge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.accounts.views.common import acting_user
from kiemtra.core.errors import DomainError, PolicyDenied
from kiemtra.orgs.choices import UnitKind

from ..choices import ReportState
from ..forms import CorrectionRequestForm, DecisionForm, ExtensionRequestForm, OpenPeriodForm, PurgeTrialForm
from ..models import CorrectionRequest, Extension, Report, ReportingPeriod, TrialPurge
from ..services import periods as period_services
from ..services import reports as report_services


def _require_stats_user(request: HttpRequest) -> None:
    if not policies.scope(request.user, Module.STATS) and not policies.can(request.user, "stats.configure"):
        raise PolicyDenied("stats.view")


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    _require_stats_user(request)
    configure = policies.can(request.user, "stats.configure")
    form = OpenPeriodForm(request.POST or None) if configure else None
    if request.method == "POST":
        if form is None:
            raise PolicyDenied("stats.configure")
        if form.is_valid():
            try:
                period = period_services.open_period(acting_user(request), **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Đã mở kỳ %(p)s với %(n)s báo cáo.") % {"p": period.name, "n": period.reports.count()}
                )
                return redirect("stats:period", pk=period.pk)
    periods = ReportingPeriod.objects.annotate(n_reports=Count("reports")).order_by("-data_cutoff")
    return render(
        request,
        "stats/periods/list.html",
        {
            "periods": periods,
            "form": form,
            "configure": configure,
            "purge_form": PurgeTrialForm() if configure else None,
            "has_trial": ReportingPeriod.objects.filter(is_trial=True).exists(),
            "scheduled_purges": TrialPurge.objects.filter(done_at__isnull=True) if configure else [],
        },
    )


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_stats_user(request)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    user = acting_user(request)
    configure = policies.can(user, "stats.configure")
    visible = policies.scope(user, Module.STATS).filter(Report.objects.filter(period=period))
    by_state = dict(visible.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    unit = getattr(request, "current_unit", None)
    can_request = (
        unit is not None
        and unit.kind == UnitKind.PROVINCIAL
        and (policies.can(user, "stats.approve", unit) or policies.can(user, "stats.forward", unit))
    )
    extensions = Extension.objects.filter(period=period).select_related("unit", "requested_by", "decided_by")
    corrections = CorrectionRequest.objects.filter(report__period=period).select_related(
        "report__unit", "report__form_version__form", "requested_by"
    )
    if not configure:
        extensions = extensions.filter(unit__in=visible.values("unit"))
        corrections = corrections.filter(report__in=visible)
    return render(
        request,
        "stats/periods/detail.html",
        {
            "period": period,
            "configure": configure,
            "states": [(ReportState(s).label, by_state.get(s, 0)) for s in ReportState.values],
            "total": sum(by_state.values()),
            "extensions": extensions,
            "corrections": corrections,
            "extension_form": ExtensionRequestForm() if can_request else None,
            "decision_form": DecisionForm() if configure else None,
            "past_deadline": timezone.now() >= period.deadline,
            "breadcrumbs": [(_("Kỳ báo cáo"), "stats:periods"), (period.name, None)],
        },
    )


@login_required
@require_POST
def lock_now(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    try:
        ended = period_services.lock_period(period, actor=acting_user(request))
        messages.success(request, _("Đã khóa kỳ; %(n)s báo cáo chưa hoàn thành chuyển sang 'Kết thúc'.") % {"n": ended})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("stats:period", pk=pk)


@login_required
@require_POST
def request_extension(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = ExtensionRequestForm(request.POST)
    unit = getattr(request, "current_unit", None)
    if unit is None or not form.is_valid():
        messages.error(request, _("Thông tin đề nghị gia hạn chưa đầy đủ."))
        return redirect("stats:period", pk=pk)
    try:
        period_services.request_extension(acting_user(request), period, unit, **form.cleaned_data)
        messages.success(request, _("Đã gửi đề nghị gia hạn lên UBKT Trung ương."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("stats:period", pk=pk)


@login_required
@require_POST
def decide_extension(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(Extension, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            period_services.decide_extension(
                acting_user(request),
                extension,
                grant=form.cleaned_data["grant"],
                new_deadline=form.cleaned_data["new_deadline"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Đã quyết định đề nghị gia hạn."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("stats:period", pk=extension.period_id)


@login_required
@require_POST
def request_correction(request: HttpRequest, report_pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("unit", "period"), pk=report_pk)
    form = CorrectionRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Phải có văn bản đề nghị và nội dung chỉnh lý."))
    else:
        try:
            report_services.request_correction(acting_user(request), report, **form.cleaned_data)
            messages.success(request, _("Đã gửi đề nghị chỉnh lý lên UBKT Trung ương."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("stats:period", pk=report.period_id)


@login_required
@require_POST
def decide_correction(request: HttpRequest, pk: int) -> HttpResponse:
    correction = get_object_or_404(CorrectionRequest.objects.select_related("report"), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            report_services.decide_correction(
                acting_user(request),
                correction,
                grant=form.cleaned_data["grant"],
                until=form.cleaned_data["new_deadline"],
            )
            messages.success(request, _("Đã quyết định đề nghị chỉnh lý."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("stats:period", pk=correction.report.period_id)


@login_required
@require_POST
def purge_trial(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "stats.configure")
    form = PurgeTrialForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Chưa xóa: phải gõ đúng cụm từ xác nhận."))
    elif form.cleaned_data["at"]:
        try:
            purge = period_services.schedule_trial_purge(acting_user(request), form.cleaned_data["at"])
            messages.success(
                request,
                _("Đã lên lịch xóa dữ liệu chạy thử lúc %(t)s.")
                % {"t": timezone.localtime(purge.scheduled_at).strftime("%H:%M %d/%m/%Y")},
            )
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        n = period_services.purge_trial_data(acting_user(request))
        messages.success(request, _("Đã xóa toàn bộ dữ liệu của %(n)s kỳ chạy thử.") % {"n": n})
    return redirect("stats:periods")


urlpatterns = [
    path("ky/", period_list, name="periods"),
    path("ky/<int:pk>/", period_detail, name="period"),
    path("ky/<int:pk>/khoa/", lock_now, name="period_lock"),
    path("ky/<int:pk>/gia-han/", request_extension, name="extension_request"),
    path("gia-han/<int:pk>/quyet-dinh/", decide_extension, name="extension_decide"),
    path("bao-cao/<int:report_pk>/chinh-ly/", request_correction, name="correction_request"),
    path("chinh-ly/<int:pk>/quyet-dinh/", decide_correction, name="correction_decide"),
    path("ky/xoa-du-lieu-thu/", purge_trial, name="trial_purge"),
]
