from __future__ import annotations

from typing import Any

from django import forms


class StyledForm(forms.Form):
    """Bootstrap classes and ARIA attributes on every widget, so templates stay plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)
            if field.required:
                widget.attrs.setdefault("aria-required", "true")
