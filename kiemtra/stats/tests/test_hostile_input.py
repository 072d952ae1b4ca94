"""Hostile values (issue 8.6): every statistics form and the autosave answer 4xx or a form error, never a 500,
and what no field may keep — NUL bytes, direction overrides, 100,000 characters, figures beyond the column —
is never stored."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from kiemtra.conftest import signed_in
from kiemtra.core.testing import hostile
from kiemtra.stats.models import Report, Value
from kiemtra.stats.services import integration, periods, reports, rollup
from kiemtra.stats.tests.factories import Chain, make_chain, make_form, period_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain() -> Chain:
    chain = make_chain()
    chain.open()
    return chain


def _stored_hostile() -> list[str]:
    """Every stored text of the statistics tables that no field may keep, and every figure too big."""
    from django.apps import apps

    found = []
    for model in apps.get_app_config("stats").get_models():
        names = [f.name for f in model._meta.get_fields() if isinstance(f, models.CharField | models.TextField)]
        for row in model._default_manager.values_list("pk", *names):
            found += [
                f"{model.__name__}.{n}#{row[0]}"
                for n, v in zip(names, row[1:], strict=True)
                if v and hostile.never_stored(v)
            ]
    found += [f"Value#{pk}" for pk in Value.objects.filter(number__gte=10**16).values_list("pk", flat=True)]
    return found


def _fingerprint(report: Report) -> tuple[Any, ...]:
    report = Report.objects.get(pk=report.pk)
    return report.revision, report.state, sorted(rollup.encode(rollup.own_values(report)).items())


# --- the autosave and the API push: the cell values ------------------------------------------------


def test_autosave_refuses_every_hostile_value_with_a_message_naming_the_cell(chain: Chain) -> None:
    """The probe's 1e30, 99999999999999999999 and 100,000-digit number were 500s (Decimal InvalidOperation)."""
    commune = chain.tree.commune
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=4), expected_revision=0)
    client = signed_in(chain.statistician[commune.pk])
    key = rollup.key(next(iter(chain.cells(R1_C1=0))))
    before = _fingerprint(report)
    for value in [*hostile.NUMBERS, *hostile.TEXTS, *hostile.DATES, 1e30, 10**30, True, [1], {"a": 1}]:
        if value in ("1,5", "-0", "١٢٣"):
            continue  # readable numbers: "1,5" is refused for an integer below, "-0" is 0, Arabic digits are digits
        body = json.dumps({"revision": 1, "cells": {key: value}})
        answer = client.post(reverse("stats:save_values", args=[report.pk]), body, content_type="application/json")
        assert answer.status_code == 400, (repr(value)[:40], answer.status_code)
        assert "Biểu 01, dòng 1, cột 1" in answer.json()["error"] and key in answer.json()["cells"]
        assert _fingerprint(report) == before
    body = json.dumps({"revision": 1, "cells": {key: "1,5"}})
    answer = client.post(reverse("stats:save_values", args=[report.pk]), body, content_type="application/json")
    assert answer.status_code == 400 and "số nguyên" in answer.json()["error"]
    assert _stored_hostile() == []


def test_api_push_refuses_every_hostile_value_and_stores_nothing(chain: Chain) -> None:
    _client, token = integration.register_client(
        chain.sysadmin,
        name="Phần mềm thử",
        document_ref="QĐ 1/2026",
        unit_codes=[chain.tree.province.code],
        forms=[chain.version.form],
    )
    report = chain.report(chain.tree.commune)
    before = _fingerprint(report)
    from django.test import Client

    for value in [*hostile.NUMBERS, *hostile.TEXTS, 1e30, 10**30, 99999999999999999999]:
        if value in ("1,5", "-0", "١٢٣"):
            continue
        body = {
            "unit": chain.tree.commune.code,
            "period": period_of(chain).code,
            "form": chain.version.form.code,
            "cells": [{"row": "1", "column": "1", "value": value}],
        }
        answer = Client().post(
            "/api/thong-ke/so-lieu/",
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 400, (repr(value)[:40], answer.content[:300])
        assert any("Biểu 01, dòng 1, cột 1" in e for e in answer.json()["errors"])
        assert _fingerprint(report) == before


def test_the_one_cell_parser_reads_minus_zero_as_zero_and_vietnamese_decimals(chain: Chain) -> None:
    from kiemtra.stats.grid import parse_value

    assert parse_value("-0", "integer", 0, "Ô") == Decimal(0) and str(parse_value("-0", "integer", 0, "Ô")) == "0"
    assert parse_value("1,5", "decimal", 1, "Ô") == Decimal("1.5")
    assert parse_value("1.234", "integer", 0, "Ô") == Decimal(1234)


# --- every form of every statistics page -----------------------------------------------------------


def _pages(chain: Chain) -> list[tuple[Any, str]]:
    commune, province = chain.tree.commune, chain.tree.province
    second = chain.communes[1]
    report = chain.report(commune)
    pending = chain.report(second)
    reports.forward_report(chain.statistician[second.pk], pending)
    draft = make_form("02")  # not used by a period: every designer form is on its page
    periods.request_extension(
        chain.approver[province.pk], period_of(chain), province, reason="Bão", days=3, document_ref="CV"
    )
    return [
        (chain.statistician[commune.pk], reverse("stats:report", args=[report.pk])),
        (chain.approver[second.pk], reverse("stats:report", args=[pending.pk])),
        (chain.statistician[commune.pk], reverse("stats:upload")),
        (chain.statistician[province.pk], reverse("stats:board")),
        (chain.approver[province.pk], reverse("stats:period", args=[period_of(chain).pk])),
        (chain.sysadmin, reverse("stats:periods")),
        (chain.sysadmin, reverse("stats:period", args=[period_of(chain).pk])),
        (chain.sysadmin, reverse("stats:designer")),
        (chain.sysadmin, reverse("stats:form_import")),
        (chain.sysadmin, reverse("stats:form_version", args=[draft.pk])),
        (chain.sysadmin, reverse("stats:api_clients")),
        (chain.statistician[province.pk], reverse("stats:lookup")),
        (chain.statistician[province.pk], reverse("stats:validation")),
    ]


def test_every_statistics_form_takes_hostile_values_without_a_500_and_keeps_none(chain: Chain) -> None:
    tried = 0
    seen: set[Any] = set()
    for user, url in _pages(chain):
        client = signed_in(user)
        page = client.get(url)
        assert page.status_code == 200, url
        for form in hostile.forms_on(page.content.decode()):
            action = form.action or url
            if not action.startswith("/thong-ke/"):
                continue  # the shell's forms (sign-out, unit switcher) are not this module's
            kind = (form.method, re.sub(r"\d+", "N", action), tuple(form.fields), tuple(form.files))
            if kind in seen:
                continue  # the same form for another row or column: tried once
            seen.add(kind)
            send = client.get if form.method == "get" else client.post
            for name in form.fields:
                for value in hostile.ESSENTIAL:
                    answer = send(action, hostile.form_data(form, {name: value}))
                    assert answer.status_code < 500, (action, name, repr(value)[:40])
                    tried += 1
            for name in form.files:
                for value in hostile.ESSENTIAL:
                    upload = SimpleUploadedFile(f"{hostile.RTL_OVERRIDE}xslx.json", value.encode())
                    answer = send(action, hostile.form_data(form, {name: upload}))
                    assert answer.status_code < 500, (action, name, repr(value)[:40])
                    tried += 1
            assert _stored_hostile() == [], (action, _stored_hostile()[:5])
    assert tried > 200  # the pages did have forms to try
