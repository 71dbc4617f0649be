"""On PostgreSQL a page of the feed is read from `news_feed_order` in order, not sorted
(migration 0013): the model's index (DESC NULLS FIRST) cannot give NULLS LAST."""

import pytest
from django.db import connection

from dobry.communications import selectors

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index"),
]


def test_a_page_of_the_feed_is_read_in_index_order():
    page = selectors.public_news({})[:12]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        # an empty table: forbid what a small one makes cheap, as many rows would; if the
        # index cannot give the order, the plan still sorts and the test fails
        for method in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "news_feed_order" in plan
    assert "Sort" not in plan
