"""The registry that modules register their rules, menu and home cards in."""

from __future__ import annotations

import pytest

from kiemtra.core import registry


def test_an_action_cannot_be_registered_twice_by_two_apps() -> None:
    registry.register_rules({"test.registry.once": lambda user, obj: True})
    try:
        with pytest.raises(registry.RegistryError):
            registry.register_rules({"test.registry.once": lambda user, obj: False})
    finally:
        registry.unregister_rules("test.registry.once")


def test_an_apps_own_rule_replaces_a_fallback_and_a_fallback_never_replaces_a_rule() -> None:
    """The letter rules held by accounts until kiemtra/letters registers its own."""

    def fallback(user: object, obj: object) -> bool:
        return False

    def own(user: object, obj: object) -> bool:
        return True

    try:
        registry.register_rules({"test.registry.held": fallback}, fallback=True)
        registry.register_rules({"test.registry.held": own})
        assert registry.rule("test.registry.held") is own
        registry.register_rules({"test.registry.held": fallback}, fallback=True)
        assert registry.rule("test.registry.held") is own
    finally:
        registry.unregister_rules("test.registry.held")


def test_asking_for_an_unregistered_action_is_a_programming_error() -> None:
    with pytest.raises(registry.RegistryError):
        registry.rule("test.registry.never_registered")


@pytest.mark.django_db
def test_a_registered_menu_item_and_home_card_reach_the_page() -> None:
    from django.urls import reverse

    from kiemtra.conftest import make_person, signed_in

    registry.register_menu(
        registry.MenuItem(
            section="Mô-đun thử", label="Mục thử", url_name="help:index", icon="star", visible=lambda r: True
        )
    )
    registry.register_home_card(
        "test.card",
        lambda request: registry.HomeCard(title="Thẻ thử", lines=[registry.CardLine("Việc chờ", url="/", count=3)]),
    )
    try:
        client = signed_in(make_person())
        page = client.get(reverse("core:home")).content.decode()
        assert "Mục thử" in page
        assert "Thẻ thử" in page and "Việc chờ" in page
    finally:
        registry._menu[:] = [m for m in registry._menu if m.label != "Mục thử"]
        registry._cards.pop("test.card", None)
