"""Letters II catalogs: time limits, fields, competence by rank, reply templates — demo values, marked as such."""

import datetime as dt

from django.db import migrations

DEMO = "demo values — người vận hành nhập giá trị chính thức"
LIMITS = [
    # code, kind, level, days, unit, extension, source
    ("denunciation", "denunciation", "", 90, "working", 30,
     f"{DEMO}; tố cáo: 90 ngày làm việc từ ngày UBKT có thẩm quyền nhận đơn, gia hạn một lần 30 ngày"),
    ("complaint-commune", "complaint", "commune", 30, "working", 0, f"{DEMO}; khiếu nại kỷ luật, cấp cơ sở"),
    ("complaint-provincial", "complaint", "provincial", 60, "working", 0, f"{DEMO}; khiếu nại kỷ luật, cấp tỉnh"),
    ("complaint-central", "complaint", "central", 90, "working", 0, f"{DEMO}; khiếu nại kỷ luật, Trung ương"),
    ("feedback", "feedback", "", 30, "calendar", 0, f"{DEMO}; phản ánh: thời hạn do cơ quan cấu hình"),
    ("recommendation", "recommendation", "", 30, "calendar", 0, f"{DEMO}; kiến nghị: thời hạn do cơ quan cấu hình"),
]
FIELDS = [
    ("land", "Đất đai, tài nguyên"),
    ("finance", "Tài chính, ngân sách, đầu tư công"),
    ("personnel", "Công tác cán bộ"),
    ("corruption", "Tham nhũng, tiêu cực"),
    ("ethics", "Phẩm chất đạo đức, lối sống"),
    ("assets", "Kê khai tài sản, thu nhập"),
    ("discipline", "Kỷ luật đảng"),
    ("administration", "Thủ tục, thái độ, chậm giải quyết"),
    ("other", "Khác"),
]
RANKS = [
    # rank, label, levels up from the accused's unit
    ("member", "Đảng viên, cán bộ không giữ chức vụ do cấp ủy quản lý", 0),
    ("commune_managed", "Cán bộ thuộc diện cấp ủy cấp huyện, cơ sở quản lý", 0),
    ("provincial_managed", "Cán bộ thuộc diện Ban Thường vụ tỉnh ủy quản lý", 1),
    ("central_managed", "Cán bộ thuộc diện Bộ Chính trị, Ban Bí thư quản lý", 2),
]
TEMPLATES = [
    ("denunciation-result", "Thông báo kết quả giải quyết tố cáo",
     "Ủy ban kiểm tra {unit} thông báo: đơn tố cáo mã {tracking_code} nhận ngày {received_on} đã được giải quyết. "
     "Kết quả: {result}."),
    ("complaint-result", "Thông báo kết quả giải quyết khiếu nại",
     "Ủy ban kiểm tra {unit} thông báo: đơn khiếu nại mã {tracking_code} nhận ngày {received_on} đã được giải quyết. "
     "Kết quả: {result}."),
    ("feedback-result", "Trả lời phản ánh, kiến nghị",
     "Ủy ban kiểm tra {unit} cảm ơn ông/bà đã phản ánh, kiến nghị (mã {tracking_code}, nhận ngày {received_on}). "
     "Kết quả xử lý: {result}."),
    ("guidance", "Hướng dẫn gửi đơn đến cơ quan có thẩm quyền",
     "Ủy ban kiểm tra {unit} hướng dẫn: nội dung đơn mã {tracking_code} thuộc thẩm quyền của {result}."),
]


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    TimeLimit = apps.get_model("letters", "TimeLimit")
    for code, kind, level, days, unit, ext, source in LIMITS:
        TimeLimit.objects.create(
            code=code, kind=kind, level=level, days=days, day_unit=unit, extension_days=ext, source=source,
            valid_from=dt.date(2023, 1, 1), demo=True,
        )
    FieldCategory = apps.get_model("letters", "FieldCategory")
    for order, (code, name) in enumerate(FIELDS):
        FieldCategory.objects.create(code=code, name=name, order=order, demo=True)
    CompetenceRule = apps.get_model("letters", "CompetenceRule")
    for rank, label, up in RANKS:
        CompetenceRule.objects.create(rank=rank, rank_label=label, levels_up=up, source=DEMO, demo=True)
    ReplyTemplate = apps.get_model("letters", "ReplyTemplate")
    for code, name, body in TEMPLATES:
        ReplyTemplate.objects.create(code=code, name=name, body=body, demo=True)


def unload(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model in ("TimeLimit", "FieldCategory", "CompetenceRule", "ReplyTemplate"):
        apps.get_model("letters", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_handling")]
    operations = [migrations.RunPython(load, unload)]
