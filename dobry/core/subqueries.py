"""Figures of related rows read per listed row, as scalar subqueries.

`Count("supports")` in `annotate()` joins every related row to the list and groups the
list by all its columns: the database aggregates every matching row of the list before a
page's LIMIT can cut it (a region's 5,000 initiatives × their supports). A scalar subquery
is evaluated for the rows the page returns only.
"""

from decimal import Decimal

from django.db.models import Aggregate, Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def related_figure(
    rows: QuerySet, aggregate: Aggregate, *, default: int | Decimal = 0, **outer: str
) -> Coalesce:
    """`aggregate` over `rows` that match the outer row, `default` when none do.

    `outer` maps a field of `rows` to the outer row's field, e.g.
    ``related_figure(Support.objects.filter(withdrawn_at=None), Count("pk"), initiative="pk")``.
    """
    key = next(iter(outer))
    matching = (
        rows.filter(**{field: OuterRef(outer_field) for field, outer_field in outer.items()})
        .order_by()
        .values(key)
        .annotate(figure=aggregate)
        .values("figure")[:1]
    )
    return Coalesce(Subquery(matching), Value(default))


def related_count(rows: QuerySet, **outer: str) -> Coalesce:
    """How many of `rows` match the outer row (0 when none): `related_figure` of COUNT."""
    return related_figure(rows, Count("pk"), default=0, **outer)
