"""The kinds, channels and states of a letter (Quy định 06 Art. 2.2; the issue's VNeID contract)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")
    FEEDBACK = "feedback", _("Phản ánh")
    RECOMMENDATION = "recommendation", _("Kiến nghị")


class Channel(models.TextChoices):
    VNEID = "vneid", _("Ứng dụng VNeID")
    PORTAL = "portal", _("Cổng tiếp nhận trực tuyến")
    POST = "post", _("Đường bưu chính")
    IN_PERSON = "in_person", _("Trực tiếp tại nơi tiếp dân")


class Status(models.TextChoices):
    # Arrived through VNeID or the portal, waiting for a person to enter it in the register.
    RECEIVED = "received", _("Đã tiếp nhận")
    # In the commission's register (paper letters are registered as they are entered).
    REGISTERED = "registered", _("Đã vào sổ, đang xem xét")
    # Letters II: where the letter is now, as the sender sees it.
    REFERRED = "referred", _("Đã chuyển đến cơ quan có thẩm quyền")
    HANDLING = "handling", _("Đang giải quyết")
    SUSPENDED = "suspended", _("Tạm dừng giải quyết")
    CONCLUDED = "concluded", _("Đã có kết quả giải quyết")
    SENT_OUTSIDE = "sent_outside", _("Đã chuyển cơ quan khác ngoài hệ thống kiểm tra đảng")
    GUIDED = "guided", _("Đã hướng dẫn người gửi")
    KEPT = "kept", _("Lưu làm thông tin")
    FILED = "filed", _("Lưu đơn")
    ANSWERED = "answered", _("Đã trả lời")


class RevealState(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý")
    REFUSED = "refused", _("Từ chối")


PAPER_CHANNELS = (Channel.POST, Channel.IN_PERSON)
# Whose identity is sealed by default: a denouncer is protected (Chỉ thị 27-CT/TW).
SEALED_KINDS = (Kind.DENUNCIATION,)


# Letters whose clock runs or may run: the due-soon/overdue lists and the calendar recompute read these.
OPEN_STATUSES = (Status.HANDLING, Status.SUSPENDED)
CLOSED_STATUSES = (Status.CONCLUDED, Status.SENT_OUTSIDE, Status.GUIDED, Status.KEPT, Status.FILED, Status.ANSWERED)


class Eligibility(models.TextChoices):
    UNCHECKED = "", _("Chưa xem xét")
    ELIGIBLE = "eligible", _("Đủ điều kiện xử lý")
    INCOMPLETE = "incomplete", _("Chưa đủ thông tin, nội dung")
    OUT_OF_TIME = "out_of_time", _("Quá thời hạn khiếu nại")
    INFORMATION = "information", _("Không xử lý theo loại đơn; lưu làm thông tin")


class InformationReason(models.TextChoices):
    NONE = "", _("—")
    ANONYMOUS = "anonymous", _("Đơn tố cáo nặc danh")
    FALSE_NAME = "false_name", _("Đơn tố cáo mạo danh, giả danh")
    NO_ADDRESS = "no_address", _("Đơn tố cáo không rõ địa chỉ người tố cáo")
    REPEAT = "repeat", _("Đơn tố cáo lại không có nội dung, tình tiết mới")


class DayUnit(models.TextChoices):
    WORKING = "working", _("Ngày làm việc")
    CALENDAR = "calendar", _("Ngày")


class ReferralState(models.TextChoices):
    PENDING = "pending", _("Chờ cơ quan nhận xem xét")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    RETURNED = "returned", _("Trả lại")
    OUTSIDE = "outside", _("Chuyển cơ quan ngoài hệ thống")


class Finding(models.TextChoices):
    NONE = "", _("—")
    TRUE = "true", _("Tố cáo đúng")
    PARTLY_TRUE = "partly_true", _("Tố cáo đúng một phần")
    FALSE = "false", _("Tố cáo sai")
    NO_BASIS = "no_basis", _("Chưa đủ cơ sở kết luận")


class ComplaintOutcome(models.TextChoices):
    NONE = "", _("—")
    KEPT = "kept", _("Giữ nguyên quyết định")
    HEAVIER = "heavier", _("Thay đổi: tăng hình thức kỷ luật")
    LIGHTER = "lighter", _("Thay đổi: giảm hình thức kỷ luật")
    REMOVED = "removed", _("Xóa hình thức kỷ luật")


class ReplyState(models.TextChoices):
    NONE = "", _("—")
    DRAFT = "draft", _("Dự thảo chờ lãnh đạo duyệt")
    APPROVED = "approved", _("Lãnh đạo đã duyệt, đã gửi")


class LinkKind(models.TextChoices):
    DUPLICATE = "duplicate", _("Trùng đơn")
    RELATED = "related", _("Liên quan")


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ lãnh đạo duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REFUSED = "refused", _("Không duyệt")
    TAKEN = "taken", _("Đã chuyển thành hồ sơ kiểm tra, giám sát")


class ProposalTarget(models.TextChoices):
    ORGANISATION = "organisation", _("Tổ chức đảng")
    MEMBER = "member", _("Đảng viên")


class DataRequestState(models.TextChoices):
    OPEN = "open", _("Chờ cung cấp")
    PROVIDED = "provided", _("Đã cung cấp")
