from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kiemtra.core.forms import StyledForm
from kiemtra.core.widgets import DateField

from .choices import DepartmentRole, UnitKind
from .models import OrgUnit


def _active_units() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=OrgUnit.objects.active().exclude(kind=UnitKind.COMMUNE), label=_("Đơn vị cấp trên")
    )


class UnitCreateForm(StyledForm):
    code = forms.CharField(label=_("Mã đơn vị"), max_length=32)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại đơn vị"), choices=UnitKind.choices)
    department_role = forms.ChoiceField(label=_("Chức năng vụ"), choices=DepartmentRole.choices, required=False)
    parent = _active_units()
    valid_from = DateField(label=_("Hiệu lực từ"), initial=timezone.localdate)
    document_ref = forms.CharField(label=_("Văn bản"), max_length=255, required=False)


class RegionalAssignmentForm(StyledForm):
    provinces = forms.ModelMultipleChoiceField(
        queryset=OrgUnit.objects.active().filter(kind=UnitKind.PROVINCIAL).order_by("name"),
        label=_("Địa bàn được phân công theo dõi"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    effective = DateField(label=_("Ngày hiệu lực"), initial=timezone.localdate)
    document_ref = forms.CharField(label=_("Văn bản"), max_length=255, required=False)


class UnitChangeForm(StyledForm):
    ACTIONS = [
        ("rename", _("Đổi tên")),
        ("move", _("Chuyển đơn vị cấp trên")),
        ("merge", _("Hợp nhất vào đơn vị khác")),
        ("close", _("Giải thể / ngừng hoạt động")),
    ]
    action = forms.ChoiceField(label=_("Thao tác"), choices=ACTIONS)
    name = forms.CharField(label=_("Tên mới"), max_length=255, required=False)
    target = forms.ModelChoiceField(
        queryset=OrgUnit.objects.active(), required=False, label=_("Đơn vị cấp trên mới / đơn vị nhận hợp nhất")
    )
    effective = DateField(label=_("Ngày hiệu lực"), initial=timezone.localdate)
    document_ref = forms.CharField(label=_("Văn bản"), max_length=255)
