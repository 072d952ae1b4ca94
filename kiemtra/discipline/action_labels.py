"""The Vietnamese labels of this module's audit actions, for the audit page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "discipline.batch.started": _("Tải lên lô quyết định"),
    "discipline.batch.finished": _("Xử lý xong lô quyết định"),
    "discipline.document.stored": _("Lưu tệp quyết định"),
    "discipline.document.read": _("Xem tệp quyết định"),
    "discipline.document.downloaded": _("Tải tệp quyết định"),
    "discipline.decision.extracted": _("Bóc tách quyết định"),
    "discipline.decision.read": _("Xem quyết định mật"),
    "discipline.decision.reconciled": _("Đối soát và công bố quyết định"),
    "discipline.decision.rejected": _("Loại bỏ quyết định"),
    "discipline.decision.from_case": _("Ghi quyết định kỷ luật từ hồ sơ kiểm tra"),
    "discipline.person.read": _("Xem hồ sơ người bị kỷ luật"),
    "discipline.person.merged": _("Gộp hồ sơ người bị kỷ luật"),
    "discipline.person.split": _("Tách hồ sơ người bị kỷ luật"),
    "discipline.search.exported": _("Xuất kết quả tra cứu quyết định"),
    "discipline.analytics.exported": _("Xuất số liệu phân tích"),
}
