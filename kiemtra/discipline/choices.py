from django.db import models
from django.utils.translation import gettext_lazy as _


class SubjectType(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANIZATION = "organization", _("Tổ chức đảng")


class PenaltyCode(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DISMISSAL = "dismissal", _("Cách chức")
    EXPULSION = "expulsion", _("Khai trừ")
    DISSOLUTION = "dissolution", _("Giải tán")


class IssuingLevel(models.TextChoices):
    """Who issued the decision; the order follows the rows "cấp thực hiện" of forms 05 and 06."""

    CELL = "cell", _("Chi bộ")
    COMMUNE_COMMITTEE = "commune_committee", _("Cấp ủy cấp xã, đảng ủy cơ sở")
    COMMUNE_COMMISSION = "commune_commission", _("Ủy ban kiểm tra cấp xã")
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Tỉnh ủy, thành ủy, đảng ủy trực thuộc Trung ương")
    PROVINCIAL_COMMISSION = "provincial_commission", _("Ủy ban kiểm tra cấp tỉnh")
    CENTRAL_COMMITTEE = "central_committee", _("Ban Chấp hành Trung ương")
    POLITBURO = "politburo", _("Bộ Chính trị")
    SECRETARIAT = "secretariat", _("Ban Bí thư")
    CENTRAL_COMMISSION = "central_commission", _("Ủy ban Kiểm tra Trung ương")
    OTHER = "other", _("Khác")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class Confidentiality(models.TextChoices):
    """Độ mật: anything above ordinary is encrypted at rest and every read is audited."""

    ORDINARY = "ordinary", _("Thường")
    SECRET = "secret", _("Mật")
    TOP_SECRET = "top_secret", _("Tối mật")


class DecisionState(models.TextChoices):
    PENDING = "pending", _("Chờ đối soát")
    PUBLISHED = "published", _("Đã đối soát, công bố")
    REJECTED = "rejected", _("Loại bỏ")


class AmendKind(models.TextChoices):
    CHANGE = "change", _("Thay đổi hình thức kỷ luật")
    ANNUL = "annul", _("Xóa bỏ quyết định kỷ luật")


class IngestOutcome(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    PROCESSING = "processing", _("Đang đọc và bóc tách")
    EXTRACTED = "extracted", _("Đã bóc tách")
    DUPLICATE_FILE = "duplicate_file", _("Tệp đã có trong cơ sở dữ liệu")
    DUPLICATE_DECISION = "duplicate_decision", _("Quyết định đã có (cùng số, cùng cơ quan ban hành)")
    NOT_A_DECISION = "not_a_decision", _("Không phải quyết định kỷ luật")
    CORRUPT = "corrupt", _("Tệp PDF bị hỏng")
    ENCRYPTED = "encrypted", _("Tệp PDF có mật khẩu")
    EMPTY = "empty", _("Tài liệu trống, không đọc được chữ")
    UNSUPPORTED = "unsupported", _("Loại tệp không hỗ trợ")
    TOO_MANY_PAGES = "too_many_pages", _("Tệp PDF quá nhiều trang")
    FAILED = "failed", _("Lỗi khi xử lý")


class BatchState(models.TextChoices):
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Đã xong")


class PositionLevel(models.TextChoices):
    """The rank of the official at the time, for filters and trends (cán bộ diện … quản lý)."""

    CENTRAL = "central", _("Diện Trung ương quản lý")
    PROVINCIAL = "provincial", _("Diện cấp tỉnh quản lý")
    COMMUNE = "commune", _("Diện cấp xã, cơ sở quản lý")
    NONE = "none", _("Đảng viên không giữ chức vụ")


class StatsLinkKind(models.TextChoices):
    """What a row of the statistics-link catalog maps (forms 05 and 06)."""

    ROW = "row", _("Dòng của biểu theo cấp ban hành")
    PENALTY = "penalty", _("Cột của biểu theo hình thức kỷ luật")
