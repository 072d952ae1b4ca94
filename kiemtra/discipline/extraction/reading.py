"""Reading files into pages of text now lives in the kernel (``kiemtra.core.ocr``), shared with letters.

This module re-exports it so discipline's imports keep working unchanged.
"""

from kiemtra.core.ocr import (  # noqa: F401
    DEFAULT_MAX_PDF_PAGES,
    IMAGE_EXTENSIONS,
    MIN_LETTERS,
    OCR_DPI,
    OCR_LANG,
    TEXT_EXTENSIONS,
    Page,
    PageSource,
    ReadError,
    ReadResult,
    content_type,
    is_blank,
    load_images,
    max_pdf_pages,
    normalize_text,
    ocr_image,
    pdf_text_layer,
    read_document,
    render_page,
    sha256,
    sniff,
    usable,
)
