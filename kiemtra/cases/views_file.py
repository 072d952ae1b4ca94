"""The file's own pages beyond its steps: documents (upload, search), who reads it (added readers, an upper
commission's request), discipline from the conclusion, a follow-up inspection, closing and the archive copy.

Thin: each view reads its fields and calls the service, which checks the policy and
validates; a ``DomainError`` is a 400 with its Vietnamese message, nothing stored.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kiemtra.accounts import policies as account_policies
from kiemtra.core.errors import DomainError

from . import forms, policies
from .models import CaseFile
from .services import archive, cases, documents, followup
from .views_actions import case_people

PAGE_SIZE = 20


def _case(pk: int) -> CaseFile:
    return get_object_or_404(CaseFile.objects.select_related("unit"), pk=pk)


@login_required
@require_POST
def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The team adds a document (or a new version of one with the same title)."""
    case = _case(pk)
    if not account_policies.can(request.user, "cases.case.work", case):
        raise PermissionDenied
    upload = request.FILES.get("file")
    if upload is None:
        raise DomainError(_("Tệp tài liệu: chọn một tệp để tải lên."), code="file")
    document = documents.store(
        request.user, case, request.POST.get("title", ""), upload.name or "tai-lieu", upload.read()
    )
    done = _("Đã lưu tài liệu \u201c%(title)s\u201d (phiên bản %(v)s).")
    messages.success(request, done % {"title": document.title, "v": document.version})
    return redirect("cases:case", pk)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Documents having every word typed, among the files this user may read; what is shown is audited."""
    if not account_policies.scope(request.user, policies.SCOPE):
        raise PermissionDenied
    query = (request.GET.get("q") or "").strip()
    page = None
    if query:
        page = Paginator(documents.search(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
        documents.record_search(request.user, list(page.object_list))
    return render(request, "cases/search.html", {"query": query, "page": page})


@login_required
@require_POST
def add_reader(request: HttpRequest, pk: int) -> HttpResponse:
    """The leadership lets someone of the commission outside the team read the file, with a reason."""
    case = _case(pk)
    if not account_policies.can(request.user, "cases.case.manage", case):
        raise PermissionDenied
    person = next((p for p in case_people(case) if str(p.pk) == request.POST.get("person")), None)
    if person is None:
        raise DomainError(_("Người được xem: chọn một người của ủy ban kiểm tra."), code="person")
    cases.add_reader(request.user, case, person, request.POST.get("reason", ""))
    messages.success(request, _("Đã cho phép %(name)s xem hồ sơ.") % {"name": person.full_name})
    return redirect("cases:case", pk)


@login_required
@require_POST
def request_content(request: HttpRequest, pk: int) -> HttpResponse:
    """An upper commission's leadership records its request to read a subordinate's file (the file's leadership
    is told); from then on it reads the file."""
    case = _case(pk)
    cases.request_content(request.user, case, request.POST.get("reason", ""))
    messages.success(request, _("Đã ghi nhận yêu cầu xem hồ sơ; lãnh đạo ủy ban kiểm tra cấp dưới được thông báo."))
    return redirect("cases:case", pk)


@login_required
@require_POST
def record_discipline(request: HttpRequest, pk: int) -> HttpResponse:
    """The discipline decided by the conclusion goes to the discipline database through its own service."""
    case = _case(pk)
    if not account_policies.can(request.user, "cases.case.manage", case):
        raise PermissionDenied
    conclusion = getattr(case, "conclusion", None)
    if conclusion is None:
        raise DomainError(_("Hồ sơ chưa có kết luận."), code="conclusion")
    followup.record_discipline(
        request.user,
        conclusion,
        number=forms.text_field(request.POST, "number", _("Số quyết định kỷ luật")),
        issued_on=forms.date_field(request.POST, "issued_on", _("Ngày quyết định kỷ luật")),
        penalty=request.POST.get("penalty", ""),
        signer=request.POST.get("signer", "").strip(),
    )
    messages.success(request, _("Đã ghi quyết định kỷ luật vào cơ sở dữ liệu kỷ luật (chờ đối soát)."))
    return redirect("cases:case", pk)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up inspection of a conclusion not carried out: the subject carried over, the decision typed."""
    case = _case(pk)
    if not account_policies.can(request.user, "cases.open", case.unit):
        raise PermissionDenied
    conclusion = getattr(case, "conclusion", None)
    if conclusion is None:
        raise DomainError(_("Hồ sơ chưa có kết luận."), code="conclusion")
    opening = followup.follow_up_opening(
        case,
        decision_number=request.POST.get("decision_number", ""),
        decision_date=forms.date_field(request.POST, "decision_date", _("Ngày quyết định")),
        signer=request.POST.get("signer", ""),
    )
    new = followup.open_follow_up(request.user, conclusion, opening)
    messages.success(request, _("Đã mở cuộc kiểm tra lại %(number)s.") % {"number": new.decision_number})
    return redirect("cases:case", new.pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """The leadership closes a concluded file: its PDF/A archive copy is made (the page asked for confirmation)."""
    case = _case(pk)
    if not account_policies.can(request.user, "cases.case.manage", case):
        raise PermissionDenied
    if request.POST.get("confirm") != "1":
        raise DomainError(_("Xác nhận: đánh dấu ô xác nhận lưu trữ hồ sơ."), code="confirm")
    closed = archive.close_case(request.user, case)
    messages.success(
        request, _("Đã lưu trữ hồ sơ; mã kiểm tra bản lưu trữ: %(sha)s.") % {"sha": closed.archive_sha256[:16]}
    )
    return redirect("cases:case", pk)


@login_required
def archive_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """The archive copy, checked against its checksum; the read is audited by the service."""
    case = _case(pk)
    if not account_policies.can(request.user, "cases.case.read", case):
        raise PermissionDenied
    response = HttpResponse(archive.read_archive(request.user, case), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ho-so-{case.pk}-luu-tru.pdf"'
    return response


def request_page(request: HttpRequest, case: CaseFile) -> HttpResponse:
    """What an upper commission's leadership sees of a subordinate's file before its request: progress only."""
    return render(
        request,
        "cases/request_content.html",
        {"case": case, "steps": case.steps.all(), "conclusion": getattr(case, "conclusion", None)},
    )
