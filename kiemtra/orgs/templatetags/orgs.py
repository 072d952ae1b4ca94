"""``{{ kind|unit_kind }}``: the Vietnamese name of a unit kind code ("commune" → "UBKT cấp trên trực tiếp cơ sở")."""

from __future__ import annotations

from django import template

from kiemtra.orgs.choices import UnitKind

register = template.Library()


@register.filter
def unit_kind(code: str) -> str:
    try:
        return str(UnitKind(code).label)
    except ValueError:
        return code
