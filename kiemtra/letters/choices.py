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
    ANSWERED = "answered", _("Đã trả lời")


class RevealState(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý")
    REFUSED = "refused", _("Từ chối")


PAPER_CHANNELS = (Channel.POST, Channel.IN_PERSON)
# Whose identity is sealed by default: a denouncer is protected (Chỉ thị 27-CT/TW).
SEALED_KINDS = (Kind.DENUNCIATION,)
