"""The person view (issue 4 item 5): every decision about one member, and merging and splitting identities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import Tree, signed_in
from kiemtra.discipline.choices import Confidentiality
from kiemtra.discipline.models import Decision, Person

from .factories import make_decision

pytestmark = pytest.mark.django_db

Maker = Callable[..., User]


def url(person: Person | int | None, rest: str = "") -> str:
    pk = person.pk if isinstance(person, Person) else person
    return f"/ky-luat/nguoi/{pk}/{rest}"


def html_of(client: Client, address: str, status: int = 200) -> str:
    response = client.get(address, follow=status == 200)
    assert response.status_code == status, response.status_code
    return response.content.decode()


def person_of(decision: Decision) -> Person:
    decision.refresh_from_db()
    assert decision.person is not None
    return decision.person


@pytest.fixture
def editor(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.province, Role.DISCIPLINE_EDITOR)


@pytest.fixture
def viewer(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.province, Role.DISCIPLINE_VIEWER)


@pytest.fixture
def career(org_tree: Tree) -> list[Decision]:
    """Three decisions about the same member over the years (same name, birth year and unit)."""
    return [
        make_decision(org_tree.province, issued_on=dt.date(2024, 5, 1), penalty="dismissal", number="Số 30-QĐ"),
        make_decision(org_tree.commune, issued_on=dt.date(2021, 2, 1), penalty="reprimand", number="Số 10-QĐ"),
        make_decision(org_tree.commune, issued_on=dt.date(2022, 8, 1), penalty="warning", number="Số 20-QĐ"),
    ]


def test_the_person_page_gathers_every_decision_in_date_order(
    org_tree: Tree, viewer: User, career: list[Decision]
) -> None:
    person = person_of(career[0])
    assert {person_of(d).pk for d in career} == {person.pk}
    html = html_of(signed_in(viewer), url(person))
    assert "Nguyễn Văn An" in html and "3 quyết định kỷ luật" in html and "1968" in html
    assert html.index("Số 10-QĐ") < html.index("Số 20-QĐ") < html.index("Số 30-QĐ")
    assert "Khiển trách" in html and "Cách chức" in html
    assert "split-form" not in html and "merge-search" not in html  # a viewer does not manage identities


def test_decisions_outside_the_scope_are_not_listed(org_tree: Tree, person_with: Maker, career: list[Decision]) -> None:
    commune_viewer = person_with(org_tree.commune, Role.DISCIPLINE_VIEWER)
    html = html_of(signed_in(commune_viewer), url(person_of(career[1])))
    assert "2 quyết định kỷ luật" in html and "Số 30-QĐ" not in html


def test_someone_with_no_decision_of_the_person_in_scope_is_refused(
    org_tree: Tree, person_with: Maker, career: list[Decision]
) -> None:
    """Not found, as for a person who does not exist: the page says nothing of decisions one may not see."""
    elsewhere = person_with(org_tree.other_province, Role.DISCIPLINE_VIEWER)
    html_of(signed_in(elsewhere), url(person_of(career[0])), 404)


def test_classified_decisions_are_left_out_for_a_viewer_and_read_with_a_log_by_an_editor(
    org_tree: Tree, viewer: User, editor: User
) -> None:
    ordinary = make_decision(org_tree.commune, number="Số 1-QĐ")
    secret = make_decision(org_tree.commune, number="Số 2-QĐ", confidentiality=Confidentiality.SECRET)
    person = person_of(ordinary)
    assert person_of(secret) == person
    html = html_of(signed_in(viewer), url(person))
    assert "Số 1-QĐ" in html and "Số 2-QĐ" not in html
    assert not AuditEvent.objects.filter(action="discipline.person.read").exists()
    html = html_of(signed_in(editor), url(person))
    assert "Số 1-QĐ" in html and "Số 2-QĐ" in html
    event = AuditEvent.objects.get(action="discipline.person.read")
    assert (event.actor, event.is_read, event.extra["decisions"]) == (editor, True, [secret.pk])


def test_a_person_known_only_from_classified_decisions_is_refused_to_a_viewer(org_tree: Tree, viewer: User) -> None:
    secret = make_decision(org_tree.commune, confidentiality=Confidentiality.SECRET)
    html_of(signed_in(viewer), url(person_of(secret)), 404)


def test_a_merged_person_redirects_to_the_one_it_was_merged_into(
    org_tree: Tree, viewer: User, career: list[Decision]
) -> None:
    keep = person_of(career[0])
    old = Person.objects.create(key="x", sealed_name=keep.sealed_name, merged_into=keep)
    response = signed_in(viewer).get(url(old))
    assert response.status_code == 302 and response["Location"] == url(keep)


# --- merge ------------------------------------------------------------------------------------------


@pytest.fixture
def two(org_tree: Tree) -> tuple[Decision, Decision]:
    """The same man, written once with his birth year and once with a typo in it: two identities."""
    return (
        make_decision(org_tree.commune, number="Số 1-QĐ", birth_year=1968),
        make_decision(org_tree.sibling_commune, number="Số 2-QĐ", birth_year=1986),
    )


def test_merge_searches_for_the_other_person_then_asks_for_confirmation(
    editor: User, two: tuple[Decision, Decision]
) -> None:
    keep, other = person_of(two[0]), person_of(two[1])
    assert keep != other
    client = signed_in(editor)
    html = html_of(client, url(keep) + "?gop=nguyen+van+an")
    assert url(keep, f"gop/{other.pk}/") in html and "Số 2-QĐ" in html
    confirm = html_of(client, url(keep, f"gop/{other.pk}/"))
    assert "Xác nhận gộp" in confirm and "Số 1-QĐ" in confirm and "Số 2-QĐ" in confirm
    assert Decision.objects.get(pk=two[1].pk).person == other  # nothing merged by looking


def test_confirming_the_merge_moves_the_decisions_and_logs_it(editor: User, two: tuple[Decision, Decision]) -> None:
    keep, other = person_of(two[0]), person_of(two[1])
    client = signed_in(editor)
    response = client.post(url(keep, f"gop/{other.pk}/"))
    assert response.status_code == 302 and response["Location"] == url(keep)
    assert person_of(two[1]) == keep
    other.refresh_from_db()
    assert other.merged_into == keep
    assert AuditEvent.objects.filter(action="discipline.person.merged", actor=editor).count() == 1
    html = html_of(client, url(other))  # the old page follows the merge
    assert "2 quyết định kỷ luật" in html and "Đã gộp hai hồ sơ làm một." in html


def test_merging_a_person_with_itself_is_refused_with_a_message(editor: User, two: tuple[Decision, Decision]) -> None:
    keep = person_of(two[0])
    client = signed_in(editor)
    response = client.post(url(keep, f"gop/{keep.pk}/"))
    assert response.status_code == 302
    assert "Hai hồ sơ là một, không cần gộp." in html_of(client, url(keep))
    keep.refresh_from_db()
    assert keep.merged_into is None
    assert not AuditEvent.objects.filter(action="discipline.person.merged").exists()


def test_a_viewer_may_not_merge(viewer: User, two: tuple[Decision, Decision]) -> None:
    keep, other = person_of(two[0]), person_of(two[1])
    client = signed_in(viewer)
    html_of(client, url(keep, f"gop/{other.pk}/"), 403)
    assert client.post(url(keep, f"gop/{other.pk}/")).status_code == 403
    assert person_of(two[1]) == other


def test_an_editor_may_not_merge_someone_with_decisions_outside_the_scope(
    org_tree: Tree, person_with: Maker, two: tuple[Decision, Decision]
) -> None:
    commune_editor = person_with(org_tree.commune, Role.DISCIPLINE_EDITOR)
    keep, other = person_of(two[0]), person_of(two[1])  # the other one is the sibling commune's
    assert signed_in(commune_editor).post(url(keep, f"gop/{other.pk}/")).status_code == 403
    assert person_of(two[1]) == other
    other.refresh_from_db()
    assert other.merged_into is None


# --- split ------------------------------------------------------------------------------------------


def test_ticked_decisions_split_into_a_new_person(editor: User, career: list[Decision]) -> None:
    person = person_of(career[0])
    response = signed_in(editor).post(url(person, "tach/"), {"decision": [career[1].pk]})
    new = person_of(career[1])
    assert new != person
    assert response.status_code == 302 and response["Location"] == url(new)
    assert person_of(career[0]) == person and person_of(career[2]) == person
    assert AuditEvent.objects.filter(action="discipline.person.split", actor=editor).count() == 1


@pytest.mark.parametrize(
    ("ticked", "message"),
    [
        ("none", "Chọn các quyết định thuộc hồ sơ này để tách."),
        ("foreign", "Chọn các quyết định thuộc hồ sơ này để tách."),
        ("all", "Phải giữ lại ít nhất một quyết định trong hồ sơ cũ."),
    ],
)
def test_a_bad_split_is_refused_with_a_message_and_nothing_moves(
    org_tree: Tree, editor: User, career: list[Decision], ticked: str, message: str
) -> None:
    person = person_of(career[0])
    stranger = make_decision(org_tree.commune, subject_name="Lê Thị Hoa")
    chosen = {"none": [], "foreign": [stranger.pk], "all": [d.pk for d in career]}[ticked]
    client = signed_in(editor)
    response = client.post(url(person, "tach/"), {"decision": chosen})
    assert response.status_code == 302 and response["Location"] == url(person)
    assert message in html_of(client, url(person))
    assert {person_of(d) for d in career} == {person}
    assert Person.objects.count() == 2


def test_a_viewer_may_not_split(viewer: User, career: list[Decision]) -> None:
    person = person_of(career[0])
    assert signed_in(viewer).post(url(person, "tach/"), {"decision": [career[1].pk]}).status_code == 403
    assert person_of(career[1]) == person
