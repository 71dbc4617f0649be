"""PostgreSQL's plan for a queryset as it would be with many rows: tests that an index gives
a list its order."""

from django.db import connection
from django.db.models import QuerySet


def plan_as_if_large(queryset: QuerySet) -> str:
    """`EXPLAIN` of `queryset` with sequential, bitmap and sort plans forbidden: a test's
    empty table makes them cheap, as many rows would not. If no index can give the order,
    the plan still sorts. PostgreSQL only; call inside a test's transaction (SET LOCAL)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for method in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())
