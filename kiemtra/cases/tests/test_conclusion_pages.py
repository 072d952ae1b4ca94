"""The structured conclusion on the case page (issue 14 item 5) and a request's report with its evidence (item 6).

Walked from the home page to the case; every field of the conclusion posted and shown back; each bad field
answered 400 naming it with nothing stored; the denials (a team member who is not the leadership, a viewer, the
unit's admin, another commission). The evidence of a report is stored encrypted among the case's documents with
the same checks as any upload, and the verifier opens it, the read audited.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import signed_in

from ..choices import CaseState, RequestState
from ..models import CaseDocument, CaseFile, Conclusion, RemedialRequest, RequestReport
from ..services import documents
from .factories import person
from .test_case_file_pages import commission, follow, home, refused  # noqa: F401  (fixture)
from .test_documents_and_archive import pdf_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(commission: dict[str, Any]) -> dict[str, Any]:  # noqa: F811 (the fixture imported above)
    return commission


def _full(commune_pk: int) -> dict[str, Any]:
    return {
        "violations_found": "1",
        "shortcomings": "1",
        "categories": ["Kê khai tài sản, thu nhập", "Phẩm chất đạo đức, lối sống"],
        "content": "Vi phạm quy định kê khai tài sản",
        "responsibility": "Trách nhiệm cá nhân của đồng chí bí thư",
        "discipline_required": "1",
        "penalty": "warning",
        "measures": "Kiểm điểm trước chi bộ",
        "notice_number": "15-TB/UBKT",
        "concluded_on": "20/10/2025",
        "request_text": ["Kiểm điểm trước chi bộ", "Báo cáo khắc phục", ""],
        "request_unit": ["", str(commune_pk), ""],
        "request_due": ["31/12/2025", "15/01/2026", ""],
    }


def _url(case: CaseFile) -> str:
    return f"/kiem-tra/ho-so/{case.pk}/ket-luan/"


def test_the_leadership_concludes_with_every_field_and_the_page_shows_it_in_full(setting: dict[str, Any]) -> None:
    case, lead, tree = setting["case"], setting["lead"], setting["tree"]
    client = signed_in(lead)
    page = follow(client, follow(client, home(client), "/kiem-tra/"), f"/kiem-tra/ho-so/{case.pk}/")
    assert 'data-testid="conclude-form"' in page
    for field in ("categories", "responsibility", "penalty", "measures", "notice_number", "request_unit"):
        assert f'name="{field}"' in page, field
    assert '<option value="Kê khai tài sản, thu nhập">' in page  # the statistics forms' category, as counted
    assert f'<option value="{tree.commune.pk}">' in page  # a unit under the commission may carry out a request

    assert client.post(_url(case), _full(tree.commune.pk)).status_code == 302
    conclusion = Conclusion.objects.get(case=case)
    assert conclusion.violations_found and conclusion.shortcomings and conclusion.discipline_required
    assert conclusion.violation_categories == ["Kê khai tài sản, thu nhập", "Phẩm chất đạo đức, lối sống"]
    assert conclusion.responsibility == "Trách nhiệm cá nhân của đồng chí bí thư"
    assert (conclusion.penalty, conclusion.measures, conclusion.notice_number) == (
        "warning",
        "Kiểm điểm trước chi bộ",
        "15-TB/UBKT",
    )
    requests = list(conclusion.requests.order_by("due"))
    assert [(r.text, r.responsible_unit, r.due.strftime("%d/%m/%Y")) for r in requests] == [
        ("Kiểm điểm trước chi bộ", None, "31/12/2025"),
        ("Báo cáo khắc phục", tree.commune, "15/01/2026"),
    ]
    case.refresh_from_db()
    assert case.state == CaseState.CONCLUDED

    page = client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert 'data-testid="conclude-form"' not in page
    for shown in (
        "20/10/2025",
        "15-TB/UBKT",
        "Kê khai tài sản, thu nhập",
        "Phẩm chất đạo đức, lối sống",
        "Trách nhiệm cá nhân của đồng chí bí thư",
        "Cảnh cáo",
        "Có thiếu sót, khuyết điểm",
        "15/01/2026",
        tree.commune.name,
    ):
        assert shown in page, shown


BAD: list[tuple[dict[str, Any], str]] = [
    ({"categories": ["Không có trong danh mục"]}, "Nội dung vi phạm"),
    ({"violations_found": "", "discipline_required": "", "penalty": ""}, "Nội dung vi phạm"),  # categories kept
    ({"penalty": "fine"}, "Hình thức kỷ luật đề nghị"),
    ({"discipline_required": "", "penalty": "warning"}, "Hình thức kỷ luật đề nghị"),
    ({"notice_number": "1" * 65}, "Số thông báo kết luận"),
    ({"content": "  "}, "Nội dung kết luận"),
    ({"concluded_on": "20/13/2025"}, "Ngày kết luận"),
    ({"concluded_on": "01/01/2025"}, "Ngày kết luận"),  # before the decision
    ({"request_text": ["", "Báo cáo", ""], "request_due": ["31/12/2025", "15/01/2026", ""]}, "Yêu cầu dòng 1"),
    ({"request_due": ["31/12/2025", "sớm", ""]}, "Yêu cầu dòng 2, Hạn thực hiện"),
    ({"request_due": ["01/10/2025", "15/01/2026", ""]}, "Hạn thực hiện"),  # before the conclusion
    ({"categories": [], "violations_found": ""}, "kỷ luật"),  # discipline without a violation
]


@pytest.mark.parametrize(("change", "named"), BAD)
def test_bad_conclusion_input_is_refused_naming_the_field_nothing_stored(
    setting: dict[str, Any], change: dict[str, Any], named: str
) -> None:
    case, tree = setting["case"], setting["tree"]
    refused(signed_in(setting["lead"]).post(_url(case), {**_full(tree.commune.pk), **change}), named)
    assert not Conclusion.objects.exists() and not RemedialRequest.objects.exists()
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_a_unit_not_offered_cannot_be_given_a_request(setting: dict[str, Any]) -> None:
    case, tree = setting["case"], setting["tree"]
    posted = {**_full(tree.commune.pk), "request_unit": ["", str(tree.other_commune.pk), ""]}
    refused(signed_in(setting["lead"]).post(_url(case), posted), "Yêu cầu dòng 2, Đơn vị thực hiện")
    assert not Conclusion.objects.exists()


@pytest.mark.parametrize("who", ["officer", "viewer", "admin", "outsider", "other_member"])
def test_only_the_commissions_leadership_concludes(setting: dict[str, Any], who: str) -> None:
    case, tree = setting["case"], setting["tree"]
    client = signed_in(setting[who])
    assert 'data-testid="conclude-form"' not in client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    assert client.post(_url(case), _full(tree.commune.pk)).status_code == 403
    assert not Conclusion.objects.exists()


def test_the_subject_reports_with_evidence_and_the_verifier_opens_it_audited(
    setting: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    case, lead, tree = setting["case"], setting["lead"], setting["tree"]
    assert signed_in(lead).post(_url(case), _full(tree.commune.pk)).status_code == 302
    request = RemedialRequest.objects.get(responsible_unit=tree.commune)
    # The lower commission's officer reports on the subject's behalf, from the case's page.
    commune_officer = person(tree.commune, Role.CASE_OFFICER)
    reporter = signed_in(commune_officer)
    url = f"/kiem-tra/yeu-cau/{request.pk}/bao-cao/"

    # Bad evidence: a file that is neither PDF nor image, then an oversized one — refused, nothing stored.
    bad = {"text": "Đã kiểm điểm", "evidence": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")}
    refused(reporter.post(url, bad), "Bằng chứng")
    documents_before = CaseDocument.objects.count()
    with monkeypatch.context() as small:
        small.setattr(documents, "MAX_BYTES", 10)
        big = {"text": "Đã kiểm điểm", "evidence": SimpleUploadedFile("bb.pdf", pdf_with("Biên bản"))}
        refused(reporter.post(url, big), "Bằng chứng", "quá lớn")
    assert CaseDocument.objects.count() == documents_before and not RequestReport.objects.exists()
    request.refresh_from_db()
    assert request.state == RequestState.OPEN

    data = pdf_with("Biên bản kiểm điểm chi bộ ngày 05/11/2025")
    good = {"text": "Đã kiểm điểm", "evidence": SimpleUploadedFile("bien-ban.pdf", data)}
    assert reporter.post(url, good).status_code == 302
    report = RequestReport.objects.get()
    assert report.evidence is not None and report.evidence.case_id == case.pk
    with default_storage.open(report.evidence.storage_name, "rb") as handle:
        assert handle.read() != data  # stored encrypted
    request.refresh_from_db()
    assert request.state == RequestState.REPORTED

    # The verifier (the leadership) sees the link on the case page and opens it; the read is audited.
    client = signed_in(lead)
    page = client.get(f"/kiem-tra/ho-so/{case.pk}/").content.decode()
    href = f"/kiem-tra/tai-lieu/{report.evidence.pk}/"
    assert f'href="{href}"' in page and "bien-ban.pdf" in page
    reads = AuditEvent.objects.filter(action="cases.document.read").count()
    opened = client.get(href)
    assert opened.status_code == 200 and opened.content == data
    assert AuditEvent.objects.filter(action="cases.document.read").count() == reads + 1
    # Another commission's leadership does not open it.
    assert signed_in(setting["outsider"]).get(href).status_code == 403
    # The lower commission's officer reopens the evidence it sent (audited), and no other document of the file.
    page = follow(reporter, home(reporter), "/kiem-tra/yeu-cau/")
    assert 'href="?tat_ca=1"' in page  # the "all" tab: the reported request waits for nobody here
    assert f'href="{href}"' in reporter.get("/kiem-tra/yeu-cau/", {"tat_ca": "1"}).content.decode()
    assert reporter.get(href).content == data
    assert AuditEvent.objects.filter(action="cases.document.read", actor=commune_officer).count() == 1
    minutes = documents.store(lead, case, "Biên bản", "bien-ban-2.pdf", pdf_with("Biên bản"), check_policy=False)
    assert reporter.get(f"/kiem-tra/tai-lieu/{minutes.pk}/").status_code == 403
    assert signed_in(lead).get(f"/kiem-tra/tai-lieu/{minutes.pk}/").status_code == 200


def test_the_lower_commission_reports_from_its_own_page_without_reading_the_case_file(
    setting: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    case, lead, tree = setting["case"], setting["lead"], setting["tree"]
    assert signed_in(lead).post(_url(case), _full(tree.commune.pk)).status_code == 302
    addressed = RemedialRequest.objects.get(responsible_unit=tree.commune)
    officer = person(tree.commune, Role.CASE_OFFICER)
    client = signed_in(officer)
    assert client.get(f"/kiem-tra/ho-so/{case.pk}/").status_code == 403  # the file stays need-to-know
    # Home → the card's line → the requests addressed to the commune, with a report form.
    page = follow(client, home(client), "/kiem-tra/yeu-cau/")
    rows = page[page.index('data-testid="requests"') :]
    assert "Báo cáo khắc phục" in rows and "15/01/2026" in rows and "15-TB/UBKT" in rows
    assert "Kiểm điểm trước chi bộ" not in rows  # the other request is the team's, not the commune's
    assert "Vi phạm quy định kê khai tài sản" not in page  # nor the conclusion's content
    assert 'data-testid="report-form"' in rows
    url = f"/kiem-tra/yeu-cau/{addressed.pk}/bao-cao/"
    refused(client.post(url, {"text": " "}), "kết quả thực hiện")
    response = client.post(url, {"text": "Đã tổ chức khắc phục"})
    assert response.status_code == 302 and response["Location"] == "/kiem-tra/yeu-cau/"
    addressed.refresh_from_db()
    assert addressed.state == RequestState.REPORTED
    page = client.get("/kiem-tra/yeu-cau/").content.decode()
    assert "Báo cáo khắc phục" not in page and "Không có yêu cầu nào đang chờ" in page
    assert "Đã tổ chức khắc phục" in client.get("/kiem-tra/yeu-cau/", {"tat_ca": "1"}).content.decode()
    # Sent back by the verifier: it waits for the commune again, with the reason.
    verify = f"/kiem-tra/yeu-cau/{addressed.pk}/xac-minh/"
    assert signed_in(lead).post(verify, {"decision": "send_back", "reason": "Thiếu biên bản"}).status_code == 302
    page = client.get("/kiem-tra/yeu-cau/").content.decode()
    assert "Báo cáo khắc phục" in page and "Thiếu biên bản" in page and 'data-testid="report-form"' in page
    # Another commune's officer sees none of it and cannot report; someone without a case role gets no page.
    stranger = signed_in(person(tree.other_commune, Role.CASE_OFFICER))
    assert "Báo cáo khắc phục" not in stranger.get("/kiem-tra/yeu-cau/", {"tat_ca": "1"}).content.decode()
    assert stranger.post(url, {"text": "x"}).status_code == 403
    assert signed_in(person(tree.commune, Role.CASE_VIEWER)).get("/kiem-tra/yeu-cau/").status_code == 403
    # Reminders reach the commune's officers too, pointing at this page.
    from kiemtra.notifications.models import Notification

    from ..services import followup

    with django_capture_on_commit_callbacks(execute=True):
        followup.remind_requests(addressed.due)
    told = Notification.objects.get(recipient=officer, kind="cases/follow_up")
    assert told.url == "/kiem-tra/yeu-cau/" and "15/01/2026" in told.title


def test_the_categories_chosen_on_the_page_reach_the_discipline_decision(setting: dict[str, Any]) -> None:
    """The page keeps the forms' labels; the decision recorded from it gets the catalog codes of those labels."""
    from kiemtra.discipline.models import Decision

    case, lead, tree = setting["case"], setting["lead"], setting["tree"]
    client = signed_in(lead)
    assert client.post(_url(case), _full(tree.commune.pk)).status_code == 302
    recorded = {"number": "21-QĐ/UBKT", "issued_on": "25/10/2025", "penalty": "warning", "signer": "Chủ nhiệm"}
    assert client.post(f"/kiem-tra/ho-so/{case.pk}/ky-luat/", recorded).status_code == 302
    decision = Decision.objects.get(source_case_ref=f"cases.case:{case.pk}")
    assert sorted(c.code for c in decision.categories.all()) == ["asset_declaration", "ethics"]
