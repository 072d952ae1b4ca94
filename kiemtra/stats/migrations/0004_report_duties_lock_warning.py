"""Who entered a report's figures (Art. 3.3 separation of duties) and the "about to lock" notice."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0003_trial_purge_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="entered_by",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="reportingperiod",
            name="lock_warned_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
