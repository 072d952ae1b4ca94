"""``{% date_input %}``: the dd/mm/yyyy input of kiemtra.core.widgets for a template without a Django form."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from kiemtra.core.widgets import DateInput, DateTimeInput, format_date

register = template.Library()


@register.simple_tag
def date_input(
    name: str,
    value: Any = "",
    *,
    id: str = "",
    id_suffix: Any = "",
    kind: str = "date",
    size: str = "",
) -> SafeString:
    """``{% date_input "from" params.from id="f-from" size="sm" %}``; ``kind="datetime"`` for dd/mm/yyyy hh:mm.

    ``id_suffix`` is appended to ``id`` (``id="ed-" id_suffix=e.pk`` in a loop).
    """
    css = "form-control date-input" + (f" form-control-{size}" if size else "")
    attrs = {"class": css, **({"id": f"{id}{id_suffix}"} if id else {})}
    widget = DateTimeInput(attrs) if kind == "datetime" else DateInput(attrs)
    shown = format_date(value) if kind == "date" and isinstance(value, str) else value
    return SafeString(widget.render(name, shown))
