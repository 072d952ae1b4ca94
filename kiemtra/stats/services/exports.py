"""Figures taken out of the software — workbooks, PDFs, look-up tables — read and audited here, not in views.

Statistics are not classified, but who took which figures out is worth
knowing (Art. 11: data used within one's duties); the service that reads them
checks the policy and writes the audit record, whatever page or command asks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kiemtra.accounts import policies
from kiemtra.accounts.policies import Scope
from kiemtra.audit import services as audit
from kiemtra.orgs.models import OrgUnit

from .. import excel, pdf
from ..lookup import Pivot, Selection, pivot
from ..models import Report, ReportingPeriod


def report_workbook(actor: Any, report: Report, *, filled: bool) -> bytes:
    """The form of one report to fill in (or with its figures)."""
    policies.require(actor, "stats.view", report.unit)
    data = excel.export_reports([report], filled=filled)
    audit.record(actor, "stats.export", report, format="xlsx", filled=filled, revision=report.revision)
    return data


def period_workbook(
    actor: Any, unit: OrgUnit, period: ReportingPeriod, reports: Sequence[Report], *, filled: bool
) -> bytes:
    """Every form of a unit for a period, one sheet each."""
    policies.require(actor, "stats.view", unit)
    data = excel.export_reports(reports, filled=filled)
    audit.record(
        actor, "stats.export", period, unit=unit, format="xlsx", filled=filled, reports=[r.pk for r in reports]
    )
    return data


def consolidated_workbook(actor: Any, report: Report) -> bytes:
    policies.require(actor, "stats.view", report.unit)
    data = excel.export_consolidated(report)
    audit.record(actor, "stats.export", report, format="xlsx", consolidated=True)
    return data


def consolidated_pdf(actor: Any, report: Report) -> bytes:
    policies.require(actor, "stats.view", report.unit)
    data = pdf.consolidated_pdf(report)
    audit.record(actor, "stats.export", report, format="pdf", consolidated=True)
    return data


def lookup_table(actor: Any, scope: Scope, selection: Selection, *, exported_as: str, unit: Any = None) -> Pivot:
    """The look-up table (``scope`` is the actor's statistics scope) taken out as ``exported_as``."""
    table = pivot(scope, selection)
    audit.record(
        actor,
        "stats.lookup.exported",
        None,
        unit=unit,
        is_read=True,
        form=selection.form.code,
        format=exported_as,
        units=len(selection.units),
        periods=[p.code for p in selection.table_periods],
    )
    return table
