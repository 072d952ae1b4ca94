"""The cells of the entry grid as HTML, built in Python.

A 300-cell form is ~6,000 template nodes; on deadline day (bench/deadline_day.py)
rendering them through the template engine was most of the report page's CPU.
The markup is the one the grid's JavaScript and the browser tests read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

INPUT_MODES = {"integer": "numeric", "decimal": "decimal"}


@dataclass
class GridCell:
    key: str
    row: int
    col: int
    computed: bool
    kind: str
    own: str
    total: str
    label: str
    changed: tuple[str, str] | None  # (value when last approved, value now)


def cells_html(cells: Sequence[GridCell], *, editable: bool, with_totals: bool) -> SafeString:
    parts: list[str] = []
    for cell in cells:
        classes = "cell" + (" cell-computed" if cell.computed else "") + (" cell-changed" if cell.changed else "")
        title = ""
        if cell.changed:
            then, now = cell.changed
            title = format_html(
                ' title="{}"', _("Khi phê duyệt: %(then)s — nay: %(now)s") % {"then": then or "—", "now": now or "—"}
            )
        if editable and not cell.computed:
            own = format_html(
                '<input class="cell-input form-control form-control-sm{}" type="text" inputmode="{}" '
                'autocomplete="off" spellcheck="false" data-key="{}" data-r="{}" data-c="{}" data-type="{}" '
                'aria-label="{}" value="{}">',
                " cell-text" if cell.kind == "text" else "",
                INPUT_MODES.get(cell.kind, "text"),
                cell.key,
                cell.row,
                cell.col,
                cell.kind,
                cell.label,
                cell.own,
            )
        else:
            own = format_html('<span class="cell-value" data-value-key="{}">{}</span>', cell.key, cell.own)
        total = (
            format_html('<span class="cell-total" data-total-key="{}">{}</span>', cell.key, cell.total)
            if with_totals
            else ""
        )
        parts.append(
            format_html(
                '<td class="{}" data-key="{}" data-r="{}" data-c="{}" data-type="{}"{}>'
                '<span class="cell-own">{}</span>{}</td>',
                classes,
                cell.key,
                cell.row,
                cell.col,
                cell.kind,
                title,
                own,
                total,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 — every part above went through format_html
