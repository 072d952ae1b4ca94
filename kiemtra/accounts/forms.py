from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kiemtra.core.forms import StyledForm
from kiemtra.orgs.models import OrgUnit

from .choices import Role


class SignInForm(StyledForm):
    username = forms.CharField(
        label=_("Mã định danh"),
        max_length=64,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    otp_token = forms.CharField(
        label=_("Mã xác thực (nếu đã bật xác thực hai lớp)"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(StyledForm):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("Mật khẩu mới"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("Hai lần nhập mật khẩu mới không khớp."))
        return data


class TotpConfirmForm(StyledForm):
    token = forms.CharField(
        label=_("Mã 6 số trên ứng dụng xác thực"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NewAccountForm(StyledForm):
    identifier_code = forms.CharField(label=_("Mã định danh"), max_length=64)
    full_name = forms.CharField(label=_("Họ và tên"), max_length=255)
    position = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    citizen_id = forms.CharField(label=_("Số định danh cá nhân (VNeID)"), max_length=12, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    document_ref = forms.CharField(label=_("Văn bản phê duyệt"), max_length=255)

    def __init__(self, *args: object, roles: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = [("", _("— Chọn vai trò —")), *roles]  # type: ignore[attr-defined]


class GrantExistingForm(StyledForm):
    identifier_code = forms.CharField(label=_("Mã định danh của người đã có tài khoản"), max_length=64)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    document_ref = forms.CharField(label=_("Văn bản phê duyệt"), max_length=255)

    def __init__(self, *args: object, roles: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = [("", _("— Chọn vai trò —")), *roles]  # type: ignore[attr-defined]


class RevokeForm(StyledForm):
    document_ref = forms.CharField(label=_("Văn bản phê duyệt thu hồi"), max_length=255)
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)


class HandOverForm(StyledForm):
    new_holder_name = forms.CharField(label=_("Họ tên người nhận bàn giao"), max_length=255)
    document_ref = forms.CharField(label=_("Văn bản bàn giao"), max_length=255)


class UnitSearchForm(StyledForm):
    q = forms.CharField(
        label=_("Tìm đơn vị"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": _("Tên hoặc mã đơn vị, có dấu hoặc không dấu")}),
    )
    kind = forms.ChoiceField(label=_("Loại"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from kiemtra.orgs.choices import UnitKind

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["kind"].choices = [("", _("Tất cả")), *UnitKind.choices]  # type: ignore[attr-defined]


def unit_choices() -> list[tuple[int, str]]:
    return list(OrgUnit.objects.active().values_list("pk", "name"))
