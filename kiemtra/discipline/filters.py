"""The filters over published decisions: one definition (django-filter) read by the search page and analytics.

Both pages take the same GET parameters, validate them the same way and narrow
the decisions the same way, so a count drilled down from analytics opens the
search page on exactly the decisions behind it (the round trip is tested). A
bad value is reported with the field's name and left out; the others still
apply. Values are trimmed and cut before validation: a pasted paragraph or a
control character never reaches a message or a query.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from .choices import IssuingLevel, PenaltyCode, PositionLevel, SubjectType
from .models import Decision, ViolationCategory
from .services import records

FIRST_YEAR, LAST_YEAR = 1930, 2100
MAX_VALUE = 200  # characters of one parameter that are looked at
# Control characters and the bidirectional overrides (U+202A–E, U+2066–9) are dropped from every value.
UNSEEN = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
TERM = re.compile(r"[IVXLC]{1,8}")
ALL = gettext_lazy("— tất cả —")
INVALID_CHOICE = gettext_lazy("giá trị '%(value)s' không có trong danh sách.")


def clean_value(value: Any) -> str:
    """One parameter as it is looked at: without unseen characters, trimmed, at most ``MAX_VALUE`` long."""
    return UNSEEN.sub("", str(value))[:MAX_VALUE].strip()


MAX_ID = 2**63 - 1


def record_id(value: Any) -> int | None:
    """A row id from a parameter, or None: digits only, within what the database can hold."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19 or not 0 < int(text) <= MAX_ID:
        return None
    return int(text)


def clean_params(data: Mapping[str, Any], names: Any = None) -> QueryDict:
    """The non-empty parameters among ``names`` (all when None), each through ``clean_value``."""
    cleaned = QueryDict(mutable=True)
    for name in data if names is None else names:
        value = data.get(name)
        if value not in (None, "") and (text := clean_value(value)):
            cleaned[name] = text
    return cleaned


class YearField(forms.Field):
    def to_python(self, value: Any) -> int | None:
        text = clean_value(value or "")
        if not text:
            return None
        if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            raise forms.ValidationError(
                _("'%(value)s' không phải là năm (từ %(low)s đến %(high)s).")
                % {"value": text[:20], "low": FIRST_YEAR, "high": LAST_YEAR},
                code="bad_year",
            )
        return int(text)


class YearFilter(django_filters.Filter):
    field_class = YearField


class TermField(forms.CharField):
    def to_python(self, value: Any) -> str:
        text = clean_value(value or "").upper()
        if text and not TERM.fullmatch(text):
            raise forms.ValidationError(
                _("'%(value)s' không phải là nhiệm kỳ (số La Mã, như XIII).") % {"value": text[:20]}, code="bad_term"
            )
        return text


class TermFilter(django_filters.CharFilter):
    field_class = TermField


class IntegerFilter(django_filters.Filter):
    field_class = forms.IntegerField


def _choice(label: Any, choices: Any, **kwargs: Any) -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=label, choices=choices, empty_label=ALL, error_messages={"invalid_choice": INVALID_CHOICE}, **kwargs
    )


def province_choices() -> list[tuple[int, str]]:
    units = OrgUnit.objects.filter(kind=UnitKind.PROVINCIAL, valid_to__isnull=True).order_by("name")
    return list(units.values_list("pk", "name"))


def category_choices() -> list[tuple[str, str]]:
    """One entry per category code (members' and organisations' share some codes), the latest name."""
    names: dict[str, str] = {}
    for code, name in ViolationCategory.objects.order_by("subject_type", "valid_from").values_list("code", "name"):
        names.setdefault(code, name)
    return sorted(names.items(), key=lambda item: item[1])


class DecisionFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None and start > end:
            # Neither is applied: which of the two was meant is anyone's guess.
            self.add_error(None, _("Từ năm %(a)s lớn hơn đến năm %(b)s.") % {"a": start, "b": end})
            data.pop("year_from", None)
            data.pop("year_to", None)
        return data


class DecisionFilter(django_filters.FilterSet):
    """Every filter both pages offer; the names are the GET parameters of both."""

    term = TermFilter(label=gettext_lazy("Nhiệm kỳ"), field_name="term")
    year_from = YearFilter(label=gettext_lazy("Từ năm"), method="filter_year_from")
    year_to = YearFilter(label=gettext_lazy("Đến năm"), method="filter_year_to")
    province = django_filters.TypedChoiceFilter(
        label=gettext_lazy("Tỉnh, thành"),
        choices=lambda: [("", ALL), *province_choices()],
        coerce=int,
        empty_value=None,
        field_name="province_id",
        error_messages={"invalid_choice": gettext_lazy("không có trong danh sách.")},
    )
    unit = IntegerFilter(label=gettext_lazy("Đơn vị quản lý"), field_name="unit_id", min_value=1, max_value=MAX_ID)
    penalty = _choice(gettext_lazy("Hình thức kỷ luật"), PenaltyCode.choices)
    category = _choice(gettext_lazy("Nội dung vi phạm"), category_choices, method="filter_category")
    subject_type = _choice(gettext_lazy("Đối tượng"), SubjectType.choices)
    issuing_level = _choice(gettext_lazy("Cấp ban hành"), IssuingLevel.choices)
    position_level = _choice(gettext_lazy("Cấp chức vụ"), PositionLevel.choices)
    issuing_body = django_filters.CharFilter(
        label=gettext_lazy("Cơ quan ban hành"), method="filter_issuing_body", max_length=MAX_VALUE
    )

    class Meta:
        model = Decision
        fields: list[str] = []
        form = DecisionFilterForm

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        queryset: QuerySet[Decision] | None = None,
        *,
        provinces: list[tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(None if data is None else clean_params(data, self.base_filters), queryset)
        if provinces is not None:  # analytics offers the provinces that have decisions in the reader's scope
            self.filters["province"].extra["choices"] = [("", ALL), *provinces]

    # --- how each filter narrows --------------------------------------------------------------

    def filter_year_from(self, queryset: QuerySet[Decision], _name: str, value: int | None) -> QuerySet[Decision]:
        # A date range, not ``issued_on__year``: the index on (state, issued_on) answers it.
        return queryset if value is None else queryset.filter(issued_on__gte=dt.date(value, 1, 1))

    def filter_year_to(self, queryset: QuerySet[Decision], _name: str, value: int | None) -> QuerySet[Decision]:
        return queryset if value is None else queryset.filter(issued_on__lt=dt.date(value + 1, 1, 1))

    def filter_category(self, queryset: QuerySet[Decision], _name: str, value: str) -> QuerySet[Decision]:
        if not value:
            return queryset
        # A subquery, not a join: the join would repeat a decision once per matching category.
        tagged = Decision.categories.through.objects.filter(decision_id=OuterRef("pk"), violationcategory__code=value)
        return queryset.filter(Exists(tagged))

    def filter_issuing_body(self, queryset: QuerySet[Decision], _name: str, value: str) -> QuerySet[Decision]:
        key = records.body_key(value) if value else ""
        return queryset.filter(issuing_body_key__contains=key) if key else queryset

    # --- for the pages --------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """The valid filters (call after ``is_valid``), empty ones left out."""
        data = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in data.items() if value not in (None, "")}

    def problems(self) -> list[tuple[str, str]]:
        """(field label, message) for every value refused."""
        return [
            (str(self.form.fields[name].label) if name in self.form.fields else "", str(message))
            for name, messages in self.form.errors.items()
            for message in messages
        ]


FILTER_NAMES: tuple[str, ...] = tuple(DecisionFilter.base_filters)


def narrow(decisions: QuerySet[Decision], values: Mapping[str, Any]) -> QuerySet[Decision]:
    """``decisions`` narrowed by already validated ``values`` (name → cleaned value), the filter set's own way."""
    filterset = DecisionFilter(queryset=decisions)
    for name, value in values.items():
        if value not in (None, "") and name in filterset.filters:
            decisions = filterset.filters[name].filter(decisions, value)
    return decisions
