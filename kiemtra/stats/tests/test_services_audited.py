"""Every state change through a service, audited there (issue 9.5): the form-file command as a named system
actor, exports read and audited by the service whatever page asks."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from kiemtra.accounts.choices import Role
from kiemtra.audit.models import AuditEvent
from kiemtra.conftest import give, make_person
from kiemtra.core.errors import PolicyDenied
from kiemtra.stats import formsets
from kiemtra.stats.models import FormVersion
from kiemtra.stats.services import exports
from kiemtra.stats.tests.factories import Chain, make_chain

pytestmark = pytest.mark.django_db


def test_the_stats_forms_command_imports_through_the_service_as_a_named_system_actor(tmp_path: Path) -> None:
    chain = make_chain()
    target = tmp_path / "bieu.json"
    target.write_text(formsets.dumps(formsets.export(chain.version)), encoding="utf-8")
    call_command("stats_forms", "import", str(target), verbosity=0)
    created = FormVersion.objects.get(form=chain.version.form, number=2)
    event = AuditEvent.objects.get(action="stats.form.imported", object_id=str(created.pk))
    assert event.actor is None and event.actor_label.startswith("lệnh stats_forms (")
    call_command("stats_forms", "load-demo", verbosity=0)
    loaded = AuditEvent.objects.filter(action="stats.form.loaded")
    assert loaded.exists() and all(e.actor_label.startswith("lệnh stats_forms (") for e in loaded)


def test_an_export_is_read_and_audited_by_the_service_and_refused_outside_scope() -> None:
    chain: Chain = make_chain()
    chain.open()
    report = chain.report(chain.tree.commune)
    data = exports.consolidated_workbook(chain.statistician[chain.tree.province.pk], report)
    assert data[:2] == b"PK"
    assert AuditEvent.objects.filter(action="stats.export", object_id=str(report.pk)).count() == 1
    stranger = make_person(unit=chain.tree.other_province)
    give(stranger, chain.tree.other_province, Role.STATISTICIAN)
    with pytest.raises(PolicyDenied):
        exports.consolidated_pdf(stranger, report)
    assert AuditEvent.objects.filter(action="stats.export", object_id=str(report.pk)).count() == 1
