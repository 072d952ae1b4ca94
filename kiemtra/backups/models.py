"""The history of backups: what the scheduler looks at and what an inspector asks for."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class BackupRecord(models.Model):
    class Status(models.TextChoices):
        SUCCEEDED = "ok", _("Thành công")
        FAILED = "failed", _("Thất bại")
        PRUNED = "pruned", _("Đã xóa theo hạn lưu giữ")

    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    path = models.CharField(_("tệp"), max_length=1024, blank=True)
    size = models.BigIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(_("mã kiểm tra SHA-256"), max_length=64, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("bản sao lưu")
        verbose_name_plural = _("bản sao lưu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        # What the audit page and the admin show: Vietnam time, and no server path (it says
        # nothing to a reader and tells an outsider where the archives live).
        at = timezone.localtime(self.created_at)
        return gettext("Bản sao lưu %(at)s — %(status)s") % {
            "at": f"{at:%d/%m/%Y %H:%M}",
            "status": self.get_status_display(),
        }
