"""On PostgreSQL a page of the feed is read from `news_feed_order` in order, not sorted
(migration 0013): the model's index (DESC NULLS FIRST) cannot give NULLS LAST."""

import pytest
from django.db import connection

from dobry.communications import selectors
from dobry.core.tests.plans import plan_as_if_large

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL index"),
]


def test_a_page_of_the_feed_is_read_in_index_order():
    page = selectors.public_news({})[:12]
    plan = plan_as_if_large(page)
    assert "news_feed_order" in plan
    assert "Sort" not in plan
