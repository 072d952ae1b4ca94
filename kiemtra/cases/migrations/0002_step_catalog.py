"""The steps of each kind of case, as catalog data (issue 14 item 2)."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from kiemtra.cases import catalog

    catalog.load(apps.get_model("cases", "StepTemplate"))


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("cases", "StepTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_case_files")]
    operations = [migrations.RunPython(load, unload)]
