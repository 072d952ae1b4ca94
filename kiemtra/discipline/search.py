"""Search over published decisions: the query read from the page's parameters, the scoped queryset, a capped count.

Every queryset starts from ``policies.scope(actor, Module.DISCIPLINE)``; the
filters are those of ``filters.DecisionFilter``, shared with analytics.

Text is matched "with or without diacritics": the query is folded like
``Decision.search_text`` (``kiemtra.core.text.fold``) and every word must match.

- A word of letters matches a **whole word** of the text: "an" finds "Nguyễn
  Văn An", not "Lê Thị Anh" nor "Trần Văn Toàn". Names are made of short
  syllables that occur inside many other words; matching inside words would
  bury a name under thousands of decisions.
- A word typed **with** diacritics matches only that word as written: "Văn"
  finds Văn, not Vân nor "văn bản" typed "van" (tokens ``records.marked_token``).
- A query of words only (it may be a name) is a name first: the decisions whose
  subject's name holds the words adjacent and in order (tokens of adjacent
  name words, ``records.name_tokens``) come before those that hold the words
  anywhere; "relevance", the default sort when there is a query.
- A word with digits or signs (a decision number, "123-qd/ubkttw") matches
  anywhere in the text.
- A classified decision has no readable words of its subject in ``search_text``,
  only keyed digests of the words of the name. Only a reader allowed to read
  it (``discipline.classified`` scope) finds it by words: for anyone else a
  classified decision is found by its number and the filters only, never by a
  word, so that no search, count or export can confirm who it is about.

On PostgreSQL the whole words and digests go through a full-text index on
``to_tsvector('simple', search_text)`` (no stemming, no stop words: the folded
syllables as they are), numbers through the trigram index (migration 0003;
``bench/discipline_search.py`` measures both). Elsewhere (SQLite) a regular
expression with word boundaries does the same job, slowly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy

from kiemtra.accounts import policies
from kiemtra.accounts.choices import Module
from kiemtra.core.text import fold

from . import filters
from .choices import Confidentiality
from .models import Decision, Penalty
from .services import records

PER_PAGE = 50
# Counting every match of a broad search over a million decisions costs more than the page itself:
# the page counts up to this many (20 pages) and then says "more than".
COUNT_CAP = 1_000
# Up to this many matches, a newest-first page is sorted from one read of (id, date) pairs.
SCAN_CAP = 20_000
MAX_WORDS = 8  # a pasted paragraph is not a search; the first words are enough
MAX_TEXT = 200
EDGE_PUNCTUATION = records.EDGE_PUNCTUATION
LETTERS = re.compile(r"[a-z]+")


def _severity() -> Case:
    """The penalty's severity from the catalog (most severe first when descending), not from code."""
    levels: dict[str, int] = {}
    for code, severity in Penalty.objects.values_list("code", "severity"):
        levels[code] = max(severity, levels.get(code, 0))
    return Case(
        *(When(penalty=code, then=Value(n)) for code, n in levels.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _classified_last() -> Case:
    return Case(
        When(confidentiality=Confidentiality.ORDINARY, then=Value(0)), default=Value(1), output_field=IntegerField()
    )


NEWEST = (F("issued_on").desc(nulls_last=True), "-pk")

# sort key → label; "relevance" is the default when there is a query, "date" when there is none.
SORTS: dict[str, Any] = {
    "relevance": gettext_lazy("Phù hợp nhất (họ tên trước)"),
    "date": gettext_lazy("Ngày ban hành (mới nhất trước)"),
    "date_asc": gettext_lazy("Ngày ban hành (cũ nhất trước)"),
    "number": gettext_lazy("Số quyết định"),
    "penalty": gettext_lazy("Hình thức kỷ luật (nặng nhất trước)"),
    # Classified decisions have no readable name column: they come last, by date.
    "name": gettext_lazy("Họ tên (quyết định mật ở cuối)"),
}


def ordering(sort: str) -> tuple[Any, ...]:
    """The SQL order of a sort (relevance is ordered by ``search``, which knows the query)."""
    # Decisions without a date last either way, on every database (PostgreSQL puts NULL first when descending).
    if sort == "date_asc":
        return (F("issued_on").asc(nulls_last=True), "pk")
    if sort == "number":
        return (Length("number_key"), "number_key", "-pk")
    if sort == "penalty":
        return (_severity().desc(), *NEWEST)
    if sort == "name":
        return (_classified_last(), "subject_name", *NEWEST)
    return NEWEST


def sort_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in SORTS.items()]


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
    unit: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    position_level: str = ""
    subject_type: str = ""
    sort: str = ""  # "": relevance with a query, newest first without

    @property
    def words(self) -> list[str]:
        """The folded words, without the punctuation around them ("An," is "an")."""
        return [fold(w) for w in self.typed]

    @property
    def typed(self) -> list[str]:
        """The words as typed (lower case, NFC): those with diacritics narrow the match."""
        return [w for w in records.typed_words(self.text) if fold(w)][:MAX_WORDS]

    @property
    def order(self) -> str:
        if self.sort in SORTS and not (self.sort == "relevance" and not self.words):
            return self.sort
        return "relevance" if self.words else "date"

    def filter_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in filters.FILTER_NAMES if getattr(self, name) not in ("", None)}

    def params(self) -> dict[str, str]:
        """The query string of this query (for pagination links and the export), defaults left out."""
        names = {"text": "q"}
        out: dict[str, str] = {}
        for key, value in asdict(self).items():
            if value in ("", None):
                continue
            out[names.get(key, key)] = str(value)
        return out


def parse_query(params: Mapping[str, Any]) -> tuple[DecisionQuery, list[str]]:
    """The query from GET parameters, and a message for each value refused (a refused value is not applied)."""
    filterset = filters.DecisionFilter(params)
    filterset.is_valid()
    errors = [f"{label}: {message}" if label else message for label, message in filterset.problems()]
    sort = filters.clean_value(params.get("sort", ""))
    query = DecisionQuery(
        text=filters.clean_value(params.get("q", ""))[:MAX_TEXT],
        sort=sort if sort in SORTS else "",
        **filterset.values(),
    )
    return query, errors


# --- text -----------------------------------------------------------------------------------------

# A condition on the words is a conjunction of clauses, each a disjunction of terms: a folded word
# ("word", "an") or a digest token ("token", "~kpa…") of ``Decision.search_text``.
Term = tuple[str, str]
Clause = list[Term]


class WordsMatch(Func):
    """The decision's words satisfy a boolean tsquery of words and digests (PostgreSQL full text).

    ``search_words`` is a PostgreSQL-only generated column, ``strip(to_tsvector('simple', search_text))``,
    with its GIN index (migration 0003): stored, so that checking a candidate row reads the words instead
    of parsing the text again (the parse costs more than reading the row).
    """

    output_field = BooleanField()

    def __init__(self, clauses: list[Clause]) -> None:
        # A digest "~kpa…" is the word "kpa…" to the text parser (its digits are letters: ``records.blind``).
        text = " & ".join("(" + " | ".join(value.lstrip("~") for _kind, value in clause) + ")" for clause in clauses)
        super().__init__(Value(text))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        query, params = compiler.compile(self.source_expressions[0])
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f"{table}.search_words @@ to_tsquery('simple'::regconfig, {query})", list(params)


def _condition(clauses: list[Clause], vendor: str) -> Q:
    if not clauses:
        return Q()
    if vendor == "postgresql":
        return Q(WordsMatch(clauses))
    condition = Q()
    for clause in clauses:
        either = Q()
        for kind, value in clause:
            either |= Q(search_text__regex=rf"\b{value}\b") if kind == "word" else Q(search_text__contains=value)
        condition &= either
    return condition


def _letters(query: DecisionQuery) -> list[tuple[str, str]]:
    """(folded, typed) for the words made of letters only."""
    return [(w, t) for w, t in zip(query.words, query.typed, strict=True) if LETTERS.fullmatch(w)]


def _others(query: DecisionQuery) -> Q:
    """Words with digits or signs: anywhere in the readable text (decision numbers)."""
    condition = Q()
    for word in query.words:
        if not LETTERS.fullmatch(word):
            condition &= Q(search_text__contains=word)
    return condition


def _marked(typed: str, folded: str) -> Clause | None:
    return [("token", records.marked_token(typed))] if typed != folded else None


def word_clauses(query: DecisionQuery) -> list[Clause]:
    """Every word of letters somewhere: readable, or as the digest of a classified decision's name word."""
    clauses: list[Clause] = []
    for folded, typed in _letters(query):
        marked = _marked(typed, folded)
        clauses.append(marked or [("word", folded), ("token", records.blind(folded))])
    return clauses


def name_clauses(query: DecisionQuery) -> list[Clause] | None:
    """The words as a name: adjacent and in order in the subject's name. None when the query is not only words."""
    letters = _letters(query)
    if not letters or len(letters) != len(query.words):
        return None
    words = [w for w, _t in letters]
    if len(words) == 1:
        clauses: list[Clause] = [[("token", records.name_token(words[0]))]]
    else:
        clauses = [[("token", records.name_token(f"{a} {b}"))] for a, b in itertools.pairwise(words)]
    clauses.extend(m for w, t in letters if (m := _marked(t, w)))
    return clauses


def _withheld(actor: Any) -> Q | None:
    """The classified decisions ``actor`` may not read: never found by a word."""
    readable = policies.scope(actor, "discipline.classified")
    if readable.everything:
        return None
    return ~Q(confidentiality=Confidentiality.ORDINARY) & ~Q(unit_id__in=sorted(readable.unit_ids))


def _filtered(actor: Any, query: DecisionQuery) -> QuerySet[Decision]:
    """The published decisions in scope that pass every filter but the text, unordered."""
    visible = policies.scope(actor, Module.DISCIPLINE)
    if not visible:
        return Decision.objects.none()
    decisions: QuerySet[Decision] = visible.filter(Decision.objects.published())
    decisions = filters.narrow(decisions, query.filter_values())
    if _letters(query) and (withheld := _withheld(actor)) is not None:
        decisions = decisions.exclude(withheld)
    return decisions.order_by()


def search_arms(actor: Any, query: DecisionQuery) -> list[QuerySet[Decision]]:
    """``search`` as querysets whose union is its result, each simple enough for the index to answer."""
    decisions = _filtered(actor, query)
    if not query.words:
        return [decisions]
    vendor = connections[decisions.db].vendor
    return [decisions.filter(_condition(word_clauses(query), vendor) & _others(query))]


def name_arms(actor: Any, query: DecisionQuery) -> list[QuerySet[Decision]] | None:
    """The decisions whose subject's name is the query (the first tier of relevance), or None."""
    clauses = name_clauses(query)
    if clauses is None:
        return None
    decisions = _filtered(actor, query)
    return [decisions.filter(_condition(clauses, connections[decisions.db].vendor))]


def search(actor: Any, query: DecisionQuery) -> QuerySet[Decision]:
    """The published decisions in ``actor``'s scope that match ``query``, sorted as asked."""
    decisions = _filtered(actor, query)
    if not query.words:
        return decisions.order_by(*ordering(query.order))
    vendor = connections[decisions.db].vendor
    decisions = decisions.filter(_condition(word_clauses(query), vendor) & _others(query))
    clauses = name_clauses(query)
    if query.order == "relevance" and clauses is not None:
        tier = Case(When(_condition(clauses, vendor), then=Value(0)), default=Value(1), output_field=IntegerField())
        return decisions.annotate(relevance=tier).order_by("relevance", *NEWEST)
    return decisions.order_by(*ordering(query.order))


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
            found.update(since.order_by(*NEWEST).values_list("pk", "issued_on")[:wanted])
        ordered = sorted(found.items(), key=_newest_first)[:wanted]
        if len(ordered) == wanted:
            break
    return [pk for pk, _day in ordered]


@dataclass
class Matches:
    """Up to ``limit`` matches of some arms, in no order, and whether that is all of them."""

    arms: list[QuerySet[Decision]]
    found: dict[int, dt.date | None]
    complete: bool

    @classmethod
    def read(cls, arms: list[QuerySet[Decision]], limit: int) -> Matches:
        # The index hands over all its matches at once (a bitmap), so reading a few thousand (id, date) pairs
        # costs about what reading a thousand does: for the date sorts, one pass gives the page and the count.
        found: dict[int, dt.date | None] = {}
        complete = True
        for arm in arms:
            got = dict(arm.values_list("pk", "issued_on")[: limit + 1])
            complete = complete and len(got) <= limit
            found.update(got)
        return cls(arms, found, complete)

    def newest(self, wanted: int) -> list[int]:
        if self.complete:
            return [pk for pk, _day in sorted(self.found.items(), key=_newest_first)[:wanted]]
        return _newest(self.arms, self.found, wanted)


def paginate(actor: Any, query: DecisionQuery, page: Any) -> ResultPage:
    """One page of ``PER_PAGE`` decisions (units and provinces joined), and a count capped at ``COUNT_CAP``.

    First the ids of the matches, in no order: the database stops as soon as it has enough. When that is
    all of them, the page is sorted out of those ids alone; when there are more, the search is dense and
    the page is read in sort order (newest first: period by period, ``_newest``). By relevance, the
    decisions whose subject's name is the query come first, each tier newest first.
    """
    order = query.order
    dated = order in ("date", "relevance")
    matches = Matches.read(search_arms(actor, query), SCAN_CAP if dated else COUNT_CAP)
    paginator = CappedPaginator(list(matches.found))
    result = paginator.get_page(page)
    assert isinstance(result, ResultPage)
    start = (result.number - 1) * PER_PAGE
    wanted = start + PER_PAGE
    if order == "relevance" and (names := name_arms(actor, query)) is not None:
        first = Matches.read(names, SCAN_CAP).newest(wanted)
        taken = set(first)
        ordered = first + [pk for pk in matches.newest(wanted + len(first)) if pk not in taken]
        shown = ordered[start:wanted]
    elif dated:
        shown = matches.newest(wanted)[start:]
    elif not paginator.more:
        chosen = Decision.objects.filter(pk__in=list(matches.found)).order_by(*ordering(order))
        shown = list(chosen.values_list("pk", flat=True)[start:wanted])
    else:
        shown = list(search(actor, query).values_list("pk", flat=True)[start:wanted])
    return _rows(result, shown)


def _rows(result: ResultPage, shown: list[int]) -> ResultPage:
    rows = Decision.objects.filter(pk__in=shown).select_related("unit", "province").defer("search_text")
    by_pk = {d.pk: d for d in rows} if shown else {}
    result.object_list = [by_pk[pk] for pk in shown]
    return result
