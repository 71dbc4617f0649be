"""Counting records for several periods in one query: each row gets the index of the period
it falls in (a CASE over the periods' bounds) and the rows are grouped by that index. A
month-by-month trend then costs as many queries as one period — a year's trend computed
month by month took some 300 queries on the public report.

The periods are given in order and do not overlap (a month and the months after it; the
comparison period and the period): a row counts in the one period it falls in."""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import Any

from django.db import connections
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When

from dobry.reports.periods import Period

INDEX = "period_index"


def check(periods: Sequence[Period]) -> None:
    """Refuse periods out of order or overlapping: their rows would be counted in only one."""
    for before, after in pairwise(periods):
        if after.start <= before.end:
            raise ValueError(f"Periods overlap or are out of order: {before}, {after}")


def within(field: str, period: Period, *, dates: bool = False) -> Q:
    """Rows whose `field` — a moment, or a date with `dates` — falls in the period (the
    moments from its first local midnight to the one after its last day)."""
    if dates:
        return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})
    return Q(**{f"{field}__gte": period.starts_at, f"{field}__lt": period.ends_before})


def period_index(field: str, periods: Sequence[Period], *, dates: bool = False) -> Case:
    """The index of the period the row's `field` falls in; NULL between the periods."""
    return Case(
        *(
            When(within(field, period, dates=dates), then=Value(n))
            for n, period in enumerate(periods)
        ),
        output_field=IntegerField(),
    )


def _in_periods(queryset: QuerySet, field: str, periods: Sequence[Period], dates: bool) -> QuerySet:
    check(periods)
    spanned = Period(periods[0].start, periods[-1].end)
    return (
        queryset.filter(within(field, spanned, dates=dates))
        .annotate(**{INDEX: period_index(field, periods, dates=dates)})
        .order_by()
    )


def grouped(
    queryset: QuerySet,
    field: str,
    periods: Sequence[Period],
    *,
    dates: bool = False,
    by: Sequence[str] = (),
    where: Q | None = None,
    **aggregates: Any,
) -> list[list[dict[str, Any]]]:
    """The `aggregates` of each period's rows, grouped further `by` fields: a list of rows
    per period. `where` may name the row's period as `period_index`."""
    if not periods:
        return []
    rows = _in_periods(queryset, field, periods, dates)
    if where is not None:
        rows = rows.filter(where)
    result: list[list[dict[str, Any]]] = [[] for _period in periods]
    for row in rows.values(INDEX, *by).annotate(**aggregates):
        index = row.pop(INDEX)
        if index is not None:
            result[index].append(row)
    return result


def per_period(
    queryset: QuerySet,
    field: str,
    periods: Sequence[Period],
    *,
    dates: bool = False,
    where: Q | None = None,
    **aggregates: Any,
) -> list[dict[str, Any]]:
    """The `aggregates` of each period's rows; 0 for a period without rows."""
    return [
        {name: (rows[0][name] if rows else None) or 0 for name in aggregates}
        for rows in grouped(queryset, field, periods, dates=dates, where=where, **aggregates)
    ]


def joined_index(field: str, periods: Sequence[Period]) -> Case:
    """The index of the first period that ends after the row's `field` (a moment): the row
    counts from that period on. len(periods) when none does."""
    return Case(
        *(
            When(**{f"{field}__lt": period.ends_before}, then=Value(n))
            for n, period in enumerate(periods)
        ),
        default=Value(len(periods)),
        output_field=IntegerField(),
    )


def cumulative(queryset: QuerySet, field: str, periods: Sequence[Period]) -> list[int]:
    """How many rows have `field` (a moment) before each period's end — the accounts that
    exist by then, say — in one query."""
    if not periods:
        return []
    check(periods)
    found = dict(
        queryset.filter(**{f"{field}__lt": periods[-1].ends_before})
        .annotate(**{INDEX: joined_index(field, periods)})
        .order_by()
        .values_list(INDEX)
        .annotate(count=Count("pk"))
    )
    return list(accumulate(found.get(n, 0) for n in range(len(periods))))


@dataclass(frozen=True)
class Source:
    """Where people come from: the rows, the moment (or date) field that places them in a
    period, and the field that names the person."""

    queryset: QuerySet
    field: str
    person: str
    dates: bool = False


@dataclass(frozen=True)
class Span:
    """Where people come from over a running time: the rows, the date fields of its first
    and last day (inclusive), and the field that names the person. A row counts in every
    period its running time overlaps, not only in the one it starts in."""

    queryset: QuerySet
    starts: str
    ends: str
    person: str


def _span_pairs(source: Span, periods: Sequence[Period]) -> list[QuerySet]:
    """The (period, person) pairs of a running time: a query per period (a row may fall in
    several), united with the rest into the one query of `distinct_people`."""
    return [
        source.queryset.filter(
            **{f"{source.starts}__lte": period.end, f"{source.ends}__gte": period.start}
        )
        .annotate(**{INDEX: Value(n, output_field=IntegerField())}, person_key=F(source.person))
        .order_by()
        .values_list(INDEX, "person_key")
        for n, period in enumerate(periods)
    ]


def distinct_people(sources: Sequence[Source | Span], periods: Sequence[Period]) -> list[int]:
    """How many distinct people the sources give together in each period, each counted
    once however many sources name them. The (period, person) pairs of every source are
    united (SQL UNION drops the repeats) and counted per period in the database: at region
    scale the pairs are too many to fetch. Still one query: a `Span` adds a part per period."""
    if not periods:
        return []
    check(periods)
    pairs = []
    for source in sources:
        if isinstance(source, Span):
            pairs += _span_pairs(source, periods)
            continue
        pairs.append(
            _in_periods(source.queryset, source.field, periods, source.dates)
            .annotate(person_key=F(source.person))
            .values_list(INDEX, "person_key")
        )
    union = pairs[0].union(*pairs[1:])
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    with connections[union.db].cursor() as cursor:
        # The ORM cannot group the rows of a UNION; the query itself is the ORM's.
        cursor.execute(
            f"SELECT {INDEX}, COUNT(*) FROM ({sql}) pairs GROUP BY {INDEX}",
            params,
        )
        found = dict(cursor.fetchall())
    return [found.get(n, 0) for n in range(len(periods))]
