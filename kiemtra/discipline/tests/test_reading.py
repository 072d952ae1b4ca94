"""Reading files into pages: text layer, OCR, and every way a file can fail to read."""

from __future__ import annotations

import unicodedata

import pytest
from PIL import Image

from kiemtra.discipline.extraction.reading import ReadError, ocr_image, read_document, render_page
from kiemtra.discipline.tests.corpus import CORPUS, read


def test_born_digital_pdf_is_read_from_its_text_layer_in_nfc() -> None:
    result = read("digital/qd-provincial_commission-07.pdf")
    assert result.kind == "pdf"
    assert all(p.source == "text" and p.confidence is None for p in result.pages)
    assert "QUYẾT ĐỊNH" in result.pages[0].text
    assert unicodedata.is_normalized("NFC", result.text)
    assert len(result.sha256) == 64


def test_short_text_layer_spilling_onto_a_page_is_kept_not_ocred() -> None:
    """The signer's name alone on page 2 is text, not a scanned page (OCR misread it as 'Quần')."""
    result = read("digital/qd-thay-doi-hinh-thuc-01.pdf")
    assert [p.source for p in result.pages] == ["text", "text"]
    assert result.pages[1].text == "Lâm Quang Quân"


def test_the_same_file_under_another_name_has_the_same_sha256() -> None:
    original = read("digital/qd-provincial_commission-07.pdf")
    duplicate = read_document(CORPUS / "bad/ban-sao-trung.pdf")
    assert duplicate.sha256 == original.sha256
    assert duplicate.filename == "ban-sao-trung.pdf"


@pytest.mark.parametrize(
    ("rel", "code", "words"),
    [
        ("bad/hong-file.pdf", "corrupt", "bị hỏng"),
        ("bad/co-mat-khau.pdf", "encrypted", "mật khẩu"),
        ("bad/trang-trang.pdf", "empty", "không có chữ"),
        ("bad/ghi-chu.docx", "unsupported", "không được hỗ trợ"),
    ],
)
def test_an_unreadable_file_gives_its_code_and_a_vietnamese_message(rel: str, code: str, words: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_document(CORPUS / rel)
    assert caught.value.code == code
    assert words in caught.value.message


def test_empty_bytes_are_an_empty_document() -> None:
    with pytest.raises(ReadError) as caught:
        read_document(b"", "rong.pdf")
    assert caught.value.code == "empty"


def test_a_pdf_name_on_other_bytes_is_corrupt_not_unsupported() -> None:
    with pytest.raises(ReadError) as caught:
        read_document(b"hello, not a pdf", "quyet-dinh.pdf")
    assert caught.value.code == "corrupt"


def test_without_ocr_the_scanned_pages_are_listed_for_a_background_task() -> None:
    result = read_document(CORPUS / "scans/scan-01.pdf", ocr=False)
    assert result.pages == []
    assert result.pending_ocr == [1]


def test_a_blank_image_is_not_sent_to_tesseract() -> None:
    page = ocr_image(Image.new("L", (2480, 3508), 255), 3)
    assert (page.number, page.text, page.source) == (3, "", "ocr")


def test_a_scanned_page_is_rendered_at_300_dpi_and_ocred_in_vietnamese() -> None:
    """One real OCR run (a few seconds): the scan of a decision of a provincial commission."""
    data = (CORPUS / "scans/scan-01.pdf").read_bytes()
    image = render_page(data, 1)
    assert image.size[0] == pytest.approx(2480, abs=3)  # A4 width at 300 dpi
    result = read("scans/scan-01.pdf")
    page = result.pages[0]
    assert page.source == "ocr"
    assert page.confidence is not None and page.confidence > 0.8
    assert "QUYẾT ĐỊNH" in page.text
    assert "Căn cứ Điều lệ Đảng" in page.text
    assert unicodedata.is_normalized("NFC", page.text)
