"""Reading files into pages of text now lives in the kernel (``kiemtra.core.ocr``), shared with letters.

This module re-exports it so discipline's imports keep working unchanged.
"""

from kiemtra.core.ocr import (  # noqa: F401
    IMAGE_EXTENSIONS,
    MIN_LETTERS,
    OCR_DPI,
    OCR_LANG,
    Page,
    ReadError,
    ReadResult,
    content_type,
    is_blank,
    load_images,
    normalize_text,
    ocr_image,
    pdf_text_layer,
    read_document,
    render_page,
    sha256,
    sniff,
    usable,
)
