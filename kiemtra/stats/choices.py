from django.db import models
from django.utils.translation import gettext_lazy as _


class CellType(models.TextChoices):
    INTEGER = "integer", _("Số nguyên không âm")
    DECIMAL = "decimal", _("Số thập phân")
    TEXT = "text", _("Văn bản")


class PeriodType(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    SIX_MONTHS = "six_months", _("6 tháng")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


class PeriodState(models.TextChoices):
    OPEN = "open", _("Đang mở")
    LOCKED = "locked", _("Đã khóa")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang cập nhật")
    PENDING_APPROVAL = "pending_approval", _("Chờ phê duyệt")
    APPROVED = "approved", _("Đã phê duyệt")
    SUBMITTED = "submitted", _("Đã gửi lên cấp trên")
    RECEIVED = "received", _("Cấp trên đã tiếp nhận")
    ENDED = "ended", _("Kết thúc")


class Severity(models.TextChoices):
    BLOCKING = "blocking", _("Lỗi (chặn gửi)")
    WARNING = "warning", _("Cảnh báo")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    GRANTED = "granted", _("Đồng ý")
    REFUSED = "refused", _("Không đồng ý")
