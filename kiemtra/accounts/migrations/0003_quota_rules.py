"""Account quotas of Quy định 11-QĐ/UBKTTW and 06-QĐ/UBKTTW, as configuration data."""

import json
from pathlib import Path

from django.db import migrations

RULES_FILE = Path(__file__).resolve().parent.parent / "data" / "quota_rules.json"


def load(apps, schema_editor):
    QuotaRule = apps.get_model("accounts", "QuotaRule")
    for rule in json.loads(RULES_FILE.read_text()):
        QuotaRule.objects.get_or_create(
            module=rule["module"], unit_category=rule["unit_category"],
            rule_type=rule.get("rule_type", "max_active"), functions=rule["functions"],
            valid_from=rule["valid_from"],
            defaults={"limit": rule["limit"], "counted_functions": rule.get("counted_functions", []),
                      "regulation": rule["regulation"]},
        )


def unload(apps, schema_editor):
    apps.get_model("accounts", "QuotaRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
