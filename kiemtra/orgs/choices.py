from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL = "central", _("Cơ quan UBKT Trung ương")
    DEPARTMENT = "department", _("Vụ, đơn vị thuộc Cơ quan UBKT Trung ương")
    PROVINCIAL = "provincial", _("UBKT cấp tỉnh và tương đương")
    COMMUNE = "commune", _("UBKT cấp trên trực tiếp cơ sở")


class DepartmentRole(models.TextChoices):
    NONE = "", _("—")
    GENERAL_AFFAIRS = "general_affairs", _("Vụ Tổng hợp")
    OFFICE = "office", _("Văn phòng Cơ quan")
    TRAINING = "training", _("Vụ Nghiên cứu, Đào tạo nghiệp vụ")
    REGIONAL = "regional_department", _("Vụ địa bàn")
    OTHER = "other", _("Vụ, đơn vị khác")


class UnitEventKind(models.TextChoices):
    CREATED = "created", _("Thành lập")
    RENAMED = "renamed", _("Đổi tên")
    MOVED = "moved", _("Chuyển đơn vị cấp trên")
    MERGED = "merged", _("Hợp nhất vào đơn vị khác")
    CLOSED = "closed", _("Giải thể / ngừng hoạt động")
