"""The Vietnamese labels of the statistics and discipline audit actions, for the audit page.

Registered by the help app until each module registers its own in its ``ready()``
(``kiemtra.core.labels.register_action_labels``); the codes are those the
services record today.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

STATS = {
    "stats.report.values_saved": _("Lưu số liệu báo cáo"),
    "stats.report.forward": _("Chuyển lãnh đạo phê duyệt"),
    "stats.report.approve": _("Phê duyệt báo cáo"),
    "stats.report.send": _("Gửi báo cáo lên cấp trên"),
    "stats.report.receive": _("Tiếp nhận báo cáo"),
    "stats.report.return": _("Trả lại báo cáo cho người thống kê"),
    "stats.report.return_from_above": _("Trả lại báo cáo cho đơn vị cấp dưới"),
    "stats.report.cascade": _("Trả lại theo thứ tự từ trên xuống"),
    "stats.report.prefilled_from_discipline": _("Điền sẵn số liệu từ cơ sở dữ liệu kỷ luật"),
    "stats.reminder.sent": _("Nhắc đơn vị gửi báo cáo"),
    "stats.period.opened": _("Mở kỳ báo cáo"),
    "stats.period.locked": _("Khóa kỳ báo cáo"),
    "stats.extension.requested": _("Đề nghị gia hạn"),
    "stats.extension.decided": _("Quyết định gia hạn"),
    "stats.correction.requested": _("Đề nghị chỉnh lý sau kỳ báo cáo"),
    "stats.correction.decided": _("Quyết định chỉnh lý"),
    "stats.trial.purge_scheduled": _("Lên lịch xóa dữ liệu chạy thử"),
    "stats.trial.purged": _("Xóa dữ liệu chạy thử"),
    "stats.export": _("Tải báo cáo ra Excel hoặc PDF"),
    "stats.import": _("Nhập số liệu từ Excel"),
    "stats.lookup.exported": _("Xuất kết quả tra cứu số liệu"),
    "stats.form.created": _("Tạo biểu mẫu"),
    "stats.form.loaded": _("Nạp biểu mẫu"),
    "stats.form.imported": _("Nhập định nghĩa biểu mẫu"),
    "stats.form.exported": _("Xuất định nghĩa biểu mẫu"),
    "stats.form.version_created": _("Tạo phiên bản biểu mẫu"),
    "stats.form.version_updated": _("Sửa thông tin phiên bản biểu mẫu"),
    "stats.form.row_added": _("Thêm dòng biểu mẫu"),
    "stats.form.row_updated": _("Sửa dòng biểu mẫu"),
    "stats.form.row_deleted": _("Xóa dòng biểu mẫu"),
    "stats.form.column_added": _("Thêm cột biểu mẫu"),
    "stats.form.column_updated": _("Sửa cột biểu mẫu"),
    "stats.form.column_deleted": _("Xóa cột biểu mẫu"),
    "stats.form.rule_added": _("Thêm quy tắc kiểm tra"),
    "stats.form.rule_updated": _("Sửa quy tắc kiểm tra"),
    "stats.form.rule_deleted": _("Xóa quy tắc kiểm tra"),
    "stats.api.read": _("Ứng dụng kết nối đọc số liệu"),
    "stats.api.push": _("Ứng dụng kết nối gửi số liệu"),
    "stats.api.denied": _("Từ chối ứng dụng kết nối"),
    "stats.api_client.registered": _("Đăng ký ứng dụng kết nối"),
    "stats.api_client.revoked": _("Thu hồi ứng dụng kết nối"),
}

DISCIPLINE = {
    "discipline.batch.started": _("Tải lên lô quyết định"),
    "discipline.batch.finished": _("Xử lý xong lô quyết định"),
    "discipline.document.stored": _("Lưu tệp quyết định"),
    "discipline.document.read": _("Xem tệp quyết định"),
    "discipline.document.downloaded": _("Tải tệp quyết định"),
    "discipline.decision.extracted": _("Bóc tách quyết định"),
    "discipline.decision.read": _("Xem quyết định mật"),
    "discipline.decision.reconciled": _("Đối soát và công bố quyết định"),
    "discipline.decision.rejected": _("Loại bỏ quyết định"),
    "discipline.person.read": _("Xem hồ sơ người bị kỷ luật"),
    "discipline.person.merged": _("Gộp hồ sơ người bị kỷ luật"),
    "discipline.person.split": _("Tách hồ sơ người bị kỷ luật"),
    "discipline.search.exported": _("Xuất kết quả tra cứu quyết định"),
    "discipline.analytics.exported": _("Xuất số liệu phân tích"),
}
