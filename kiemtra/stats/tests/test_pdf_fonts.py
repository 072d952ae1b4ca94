"""The official PDF is set in one serif family that has every Vietnamese letter (issue 10.12).

Letters with two marks (ố, ừ, ế, ộ, ữ) fell back to another font inside the body text
when the stylesheet named several families; the PDF names one, installed by the set-up
(Debian ``fonts-liberation2``), and every font embedded in the file belongs to it.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from pypdf import PdfReader

from kiemtra.stats import pdf
from kiemtra.stats.models import Row
from kiemtra.stats.services import reports
from kiemtra.stats.tests.factories import make_chain

pytestmark = pytest.mark.django_db

HARD_LETTERS = "Số người được xét: kết luận, hướng xử lý; tổ chức đảng; những trường hợp khác"


def _families(data: bytes) -> set[str]:
    """The families of the fonts the PDF embeds: "ABCDEF+Liberation-Serif-Bold" → "LiberationSerif"."""
    found = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        fonts = resources.get("/Font", {})
        for font in fonts.values():
            name = str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
            # WeasyPrint writes "Liberation-Serif-Bold-Italic"; other producers "LiberationSerif,Bold".
            family = re.sub(r"([-,]?(Bold|Italic|Regular|Oblique|Book))+$", "", name)
            found.add(family.replace("-", ""))
    return found


def test_the_pdf_uses_one_serif_family_for_every_letter() -> None:
    chain = make_chain()
    Row.objects.filter(version=chain.version, code="1").update(label=HARD_LETTERS)
    chain.open()
    commune = chain.communes[0]
    report = chain.report(commune)
    reports.save_values(chain.statistician[commune.pk], report, chain.cells(R1_C1=12, R2_C1=3), expected_revision=0)
    data = pdf.consolidated_pdf(report)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "kết luận, hướng xử lý" in " ".join(text.split())  # the letters are there, as text
    assert _families(data) == {"LiberationSerif"}, _families(data)
