"""The feed's organisation filter reads one row per organisation, not one per item: a
DISTINCT under the items' default ordering would carry the ordering's columns and return
every item (3,000 at city scale, loaded and resolved on every visit)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dobry.communications import selectors
from dobry.organizations.tests.factories import OrganizationFactory

from .factories import organization_item

pytestmark = pytest.mark.django_db


def test_the_organisation_filter_reads_each_publisher_once():
    busy, quiet = (
        OrganizationFactory(short_name="Бюро добрых дел"),
        OrganizationFactory(short_name="Аист"),
    )
    for _ in range(6):
        organization_item(busy)
    organization_item(quiet)
    with CaptureQueriesContext(connection) as queries:
        choices = selectors.news_organizations(AnonymousUser())
    assert choices == [(quiet.pk, "Аист"), (busy.pk, "Бюро добрых дел")]
    (distinct,) = [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(distinct.replace("%", "%%"))
        assert len(cursor.fetchall()) == 2  # rows, not items
