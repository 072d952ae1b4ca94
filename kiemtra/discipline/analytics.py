"""Analytics of published discipline decisions (issue 4 item 6): counts and trends within the reader's scope.

Every table is one ``GROUP BY`` over the plain analytic columns of ``Decision``
(year, term, province, penalty, level, subject type, categories), so a
classified decision is counted like any other and never decrypted: its
personal details stay sealed. The scope is the reader's discipline scope over
``Decision.unit``; ``Decision.province`` only places a decision on the map.

Each cell carries the search filters that list the decisions behind it (the
search page reads the same parameter names), so every number is a drill-down.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kiemtra.accounts.policies import Scope

from . import filters
from .choices import IssuingLevel, PenaltyCode, PositionLevel, SubjectType
from .models import Decision, ViolationCategory

# --- filters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the decisions to; the names are the search page's GET parameters."""

    term: str = ""
    year_from: int | None = None
    year_to: int | None = None
    province: int | None = None  # OrgUnit pk
    penalty: str = ""
    category: str = ""  # ViolationCategory.code
    subject_type: str = ""
    issuing_level: str = ""
    position_level: str = ""

    def params(self) -> dict[str, str]:
        """The non-empty filters as query parameters, in a stable order."""
        return {f.name: str(v) for f in dataclasses.fields(self) if (v := getattr(self, f.name)) not in (None, "")}

    def apply(self, decisions: QuerySet[Decision]) -> QuerySet[Decision]:
        """Narrowed the search page's way (``filters.DecisionFilter``): a drill-down lists what was counted."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return filters.narrow(decisions, values)

    def replace(self, **changes: Any) -> Filters:
        return dataclasses.replace(self, **changes)


def decisions_in(scope: Scope, filters: Filters) -> QuerySet[Decision]:
    """Published decisions of the units in ``scope``, narrowed by ``filters``; ordering dropped for GROUP BY."""
    return filters.apply(scope.filter(Decision.objects.published())).order_by()


def search_url(params: dict[str, str]) -> str:
    """The search page listing the decisions that match ``params``."""
    try:
        base = reverse("discipline:search")
    except NoReverseMatch:  # the search views are routed by another part of the module
        base = "/ky-luat/"
    return f"{base}?{urlencode(params)}" if params else base


# --- dimensions ---------------------------------------------------------------------------

UNKNOWN = gettext_lazy("Chưa xác định")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
TERM = re.compile(r"^[IVXLC]+$")


def term_number(term: str) -> int:
    """XIII → 13, for ordering terms; anything else sorts last."""
    if not TERM.match(term or ""):
        return 10_000
    total = 0
    for a, b in zip(term, [*term[1:], ""], strict=True):
        value = ROMAN[a]
        total += -value if b and ROMAN[b] > value else value
    return total


@dataclass(frozen=True)
class Dimension:
    """One way of splitting the decisions: what to group by, how to name and order a value, how to drill down."""

    name: str
    title: Promise
    group_by: tuple[str, ...]  # annotated names or columns; the first one is the value
    label: Callable[[tuple[Any, ...], Labels], str]
    params: Callable[[tuple[Any, ...]], dict[str, str] | None]  # None: the value cannot be searched for
    order: Callable[[tuple[Any, ...]], Any] | None = None  # None: most decisions first
    extra: tuple[str, ...] = ()  # carried along (names, coordinates) without changing the groups


@dataclass
class Labels:
    """Names of provinces and categories met in the results, read once."""

    provinces: dict[int, str] = field(default_factory=dict)
    categories: dict[tuple[str, str], str] = field(default_factory=dict)


def _choice(choices: type[Any]) -> Callable[[tuple[Any, ...], Labels], str]:
    def label(key: tuple[Any, ...], _labels: Labels) -> str:
        value = key[0]
        return str(choices(value).label) if value in choices.values else str(UNKNOWN)

    return label


def _choice_order(choices: type[Any]) -> Callable[[tuple[Any, ...]], Any]:
    values = list(choices.values)
    return lambda key: values.index(key[0]) if key[0] in values else len(values)


def _single(param: str) -> Callable[[tuple[Any, ...]], dict[str, str] | None]:
    return lambda key: {param: str(key[0])} if key[0] not in (None, "") else None


def _category_label(key: tuple[Any, ...], labels: Labels) -> str:
    code, subject_type = key
    name = labels.categories.get((code, subject_type), code or str(UNKNOWN))
    if subject_type in SubjectType.values:
        return f"{name} ({SubjectType(subject_type).label.lower()})"
    return str(name)


def _category_params(key: tuple[Any, ...]) -> dict[str, str] | None:
    code, subject_type = key
    return {"category": code, "subject_type": subject_type} if code else None


def _year_params(key: tuple[Any, ...]) -> dict[str, str] | None:
    return {"year_from": str(key[0]), "year_to": str(key[0])} if key[0] else None


DIMENSIONS: dict[str, Dimension] = {
    d.name: d
    for d in (
        Dimension(
            "year",
            gettext_lazy("Năm ban hành"),
            ("year",),
            lambda key, _l: str(key[0]) if key[0] else str(gettext_lazy("Không rõ năm")),
            _year_params,
            order=lambda key: key[0] or 0,
        ),
        Dimension(
            "term",
            gettext_lazy("Nhiệm kỳ"),
            ("term",),
            lambda key, _l: key[0] or str(UNKNOWN),
            _single("term"),
            order=lambda key: term_number(key[0]),
        ),
        Dimension(
            "province",
            gettext_lazy("Tỉnh, thành"),
            ("province",),
            lambda key, labels: labels.provinces.get(key[0], str(UNKNOWN)),
            _single("province"),
            extra=("province__name", "province__latitude", "province__longitude"),
        ),
        Dimension(
            "penalty",
            gettext_lazy("Hình thức kỷ luật"),
            ("penalty",),
            _choice(PenaltyCode),
            _single("penalty"),
            order=_choice_order(PenaltyCode),
        ),
        Dimension(
            "category",
            gettext_lazy("Nội dung vi phạm"),
            ("categories__code", "subject_type"),
            _category_label,
            _category_params,
        ),
        Dimension(
            "position_level",
            gettext_lazy("Cấp chức vụ của người bị kỷ luật"),
            ("position_level",),
            _choice(PositionLevel),
            _single("position_level"),
            order=_choice_order(PositionLevel),
        ),
        Dimension(
            "issuing_level",
            gettext_lazy("Cấp ban hành"),
            ("issuing_level",),
            _choice(IssuingLevel),
            _single("issuing_level"),
            order=_choice_order(IssuingLevel),
        ),
        Dimension(
            "subject_type",
            gettext_lazy("Đối tượng"),
            ("subject_type",),
            _choice(SubjectType),
            _single("subject_type"),
            order=_choice_order(SubjectType),
        ),
    )
}
TABLE_DIMENSIONS = (
    "year",
    "term",
    "province",
    "penalty",
    "category",
    "position_level",
    "issuing_level",
    "subject_type",
)
SPLITS = ("", "penalty", "subject_type", "issuing_level", "position_level", "category", "province", "term")


def _annotated(decisions: QuerySet[Decision], names: Iterable[str]) -> QuerySet[Decision]:
    wanted = set(names)
    if "year" in wanted:
        decisions = decisions.annotate(year=ExtractYear("issued_on"))
    if "quarter" in wanted:
        decisions = decisions.annotate(quarter=ExtractQuarter("issued_on"))
    return decisions


def _counts(decisions: QuerySet[Decision], names: tuple[str, ...]) -> list[dict[str, Any]]:
    """One GROUP BY; decisions counted once per group even when a category join repeats them."""
    rows = _annotated(decisions, names).values(*names).annotate(n=Count("pk", distinct=True)).order_by()
    return list(rows)


# --- tables ---------------------------------------------------------------------------------


@dataclass
class Cell:
    key: tuple[Any, ...]
    label: str
    count: int
    params: dict[str, str] | None  # the search filters for this cell, None when it cannot be searched

    @property
    def url(self) -> str | None:
        return search_url(self.params) if self.params is not None else None


@dataclass
class Table:
    dimension: Dimension
    cells: list[Cell]
    total: int
    total_params: dict[str, str]

    @property
    def title(self) -> str:
        return str(self.dimension.title)

    @property
    def total_url(self) -> str:
        return search_url(self.total_params)


def category_names() -> dict[tuple[str, str], str]:
    """(code, subject type) → the name of the latest catalog row."""
    names: dict[tuple[str, str], str] = {}
    for code, subject_type, name in ViolationCategory.objects.order_by("valid_from").values_list(
        "code", "subject_type", "name"
    ):
        names[(code, subject_type)] = name
    return names


def _learn(labels: Labels, rows: list[dict[str, Any]]) -> None:
    labels.provinces.update({r["province"]: r["province__name"] for r in rows if r.get("province__name")})


def table(
    decisions: QuerySet[Decision],
    dimension: Dimension,
    filters: Filters,
    labels: Labels,
    rows: list[dict[str, Any]] | None = None,
) -> Table:
    if rows is None:
        rows = _counts(decisions, (*dimension.group_by, *dimension.extra))
    _learn(labels, rows)
    base = filters.params()
    cells = []
    for row in rows:
        key = tuple(row[name] for name in dimension.group_by)
        if dimension.name == "category" and key[0] is None:
            continue  # decisions without a category: not a field of violation
        own = dimension.params(key)
        cells.append(Cell(key, dimension.label(key, labels), row["n"], {**base, **own} if own is not None else None))
    if dimension.order is not None:
        order = dimension.order
        cells.sort(key=lambda c: (order(c.key), c.label))
    else:
        cells.sort(key=lambda c: (-c.count, c.label))
    total = sum(r["n"] for r in rows) if dimension.name != "category" else 0
    return Table(dimension, cells, total, base)


# --- the trend ------------------------------------------------------------------------------


class Step:
    YEAR = "year"
    QUARTER = "quarter"


@dataclass
class Series:
    key: tuple[Any, ...]
    name: str
    cells: list[Cell]

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)


@dataclass
class Trend:
    step: str
    split: Dimension | None
    periods: list[tuple[int, int]]  # (year, quarter or 0)
    series: list[Series]

    @property
    def period_labels(self) -> list[str]:
        return [f"{y}" if not q else f"Q{q}/{y}" for y, q in self.periods]

    def chart(self) -> dict[str, Any]:
        return {
            "categories": self.period_labels,
            "series": [{"name": s.name, "data": [c.count for c in s.cells]} for s in self.series],
        }


MAX_SERIES = 12


def trend(
    decisions: QuerySet[Decision], filters: Filters, labels: Labels, *, step: str = Step.YEAR, split: str = ""
) -> Trend:
    """Decisions per year (or quarter) from the first to the last year found, one series per value of ``split``.

    A quarter's drill-down lists its whole year: the search filters by year only.
    """
    dimension = DIMENSIONS.get(split) if split and split != "year" else None
    time = ("year", "quarter") if step == Step.QUARTER else ("year",)
    group = (*time, *((*dimension.group_by, *dimension.extra) if dimension else ()))
    rows = [r for r in _counts(decisions.filter(issued_on__isnull=False), group) if r["year"]]
    _learn(labels, rows)
    years = sorted({r["year"] for r in rows})
    periods: list[tuple[int, int]] = []
    if years:
        for year in range(years[0], years[-1] + 1):
            periods.extend([(year, q) for q in range(1, 5)] if step == Step.QUARTER else [(year, 0)])
    index = {p: i for i, p in enumerate(periods)}
    base = filters.params()
    by_key: dict[tuple[Any, ...], dict[int, int]] = {}
    for row in rows:
        key = tuple(row[name] for name in dimension.group_by) if dimension else ()
        if dimension is not None and dimension.name == "category" and key[0] is None:
            continue
        period = (row["year"], row.get("quarter") or 0) if step == Step.QUARTER else (row["year"], 0)
        by_key.setdefault(key, {})[index[period]] = row["n"]
    series = []
    for key, counts in by_key.items():
        own = dimension.params(key) if dimension else {}
        name = dimension.label(key, labels) if dimension else str(_("Số lượng quyết định"))
        cells = []
        for i, (year, _quarter) in enumerate(periods):
            params = None if own is None else {**base, **own, "year_from": str(year), "year_to": str(year)}
            cells.append(Cell(key, name, counts.get(i, 0), params))
        series.append(Series(key, name, cells))
    if dimension is not None and dimension.order is not None:
        order = dimension.order
        series.sort(key=lambda s: (order(s.key), s.name))
    else:
        series.sort(key=lambda s: (-s.total, s.name))
    return Trend(step, dimension, periods, series[:MAX_SERIES])


# --- the dot-map ------------------------------------------------------------------------------


@dataclass
class Dot:
    name: str
    longitude: float
    latitude: float
    count: int
    url: str


def unit_dots(decisions: QuerySet[Decision], filters: Filters) -> tuple[list[Dot], list[Cell]]:
    """Decisions of one province per owning unit (commune commissions and the province's own), for the map.

    ``Decision.province`` is provincial; the unit that owns a decision places it at commune level.
    The drill-down adds ``unit``: the search lists the province's decisions until it filters by unit.
    """
    rows = _counts(decisions, ("unit", "unit__name", "unit__latitude", "unit__longitude"))
    base = filters.params()
    dots, cells = [], []
    for row in sorted(rows, key=lambda r: (-r["n"], r["unit__name"])):
        params = {**base, "unit": str(row["unit"])}
        cell = Cell((row["unit"],), row["unit__name"], row["n"], params)
        cells.append(cell)
        if row["unit__latitude"] is not None and row["unit__longitude"] is not None:
            dots.append(
                Dot(
                    row["unit__name"],
                    float(row["unit__longitude"]),
                    float(row["unit__latitude"]),
                    row["n"],
                    cell.url or "",
                )
            )
    return dots, cells


# --- everything the page shows ----------------------------------------------------------------


@dataclass
class Overview:
    filters: Filters
    total: int
    tables: dict[str, Table]
    trend: Trend
    province_dots: list[Dot]
    unit_dots: list[Dot] = field(default_factory=list)
    unit_cells: list[Cell] = field(default_factory=list)

    @property
    def total_url(self) -> str:
        return search_url(self.filters.params())


def overview(scope: Scope, filters: Filters, *, step: str = Step.YEAR, split: str = "") -> Overview:
    """Every table, the trend and the dots: a fixed number of queries whatever the number of decisions."""
    decisions = decisions_in(scope, filters)
    labels = Labels(categories=category_names())
    tables: dict[str, Table] = {}
    coordinates: dict[int, tuple[float, float]] = {}
    for name in TABLE_DIMENSIONS:
        dimension = DIMENSIONS[name]
        rows = _counts(decisions, (*dimension.group_by, *dimension.extra))
        if name == "province":
            coordinates = {
                r["province"]: (float(r["province__longitude"]), float(r["province__latitude"]))
                for r in rows
                if r["province"] and r["province__latitude"] is not None and r["province__longitude"] is not None
            }
        tables[name] = table(decisions, dimension, filters, labels, rows)
    provinces = tables["province"]
    dots = [
        Dot(c.label, *coordinates[c.key[0]], c.count, c.url or "") for c in provinces.cells if c.key[0] in coordinates
    ]
    result = Overview(
        filters=filters,
        total=tables["subject_type"].total,
        tables=tables,
        trend=trend(decisions, filters, labels, step=step, split=split),
        province_dots=dots,
    )
    if filters.province is not None:
        result.unit_dots, result.unit_cells = unit_dots(decisions, filters)
    return result


def map_data(dots: list[Dot]) -> dict[str, Any]:
    return {
        "points": [{"name": d.name, "value": [d.longitude, d.latitude, d.count], "url": d.url} for d in dots],
        "labels": {"lon": str(_("Kinh độ")), "lat": str(_("Vĩ độ")), "count": str(_("quyết định"))},
    }


def bars(t: Table) -> dict[str, Any]:
    return {
        "categories": [c.label for c in t.cells],
        "data": [c.count for c in t.cells],
        "urls": [c.url for c in t.cells],
    }
