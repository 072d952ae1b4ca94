from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _register_sqlite_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The function the SQLite DELETE trigger of the audit table asks (migration 0003)."""
    if connection.vendor != "sqlite":
        return
    from django.conf import settings

    connection.connection.create_function(
        "kiemtra_audit_delete_allowed", 0, lambda: int(bool(settings.AUDIT_ALLOW_DELETE_FOR_TEST_FLUSH))
    )


class AuditConfig(AppConfig):
    name = "kiemtra.audit"
    label = "audit"
    verbose_name = _("Nhật ký truy vết")

    def ready(self) -> None:
        # What this app owns: registered here so the kernel and the shell never name it.
        from django.db.backends.signals import connection_created

        from kiemtra.core import registry

        from . import menus

        menus.register()
        # Every few minutes, the audit chain's head to the checkpoint file outside the database (issue 8.5).
        registry.register_job("kiemtra.audit.tasks.checkpoint_audit_head", 300)
        connection_created.connect(_register_sqlite_guard, dispatch_uid="kiemtra-audit-sqlite-guard")
