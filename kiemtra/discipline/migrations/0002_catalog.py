from typing import Any

from django.db import migrations


def load_catalog(apps: Any, schema_editor: Any) -> None:
    from kiemtra.discipline import catalog

    catalog.load(apps.get_model("discipline", "Penalty"), apps.get_model("discipline", "ViolationCategory"))


class Migration(migrations.Migration):
    dependencies = [("discipline", "0001_initial")]

    operations = [migrations.RunPython(load_catalog, migrations.RunPython.noop)]
