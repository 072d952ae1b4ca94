"""File downloads: one way to hand a user a file, so every export is private and named the same way."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    """``data`` as a download; never cached by a shared proxy (exports hold protected data)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def workbook_attachment(book: Workbook, filename: str) -> HttpResponse:
    out = io.BytesIO()
    book.save(out)
    return attachment(out.getvalue(), filename, XLSX_CONTENT_TYPE)
