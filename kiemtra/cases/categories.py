"""The violation content categories a conclusion may name: the groups "Nội dung vi phạm: …" of the statistics forms.

A conclusion stores the item's label (the form column's label after its prefix),
which is what ``statistics_link.measure`` counts a file under. The items are read
from the newest version of form 01 (a member's case) or 02 (an organisation's);
before any form is loaded, from the shipped forms' catalogs, so the page never
offers an empty list.
"""

from __future__ import annotations

import json
from functools import cache

from kiemtra.stats.formsets import DEMO_FILE
from kiemtra.stats.models import Column, FormVersion

from .choices import SubjectKind

PREFIX = "Nội dung vi phạm: "
FORM_OF_SUBJECT = {SubjectKind.MEMBER: "01", SubjectKind.ORGANISATION: "02"}
SHIPPED_CATALOG = {SubjectKind.MEMBER: "nd_vp_dang_vien", SubjectKind.ORGANISATION: "nd_vp_to_chuc"}


@cache
def _shipped(catalog: str) -> tuple[str, ...]:
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    return tuple(data.get("catalogs", {}).get(catalog, {}).get("items", []))


def for_subject(subject_kind: str) -> list[str]:
    """The category labels, in the form's order, for a case about a member or an organisation."""
    kind = SubjectKind.ORGANISATION if subject_kind == SubjectKind.ORGANISATION else SubjectKind.MEMBER
    version = FormVersion.objects.filter(form__code=FORM_OF_SUBJECT[kind]).order_by("-number").first()
    if version is not None:
        labels = Column.objects.filter(version=version, label__startswith=PREFIX).values_list("label", flat=True)
        items = [label[len(PREFIX) :].strip() for label in labels.order_by("position")]
        if items:
            return list(dict.fromkeys(items))
    return list(_shipped(SHIPPED_CATALOG[kind]))
