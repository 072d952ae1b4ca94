"""The Vietnamese labels of this module's audit actions, for the audit page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "cases.programme.drafted": _("Dự thảo chương trình kiểm tra, giám sát"),
    "cases.programme.approved": _("Phê duyệt chương trình kiểm tra, giám sát"),
    "cases.programme.amended": _("Sửa đổi chương trình kiểm tra, giám sát"),
    "cases.case.opened": _("Mở hồ sơ kiểm tra, giám sát"),
    "cases.case.read": _("Xem hồ sơ kiểm tra, giám sát"),
    "cases.team.set": _("Phân công đoàn kiểm tra"),
    "cases.step.recorded": _("Cập nhật bước thực hiện"),
    "cases.access.added": _("Cho phép xem hồ sơ"),
    "cases.access.requested": _("Cấp trên yêu cầu xem hồ sơ"),
    "cases.case.concluded": _("Kết luận cuộc kiểm tra, giám sát"),
    "cases.discipline.linked": _("Liên kết quyết định kỷ luật"),
    "cases.request.reported": _("Báo cáo thực hiện yêu cầu"),
    "cases.request.verified": _("Xác minh hoàn thành yêu cầu"),
    "cases.request.sent_back": _("Trả lại báo cáo thực hiện yêu cầu"),
    "cases.conclusion.carried_out": _("Kết luận đã được thực hiện xong"),
    "cases.document.stored": _("Lưu tài liệu hồ sơ"),
    "cases.document.read": _("Xem tài liệu hồ sơ"),
    "cases.document.searched": _("Tìm tài liệu hồ sơ"),
    "cases.case.closed": _("Lưu trữ hồ sơ"),
    "cases.archive.read": _("Xem bản lưu trữ hồ sơ"),
    "cases.import.started": _("Nạp hồ sơ số hóa"),
    # Recorded on the report by the forms link (statistics_link.prefill); the label is ours.
    "stats.report.prefilled_from_cases": _("Điền sẵn số liệu từ hồ sơ kiểm tra"),
}
