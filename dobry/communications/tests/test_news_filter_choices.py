"""The feed's organisation filter names one publisher, chosen by a link from its page:
`news_organization` reads it in two queries however many items or publishers there are
(a select of every publisher read all 3,000 items at city scale on every visit)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dobry.communications import selectors
from dobry.communications.models import NewsItem
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory

from .factories import organization_item

pytestmark = pytest.mark.django_db


def test_a_publisher_is_named_in_two_queries(django_assert_num_queries):
    busy = OrganizationFactory(short_name="Бюро добрых дел")
    for _ in range(6):
        organization_item(busy)
    for _ in range(3):
        organization_item(OrganizationFactory())
    with django_assert_num_queries(2):
        assert selectors.news_organization(busy.pk, AnonymousUser()) == (
            busy.pk,
            "Бюро добрых дел",
        )


def test_an_organisation_without_published_items_is_not_offered(django_assert_num_queries):
    quiet = OrganizationFactory()
    organization_item(quiet, status=NewsItem.Status.DRAFT)
    with django_assert_num_queries(1):
        assert selectors.news_organization(quiet.pk, AnonymousUser()) is None
    assert selectors.news_organization(99_999_999, AnonymousUser()) is None


def test_an_organisation_the_visitor_may_not_see_is_not_offered():
    hidden = OrganizationFactory(status=Organization.Status.RETURNED)
    organization_item(hidden)
    assert selectors.news_organization(hidden.pk, AnonymousUser()) is None
