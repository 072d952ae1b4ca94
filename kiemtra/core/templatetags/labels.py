"""``{{ event.action|action_label }}``: the Vietnamese label of an audit action code (kiemtra.core.labels)."""

from __future__ import annotations

from django import template

from kiemtra.core.labels import ActionLabel, action_label

register = template.Library()


@register.filter(name="action_label")
def action_label_filter(code: str) -> ActionLabel:
    return action_label(code)
