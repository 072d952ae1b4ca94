"""Form definitions in and out as JSON: round trip to a new version, refusal of a bad file as a whole."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.management import call_command

from kiemtra.audit.models import AuditEvent
from kiemtra.stats import formsets
from kiemtra.stats.formsets import FormSetError
from kiemtra.stats.models import Column, Form, FormVersion, Row, ValidationRule

pytestmark = pytest.mark.django_db

MODELS = (Form, FormVersion, Row, Column, ValidationRule)


def counts() -> list[int]:
    return [m.objects.count() for m in MODELS]


def small_file(**form: Any) -> dict[str, Any]:
    base = {
        "code": "99",
        "title": "Biểu thử",
        "unit_categories": ["provincial"],
        "period_types": ["year"],
        "rows": [{"code": "1", "label": "Dòng một"}, {"code": "2", "label": "Dòng hai"}],
        "columns": [{"code": "1", "label": "Cột một"}, {"code": "2", "label": "Cột hai"}],
        "rules": [{"code": "V1", "expression": "R2_C1 <= R1_C1", "message": "Dòng 2 không quá dòng 1."}],
    }
    base.update(form)
    return {"format": formsets.FORMAT, "forms": [base]}


def test_export_then_import_creates_version_two_equal_in_structure() -> None:
    formsets.load_demo()
    v1 = FormVersion.objects.get(form__code="05", number=1)
    document = formsets.export(v1)
    text = formsets.dumps(document)
    assert '"Hình thức kỷ luật: Khiển trách"' in text  # Vietnamese kept readable

    created = formsets.import_forms(text)
    assert [(v.form.code, v.number) for v in created] == [("05", 2)]
    v2 = created[0]
    assert formsets.spec_of(v2).structure() == formsets.spec_of(v1).structure()
    again = formsets.export(v2)["forms"][0]
    assert {**again, "version": 1} == document["forms"][0]
    assert AuditEvent.objects.filter(action="stats.form.imported").count() == 1


def test_import_of_a_frozen_form_adds_a_version_and_leaves_the_frozen_one_alone() -> None:
    formsets.load_demo()
    v1 = FormVersion.objects.get(form__code="01", number=1)
    FormVersion.objects.filter(pk=v1.pk).update(frozen=True)
    before = formsets.spec_of(v1).structure()
    document = formsets.export(v1)
    document["forms"][0]["rows"][0]["label"] = "Chi bộ (sửa)"
    (v2,) = formsets.import_forms(document)
    assert v2.number == 2 and not v2.frozen and v2.rows.get(code="1").label == "Chi bộ (sửa)"
    assert formsets.spec_of(v1).structure() == before


def test_an_unknown_form_code_is_imported_as_a_new_form() -> None:
    (version,) = formsets.import_forms(small_file())
    assert version.form.code == "99" and version.number == 1 and version.rules.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"columns": [{"code": "1", "label": "Cột", "type": "money"}]}, "kiểu ô 'money' không hợp lệ"),
        ({"columns": [{"code": "1", "label": "A"}, {"code": "2", "label": "B", "formula": "C1 +"}]}, "sai cú pháp"),
        ({"columns": [{"code": "1", "label": "A"}, {"code": "1", "label": "B"}]}, "mã cột 1 bị trùng"),
        ({"rows": [{"code": "1", "label": "A"}, {"code": "1", "label": "B"}]}, "mã dòng 1 bị trùng"),
        ({"rules": [{"code": "V1", "expression": "R9_C1 <= R1_C1", "message": "x"}]}, "không có dòng 9"),
        ({"rules": [{"code": "V1", "expression": "F77_R1_C1 <= R1_C1", "message": "x"}]}, "không có biểu 77"),
        ({"rules": [{"code": "V1", "expression": "__import__('os')", "message": "x"}]}, "không hợp lệ"),
        ({"rules": [{"code": "V1", "expression": "C1 <= 3", "message": "x"}]}, "phải ghi đủ dòng và cột"),
        ({"rows": [{"code": "1", "label": "A"}, {"code": "2", "label": "B", "formula": "R1 + R3"}]}, "không có dòng 3"),
        ({"unit_categories": ["village"]}, "giá trị 'village'"),
        ({"period_types": []}, "'period_types' phải là danh sách không rỗng"),
        ({"code": "9 9"}, "số hiệu biểu chỉ gồm chữ và số"),
    ],
)
def test_a_bad_file_is_refused_with_a_vietnamese_message_and_nothing_is_created(
    change: dict[str, Any], message: str
) -> None:
    formsets.load_demo()
    before = counts()
    with pytest.raises(FormSetError) as refused:
        formsets.import_forms(small_file(**change))
    assert message in refused.value.message, refused.value.message
    assert refused.value.message.startswith("Tệp định nghĩa biểu không hợp lệ, chưa nạp biểu nào")
    assert counts() == before


def test_one_bad_form_stops_the_whole_file() -> None:
    document = small_file()
    good = copy.deepcopy(document["forms"][0])
    bad = {**copy.deepcopy(good), "code": "98", "columns": [{"code": "1", "label": "A", "type": "float"}]}
    document["forms"] = [good, bad]
    with pytest.raises(FormSetError) as refused:
        formsets.load(document)
    assert "Biểu 98" in refused.value.message
    assert counts() == [0] * len(MODELS)


def test_duplicate_form_codes_and_broken_json_are_refused() -> None:
    document = small_file()
    document["forms"].append(copy.deepcopy(document["forms"][0]))
    with pytest.raises(FormSetError) as duplicate:
        formsets.load(document)
    assert "số hiệu biểu 99 bị trùng trong tệp" in duplicate.value.message
    with pytest.raises(FormSetError) as broken:
        formsets.load('{"forms": [')
    assert "Tệp không phải JSON hợp lệ (dòng 1" in broken.value.message
    assert counts() == [0] * len(MODELS)


def test_a_cross_form_rule_may_cite_a_stored_form() -> None:
    formsets.load_demo()
    (version,) = formsets.import_forms(
        small_file(rules=[{"code": "V1", "expression": "R1_C1 <= F01_RT_C1", "message": "Không quá biểu 01."}])
    )
    assert version.rules.get().expression == "R1_C1 <= F01_RT_C1"


def test_the_command_loads_exports_and_imports(tmp_path: Any) -> None:
    call_command("stats_forms", "load-demo", verbosity=0)
    call_command("stats_forms", "load-demo", verbosity=0)
    assert FormVersion.objects.count() == 14
    target = tmp_path / "bieu.json"
    call_command("stats_forms", "export", str(target), "--form", "03")
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [f["code"] for f in data["forms"]] == ["03"]
    call_command("stats_forms", "import", str(target))
    assert FormVersion.objects.filter(form__code="03").count() == 2
