"""Search (issue 4 item 5): accent-insensitive text, filters, sorting, pages, scope and classified decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.http import QueryDict

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree
from kiemtra.discipline import search
from kiemtra.discipline.choices import Confidentiality, DecisionState, IssuingLevel, PenaltyCode, SubjectType
from kiemtra.discipline.models import Decision
from kiemtra.discipline.search import DecisionQuery
from kiemtra.discipline.services import records

from .factories import make_decision

pytestmark = pytest.mark.django_db

Maker = Callable[..., User]


def found(actor: User, **query: Any) -> list[Decision]:
    return list(search.search(actor, DecisionQuery(**query)))


def names(actor: User, **query: Any) -> list[str]:
    return [d.subject_name for d in found(actor, **query)]


@pytest.fixture
def centre_viewer(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.centre, Role.DISCIPLINE_VIEWER)


# --- text -------------------------------------------------------------------------------------------


def test_a_name_typed_without_diacritics_finds_the_decision(org_tree: Tree, centre_viewer: User) -> None:
    an = make_decision(org_tree.commune, subject_name="Nguyễn Văn An")
    make_decision(org_tree.commune, subject_name="Trần Thị Bình")
    assert found(centre_viewer, text="nguyen van an") == [an]
    assert found(centre_viewer, text="NGUYỄN  văn AN") == [an]
    assert found(centre_viewer, text="“An, Nguyễn (Văn)”") == [an]
    assert found(centre_viewer, text="Hoàng") == []


def test_every_word_must_match(org_tree: Tree, centre_viewer: User) -> None:
    make_decision(org_tree.commune, subject_name="Nguyễn Văn An")
    assert found(centre_viewer, text="nguyen van binh") == []


def test_a_word_matches_whole_words_only(org_tree: Tree, centre_viewer: User) -> None:
    """ "an" finds An, not Anh nor Toàn: short syllables inside other words would bury a name."""
    for name in ("Lê Văn An", "Lê Thị Anh", "Lê Văn Toàn", "Lê Văn Thuận"):
        make_decision(org_tree.commune, subject_name=name, positions=["Chuyên viên"], violations="Vi phạm")
    assert names(centre_viewer, text="le an") == ["Lê Văn An"]
    assert names(centre_viewer, text="anh") == ["Lê Thị Anh"]
    assert names(centre_viewer, text="thuan") == ["Lê Văn Thuận"]
    assert names(centre_viewer, text="huan") == []


def test_positions_units_violations_and_numbers_are_searched_too(org_tree: Tree, centre_viewer: User) -> None:
    decision = make_decision(
        org_tree.commune,
        number="Số 4217-QĐ/UBKTTW",
        positions=["Phó Giám đốc Sở Xây dựng"],
        subject_unit="Sở Xây dựng tỉnh Nghệ An",
        violations="Vi phạm quy định về đấu thầu",
    )
    make_decision(org_tree.commune, subject_name="Trần Thị Bình", positions=["Kế toán"], violations="Khác")
    for text in ("pho giam doc so xay dung", "nghe an", "dau thau", "4217", "4217-qd/ubkttw", "Số 4217-QĐ"):
        assert found(centre_viewer, text=text) == [decision], text


# --- filters ----------------------------------------------------------------------------------------

FILTERS: list[tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = [
    ("term", {"term": "XIII"}, {"term": "XII"}, {"term": "XIII"}),
    ("penalty", {"penalty": PenaltyCode.EXPULSION}, {"penalty": PenaltyCode.WARNING}, {"penalty": "expulsion"}),
    (
        "issuing level",
        {"issuing_level": IssuingLevel.CENTRAL_COMMISSION},
        {"issuing_level": IssuingLevel.COMMUNE_COMMISSION},
        {"issuing_level": "central_commission"},
    ),
    ("position level", {"position_level": "central"}, {"position_level": "commune"}, {"position_level": "central"}),
    (
        "subject type",
        {"subject_type": SubjectType.ORGANIZATION, "subject_name": "Ban Thường vụ Đảng ủy xã A", "penalty": "warning"},
        {},
        {"subject_type": "organization"},
    ),
    (
        "year",
        {"issued_on": dt.date(2022, 5, 1)},
        {"issued_on": dt.date(2024, 5, 1)},
        {"year_from": 2022, "year_to": 2022},
    ),
    ("from year", {"issued_on": dt.date(2025, 1, 1)}, {"issued_on": dt.date(2024, 12, 31)}, {"year_from": 2025}),
    ("to year", {"issued_on": dt.date(2023, 12, 31)}, {"issued_on": dt.date(2024, 1, 1)}, {"year_to": 2023}),
    (
        "issuing body",
        {"issuing_body": "Ủy ban Kiểm tra Tỉnh ủy Nghệ An"},
        {"issuing_body": "Ủy ban Kiểm tra Tỉnh ủy Hà Tĩnh"},
        {"issuing_body": "tinh uy nghe an"},
    ),
]


@pytest.mark.parametrize(("label", "wanted", "other", "query"), FILTERS, ids=[f[0] for f in FILTERS])
def test_each_filter_keeps_only_what_it_names(
    org_tree: Tree,
    centre_viewer: User,
    label: str,
    wanted: dict[str, Any],
    other: dict[str, Any],
    query: dict[str, Any],
) -> None:
    hit = make_decision(org_tree.commune, **wanted)
    make_decision(org_tree.commune, **other)
    assert found(centre_viewer, **query) == [hit]


def test_the_province_filter_is_the_subjects_province(org_tree: Tree, centre_viewer: User) -> None:
    hanoi = make_decision(org_tree.centre, province=org_tree.province)
    make_decision(org_tree.centre, province=org_tree.other_province)
    assert found(centre_viewer, province=org_tree.province.pk) == [hanoi]


def test_the_category_filter(org_tree: Tree, centre_viewer: User) -> None:
    corrupt = make_decision(org_tree.commune, categories=("corruption", "economy"))
    make_decision(org_tree.commune, categories=("ethics",))
    assert found(centre_viewer, category="corruption") == [corrupt]
    assert found(centre_viewer, category="economy") == [corrupt]


def test_filters_and_text_together(org_tree: Tree, centre_viewer: User) -> None:
    hit = make_decision(org_tree.commune, subject_name="Khổng Văn Tráng", penalty="expulsion")
    make_decision(org_tree.commune, subject_name="Khổng Văn Tráng", penalty="warning")
    make_decision(org_tree.commune, subject_name="Lý Văn Tráng", penalty="expulsion")
    assert found(centre_viewer, text="khong trang", penalty="expulsion") == [hit]


def test_bad_parameters_are_reported_and_not_applied(org_tree: Tree, centre_viewer: User) -> None:
    params = QueryDict(
        f"q=an&penalty=hanging&year_from=abc&year_to=2024&province={org_tree.commune.pk}&category=Bad!&sort=x"
        "&issuing_level=nope&subject_type=robot&position_level=king"
    )
    query, errors = search.parse_query(params)
    assert query == DecisionQuery(text="an", year_to=2024)
    assert len(errors) == 7  # an unknown sort falls back to the default without a word
    assert "Hình thức kỷ luật: giá trị 'hanging' không có trong danh sách." in errors
    assert "Từ năm: 'abc' không phải là năm (từ 1930 đến 2100)." in errors
    assert "Tỉnh, thành: không có trong danh sách." in errors


def test_years_the_wrong_way_round_are_refused(org_tree: Tree) -> None:
    query, errors = search.parse_query(QueryDict("year_from=2025&year_to=2022"))
    assert (query.year_from, query.year_to) == (None, None)
    assert errors == ["Từ năm 2025 lớn hơn đến năm 2022."]


def test_a_query_survives_its_own_query_string(org_tree: Tree) -> None:
    query = DecisionQuery(
        text="nguyen van an", penalty="warning", province=org_tree.province.pk, year_from=2022, sort="penalty"
    )
    params = QueryDict(mutable=True)
    params.update(query.params())
    assert search.parse_query(params) == (query, [])


# --- sorting and pages ------------------------------------------------------------------------------


def test_newest_first_by_default_and_the_other_sorts(org_tree: Tree, centre_viewer: User) -> None:
    old = make_decision(
        org_tree.commune, number="Số 9-QĐ", issued_on=dt.date(2021, 1, 5), penalty="expulsion", subject_name="Bùi An"
    )
    new = make_decision(
        org_tree.commune, number="Số 10-QĐ", issued_on=dt.date(2025, 6, 1), penalty="reprimand", subject_name="Vũ An"
    )
    mid = make_decision(
        org_tree.commune, number="Số 100-QĐ", issued_on=dt.date(2023, 3, 1), penalty="warning", subject_name="Đỗ An"
    )
    secret = make_decision(
        org_tree.commune,
        number="Số 1-QĐ",
        issued_on=dt.date(2022, 3, 1),
        penalty="dismissal",
        subject_name="An Bình",
        confidentiality=Confidentiality.SECRET,
    )
    assert found(centre_viewer) == [new, mid, secret, old]
    assert found(centre_viewer, sort="date_asc") == [old, secret, mid, new]
    assert found(centre_viewer, sort="number") == [secret, old, new, mid]
    assert found(centre_viewer, sort="penalty") == [old, secret, mid, new]
    # Names sort the ordinary decisions (stored order of the plain column); classified ones come last.
    assert found(centre_viewer, sort="name")[-1] == secret


def test_pages_of_fifty_with_the_count(org_tree: Tree, centre_viewer: User) -> None:
    for i in range(120):
        make_decision(org_tree.commune, issued_on=dt.date(2024, 1, 1) + dt.timedelta(days=i))
    first = search.paginate(centre_viewer, DecisionQuery(), 1)
    last = search.paginate(centre_viewer, DecisionQuery(), 3)
    assert (first.paginator.count, first.paginator.num_pages, first.more) == (120, 3, False)
    assert len(first.object_list) == 50 and len(last.object_list) == 20
    assert first.object_list[0].issued_on == dt.date(2024, 4, 29)
    assert last.object_list[-1].issued_on == dt.date(2024, 1, 1)
    assert search.paginate(centre_viewer, DecisionQuery(), "x").number == 1
    assert search.paginate(centre_viewer, DecisionQuery(), 99).number == 3


# 20,000: the page is sorted from one read of every match; 7: too many matches for that, read period by period.
@pytest.mark.parametrize("scan_cap", [20_000, 7])
def test_the_count_stops_at_the_cap_and_pages_stay_in_order(
    org_tree: Tree, centre_viewer: User, monkeypatch: pytest.MonkeyPatch, scan_cap: int
) -> None:
    monkeypatch.setattr(search, "SCAN_CAP", scan_cap)
    monkeypatch.setattr(search, "COUNT_CAP", 6)
    monkeypatch.setattr(search, "PER_PAGE", 4)
    made = [make_decision(org_tree.commune, issued_on=dt.date(2024, 1, 1) + dt.timedelta(days=i)) for i in range(9)]
    first = search.paginate(centre_viewer, DecisionQuery(), 1)
    second = search.paginate(centre_viewer, DecisionQuery(), 2)
    assert (first.paginator.count, first.more, first.paginator.num_pages) == (6, True, 2)
    newest = list(reversed(made))
    assert list(first.object_list) == newest[:4]
    assert list(second.object_list) == newest[4:8]


# --- scope ------------------------------------------------------------------------------------------


@pytest.fixture
def spread(org_tree: Tree) -> dict[str, Decision]:
    """One decision owned by each commission of the tree."""
    t = org_tree
    units = {
        "centre": t.centre,
        "province": t.province,
        "commune": t.commune,
        "sibling": t.sibling_commune,
        "other_province": t.other_province,
        "other_commune": t.other_commune,
    }
    return {key: make_decision(unit) for key, unit in units.items()}


@pytest.mark.parametrize(
    ("where", "sees"),
    [
        ("commune", {"commune"}),
        ("province", {"province", "commune", "sibling"}),
        ("centre", {"centre", "province", "commune", "sibling", "other_province", "other_commune"}),
        ("general_affairs", {"centre", "province", "commune", "sibling", "other_province", "other_commune"}),
        ("other_province", {"other_province", "other_commune"}),
    ],
)
@pytest.mark.parametrize("role", [Role.DISCIPLINE_VIEWER, Role.DISCIPLINE_EDITOR])
def test_a_commission_sees_its_own_and_its_subtree(
    org_tree: Tree, person_with: Maker, spread: dict[str, Decision], where: str, sees: set[str], role: str
) -> None:
    actor = person_with(getattr(org_tree, where), role)
    by_pk = {d.pk: key for key, d in spread.items()}
    assert {by_pk[d.pk] for d in found(actor)} == sees
    assert {by_pk[d.pk] for d in found(actor, text="nguyen van an")} == sees


def test_no_discipline_role_means_no_results(org_tree: Tree, person_with: Maker, spread: dict[str, Decision]) -> None:
    statistician = person_with(org_tree.province, Role.STATISTICIAN)
    assert found(statistician) == []


def test_pending_and_rejected_decisions_are_not_searched(org_tree: Tree, centre_viewer: User) -> None:
    published = make_decision(org_tree.commune)
    make_decision(org_tree.commune, state=DecisionState.PENDING)
    make_decision(org_tree.commune, state=DecisionState.REJECTED)
    assert found(centre_viewer, text="nguyen van an") == [published]
    assert search.paginate(centre_viewer, DecisionQuery(), 1).paginator.count == 1


# --- classified decisions ---------------------------------------------------------------------------


def test_a_classified_decision_is_found_by_an_exact_word_of_the_name_only(org_tree: Tree, person_with: Maker) -> None:
    centre_editor = person_with(org_tree.centre, Role.DISCIPLINE_EDITOR)
    secret = make_decision(
        org_tree.commune,
        subject_name="Hoàng Minh Tuấn",
        violations="Nhận hối lộ",
        confidentiality=Confidentiality.SECRET,
    )
    assert secret.subject_name == "" and "tuan" not in secret.search_text.split()
    assert found(centre_editor, text="hoang minh tuan") == [secret]
    assert found(centre_editor, text="Tuấn") == [secret]
    # Prefixes and other private words are not indexed for a classified decision.
    assert found(centre_editor, text="tua") == []
    assert found(centre_editor, text="hoi lo") == []
    # Public words are, and they combine with name words.
    assert found(centre_editor, text="tuan xiii") == [secret]


def test_a_viewer_gets_a_classified_decision_masked_and_no_read_is_logged(org_tree: Tree, centre_viewer: User) -> None:
    secret = make_decision(org_tree.commune, confidentiality=Confidentiality.SECRET)
    ordinary = make_decision(org_tree.commune, subject_name="Trần Văn An")
    shown = records.visible_details(centre_viewer, found(centre_viewer))
    assert shown[secret.pk] is None
    details = shown[ordinary.pk]
    assert details is not None and details.subject_name == "Trần Văn An"
    assert not AuditEvent.objects.filter(action="discipline.decision.read").exists()


def test_an_editor_reads_a_classified_decision_and_the_read_is_logged(org_tree: Tree, person_with: Maker) -> None:
    editor = person_with(org_tree.province, Role.DISCIPLINE_EDITOR)
    secret = make_decision(org_tree.commune, confidentiality=Confidentiality.TOP_SECRET)
    details = records.visible_details(editor, found(editor, text="nguyen van an"))[secret.pk]
    assert details is not None and details.subject_name == "Nguyễn Văn An"
    event = AuditEvent.objects.get(action="discipline.decision.read")
    assert (event.actor, event.object_id, event.is_read) == (editor, str(secret.pk), True)
