"""The labels of the audit actions Letters II records (shown on the audit page)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "letters.letter.classified": _("Phân loại đơn thư"),
    "letters.letter.eligibility": _("Xác định điều kiện xử lý đơn"),
    "letters.letter.assigned": _("Giao xử lý, giải quyết đơn"),
    "letters.letter.referred": _("Chuyển đơn đến ủy ban kiểm tra khác"),
    "letters.letter.referral_accepted": _("Tiếp nhận đơn chuyển đến"),
    "letters.letter.referral_returned": _("Trả lại đơn chuyển đến"),
    "letters.letter.sent_outside": _("Chuyển đơn ra ngoài hệ thống kiểm tra"),
    "letters.letter.guided": _("Hướng dẫn người gửi đơn"),
    "letters.letter.filed": _("Lưu đơn"),
    "letters.letter.suspended": _("Tạm dừng giải quyết đơn"),
    "letters.letter.resumed": _("Tiếp tục giải quyết đơn"),
    "letters.letter.extended": _("Gia hạn giải quyết đơn"),
    "letters.letter.concluded": _("Ghi kết quả giải quyết đơn"),
    "letters.letter.reply_drafted": _("Dự thảo trả lời đơn"),
    "letters.letter.answered": _("Duyệt và gửi trả lời đơn"),
    "letters.letter.linked": _("Liên kết đơn trùng, đơn liên quan"),
    "letters.letter.unlinked": _("Bỏ liên kết đơn trùng, đơn liên quan"),
    "letters.proposal.drafted": _("Đề nghị kiểm tra, giám sát từ đơn thư"),
    "letters.proposal.approved": _("Duyệt đề nghị kiểm tra, giám sát"),
    "letters.proposal.refused": _("Không duyệt đề nghị kiểm tra, giám sát"),
    "letters.proposal.taken": _("Tiếp nhận đề nghị thành hồ sơ"),
    "letters.data_request.created": _("Yêu cầu cấp dưới cung cấp dữ liệu đơn thư"),
    "letters.data_request.provided": _("Cung cấp dữ liệu đơn thư cho cấp trên"),
    "letters.data_request.read": _("Xem dữ liệu đơn thư cấp dưới cung cấp"),
    "letters.follow.read": _("Xem tình hình đơn thư của cấp dưới"),
    "letters.leader.designated": _("Phân công lãnh đạo phụ trách đơn thư"),
    "stats.report.prefilled_from_letters": _("Điền sẵn biểu từ sổ đơn thư"),
}
