"""Art. 7.1's 15-day opening notice as a catalog row with its validity and source (Quy định 11-QĐ/UBKTTW)."""

import datetime as dt

from django.db import migrations, models


def load(apps, schema_editor):
    Rule = apps.get_model("stats", "OpeningNoticeRule")
    Rule.objects.create(
        days=15,
        regulation="Quy định 11-QĐ/UBKTTW ngày 11/11/2025, Điều 7.1",
        valid_from=dt.date(2025, 11, 11),
    )


def unload(apps, schema_editor):
    apps.get_model("stats", "OpeningNoticeRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0004_report_duties_lock_warning"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpeningNoticeRule",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("days", models.PositiveSmallIntegerField(verbose_name="số ngày mở kỳ trước thời điểm chốt số liệu")),
                ("regulation", models.CharField(max_length=255, verbose_name="căn cứ")),
                ("valid_from", models.DateField(verbose_name="áp dụng từ ngày")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="áp dụng đến ngày")),
            ],
            options={
                "verbose_name": "thời hạn mở kỳ báo cáo",
                "verbose_name_plural": "thời hạn mở kỳ báo cáo",
                "ordering": ["-valid_from", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"
                        ),
                        name="opening_notice_valid_to_after_from",
                    )
                ],
            },
        ),
        migrations.RunPython(load, unload),
    ]
