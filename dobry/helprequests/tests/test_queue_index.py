"""The coordinators' queue is read from `help_queue_order`, a partial index over the open
requests: its statuses must be exactly `HelpRequest.OPEN`, or PostgreSQL cannot use it for
the queue and sorts every open request again (37 ms at a region's 10,000; 0.1 ms with it)."""

import pytest
from django.db import connection

from dobry.core.tests.plans import plan_as_if_large
from dobry.helprequests import selectors
from dobry.helprequests.models import HelpRequest


def test_the_index_covers_exactly_the_open_statuses():
    (index,) = [i for i in HelpRequest._meta.indexes if i.name == "help_queue_order"]
    ((lookup, statuses),) = index.condition.children
    assert lookup == "status__in"
    assert set(statuses) == {str(status) for status in HelpRequest.OPEN}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_open_queue_is_read_in_index_order():
    plan = plan_as_if_large(selectors.triage_queue(None)[:20])
    assert "help_queue_order" in plan
    assert "Sort" not in plan
