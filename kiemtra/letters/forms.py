"""The forms of the register (paper letters, edits, reveals) and of the citizens' portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kiemtra.core.forms import StyledForm
from kiemtra.core.widgets import DateField
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from . import files
from .choices import PAPER_CHANNELS, Channel, Kind, ProposalTarget
from .services.records import MAX_CONTENT_CHARS

SENDER_ROWS = 3


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def incoming(uploads: list[UploadedFile]) -> list[files.IncomingFile]:
    return [files.IncomingFile(u.name or "tep", u.read(), u.content_type or "") for u in uploads]


class AboutFields(StyledForm):
    about_name = forms.CharField(label=_("Người hoặc tổ chức bị phản ánh, tố cáo"), max_length=255, required=False)
    about_position = forms.CharField(label=_("Chức vụ"), max_length=255, required=False)
    about_organisation = forms.CharField(label=_("Cơ quan, đơn vị công tác"), max_length=255, required=False)


class PortalLetterForm(AboutFields):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Kind.choices)
    addressed_unit = forms.ModelChoiceField(
        label=_("Gửi tới ủy ban kiểm tra"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Không rõ — để Ủy ban Kiểm tra Trung ương chuyển đúng nơi"),
    )
    full_name = forms.CharField(label=_("Họ và tên người gửi"), max_length=255)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=32)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500)
    keep_identity_confidential = forms.BooleanField(
        label=_("Đề nghị giữ bí mật họ tên, địa chỉ của tôi"), required=False
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    content = forms.CharField(
        label=_("Nội dung"), max_length=MAX_CONTENT_CHARS, widget=forms.Textarea(attrs={"rows": 10})
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm (PDF, JPEG, PNG, DOCX; tối đa 5 tệp, mỗi tệp 10 MB)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressed_unit"].queryset = OrgUnit.objects.filter(  # type: ignore[attr-defined]
            valid_to__isnull=True, kind__in=[UnitKind.CENTRAL, UnitKind.PROVINCIAL, UnitKind.COMMUNE]
        ).order_by("path")


class PaperLetterForm(AboutFields):
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=[(c, Channel(c).label) for c in PAPER_CHANNELS])
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Kind.choices)
    received_on = DateField(label=_("Ngày nhận"))
    anonymous = forms.BooleanField(label=_("Đơn nặc danh (không ghi người gửi)"), required=False)
    false_name = forms.BooleanField(label=_("Nghi mạo danh, giả danh người gửi"), required=False)
    keep_identity_confidential = forms.BooleanField(label=_("Người gửi đề nghị giữ bí mật danh tính"), required=False)
    about_unit = forms.CharField(label=_("Đơn vị của người bị tố cáo"), max_length=255, required=False)
    about_rank = forms.CharField(label=_("Cấp quản lý (chức vụ)"), max_length=255, required=False)
    field_code = forms.CharField(label=_("Lĩnh vực"), max_length=32, required=False)
    locality = forms.CharField(label=_("Địa bàn"), max_length=120, required=False)
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    content = forms.CharField(
        label=_("Nội dung (để trống để lấy chữ đọc được từ bản quét)"),
        max_length=MAX_CONTENT_CHARS,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    scans = MultipleFileField(label=_("Bản quét đơn (PDF, JPEG, PNG)"))
    attachments = MultipleFileField(label=_("Tài liệu kèm theo"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        for i in range(1, SENDER_ROWS + 1):
            self.fields[f"sender_{i}_name"] = forms.CharField(
                label=_("Người gửi %(n)d — họ tên") % {"n": i}, max_length=255, required=False
            )
            self.fields[f"sender_{i}_citizen_id"] = forms.RegexField(
                r"^\d{12}$",
                label=_("Người gửi %(n)d — số định danh cá nhân") % {"n": i},
                max_length=12,
                error_messages={"invalid": _("Số định danh cá nhân phải gồm 12 chữ số.")},
                required=False,
            )
            self.fields[f"sender_{i}_address"] = forms.CharField(
                label=_("Người gửi %(n)d — địa chỉ") % {"n": i}, max_length=500, required=False
            )
            self.fields[f"sender_{i}_phone"] = forms.CharField(
                label=_("Người gửi %(n)d — điện thoại") % {"n": i}, max_length=32, required=False
            )
            self.fields[f"sender_{i}_party_member"] = forms.BooleanField(
                label=_("Người gửi %(n)d là đảng viên") % {"n": i}, required=False
            )
            self.fields[f"sender_{i}_organisation"] = forms.BooleanField(
                label=_("Người gửi %(n)d là tổ chức") % {"n": i}, required=False
            )
            for suffix in ("party_member", "organisation"):
                self.fields[f"sender_{i}_{suffix}"].widget.attrs["class"] = "form-check-input"
        for name in ("anonymous", "false_name", "keep_identity_confidential"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        named = any(data.get(f"sender_{i}_name") for i in range(1, SENDER_ROWS + 1))
        if not data.get("anonymous") and not named:
            self.add_error("sender_1_name", _("Cần ghi họ tên người gửi, hoặc đánh dấu đơn nặc danh."))
        if not data.get("content") and not data.get("scans"):
            self.add_error("content", _("Cần ghi nội dung đơn hoặc tải lên bản quét."))
        return data


class AmendForm(StyledForm):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Kind.choices)
    field_code = forms.CharField(label=_("Lĩnh vực"), max_length=32, required=False)
    locality = forms.CharField(label=_("Địa bàn"), max_length=120, required=False)
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label=_("Lý do sửa"), max_length=500)


class RevealRequestForm(StyledForm):
    reason = forms.CharField(
        label=_("Lý do đề nghị xem danh tính"), min_length=10, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevealDecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("Quyết định"), choices=[("approve", _("Đồng ý")), ("refuse", _("Từ chối"))])
    reason = forms.CharField(label=_("Lý do"), max_length=1000)


def _required(label: Any) -> dict[str, Any]:
    """A missing field is named in its message, wherever the message is shown."""
    return {"required": format_lazy(_("{field}: cần nhập."), field=label)}


class ProposalForm(StyledForm):
    """A proposal to inspect or supervise drawn from letters (Letters II item 9): no sender is carried."""

    target_kind = forms.ChoiceField(
        label=_("Đối tượng đề nghị"),
        choices=[("", "—"), *ProposalTarget.choices],
        error_messages=_required(_("Đối tượng đề nghị")),
    )
    target_name = forms.CharField(
        label=_("Tên tổ chức đảng hoặc đảng viên"),
        max_length=255,
        error_messages=_required(_("Tên tổ chức đảng hoặc đảng viên")),
    )
    target_unit = forms.ModelChoiceField(
        label=_("Thuộc đơn vị (nếu xác định được)"), queryset=OrgUnit.objects.none(), required=False
    )
    grounds = forms.CharField(
        label=_("Căn cứ, nội dung đề nghị"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_required(_("Căn cứ, nội dung đề nghị")),
    )
    letters = forms.MultipleChoiceField(
        label=_("Đơn thư làm căn cứ"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            **_required(_("Đơn thư làm căn cứ")),
            "invalid_choice": _("Đơn thư làm căn cứ: chỉ chọn đơn trong danh sách."),
        },
    )

    def __init__(self, *args: Any, letters: Any = (), units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["letters"].choices = [(str(x.uid), x.tracking_code) for x in letters]  # type: ignore[attr-defined]
        self.fields["letters"].widget.attrs["class"] = "form-check-input"
        self.fields["target_unit"].queryset = units if units is not None else OrgUnit.objects.none()  # type: ignore[attr-defined]


class ProposalDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[("approve", _("Duyệt")), ("refuse", _("Không duyệt"))],
        error_messages={
            **_required(_("Quyết định")),
            "invalid_choice": _("Quyết định: chọn duyệt hoặc không duyệt."),
        },
    )
    reason = forms.CharField(label=_("Lý do (bắt buộc khi không duyệt)"), max_length=1000, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Lý do: cần ghi lý do không duyệt."))
        return data


class DataRequestForm(StyledForm):
    """Art. 7.5: the upper commission asks a lower one for its letter data."""

    to_unit = forms.ModelChoiceField(
        label=_("Ủy ban kiểm tra cấp dưới"),
        queryset=OrgUnit.objects.none(),
        error_messages={
            **_required(_("Ủy ban kiểm tra cấp dưới")),
            "invalid_choice": _("Ủy ban kiểm tra cấp dưới: chọn một ủy ban trong danh sách."),
        },
    )
    subject = forms.CharField(
        label=_("Nội dung yêu cầu"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_required(_("Nội dung yêu cầu")),
    )
    period_from = DateField(label=_("Đơn nhận từ ngày"), error_messages=_required(_("Đơn nhận từ ngày")))
    period_to = DateField(label=_("Đến ngày"), error_messages=_required(_("Đến ngày")))

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units if units is not None else OrgUnit.objects.none()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("Đến ngày: không được trước ngày bắt đầu."))
        return data
