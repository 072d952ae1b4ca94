"""Issue 10 item 10: a name typed is matched as a name first, typed diacritics narrow, results sorted by relevance.

"nguyen van" returned every decision with "nguyên tắc" in its violations and
"Văn" anywhere in a name. A query of words is a name first: the decisions whose
subject's name holds the words adjacent and in order come first (the default
sort when there is a query), and a word typed with its diacritics matches that
word as written only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kiemtra.accounts.choices import Role
from kiemtra.accounts.models import User
from kiemtra.conftest import Tree, signed_in
from kiemtra.discipline import search
from kiemtra.discipline.choices import Confidentiality
from kiemtra.discipline.models import Decision
from kiemtra.discipline.search import DecisionQuery

from .factories import make_decision

pytestmark = pytest.mark.django_db
Maker = Callable[..., User]


@pytest.fixture
def reader(org_tree: Tree, person_with: Maker) -> User:
    return person_with(org_tree.centre, Role.DISCIPLINE_EDITOR)


def ranked(actor: User, text: str, **query: Any) -> list[str]:
    return [d.number for d in search.search(actor, DecisionQuery(text=text, **query))]


def paged(actor: User, text: str) -> list[str]:
    return [d.number for d in search.paginate(actor, DecisionQuery(text=text), 1).object_list]


def test_a_name_typed_comes_before_the_same_words_found_elsewhere(org_tree: Tree, reader: User) -> None:
    make_decision(
        org_tree.commune, number="Số 1", subject_name="Trần Văn Bình", violations="Vi phạm nguyên tắc tập trung"
    )
    make_decision(org_tree.commune, number="Số 2", subject_name="Nguyễn Văn An", issued_on="2020-01-01")
    make_decision(org_tree.commune, number="Số 3", subject_name="Lê Thị Hoa", violations="Nguyễn Văn Cừ, tòa nhà")
    make_decision(org_tree.commune, number="Số 4", subject_name="Nguyễn Văn Tám", issued_on="2021-01-01")
    # Names first (newest first among them), then the decisions that hold the words elsewhere.
    assert ranked(reader, "nguyen van") == ["Số 4", "Số 2", "Số 3", "Số 1"]
    assert paged(reader, "nguyen van") == ranked(reader, "nguyen van")
    # Newest first when asked: the same decisions.
    assert set(ranked(reader, "nguyen van", sort="date")) == set(ranked(reader, "nguyen van"))


def test_words_of_a_name_match_adjacent_and_in_order_first(org_tree: Tree, reader: User) -> None:
    make_decision(org_tree.commune, number="Số 1", subject_name="An Văn Tú", issued_on="2024-05-01")
    make_decision(org_tree.commune, number="Số 2", subject_name="Nguyễn Văn An", issued_on="2020-05-01")
    assert ranked(reader, "van an") == ["Số 2", "Số 1"]
    assert ranked(reader, "an van") == ["Số 1", "Số 2"]


def test_diacritics_typed_narrow_the_match(org_tree: Tree, reader: User) -> None:
    make_decision(org_tree.commune, number="Số 1", subject_name="Nguyễn Văn An")
    make_decision(org_tree.commune, number="Số 2", subject_name="Nguyễn Vân An")
    make_decision(org_tree.commune, number="Số 3", subject_name="Nguyen Van An")  # written without marks
    assert sorted(ranked(reader, "nguyen van an")) == ["Số 1", "Số 2", "Số 3"]
    assert ranked(reader, "Nguyễn Văn An") == ["Số 1"]
    assert ranked(reader, "nguyen vân") == ["Số 2"]
    # Marks on words outside the name narrow the same way.
    make_decision(org_tree.commune, number="Số 4", subject_name="Đỗ Hữu Tài", violations="Lợi dụng thế lực")
    make_decision(org_tree.commune, number="Số 5", subject_name="Đỗ Hữu Lộc", violations="Vi phạm có thể")
    assert ranked(reader, "thế") == ["Số 4"]
    assert sorted(ranked(reader, "the")) == ["Số 4", "Số 5"]


def test_a_classified_name_is_matched_as_a_name_by_those_who_may_read_it(
    org_tree: Tree, reader: User, person_with: Maker
) -> None:
    make_decision(
        org_tree.commune, number="Số 1", subject_name="Hoàng Minh Tuấn", confidentiality=Confidentiality.SECRET
    )
    make_decision(org_tree.commune, number="Số 2", subject_name="Tuấn Hoàng Minh", issued_on="2025-01-01")
    assert ranked(reader, "hoang minh tuan") == ["Số 1", "Số 2"]
    assert ranked(reader, "Hoàng Minh Tuấn") == ["Số 1", "Số 2"]
    viewer = person_with(org_tree.centre, Role.DISCIPLINE_VIEWER)
    assert ranked(viewer, "hoang minh tuan") == ["Số 2"]


def test_relevance_is_the_default_with_a_query_and_offered_on_the_page(org_tree: Tree, reader: User) -> None:
    make_decision(org_tree.commune, number="Số 1", subject_name="Nguyễn Văn An")
    assert DecisionQuery(text="an").order == "relevance" and DecisionQuery().order == "date"
    assert DecisionQuery(sort="relevance").order == "date"  # nothing to be relevant to
    html = signed_in(reader).get("/ky-luat/", {"q": "nguyen van an"}).content.decode()
    assert '<option value="relevance" selected>' in html


def test_stored_words_carry_name_and_marked_tokens_not_the_classified_text(org_tree: Tree) -> None:
    secret = make_decision(
        org_tree.commune,
        subject_name="Hoàng Minh Tuấn",
        violations="Nhận hối lộ",
        confidentiality=Confidentiality.SECRET,
    )
    stored = Decision.objects.get(pk=secret.pk).search_text
    # Digests are spelt in the letters a–p, so a word may appear inside one by chance: compare whole words.
    words = {word.lstrip("~") for word in stored.split()}
    assert not {"hoang", "tuan", "hoi", "nhan", "lo"} & words
    assert any(word.startswith("~") for word in stored.split())
