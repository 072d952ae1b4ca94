"""The audit page's filters: every value checked, a bad one answered with a message naming the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kiemtra.core.widgets import DateField


class AuditFilterForm(forms.Form):
    unit = forms.CharField(label=_("Đơn vị (tên hoặc mã)"), required=False, max_length=255)
    person = forms.CharField(label=_("Người thực hiện"), required=False, max_length=255)
    action = forms.CharField(label=_("Thao tác (tiền tố)"), required=False, max_length=100)
    # The kernel's dd/mm/yyyy field (ISO still read): its message already names the field.
    date_from = DateField(label=_("Từ ngày"), required=False)
    date_to = DateField(label=_("Đến ngày"), required=False)

    # The query string keeps its short names (?from=…&to=…), which are Python keywords.
    PARAMS = {"from": "date_from", "to": "date_to"}

    def __init__(self, params: Any, *args: Any, **kwargs: Any) -> None:
        data = {self.PARAMS.get(k, k): v for k, v in params.items()}
        super().__init__(data, *args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("phải sau hoặc trùng với ngày bắt đầu."))
        return data

    def messages(self) -> list[str]:
        """'Từ ngày: không phải một ngày có thật …' — each error with the label of its field."""
        found: list[str] = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            found.extend(
                f"{label}: {error}" if label and not str(error).startswith(str(label)) else str(error)
                for error in errors
            )
        return found
