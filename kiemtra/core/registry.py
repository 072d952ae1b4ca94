"""What each app registers at start-up, and what the policy layer and the shell read.

The kernel knows no module. A feature app registers, in its ``AppConfig.ready()``:

- its policy rules (``register_rules``) and scopes (``register_scope``): the
  action names it owns (``"stats.approve"``) and who may do them on which object;
- its sidebar entries (``register_menu``), each with the test that shows it;
- its home-page cards (``register_home_card``): the work waiting for the user.

``accounts.policies.can`` / ``scope`` answer from these tables; the shell draws
the menu and the cards. Adding a module is adding an app folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

RuleFn = Callable[[Any, Any], bool]
ScopeFn = Callable[[Any], Any]

_rules: dict[str, RuleFn] = {}
_scopes: dict[str, ScopeFn] = {}


class RegistryError(RuntimeError):
    """A programming error: an action or scope registered twice, or asked for but never registered."""


def register_rules(rules: Mapping[str, RuleFn]) -> None:
    """Register the actions an app owns; an action name belongs to one app only."""
    for action, rule in rules.items():
        if action in _rules and _rules[action] is not rule:
            raise RegistryError(f"policy action registered twice: {action}")
        _rules[action] = rule


def register_scope(name: str, fn: ScopeFn) -> None:
    if name in _scopes and _scopes[name] is not fn:
        raise RegistryError(f"scope registered twice: {name}")
    _scopes[name] = fn


def rule(action: str) -> RuleFn:
    try:
        return _rules[action]
    except KeyError:
        raise RegistryError(f"no policy rule registered for {action!r}") from None


def scope_function(name: str) -> ScopeFn:
    try:
        return _scopes[name]
    except KeyError:
        raise RegistryError(f"no scope registered for {name!r}") from None


def actions() -> tuple[str, ...]:
    """Every registered action, for the generated permission matrix."""
    return tuple(sorted(_rules))


# --- the sidebar ---------------------------------------------------------------


@dataclass(frozen=True)
class MenuItem:
    """One sidebar entry. ``section`` and ``label`` are lazy translations."""

    section: Any
    label: Any
    url_name: str
    icon: str
    visible: Callable[[HttpRequest], bool]
    order: int = 100
    section_order: int = 100


_menu: list[MenuItem] = []


def register_menu(*items: MenuItem) -> None:
    for item in items:
        if any(m.url_name == item.url_name and str(m.section) == str(item.section) for m in _menu):
            continue  # ready() may run twice in tests
        _menu.append(item)


def menu_items() -> list[MenuItem]:
    return sorted(_menu, key=lambda m: (m.section_order, m.order))


# --- home-page cards -----------------------------------------------------------


@dataclass(frozen=True)
class CardLine:
    """One line of a card: what is waiting, how many, where to act on it."""

    label: Any
    url: str = ""
    count: int | None = None
    tone: str = ""  # "", "warning", "danger": how urgent


@dataclass(frozen=True)
class HomeCard:
    title: Any
    lines: list[CardLine] = field(default_factory=list)
    icon: str = ""


CardBuilder = Callable[[HttpRequest], HomeCard | None]

_cards: dict[str, tuple[int, CardBuilder]] = {}


def register_home_card(key: str, builder: CardBuilder, order: int = 100) -> None:
    _cards[key] = (order, builder)


def home_cards(request: HttpRequest) -> list[HomeCard]:
    """The cards this user gets, in order; a builder returns None when it has nothing for them."""
    cards: list[HomeCard] = []
    for _order, builder in sorted(_cards.values(), key=lambda c: c[0]):
        card = builder(request)
        if card is not None:
            cards.append(card)
    return cards


def registered_card_keys() -> Iterable[str]:
    return tuple(_cards)
