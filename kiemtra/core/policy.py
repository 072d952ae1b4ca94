"""``can`` / ``require`` / ``scope``: the kernel's door to the registered rules.

Rules and scopes are registered by the app that owns each action
(``registry.register_rules``); asking here needs no import of that app, so an
app low in the graph (``orgs``, ``audit``) can check a permission whose rule is
written higher up (``accounts`` knows who the system admin is). ``accounts.policies``
re-exports these three functions under the names every module already uses.
"""

from __future__ import annotations

from typing import Any

from . import registry
from .errors import PolicyDenied


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``; anonymous and inactive users may do nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(registry.rule(action)(user, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    if not can(user, action, obj):
        raise PolicyDenied(action)


def scope(user: Any, name: str) -> Any:
    """The units whose data ``user`` may see under ``name`` (a module), cached on the user for the request."""
    scopes: dict[str, Any] = getattr(user, "_scopes", None) or {}
    if name not in scopes:
        scopes[name] = registry.scope_function(name)(user)
        if getattr(user, "is_authenticated", False):
            user._scopes = scopes
    return scopes[name]
