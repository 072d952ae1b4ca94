"""A decision's values: one canonical dict in, the columns, the sealed details and the search words out.

Every path that fills a decision — ingest, reconciliation, manual entry, the
demo, the benchmarks — goes through ``apply_values`` so that the plain/sealed
split and the search words can never disagree with the stored values.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.audit import services as audit
from kiemtra.core.crypto import blind_word, encrypt_text, lookup_digest
from kiemtra.core.errors import DomainError
from kiemtra.core.text import fold, nfc
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from ..choices import DecisionState, SubjectType
from ..models import Decision, Details, ExtractedField, SourceDocument, ViolationCategory

if TYPE_CHECKING:
    from ..extraction.types import ExtractedDecision

# The fields a reviewer reconciles, in the order of the form; the keys of ``values`` dicts.
FIELDS: tuple[str, ...] = (
    "number",
    "issued_on",
    "issuing_body",
    "issuing_level",
    "term",
    "subject_type",
    "subject_name",
    "birth_year",
    "gender",
    "probationary",
    "positions",
    "position_level",
    "party_committee_member",
    "subject_unit",
    "province",
    "penalty",
    "violation_categories",
    "violations",
    "legal_basis",
    "signer",
    "effective_on",
    "amends_number",
)

# How the reviewer's form names each field (also in the messages that refuse a value).
LABELS: dict[str, Any] = {
    "number": gettext_lazy("Số quyết định"),
    "issued_on": gettext_lazy("Ngày ban hành"),
    "issuing_body": gettext_lazy("Cơ quan ban hành"),
    "issuing_level": gettext_lazy("Cấp ban hành"),
    "term": gettext_lazy("Nhiệm kỳ"),
    "subject_type": gettext_lazy("Đối tượng"),
    "subject_name": gettext_lazy("Họ tên / tên tổ chức"),
    "birth_year": gettext_lazy("Năm sinh"),
    "gender": gettext_lazy("Giới tính"),
    "probationary": gettext_lazy("Đảng viên dự bị"),
    "positions": gettext_lazy("Chức vụ (mỗi dòng một chức vụ)"),
    "position_level": gettext_lazy("Cấp chức vụ"),
    "party_committee_member": gettext_lazy("Cấp ủy viên"),
    "subject_unit": gettext_lazy("Đơn vị công tác"),
    "province": gettext_lazy("Tỉnh, thành"),
    "penalty": gettext_lazy("Hình thức kỷ luật"),
    "violation_categories": gettext_lazy("Lĩnh vực vi phạm (theo danh mục)"),
    "violations": gettext_lazy("Nội dung vi phạm"),
    "legal_basis": gettext_lazy("Căn cứ"),
    "signer": gettext_lazy("Người ký"),
    "effective_on": gettext_lazy("Ngày hiệu lực"),
    "amends_number": gettext_lazy("Thay đổi / xóa bỏ quyết định số"),
}

# Extractor attribute → our field name, where they differ.
EXTRACTOR_NAMES = {"date": "issued_on", "effective_date": "effective_on", "unit": "subject_unit"}

PLAIN_COLUMNS = (
    "number",
    "issuing_body",
    "issuing_level",
    "term",
    "subject_type",
    "birth_year",
    "gender",
    "probationary",
    "position_level",
    "party_committee_member",
    "penalty",
    "amends_number",
)
DATE_COLUMNS = ("issued_on", "effective_on")
DETAIL_COLUMNS = ("subject_name", "positions", "subject_unit", "violations", "legal_basis", "signer")


def number_key(number: str) -> str:
    """ "Số 123-QĐ/UBKTTW" and "123 - QĐ/UBKTTW" are the same number."""
    folded = fold(number)
    folded = re.sub(r"^so[\s:.]*", "", folded)
    return re.sub(r"\s+", "", folded)[:64]


def body_key(body: str) -> str:
    return re.sub(r"\s+", " ", fold(body).replace("uy ban", "ubkt ").replace("kiem tra", ""))[:255].strip()


def subject_key(name: str) -> str:
    return lookup_digest(fold(name)) if name.strip() else ""


EDGE_PUNCTUATION = ".,;:!?()[]\"'“”«»"

# Hex digits as letters: PostgreSQL's text parser splits a digest such as "12e45ab…" into a number and a
# word, so the query (parsed as a phrase) would never match the stored words; letters stay one word.
LETTERED_DIGITS = str.maketrans("0123456789", "ghijklmnop")


def blind(word: str) -> str:
    """A keyed digest of one folded word: lets search find a classified decision by an exact word."""
    return blind_word(word).translate(LETTERED_DIGITS)


def name_token(phrase: str) -> str:
    """A word of the name, or two adjacent words in order ("nguyen van"): a name typed is matched as a name."""
    return blind("name " + phrase)


def marked_token(word: str) -> str:
    """A word as written, with its diacritics ("văn", not "vân"): what the user typed narrows the match."""
    return blind("marked " + word)


def typed_words(text: str) -> list[str]:
    """The words as written, lower case, NFC, without the punctuation around them."""
    words = (w.strip(EDGE_PUNCTUATION) for w in nfc(text).lower().split())
    return [w for w in words if w]


def name_tokens(name: str) -> list[str]:
    words = fold(name).split()
    return [name_token(w) for w in words] + [name_token(f"{a} {b}") for a, b in itertools.pairwise(words)]


def marked_tokens(text: str) -> list[str]:
    """One token per word written with diacritics (a word without any needs none: its folded form is itself)."""
    return [marked_token(w) for w in typed_words(text) if fold(w) != w]


def search_words(public: str, details: Details, classified: bool) -> str:
    """``Decision.search_text``: folded words, then digests (names, adjacent name words, words as written).

    A classified decision has only its public words readable; the words of its name are there as keyed
    digests, and nothing else of its details is indexed.
    """
    name = details.subject_name
    if classified:
        readable = fold(public)
        digests = {blind(w) for w in fold(name).split()}
        marked = marked_tokens(f"{public} {name}")
    else:
        private = " ".join([name, *details.positions, details.subject_unit, details.violations])
        readable = f"{fold(public)} {fold(private)}"
        digests = set()
        marked = marked_tokens(f"{public} {private}")
    digests.update(name_tokens(name), marked)
    return f"{readable} " + " ".join(sorted(digests))


def search_text(decision: Decision, details: Details) -> str:
    public = f"{decision.number} {decision.issuing_body} {decision.term}"
    return search_words(public, details, decision.is_classified)


# --- values ---------------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DomainError(_("Ngày '%(v)s' không hợp lệ (dạng YYYY-MM-DD).") % {"v": value}, code="bad_date") from exc


def year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value).strip())
    except ValueError as exc:
        raise DomainError(_("Năm sinh '%(y)s' không phải là số.") % {"y": value}, code="bad_birth_year") from exc


def province_of(name: str) -> OrgUnit | None:
    """The provincial unit whose name contains the folded province name ("Nghệ An" → UBKT Tỉnh ủy Nghệ An)."""
    folded = fold(name)
    if not folded:
        return None
    for unit in OrgUnit.objects.filter(kind=UnitKind.PROVINCIAL, valid_to__isnull=True).only("pk", "name"):
        if fold(unit.name).endswith(folded):
            return unit
    return None


def apply_values(decision: Decision, values: dict[str, Any]) -> None:
    """Set every column from canonical values; categories are set after saving (``set_categories``)."""
    for name in PLAIN_COLUMNS:
        value = values.get(name)
        if name == "birth_year":
            value = year(value)
        elif name == "party_committee_member":
            value = None if value in (None, "") else bool(value)
        elif name == "probationary":
            value = bool(value)
        else:
            value = nfc(str(value)) if value not in (None,) else ""
        setattr(decision, name, value)
    decision.issued_on = _date(values.get("issued_on"))
    decision.effective_on = _date(values.get("effective_on"))
    decision.number_key = number_key(decision.number)
    decision.issuing_body_key = body_key(decision.issuing_body)
    province = values.get("province")
    decision.province = province if isinstance(province, OrgUnit) else province_of(str(province or ""))
    positions = values.get("positions") or []
    details = Details(
        subject_name=nfc(str(values.get("subject_name") or "")),
        positions=[nfc(str(p)) for p in positions if str(p).strip()],
        subject_unit=nfc(str(values.get("subject_unit") or "")),
        violations=nfc(str(values.get("violations") or "")),
        legal_basis=nfc(str(values.get("legal_basis") or "")),
        signer=nfc(str(values.get("signer") or "")),
    )
    decision.set_details(details)
    decision.subject_key = subject_key(details.subject_name)
    decision.search_text = search_text(decision, details)


def set_categories(decision: Decision, codes: list[str]) -> None:
    day = decision.issued_on or dt.date.today()
    categories = ViolationCategory.objects.valid_on(day).filter(subject_type=decision.subject_type, code__in=codes)
    decision.categories.set(categories)


def values_of(decision: Decision, details: Details) -> dict[str, Any]:
    """The canonical values of a stored decision (the reviewer's form starts from these)."""
    values: dict[str, Any] = {name: getattr(decision, name) for name in PLAIN_COLUMNS}
    values["issued_on"] = decision.issued_on.isoformat() if decision.issued_on else ""
    values["effective_on"] = decision.effective_on.isoformat() if decision.effective_on else ""
    values["province"] = decision.province.name if decision.province else ""
    values["violation_categories"] = sorted(c.code for c in decision.categories.all())
    values.update({name: getattr(details, name) for name in DETAIL_COLUMNS})
    return values


def extracted_values(extracted: ExtractedDecision) -> dict[str, tuple[Any, Any]]:
    """field name → (canonical value, the extractor's Field or None)."""
    out: dict[str, tuple[Any, Any]] = {}
    for attr in extracted.__dataclass_fields__:
        name = EXTRACTOR_NAMES.get(attr, attr)
        if name not in FIELDS:
            continue
        found = getattr(extracted, attr)
        value = getattr(found, "value", None)
        if isinstance(value, dt.date):
            value = value.isoformat()
        out[name] = (value, found)
    return out


def is_duplicate(extracted: ExtractedDecision) -> bool:
    """Same number from the same issuing body about the same subject (a communiqué shares one number)."""
    values = {name: value for name, (value, _f) in extracted_values(extracted).items()}
    if not values.get("number"):
        return False
    return (
        Decision.objects.exclude(state=DecisionState.REJECTED)
        .filter(
            number_key=number_key(str(values["number"])),
            issuing_body_key=body_key(str(values.get("issuing_body") or "")),
            subject_key=subject_key(str(values.get("subject_name") or "")),
        )
        .exists()
    )


def create_from_extraction(
    actor: Any, unit: OrgUnit, document: SourceDocument, position: int, extracted: ExtractedDecision
) -> Decision:
    """A pending decision with every extracted field and its provenance; called inside ingest's transaction."""
    found = extracted_values(extracted)
    values = {name: value for name, (value, _f) in found.items()}
    values.setdefault("subject_type", SubjectType.MEMBER)
    if not values.get("province") and unit.kind in (UnitKind.PROVINCIAL, UnitKind.COMMUNE):
        values["province"] = unit if unit.kind == UnitKind.PROVINCIAL else unit.parent
    decision = Decision(
        unit=unit,
        document=document,
        position_in_document=position,
        confidentiality=document.confidentiality,
        created_by=actor,
    )
    apply_values(decision, values)
    decision.save()
    set_categories(decision, list(values.get("violation_categories") or []))
    ExtractedField.objects.bulk_create(
        ExtractedField(
            decision=decision,
            name=name,
            sealed_value=encrypt_text(json.dumps(value, ensure_ascii=False, default=str)),
            page=getattr(field, "page", None),
            start=getattr(field, "start", None),
            end=getattr(field, "end", None),
            confidence=float(getattr(field, "confidence", 0.0) or 0.0),
        )
        for name, (value, field) in found.items()
        if field is not None
    )
    audit.record(actor, "discipline.decision.extracted", decision, unit=unit, document=document.pk, position=position)
    return decision


# --- reading --------------------------------------------------------------------------------------


def readable(actor: Any, decision: Decision) -> bool:
    """``actor`` may read this decision's details: in the view scope, and the classified one where it is."""
    if not policies.can(actor, "discipline.view", decision.unit):
        return False
    return not decision.is_classified or policies.can(actor, "discipline.read_classified", decision.unit)


def read_details(actor: Any, decision: Decision) -> Details:
    """The personal details, for someone allowed to see them; reads of classified ones are audited."""
    policies.require(actor, "discipline.view", decision.unit)
    if decision.is_classified:
        policies.require(actor, "discipline.read_classified", decision.unit)
        audit.record_read(actor, "discipline.decision.read", decision)
    return decision.details()


def visible_details(actor: Any, decisions: list[Decision]) -> dict[int, Details | None]:
    """For lists and exports: the details of each decision, None where a classified one is withheld."""
    out: dict[int, Details | None] = {}
    for decision in decisions:
        if decision.is_classified and not policies.can(actor, "discipline.read_classified", decision.unit):
            out[decision.pk] = None
        elif decision.is_classified:
            audit.record_read(actor, "discipline.decision.read", decision)
            out[decision.pk] = decision.details()
        else:
            out[decision.pk] = decision.details()
    return out
