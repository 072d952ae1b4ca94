"""Reading digitised disciplinary decisions and extracting their fields.

``reading.read_document`` (file → pages of text, OCR where needed), ``extractor.extract``
(pages → one ``types.ExtractedDecision`` per subject), ``categories.CATEGORIES``.
"""
