"""Issue 8 item 6 for the discipline pages: every form field fed hostile values gets a 4xx or a page, never a 500,
and nothing stored changes.

The values: huge and exotic numbers, bad dates, NUL bytes, 100,000-character strings,
the right-to-left override, markup. The forms: search and its export, analytics and its
export, the reconciliation queue, form and rejection, the upload, person merge and split,
the comparison with forms 05/06 and its prefill.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from kiemtra.accounts.choices import Role
from kiemtra.conftest import Tree, give, make_person, signed_in
from kiemtra.discipline.choices import DecisionState
from kiemtra.discipline.models import Decision, FieldReview, IngestBatch, Person
from kiemtra.discipline.services import records
from kiemtra.stats.models import Report

from .factories import make_decision, make_pending
from .test_statistics_link import Setup

pytestmark = pytest.mark.django_db

LONG = "a" * 100_000
HOSTILE = [
    "1e30",
    "99999999999999999999",
    "9" * 100_000,
    "-1",
    "0",
    "NaN",
    "2026-13-45",
    "\x00",
    "abc\x00def",
    LONG,
    "\u202eabc",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "%",
    "&|!:*",
]
# Values no field can accept as they are: the publishing and rejecting forms must refuse them.
REFUSED_DATES = ["1e30", "2026-13-45", "99999999999999999999", LONG, "<script>alert(1)</script>"]
REFUSED_YEARS = ["1e30", "99999999999999999999", "9" * 100_000, "NaN", "-1", "0"]
REFUSED_REASONS = ["", "\x00", "\u202e", "a" * 2001]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def snapshot() -> tuple[Any, ...]:
    decisions = tuple(
        Decision.objects.order_by("pk").values_list("pk", "state", "person_id", "search_text", "subject_name")
    )
    people = tuple(Person.objects.order_by("pk").values_list("pk", "merged_into_id"))
    reports = tuple(Report.objects.order_by("pk").values_list("pk", "revision", "state"))
    return decisions, people, reports, FieldReview.objects.count(), IngestBatch.objects.count()


# Each field alone gets these; every value of HOSTILE goes into all the fields at once.
SHARP = ["9" * 100_000, "abc\x00def"]


def fields_times_values(names: list[str]) -> Iterator[dict[str, str]]:
    for value in HOSTILE:
        yield dict.fromkeys(names, value)
    for name in names:
        for value in SHARP:
            yield {name: value}


def no_500(client: Client, method: str, url: str, data: dict[str, Any]) -> int:
    response = client.get(url, data) if method == "get" else client.post(url, data)
    assert response.status_code < 500, (url, {k: str(v)[:40] for k, v in data.items()})
    return response.status_code


SEARCH_FIELDS = [
    "q",
    "province",
    "unit",
    "year_from",
    "year_to",
    "penalty",
    "category",
    "subject_type",
    "issuing_level",
    "position_level",
    "issuing_body",
    "term",
    "sort",
    "page",
]
ANALYTICS_FIELDS = [
    "term",
    "year_from",
    "year_to",
    "province",
    "penalty",
    "category",
    "subject_type",
    "issuing_level",
    "position_level",
    "step",
    "split",
]


def test_search_analytics_and_their_exports_take_any_value(org_tree: Tree) -> None:
    make_decision(org_tree.commune)
    viewer = make_person()
    give(viewer, org_tree.province, Role.DISCIPLINE_VIEWER)
    client = signed_in(viewer)
    before = snapshot()
    for data in fields_times_values(SEARCH_FIELDS):
        no_500(client, "get", "/ky-luat/", data)
    for data in fields_times_values(["q", "year_from", "province", "unit"]):
        no_500(client, "get", "/ky-luat/xuat-excel/", data)
    for data in fields_times_values(ANALYTICS_FIELDS):
        no_500(client, "get", "/ky-luat/phan-tich/", data)
    for value in HOSTILE:
        no_500(client, "get", "/ky-luat/phan-tich/xuat-excel/", dict.fromkeys(ANALYTICS_FIELDS, value))
    assert snapshot() == before


def test_ids_in_addresses_that_no_database_holds_are_not_found(org_tree: Tree) -> None:
    editor = make_person()
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    client = signed_in(editor)
    huge = "99999999999999999999"
    for url in (
        f"/ky-luat/quyet-dinh/{huge}/",
        f"/ky-luat/quyet-dinh/{huge}/tep/",
        f"/ky-luat/doi-soat/{huge}/",
        f"/ky-luat/doi-soat/{huge}/trang/{huge}.png",
        f"/ky-luat/nguoi/{huge}/",
        f"/ky-luat/lo/{huge}/",
    ):
        assert client.get(url).status_code == 404, url
    before = snapshot()
    assert client.post(f"/ky-luat/nguoi/{huge}/gop/{huge}/").status_code == 404
    assert client.post(f"/ky-luat/doi-soat/{huge}/loai-bo/", {"reason": "x"}).status_code == 404
    assert snapshot() == before


def test_the_reconciliation_form_takes_any_value_and_publishes_nothing_it_refuses(org_tree: Tree) -> None:
    editor = make_person()
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    decision = make_pending(org_tree.province)
    client = signed_in(editor)
    url = f"/ky-luat/doi-soat/{decision.pk}/"
    base = records.values_of(decision, decision.details())
    form = {k: ("\n".join(v) if isinstance(v, list) else "" if v is None else str(v)) for k, v in base.items()}
    form["probationary"] = ""
    form["party_committee_member"] = "0"
    before = snapshot()
    for data in fields_times_values([*records.FIELDS, "action"]):
        no_500(client, "post", url, {**form, "action": "review", **data})
    for data in fields_times_values(["tai-lieu", "page"]):
        no_500(client, "get", "/ky-luat/doi-soat/", data)
    assert snapshot() == before
    refused = [("issued_on", v) for v in REFUSED_DATES] + [("effective_on", v) for v in REFUSED_DATES]
    refused += [("birth_year", v) for v in REFUSED_YEARS]
    refused += [(name, LONG) for name in ("number", "issuing_body", "term", "subject_name", "signer", "subject_unit")]
    refused += [(name, "\u202eabc") for name in ("issuing_level", "subject_type", "gender", "position_level")]
    for name, value in refused:
        assert no_500(client, "post", url, {**form, name: value, "action": "publish"}) == 400, (name, value[:20])
    for reason in REFUSED_REASONS:
        assert no_500(client, "post", f"{url}loai-bo/", {"reason": reason}) == 400
    assert snapshot() == before
    assert Decision.objects.get(pk=decision.pk).state == DecisionState.PENDING


def test_upload_merge_and_split_take_any_value(org_tree: Tree) -> None:
    editor = make_person()
    give(editor, org_tree.province, Role.DISCIPLINE_EDITOR)
    first = make_decision(org_tree.province, number="Số 1")
    make_decision(org_tree.province, number="Số 2")
    other = make_decision(org_tree.province, subject_name="Lê Thị Hoa")
    assert first.person is not None and other.person is not None
    client = signed_in(editor)
    before = snapshot()
    for data in fields_times_values(["unit", "confidentiality"]):
        no_500(client, "post", "/ky-luat/tai-len/", data)
    for value in HOSTILE:
        no_500(client, "post", f"/ky-luat/nguoi/{first.person.pk}/tach/", {"decision": value})
        no_500(client, "get", f"/ky-luat/nguoi/{first.person.pk}/", {"gop": value})
    assert snapshot() == before


def test_the_comparison_with_forms_05_and_06_and_its_prefill_take_any_value(org_tree: Tree) -> None:
    setup = Setup(org_tree)
    client = signed_in(setup.statistician)
    report = setup.report()
    before = snapshot()
    for data in fields_times_values(["unit", "period", "form", "preview"]):
        no_500(client, "get", "/ky-luat/doi-chieu-thong-ke/", {"unit": org_tree.province.pk, **data})
    # One value of the three always wrong (a stale revision, or a plan that was never shown): nothing applies.
    stale = {"report": report.pk, "revision": report.revision + 7, "plan": setup.compare().plan_digest}
    unseen = {"report": report.pk, "revision": report.revision, "plan": "0" * 32}
    for name in ("report", "revision", "plan"):
        for value in HOSTILE:
            base = unseen if name == "revision" else stale
            no_500(client, "post", "/ky-luat/doi-chieu-thong-ke/dien-san/", {**base, name: value})
    assert snapshot() == before
