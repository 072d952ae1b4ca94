"""States and kinds of the case-files module (issue 14; 002 VI.1–3, VIII)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseKind(models.TextChoices):
    """The item types of a yearly programme, which are also the kinds of case file."""

    INSPECTION_MEMBER = "inspection_member", _("Kiểm tra đảng viên khi có dấu hiệu vi phạm")
    INSPECTION_ORGANISATION = "inspection_org", _("Kiểm tra tổ chức đảng khi có dấu hiệu vi phạm")
    INSPECTION_OF_INSPECTION = (
        "inspection_lower",
        _("Kiểm tra tổ chức đảng cấp dưới thực hiện nhiệm vụ kiểm tra, giám sát, thi hành kỷ luật"),
    )
    FINANCE = "finance", _("Kiểm tra tài chính đảng")
    THEMATIC_SUPERVISION = "supervision_thematic", _("Giám sát chuyên đề")
    REGULAR_SUPERVISION = "supervision_regular", _("Giám sát thường xuyên")


SIGNS_OF_VIOLATION = frozenset({CaseKind.INSPECTION_MEMBER, CaseKind.INSPECTION_ORGANISATION})


class SubjectKind(models.TextChoices):
    MEMBER = "member", _("Đảng viên")
    ORGANISATION = "organisation", _("Tổ chức đảng")


class ProgrammeState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã phê duyệt")
    SUPERSEDED = "superseded", _("Đã được sửa đổi")


class CaseSource(models.TextChoices):
    PROGRAMME = "programme", _("Theo chương trình")
    PROPOSAL = "proposal", _("Từ đề xuất của đơn thư")
    DIRECT = "direct", _("Trực tiếp")
    FOLLOW_UP = "follow_up", _("Kiểm tra lại việc thực hiện kết luận")
    BACKLOG = "backlog", _("Hồ sơ số hóa")


class CaseState(models.TextChoices):
    OPEN = "open", _("Đang tiến hành")
    CONCLUDED = "concluded", _("Đã kết luận")
    CLOSED = "closed", _("Đã lưu trữ")


class TeamRole(models.TextChoices):
    LEADER = "leader", _("Trưởng đoàn")
    MEMBER = "member", _("Thành viên")


class AccessKind(models.TextChoices):
    ADDED = "added", _("Lãnh đạo ủy ban cho phép")
    UPPER_REQUEST = "upper_request", _("Yêu cầu của ủy ban kiểm tra cấp trên")


class RequestState(models.TextChoices):
    OPEN = "open", _("Đang thực hiện")
    REPORTED = "reported", _("Đã báo cáo, chờ xác minh")
    VERIFIED = "verified", _("Đã xác minh hoàn thành")
    SENT_BACK = "sent_back", _("Trả lại, phải thực hiện tiếp")


# The warnings a step's clock gives, as a share of its planned duration (issue 14 item 2).
WARNING_THRESHOLDS = (50, 75, 90)
