"""SQLite refuses DELETE on audit rows too (PostgreSQL already does, in 0002).

The trigger asks ``kiemtra_audit_delete_allowed()``, a function each Django connection registers
(``AuditConfig.ready``): it answers yes only under the test suite's settings, whose flush empties
every table with DELETE. Any other client — the sqlite3 shell of someone with the file — does not
have the function, so its DELETE fails as well.
"""

from django.db import migrations

UP = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent "
    "WHEN NOT kiemtra_audit_delete_allowed() "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
)
DOWN = "DROP TRIGGER IF EXISTS audit_event_no_delete;"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(_run(UP), _run(DOWN))]
