"""What each app registers at start-up, and what the policy layer and the shell read.

The kernel knows no module. A feature app registers, in its ``AppConfig.ready()``:

- its policy rules (``register_rules``) and scopes (``register_scope``): the
  action names it owns (``"stats.approve"``) and who may do them on which object;
- its sidebar entries (``register_menu``), each with the test that shows it;
- its home-page cards (``register_home_card``): the work waiting for the user;
- its periodic jobs (``register_job``): read by the embedded scheduler and by Celery beat.

``kiemtra.core.policy.can`` / ``scope`` (re-exported by ``accounts.policies``)
answer from these tables; the shell draws the menu and the cards. Adding a
module is adding an app folder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

RuleFn = Callable[[Any, Any], bool]
ScopeFn = Callable[[Any], Any]

_rules: dict[str, RuleFn] = {}
_fallback_rules: set[str] = set()
_targets: dict[str, str] = {}
_scopes: dict[str, ScopeFn] = {}
_scope_labels: dict[str, Any] = {}

# What the object of an action is, for the generated permission matrix: a unit
# (checked against every relation in the tree), nothing (a global right), or
# some other object (a grant, a person: tested by their own behaviour tests).
UNIT, GLOBAL, OBJECT = "unit", "global", "object"


class RegistryError(RuntimeError):
    """A programming error: an action or scope registered twice, or asked for but never registered."""


def register_rules(rules: Mapping[str, RuleFn], *, target: str = UNIT, fallback: bool = False) -> None:
    """Register the actions an app owns; an action name belongs to one app only.

    ``target`` says what the rule is asked about (``UNIT``, ``GLOBAL`` or ``OBJECT``).
    ``fallback`` rules hold a place until the owning app registers its own (which
    then replaces them silently); a fallback never replaces a real rule.
    """
    if target not in (UNIT, GLOBAL, OBJECT):
        raise RegistryError(f"unknown rule target: {target}")
    for action, rule in rules.items():
        if action in _rules and _rules[action] is not rule:
            if fallback:
                continue
            if action not in _fallback_rules:
                raise RegistryError(f"policy action registered twice: {action}")
        _rules[action] = rule
        _targets[action] = target
        if fallback:
            _fallback_rules.add(action)
        else:
            _fallback_rules.discard(action)


_fallback_scopes: set[str] = set()


def register_scope(name: str, fn: ScopeFn, *, label: Any = None, fallback: bool = False) -> None:
    """``label`` (a lazy translation) shows the scope on the home page ("Thống kê: 3 đơn vị").

    ``fallback`` works as for ``register_rules``.
    """
    if name in _scopes and _scopes[name] is not fn:
        if fallback:
            return
        if name not in _fallback_scopes:
            raise RegistryError(f"scope registered twice: {name}")
    _scopes[name] = fn
    if fallback:
        _fallback_scopes.add(name)
    else:
        _fallback_scopes.discard(name)
    if label is not None:
        _scope_labels[name] = label


def labelled_scopes() -> list[tuple[str, Any]]:
    """The scopes a user is told about on the home page, in registration order."""
    return list(_scope_labels.items())


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


def actions(target: str | None = None) -> tuple[str, ...]:
    """Every registered action (of one ``target`` kind), for the generated permission matrix."""
    return tuple(sorted(a for a in _rules if target is None or _targets[a] == target))


def unregister_rules(*names: str) -> None:
    """For tests that register a throw-away action."""
    for name in names:
        _rules.pop(name, None)
        _targets.pop(name, None)
        _fallback_rules.discard(name)


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
    """A card of the home page: ``lines`` drawn by the shell, or its own ``template`` given ``context``."""

    title: Any
    lines: list[CardLine] = field(default_factory=list)
    icon: str = ""
    template: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)


CardBuilder = Callable[[HttpRequest], "HomeCard | list[HomeCard] | None"]

_cards: dict[str, tuple[int, CardBuilder]] = {}


def register_home_card(key: str, builder: CardBuilder, order: int = 100) -> None:
    """``builder(request)`` returns a ``HomeCard``, a list of them, or None when it has nothing for this user."""
    _cards[key] = (order, builder)


def home_cards(request: HttpRequest) -> list[HomeCard]:
    """The cards this user gets, in order; a builder returns None when it has nothing for them."""
    cards: list[HomeCard] = []
    for _order, builder in sorted(_cards.values(), key=lambda c: c[0]):
        card = builder(request)
        if isinstance(card, HomeCard):
            cards.append(card)
        elif card:
            cards.extend(card)
    return cards


def registered_card_keys() -> Iterable[str]:
    return tuple(_cards)


# --- periodic jobs -------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """A task run every ``every`` seconds: by ``kiemtra scheduler`` embedded, by Celery beat at scale.

    ``path`` is the dotted path of a Celery task callable with no arguments, so
    both runners call the same function (beat by the task's registered name).
    """

    path: str
    every: int


_jobs: dict[str, Job] = {}


def register_job(path: str, every: int) -> None:
    _jobs[path] = Job(path, every)


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda j: j.path)


# --- demo data -------------------------------------------------------------------

DemoLoader = Callable[[Any], None]  # given the command's stdout

_demo_loaders: dict[str, tuple[int, DemoLoader]] = {}


def register_demo_loader(key: str, loader: DemoLoader, order: int = 100) -> None:
    """A module's part of ``kiemtra demo``, run after the tree and the demo accounts exist."""
    _demo_loaders[key] = (order, loader)


def demo_loaders() -> list[DemoLoader]:
    return [loader for _order, loader in sorted(_demo_loaders.values(), key=lambda entry: entry[0])]
