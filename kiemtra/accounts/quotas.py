"""The quota mechanism. Which numbers apply comes from ``QuotaRule`` rows, not from here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kiemtra.orgs.models import OrgUnit

from .choices import ROLE_FUNCTIONS, ROLE_MODULE, QuotaRuleType
from .models import QuotaRule, RoleGrant


@dataclass(frozen=True)
class QuotaUse:
    rule: QuotaRule
    used: int

    @property
    def percent(self) -> int:
        """Rounded to tens: the progress bar's width class (inline styles are barred by the CSP)."""
        if not self.rule.limit:
            return 100 if self.used else 0
        return min(100, round(10 * self.used / self.rule.limit) * 10)

    @property
    def label(self) -> str:
        from .choices import Function

        names = {str(f.value): str(f.label) for f in Function}
        return " + ".join(names.get(f, f) for f in self.rule.functions) or _("Tổng số tài khoản")


def _valid_rules(module: str, on: dt.date | None = None) -> QuerySet[QuotaRule]:
    day = on or timezone.localdate()
    return QuotaRule.objects.filter(module=module, valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day)
    )


def rules_for(unit: OrgUnit, module: str, on: dt.date | None = None) -> list[QuotaRule]:
    return list(_valid_rules(module, on).filter(unit_category=unit.quota_category))


def _count(grants: list[RoleGrant], functions: list[str]) -> int:
    if not functions:
        return len({g.person_id for g in grants})
    wanted = set(functions)
    return sum(1 for g in grants if ROLE_FUNCTIONS[g.role] & wanted)


def usage(unit: OrgUnit, module: str) -> list[QuotaUse]:
    """Each max-active rule of the unit with how many active accounts count against it."""
    return usage_for_units([unit], module)[unit.pk]


def usage_for_units(units: Sequence[OrgUnit], module: str) -> dict[int, list[QuotaUse]]:
    """Quota use of many units in two queries (the account list pages)."""
    categories = {u.quota_category for u in units}
    rules = [
        r for r in _valid_rules(module).filter(unit_category__in=categories) if r.rule_type == QuotaRuleType.MAX_ACTIVE
    ]
    grants: dict[int, list[RoleGrant]] = defaultdict(list)
    for grant in RoleGrant.objects.active().filter(unit__in=units, module=module):
        grants[grant.unit_id].append(grant)
    return {
        u.pk: [QuotaUse(r, _count(grants[u.pk], r.functions)) for r in rules if r.unit_category == u.quota_category]
        for u in units
    }


def violation(unit: OrgUnit, role: str, person_id: int) -> str | None:
    """The message of the first quota the new grant would break, or None."""
    module = ROLE_MODULE[role]
    grants = list(RoleGrant.objects.active().filter(unit=unit, module=module))
    new_functions = ROLE_FUNCTIONS[role]
    for rule in rules_for(unit, module):
        applies = not rule.functions or new_functions & set(rule.functions)
        if not applies:
            continue
        if rule.rule_type == QuotaRuleType.MAX_ACTIVE:
            already_counted = not rule.functions and any(g.person_id == person_id for g in grants)
            if _count(grants, rule.functions) + (0 if already_counted else 1) > rule.limit:
                return _("Vượt định mức: %(unit)s chỉ được tối đa %(limit)s tài khoản %(what)s (%(reg)s).") % {
                    "unit": unit.name,
                    "limit": rule.limit,
                    "what": QuotaUse(rule, 0).label.lower(),
                    "reg": rule.regulation,
                }
        elif rule.rule_type == QuotaRuleType.REQUIRES_AT_LEAST and _count(grants, rule.counted_functions) < rule.limit:
            return _(
                "Chỉ cấp tài khoản quản lý người dùng cho đơn vị có từ %(limit)s tài khoản người dùng "
                "trở lên (%(reg)s)."
            ) % {"limit": rule.limit, "reg": rule.regulation}
    return None
