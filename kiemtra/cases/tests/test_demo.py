"""`make demo` (issue 14 "Done when"): programmes, open and closed files at every stage, and overdue follow-ups
in Hà Nội and one other province; loading twice adds nothing. Each case page has something to show to the demo's
accounts: a draft programme and an amendment waiting, documents to find, a discipline decision to record, an
approved letters proposal to open as a case."""

from __future__ import annotations

import io

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import give, make_person, make_unit, signed_in
from kiemtra.letters.services import identity
from kiemtra.letters.tests.conftest import letters_storage  # noqa: F401  (fixture: the letters' keys and files)
from kiemtra.letters.tests.test_follow_and_proposals import paper
from kiemtra.orgs.choices import DepartmentRole, UnitKind
from kiemtra.orgs.loader import commune_unit_code, province_unit_code

from ..models import CaseDocument, CaseFile, Programme
from ..services.followup import overdue
from ..services.from_letters import waiting

pytestmark = pytest.mark.django_db(transaction=True)  # the archive copies are made on commit


def test_the_demo_has_every_stage_and_overdue_follow_ups_in_two_provinces(settings, tmp_path) -> None:
    from ..demo import seed

    settings.MEDIA_ROOT = tmp_path

    centre = make_unit(UnitKind.CENTRAL, code="UBKTTW")
    hanoi = make_unit(UnitKind.PROVINCIAL, centre, code=province_unit_code("01"), name="UBKT Thành ủy Hà Nội")
    hcm = make_unit(UnitKind.PROVINCIAL, centre, code=province_unit_code("79"), name="UBKT Thành ủy TP. Hồ Chí Minh")
    make_unit(UnitKind.COMMUNE, hanoi, code=commune_unit_code("00004"), name="UBKT Đảng ủy phường Ba Đình")
    # No superuser (issue 8.13): the system admin sets the case roles up.
    sysadmin = make_person("tw.quantri", unit=centre)
    give(sysadmin, centre, Role.SYSTEM_ADMIN)
    # What the letters demo leaves (it loads first): Hà Nội's leader for letters, denunciations in its register.
    office = make_unit(UnitKind.DEPARTMENT, centre, code="VP", role=DepartmentRole.OFFICE)
    letters_admin = make_person("vp.quantri.donthu", unit=office)
    give(letters_admin, office, Role.NATIONAL_ADMIN)
    identity.designate_leader(letters_admin, hanoi, make_person("hn.quanly.donthu", unit=hanoi), "QĐ demo")
    paper(hanoi), paper(hanoi)
    seed(io.StringIO())
    for unit in (hanoi, hcm):
        states = set(CaseFile.objects.filter(unit=unit).values_list("state", flat=True))
        assert states == {"open", "concluded", "closed"}, states
        assert CaseFile.objects.filter(unit=unit, conclusion__carried_out_at__isnull=False).exists()
        assert overdue().filter(conclusion__case__unit=unit).exists()
        assert Programme.objects.filter(unit=unit, state="approved").exists()
    assert Programme.objects.filter(unit=hanoi).count() == 2  # amended once
    assert Programme.objects.filter(unit__parent=hanoi, state="draft").exists()  # Ba Đình's, seen by Hà Nội
    assert Programme.objects.filter(unit=hcm, state="draft", version=2).exists()  # an amendment waiting
    assert CaseDocument.objects.filter(case__unit=hanoi).count() == 3
    assert CaseFile.objects.filter(
        unit=hanoi, conclusion__discipline_required=True, conclusion__discipline_decision_id__isnull=True
    ).exists()
    assert waiting(hanoi).count() == 1
    counts = (CaseFile.objects.count(), Programme.objects.count(), CaseDocument.objects.count())
    seed(io.StringIO())
    assert (CaseFile.objects.count(), Programme.objects.count(), CaseDocument.objects.count()) == counts
    assert waiting(hanoi).count() == 1

    # The demo's Hà Nội leadership sees each page with something on it, and opens the proposal as a case.
    lead = signed_in(User.objects.get(identifier_code="hn.kiemtra.lanhdao"))
    assert "Dự thảo" in lead.get("/kiem-tra/chuong-trinh/").content.decode()
    assert 'data-testid="result"' in lead.get("/kiem-tra/tai-lieu/tim/?q=dat+dai").content.decode()
    proposal = waiting(hanoi).get()
    assert f"/kiem-tra/de-nghi/{proposal.pk}/mo-ho-so/" in lead.get("/kiem-tra/de-nghi/").content.decode()
    opened = lead.post(
        f"/kiem-tra/de-nghi/{proposal.pk}/mo-ho-so/",
        {"decision_number": "99-QĐ/UBKT-HN", "decision_date": "01/12/2026", "signer": "Chủ nhiệm"},
    )
    assert opened.status_code == 302 and not waiting(hanoi).exists()
    hcm_lead = signed_in(User.objects.get(identifier_code="hcm.kiemtra.lanhdao"))
    assert "Phê duyệt chương trình" in hcm_lead.get("/kiem-tra/chuong-trinh/").content.decode()
    # Ba Đình's case officer has Hà Nội's requests to report on, from its own page.
    ba_dinh = signed_in(User.objects.get(identifier_code="badinh.kiemtra.canbo"))
    page = ba_dinh.get("/kiem-tra/yeu-cau/").content.decode()
    assert page.count('data-testid="report-form"') == 2 and "Khắc phục sai phạm về tài chính" in page
