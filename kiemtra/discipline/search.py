"""Search over published decisions: the query read from the page's parameters, the scoped queryset, a capped count.

Every queryset starts from ``policies.scope(actor, Module.DISCIPLINE)``: a
commission sees its own and its subtree's decisions, the Centre all of them.

Text is matched "with or without diacritics": the query is folded like
``Decision.search_text`` (``kiemtra.core.text.fold``) and every word must match.

- A word of letters matches a **whole word** of the text: "an" finds "Nguyễn
  Văn An", not "Lê Thị Anh" nor "Trần Văn Toàn". Names are made of short
  syllables that occur inside many other words; matching inside words would
  bury a name under thousands of decisions.
- A word with digits or signs (a decision number, "123-qd/ubkttw") matches
  anywhere in the text.
- A classified decision has no readable words of its subject in ``search_text``,
  only keyed digests of the whole words of the name (``records.blind``): it is
  found by the same whole words of the name; its public words (number, issuing
  body, term) are matched like those of an ordinary decision.

On PostgreSQL the whole words go through a full-text index on
``to_tsvector('simple', search_text)`` (no stemming, no stop words: the folded
syllables as they are), numbers and blind digests through the trigram index
(migration 0003; ``bench/discipline_search.py`` measures both). Elsewhere
(SQLite) a regular expression with word boundaries does the same job, slowly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import BooleanField, Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.core.text import fold
from kiemtra.orgs.choices import UnitKind
from kiemtra.orgs.models import OrgUnit

from .choices import IssuingLevel, PenaltyCode, PositionLevel, SubjectType
from .models import Decision
from .services import records

PER_PAGE = 50
# Counting every match of a broad search over a million decisions costs more than the page itself:
# the page counts up to this many (20 pages) and then says "more than".
COUNT_CAP = 1_000
# Up to this many matches, a newest-first page is sorted from one read of (id, date) pairs.
SCAN_CAP = 20_000
MAX_WORDS = 8  # a pasted paragraph is not a search; the first words are enough
YEARS = (1990, 2100)

# Most severe first for the "penalty" sort; the catalog's severities per subject type agree with this order.
SEVERITY = {
    PenaltyCode.REPRIMAND: 1,
    PenaltyCode.WARNING: 2,
    PenaltyCode.DISMISSAL: 3,
    PenaltyCode.EXPULSION: 4,
    PenaltyCode.DISSOLUTION: 4,
}

LETTERS = re.compile(r"[a-z]+")
EDGE_PUNCTUATION = ".,;:!?()[]\"'“”«»"


def _severity() -> Case:
    return Case(
        *(When(penalty=code, then=Value(n)) for code, n in SEVERITY.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _classified_last() -> Case:
    return Case(When(confidentiality="ordinary", then=Value(0)), default=Value(1), output_field=IntegerField())


# sort key → (label, ordering); the first is the default.
SORTS: dict[str, tuple[Any, tuple[Any, ...]]] = {
    # Decisions without a date last either way, on every database (PostgreSQL puts NULL first when descending).
    "date": (gettext_lazy("Ngày ban hành (mới nhất trước)"), (F("issued_on").desc(nulls_last=True), "-pk")),
    "date_asc": (gettext_lazy("Ngày ban hành (cũ nhất trước)"), (F("issued_on").asc(nulls_last=True), "pk")),
    "number": (gettext_lazy("Số quyết định"), (Length("number_key"), "number_key", "-pk")),
    "penalty": (
        gettext_lazy("Hình thức kỷ luật (nặng nhất trước)"),
        (_severity().desc(), F("issued_on").desc(nulls_last=True), "-pk"),
    ),
    # Classified decisions have no readable name column: they come last, by date.
    "name": (
        gettext_lazy("Họ tên (quyết định mật ở cuối)"),
        (_classified_last(), "subject_name", F("issued_on").desc(nulls_last=True), "-pk"),
    ),
}


def sort_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, (label, _order) in SORTS.items()]


@dataclass(frozen=True)
class DecisionQuery:
    """What the search page asks for; empty values mean "any"."""

    text: str = ""
    term: str = ""
    issuing_body: str = ""
    issuing_level: str = ""
    penalty: str = ""
    category: str = ""
    province: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    position_level: str = ""
    subject_type: str = ""
    sort: str = "date"

    @property
    def words(self) -> list[str]:
        """The folded words, without the punctuation around them ("An," is "an")."""
        words = (w.strip(EDGE_PUNCTUATION) for w in fold(self.text).split())
        return [w for w in words if w][:MAX_WORDS]

    def params(self) -> dict[str, str]:
        """The query string of this query (for pagination links and the export), defaults left out."""
        names = {"text": "q"}
        out: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value in ("", None) or (key == "sort" and value == "date"):
                continue
            out[names.get(key, key)] = str(value)
        return out


def _choice(params: QueryDict, name: str, allowed: list[str], label: str, errors: list[str]) -> str:
    value = params.get(name, "").strip()
    if value and value not in allowed:
        errors.append(_("%(field)s: giá trị '%(value)s' không có trong danh sách.") % {"field": label, "value": value})
        return ""
    return value


def _year(params: QueryDict, name: str, label: str, errors: list[str]) -> int | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit() or not YEARS[0] <= int(value) <= YEARS[1]:
        errors.append(
            _("%(field)s: '%(value)s' không phải là năm (từ %(low)s đến %(high)s).")
            % {"field": label, "value": value, "low": YEARS[0], "high": YEARS[1]}
        )
        return None
    return int(value)


def parse_query(params: QueryDict) -> tuple[DecisionQuery, list[str]]:
    """The query from GET parameters, and a message for each value refused (a refused value is not applied)."""
    errors: list[str] = []
    province: int | None = None
    raw_province = params.get("province", "").strip()
    if raw_province:
        if raw_province.isdigit() and OrgUnit.objects.filter(pk=int(raw_province), kind=UnitKind.PROVINCIAL).exists():
            province = int(raw_province)
        else:
            errors.append(_("Tỉnh, thành: không có trong danh sách."))
    year_from = _year(params, "year_from", _("Từ năm"), errors)
    year_to = _year(params, "year_to", _("Đến năm"), errors)
    if year_from and year_to and year_from > year_to:
        errors.append(_("Từ năm %(a)s lớn hơn đến năm %(b)s.") % {"a": year_from, "b": year_to})
        year_from = year_to = None
    category = params.get("category", "").strip()
    if category and not re.fullmatch(r"[a-z_]{1,32}", category):
        errors.append(_("Nội dung vi phạm: giá trị '%(value)s' không có trong danh sách.") % {"value": category})
        category = ""
    sort = params.get("sort", "date")
    query = DecisionQuery(
        text=params.get("q", "").strip()[:200],
        term=params.get("term", "").strip().upper()[:8],
        issuing_body=params.get("issuing_body", "").strip()[:200],
        issuing_level=_choice(params, "issuing_level", IssuingLevel.values, _("Cấp ban hành"), errors),
        penalty=_choice(params, "penalty", PenaltyCode.values, _("Hình thức kỷ luật"), errors),
        category=category,
        province=province,
        year_from=year_from,
        year_to=year_to,
        position_level=_choice(params, "position_level", PositionLevel.values, _("Cấp chức vụ"), errors),
        subject_type=_choice(params, "subject_type", SubjectType.values, _("Đối tượng"), errors),
        sort=sort if sort in SORTS else "date",
    )
    return query, errors


class WordsMatch(Func):
    """The decision's words hold every word of ``words`` (PostgreSQL full text).

    ``search_words`` is a PostgreSQL-only generated column, ``strip(to_tsvector('simple', search_text))``,
    with its GIN index (migration 0003): stored, so that checking a candidate row reads the words instead
    of parsing the text again (the parse costs more than reading the row).
    """

    output_field = BooleanField()

    def __init__(self, words: list[str], *, blind: bool = False) -> None:
        # With ``blind``, each word may also be present as its keyed digest (a classified decision's name word):
        # one index scan serves ordinary and classified decisions alike.
        terms = [f"({w} | {records.blind(w).lstrip('~')})" if blind else w for w in words]
        super().__init__(Value(" & ".join(terms)))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        query, params = compiler.compile(self.source_expressions[0])
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search_words @@ to_tsquery('simple'::regconfig, {query})", list(params)


def _whole_words(words: list[str], vendor: str, *, blind: bool = False) -> Q:
    if not words:
        return Q()
    if vendor == "postgresql":
        return Q(WordsMatch(words, blind=blind))
    condition = Q()
    for word in words:
        condition &= Q(search_text__regex=rf"\b{word}\b")
    return condition


def _letters(words: list[str]) -> list[str]:
    return [w for w in words if LETTERS.fullmatch(w)]


def readable_condition(words: list[str], vendor: str) -> Q:
    """Every word among the readable words: ordinary decisions, and the public words of classified ones.

    On PostgreSQL a word may also match as its blind digest, so this alone finds classified decisions too
    (``classified_condition`` is then not needed).
    """
    condition = _whole_words(_letters(words), vendor, blind=vendor == "postgresql")
    for word in words:
        if not LETTERS.fullmatch(word):
            condition &= Q(search_text__contains=word)
    return condition


def classified_condition(words: list[str], vendor: str) -> Q | None:
    """Classified decisions: at least one name word by its blind digest, every other word readable or blind."""
    digests = {word: records.blind(word) for word in _letters(words)}
    if not digests or vendor == "postgresql":
        return None
    condition = Q()
    for digest in digests.values():
        condition |= Q(search_text__contains=digest)
    for word in words:
        if word in digests:
            condition &= _whole_words([word], vendor) | Q(search_text__contains=digests[word])
        else:
            condition &= Q(search_text__contains=word)
    return condition


def _filtered(actor: Any, query: DecisionQuery) -> QuerySet[Decision]:
    """The published decisions in scope that pass every filter but the text, unordered."""
    visible = policies.scope(actor, Module.DISCIPLINE)
    if not visible:
        return Decision.objects.none()
    decisions: QuerySet[Decision] = visible.filter(Decision.objects.published())
    if query.term:
        decisions = decisions.filter(term=query.term)
    if query.issuing_body:
        decisions = decisions.filter(issuing_body_key__contains=records.body_key(query.issuing_body))
    exact = {
        "issuing_level": query.issuing_level,
        "penalty": query.penalty,
        "position_level": query.position_level,
        "subject_type": query.subject_type,
        "province_id": query.province,
    }
    decisions = decisions.filter(**{name: value for name, value in exact.items() if value not in ("", None)})
    if query.category:
        tagged = Decision.categories.through.objects.filter(
            decision_id=OuterRef("pk"), violationcategory__code=query.category
        )
        decisions = decisions.filter(Exists(tagged))
    if query.year_from:
        decisions = decisions.filter(issued_on__gte=dt.date(query.year_from, 1, 1))
    if query.year_to:
        decisions = decisions.filter(issued_on__lt=dt.date(query.year_to + 1, 1, 1))
    return decisions.order_by()


def search_arms(actor: Any, query: DecisionQuery) -> list[QuerySet[Decision]]:
    """``search`` as querysets whose union is its result (they may overlap), each one simple enough for
    the index to answer without re-reading every candidate's text: one for the readable words, one for
    classified decisions found by their blind digests."""
    decisions = _filtered(actor, query)
    if not query.words:
        return [decisions]
    vendor = connections[decisions.db].vendor
    arms = [decisions.filter(readable_condition(query.words, vendor))]
    classified = classified_condition(query.words, vendor)
    if classified is not None:
        arms.append(decisions.filter(classified))
    return arms


def search(actor: Any, query: DecisionQuery) -> QuerySet[Decision]:
    """The published decisions in ``actor``'s scope that match ``query``, sorted as asked."""
    decisions = _filtered(actor, query)
    if query.words:
        vendor = connections[decisions.db].vendor
        text = readable_condition(query.words, vendor)
        classified = classified_condition(query.words, vendor)
        decisions = decisions.filter(text | classified if classified is not None else text)
    return decisions.order_by(*SORTS[query.sort][1])


class ResultPage(Page):
    """A page of results; ``more``: the search found more than ``COUNT_CAP`` decisions."""

    more = False


class CappedPaginator(Paginator):
    """Pages over the first ``COUNT_CAP`` matches; ``more`` says there are more than that."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(ids[:COUNT_CAP], PER_PAGE)
        self.more = len(ids) > COUNT_CAP

    def _get_page(self, *args: Any, **kwargs: Any) -> ResultPage:
        page = ResultPage(*args, **kwargs)
        page.more = self.more
        return page


# Newest first, a dense search looks at the last three months, then the last year: the index gives the
# matches of a period cheaply, and sorting them all would not be.
WINDOWS_DAYS = (92, 366)


def _newest_first(item: tuple[int, dt.date | None]) -> tuple[bool, int, int]:
    pk, day = item
    return (day is None, -(day.toordinal() if day else 0), -pk)


def _newest(arms: list[QuerySet[Decision]], sample: dict[int, dt.date | None], wanted: int) -> list[int]:
    """The ids of the ``wanted`` newest matches of the arms' union, looking at recent periods first.

    ``sample`` holds some matches and their dates: if ``wanted`` of them are dated ``day`` or later, so are
    at least ``wanted`` of all the matches, and the period since ``day`` is sure to be enough.
    """
    dated = sorted((day for day in sample.values() if day is not None), reverse=True)
    enough = dated[wanted - 1] if len(dated) >= wanted else None
    today = dt.date.today()
    recent = [today - dt.timedelta(days=days) for days in WINDOWS_DAYS]
    starts: list[dt.date | None] = [day for day in recent if enough is None or day > enough]
    starts.append(enough)  # None: everything
    ordered: list[tuple[int, dt.date | None]] = []
    for start in starts:
        found: dict[int, dt.date | None] = {}
        for arm in arms:
            since = arm if start is None else arm.filter(issued_on__gte=start)
            found.update(since.order_by(*SORTS["date"][1]).values_list("pk", "issued_on")[:wanted])
        ordered = sorted(found.items(), key=_newest_first)[:wanted]
        if len(ordered) == wanted:
            break
    return [pk for pk, _day in ordered]


def paginate(actor: Any, query: DecisionQuery, page: Any) -> ResultPage:
    """One page of ``PER_PAGE`` decisions (units and provinces joined), and a count capped at ``COUNT_CAP``.

    First the ids of up to ``COUNT_CAP + 1`` matches, in no order: the database stops as soon as it has
    them. When that is all of them, the page is sorted out of those ids alone; when there are more, the
    search is dense and the page is read in sort order (newest first: period by period, ``_newest``).
    """
    arms = search_arms(actor, query)
    found: dict[int, dt.date | None] = {}
    complete = True
    # The index hands over all its matches at once (a bitmap), so reading a few thousand (id, date) pairs
    # costs about what reading a thousand does: for the default sort, one pass gives the page and the count.
    limit = SCAN_CAP if query.sort == "date" else COUNT_CAP
    for arm in arms:
        got = dict(arm.values_list("pk", "issued_on")[: limit + 1])
        complete = complete and len(got) <= limit
        found.update(got)
    if query.sort == "date" and complete:
        ordered_ids = [pk for pk, _day in sorted(found.items(), key=_newest_first)]
        paginator = CappedPaginator(ordered_ids)
        result = paginator.get_page(page)
        assert isinstance(result, ResultPage)
        start = (result.number - 1) * PER_PAGE
        return _rows(result, ordered_ids[start : start + PER_PAGE])
    paginator = CappedPaginator(list(found))
    result = paginator.get_page(page)
    assert isinstance(result, ResultPage)
    start = (result.number - 1) * PER_PAGE
    if not paginator.more:
        ordered = Decision.objects.filter(pk__in=list(found)).order_by(*SORTS[query.sort][1])
        shown = list(ordered.values_list("pk", flat=True)[start : start + PER_PAGE])
    elif query.sort == "date":
        shown = _newest(arms, found, start + PER_PAGE)[start:]
    else:
        shown = list(search(actor, query).values_list("pk", flat=True)[start : start + PER_PAGE])
    return _rows(result, shown)


def _rows(result: ResultPage, shown: list[int]) -> ResultPage:
    rows = Decision.objects.filter(pk__in=shown).select_related("unit", "province").defer("search_text")
    by_pk = {d.pk: d for d in rows} if shown else {}
    result.object_list = [by_pk[pk] for pk in shown]
    return result
