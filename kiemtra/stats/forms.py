from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from kiemtra.core.forms import StyledForm
from kiemtra.core.widgets import DateField, DateTimeField, local_now_minute

from .choices import PeriodType
from .grid import FORBIDDEN_CHARACTERS, MAX_TEXT
from .models import FormVersion

# Dates a statistics form may name: anything else is a typing error (or a probe) and would overflow
# the date arithmetic of the services ("0001-01-01" minus 15 days).
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class TextGuard(forms.Form):
    """Every statistics form: free text is bounded, no control or direction characters, dates in range."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                field.max_length = MAX_TEXT
                field.validators.append(MaxLengthValidator(MAX_TEXT))
                field.widget.attrs.setdefault("maxlength", str(MAX_TEXT))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and FORBIDDEN_CHARACTERS.search(value):
                self.add_error(name, _("Có ký tự điều khiển hoặc ký tự đổi chiều văn bản không được phép."))
            day = value.date() if isinstance(value, dt.datetime) else value
            if isinstance(day, dt.date) and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Ngày phải trong khoảng %(a)s – %(b)s.")
                    % {"a": EARLIEST.strftime("%d/%m/%Y"), "b": LATEST.strftime("%d/%m/%Y")},
                )
        return cleaned


class OpenPeriodForm(TextGuard, StyledForm):
    code = forms.CharField(label=_("Mã kỳ"), max_length=32, help_text=_("Ví dụ: 2026-6T"))
    name = forms.CharField(label=_("Tên kỳ báo cáo"), max_length=255)
    period_type = forms.ChoiceField(label=_("Loại kỳ"), choices=PeriodType.choices)
    data_start = DateField(label=_("Số liệu từ ngày"))
    data_cutoff = DateField(label=_("Thời điểm chốt số liệu"))
    opens_at = DateTimeField(label=_("Thời điểm mở kỳ"), initial=local_now_minute)
    deadline = DateTimeField(label=_("Thời hạn báo cáo"))
    form_versions = forms.ModelMultipleChoiceField(
        label=_("Biểu báo cáo"),
        queryset=FormVersion.objects.select_related("form").order_by("form__code", "-number"),
        widget=forms.CheckboxSelectMultiple,
    )
    is_trial = forms.BooleanField(label=_("Kỳ chạy thử (dữ liệu sẽ bị xóa khi kết thúc chạy thử)"), required=False)
    notice = forms.CharField(
        label=_("Thông báo gửi các đơn vị (bắt buộc với kỳ đột xuất)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form_versions"].widget.attrs["class"] = "form-check-input"
        self.fields["is_trial"].widget.attrs["class"] = "form-check-input"


class ExtensionRequestForm(TextGuard, StyledForm):
    reason = forms.CharField(label=_("Lý do (bất khả kháng)"), widget=forms.Textarea(attrs={"rows": 2}))
    days = forms.IntegerField(label=_("Số ngày cần gia hạn"), min_value=1, max_value=60)
    document_ref = forms.CharField(label=_("Văn bản đề nghị"), max_length=255)


class DecisionForm(TextGuard, StyledForm):
    grant = forms.TypedChoiceField(
        label=_("Quyết định"), choices=[("1", _("Đồng ý")), ("0", _("Không đồng ý"))], coerce=lambda v: v == "1"
    )
    new_deadline = DateTimeField(label=_("Thời hạn mới"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def clean_new_deadline(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("new_deadline")
        return value


class CorrectionRequestForm(TextGuard, StyledForm):
    reason = forms.CharField(label=_("Nội dung cần chỉnh lý, bổ sung"), widget=forms.Textarea(attrs={"rows": 2}))
    document_ref = forms.CharField(label=_("Văn bản đề nghị"), max_length=255)


class PurgeTrialForm(TextGuard, StyledForm):
    confirm = forms.CharField(label=_("Gõ XÓA DỮ LIỆU THỬ để xác nhận"), max_length=32)
    at = DateTimeField(label=_("Xóa vào lúc (để trống: xóa ngay)"), required=False)

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data["confirm"]).strip()
        if value != "XÓA DỮ LIỆU THỬ":
            raise forms.ValidationError(_("Phải gõ đúng cụm từ xác nhận."))
        return value
