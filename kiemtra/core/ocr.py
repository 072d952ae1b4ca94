"""Turn an uploaded file into pages of text: the PDF's text layer where it has one, OCR where it has not.

The kernel's reader, shared by discipline decisions and scanned letters.

Born-digital PDFs are read from their text layer with pypdf (it keeps Vietnamese words
whole where pdfium's text extraction runs some together); pages without a usable text layer,
and images, are rendered at 300 dpi with pypdfium2 and read by Tesseract (``lang="vie"``).
OCR takes seconds a page, so it is split in pure steps a background task can run one by one:
``render_page`` (bytes → image) and ``ocr_image`` (image → ``Page``); ``read_document(...,
ocr=False)`` reads the text layer only and lists the pages still to OCR.

Plain text (``.txt``, UTF-8: an announcement or a communiqué copied from a published page) is
one page of text.

Every way a file can fail to read is a ``ReadError`` with a stable ``code`` and a Vietnamese
message for the user: ``unsupported``, ``corrupt``, ``encrypted``, ``empty``, ``too_many_pages``
(a PDF longer than ``max_pdf_pages()``, refused before any page is read).
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from PIL.Image import Image

OCR_DPI = 300
OCR_LANG = "vie"
MIN_LETTERS = 20  # fewer letters than this on a page: no usable text layer
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
TEXT_EXTENSIONS = {".txt"}
DEFAULT_MAX_PDF_PAGES = 300


PageSource = Literal["text", "ocr"]


@dataclass(frozen=True)
class Page:
    """One page of a document: its text (NFC), read from the text layer or by OCR."""

    number: int  # 1-based
    text: str
    source: PageSource
    confidence: float | None  # OCR's mean word confidence 0..1; None for a text layer


def max_pdf_pages() -> int:
    """The most pages a PDF may have (setting ``KIEMTRA_MAX_PDF_PAGES``, default 300): a 2,000-page file
    would hold the only ingest worker for minutes."""
    from django.conf import settings

    value = getattr(settings, "KIEMTRA_MAX_PDF_PAGES", None) or os.environ.get("KIEMTRA_MAX_PDF_PAGES")
    try:
        return max(1, int(value)) if value else DEFAULT_MAX_PDF_PAGES
    except ValueError:
        return DEFAULT_MAX_PDF_PAGES


class ReadError(Exception):
    """A file that cannot be read: ``code`` for programs, ``message`` (Vietnamese) for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class ReadResult:
    """The pages of one file, its SHA-256, and what reading it needed."""

    filename: str
    sha256: str
    kind: str  # "pdf" | "image"
    pages: list[Page]
    pending_ocr: list[int] = field(default_factory=list)  # pages left for OCR (read_document(ocr=False))
    empty_pages: list[int] = field(default_factory=list)  # pages with no text even after OCR

    content_type: str = "application/pdf"  # the MIME type the bytes really are (sniffed, not the name's)

    @property
    def ocr_pages(self) -> int:
        return sum(1 for p in self.pages if p.source == "ocr")

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def normalize_text(text: str) -> str:
    """NFC, no NULs or soft hyphens, Unix line ends: what every later step assumes."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\u00ad", "")
    text = text.replace("\u00a0", " ").replace("Ð", "Đ").replace("ð", "đ")  # eth: an OCR slip for Đ
    return text.strip()


def sniff(data: bytes, filename: str) -> str:
    """'pdf' or 'image' from the file's first bytes (the name only breaks ties); ReadError otherwise."""
    head = data[:16]
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    suffix = Path(filename).suffix.lower()
    if suffix in TEXT_EXTENSIONS:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ReadError("corrupt", _("Tệp văn bản không phải mã UTF-8, không đọc được.")) from exc
        return "text"
    if suffix == ".pdf":
        raise ReadError("corrupt", _("Tệp PDF bị hỏng hoặc không đúng định dạng, không đọc được."))
    if suffix in IMAGE_EXTENSIONS:
        raise ReadError("corrupt", _("Tệp ảnh bị hỏng hoặc không đúng định dạng, không đọc được."))
    raise ReadError(
        "unsupported",
        _("Định dạng tệp không được hỗ trợ; chỉ nhận PDF hoặc ảnh (PNG, JPEG, TIFF)."),
    )


def content_type(data: bytes) -> str:
    """The MIME type of a file ``sniff`` accepted."""
    if not data[:16].lstrip().startswith(b"%PDF") and not data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*", b"MM")):
        return "text/plain"
    if data[:16].lstrip().startswith(b"%PDF"):
        return "application/pdf"
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return "image/tiff"


def usable(text: str) -> bool:
    """Whether a text layer is worth keeping: enough letters, and mostly real ones (not a broken font map)."""
    letters = sum(ch.isalpha() for ch in text)
    visible = sum(not ch.isspace() for ch in text)
    return letters >= MIN_LETTERS and letters >= 0.5 * visible


def pdf_text_layer(data: bytes) -> list[str | None]:
    """Each page's text layer (NFC), or None where it has none worth reading. Raises ReadError."""
    import pypdf
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    _check_pdf(data)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("encrypted", _encrypted_message())
        texts: list[str | None] = []
        for page in reader.pages:
            text = normalize_text(page.extract_text() or "")
            # a short text layer on a page without images is the page (a signature spilling over), not a scan
            keep = usable(text) or (
                text and not _has_images(page) and sum(c.isalpha() for c in text) >= 0.5 * len(text)
            )
            texts.append(text if keep else None)
    except FileNotDecryptedError as exc:
        raise ReadError("encrypted", _encrypted_message()) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ReadError("corrupt", _corrupt_message()) from exc
    if not texts:
        raise ReadError("empty", _("Tài liệu không có trang nào."))
    return texts


def _has_images(page: Any) -> bool:
    """Whether a pypdf page draws an image (a scanned page does)."""
    try:
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        return any(xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects)
    except (AttributeError, KeyError, TypeError, ValueError):
        return True


def _check_pdf(data: bytes) -> None:
    """pdfium is strict where pypdf is lenient: it tells a truncated file and a password from a good one."""
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError("encrypted", _encrypted_message()) from exc
        raise ReadError("corrupt", _corrupt_message()) from exc
    try:
        pages = len(doc)
    finally:
        doc.close()
    limit = max_pdf_pages()
    if pages > limit:
        raise ReadError(
            "too_many_pages",
            _("Tệp PDF có %(n)s trang, vượt quá giới hạn %(limit)s trang mỗi tệp; hãy tách tệp rồi tải lên lại.")
            % {"n": pages, "limit": limit},
        )


def _encrypted_message() -> str:
    return _("Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi tải lên lại.")


def _corrupt_message() -> str:
    return _("Tệp PDF bị hỏng hoặc không đầy đủ, không đọc được.")


def render_page(data: bytes, number: int, dpi: int = OCR_DPI) -> Image:
    """Page ``number`` (1-based) of a PDF as a grayscale image at ``dpi``."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        page = doc[number - 1]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        doc.close()
    return image


def load_images(data: bytes) -> list[Image]:
    """The frames of an image file (a TIFF may hold several pages), grayscale."""
    from PIL import Image as PILImage
    from PIL import ImageSequence, UnidentifiedImageError

    try:
        image = PILImage.open(io.BytesIO(data))
        frames = [frame.convert("L") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ReadError("corrupt", _("Tệp ảnh bị hỏng hoặc không đúng định dạng, không đọc được.")) from exc
    return frames


def is_blank(image: Image) -> bool:
    """A page with (almost) no ink: nothing for OCR to read."""
    histogram = image.convert("L").histogram()
    dark = sum(histogram[:128])
    return dark < 0.0005 * image.width * image.height


def ocr_image(image: Image, number: int, lang: str = OCR_LANG) -> Page:
    """OCR one page image with Tesseract: a pure function (no I/O but Tesseract), safe in a background task.

    The text keeps Tesseract's lines and paragraphs; the confidence is the mean word
    confidence (0..1). A blank page gives empty text without calling Tesseract.
    """
    import pytesseract
    from PIL import ImageFilter, ImageOps

    if is_blank(image):
        return Page(number=number, text="", source="ocr", confidence=0.0)
    prepared = ImageOps.autocontrast(image.convert("L"), cutoff=1).filter(ImageFilter.MedianFilter(3))
    data = pytesseract.image_to_data(prepared, lang=lang, config="--psm 3 --oem 1", output_type=pytesseract.Output.DICT)
    lines: dict[tuple[int, int, int], list[str]] = {}
    order: list[tuple[int, int, int]] = []
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if key not in lines:
            lines[key] = []
            order.append(key)
        lines[key].append(word)
        conf = float(data["conf"][i])
        if conf >= 0:
            confidences.append(conf / 100)
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for key in order:
        if previous is not None and key[:2] != previous:
            out.append("")  # a paragraph break
        out.append(" ".join(lines[key]))
        previous = key[:2]
    text = normalize_text("\n".join(out))
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return Page(number=number, text=text, source="ocr", confidence=round(confidence, 3))


def read_document(source: str | Path | bytes, filename: str | None = None, *, ocr: bool = True) -> ReadResult:
    """Read a PDF or an image into pages of text; raises ReadError with a Vietnamese message.

    ``source`` is a path or the file's bytes (then ``filename`` names it). With ``ocr=False``
    the pages that need OCR are left out of ``pages`` and listed in ``pending_ocr``.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "tệp"
    else:
        path = Path(source)
        data, name = path.read_bytes(), filename or path.name
    if not data:
        raise ReadError("empty", _("Tệp rỗng, không có nội dung."))
    kind = sniff(data, name)
    result = ReadResult(filename=name, sha256=sha256(data), kind=kind, pages=[], content_type=content_type(data))
    if kind == "text":
        plain = normalize_text(data.decode("utf-8"))
        if not plain:
            raise ReadError("empty", _("Tệp rỗng, không có nội dung."))
        result.pages.append(Page(number=1, text=plain, source="text", confidence=None))
        return result
    if kind == "pdf":
        for number, text in enumerate(pdf_text_layer(data), 1):
            if text is not None:
                result.pages.append(Page(number=number, text=text, source="text", confidence=None))
            elif ocr:
                result.pages.append(ocr_image(render_page(data, number), number))
            else:
                result.pending_ocr.append(number)
    else:
        for number, image in enumerate(load_images(data), 1):
            if ocr:
                result.pages.append(ocr_image(image, number))
            else:
                result.pending_ocr.append(number)
    result.empty_pages = [p.number for p in result.pages if not p.text.strip()]
    if not result.pending_ocr and len(result.empty_pages) == len(result.pages):
        raise ReadError("empty", _("Tài liệu không có chữ (trang trắng), kể cả sau khi nhận dạng ký tự (OCR)."))
    return result
