import re
import time
from unittest import mock

import pytest

from dobry.accounts.tests.factories import UserFactory
from dobry.communications.tests.factories import organization_item
from dobry.organizations.models import Organization
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.site.views import RESIDENTS_SECONDS


@pytest.mark.django_db
def test_home_says_dobry_zheleznogorsk_and_shows_verified_organisations(client):
    OrganizationFactory(short_name="Этот мир для тебя")
    OrganizationFactory(short_name="Ещё не проверена", status=Organization.Status.PENDING)
    body = client.get("/").content.decode()
    assert "<h1>Добрый Железногорск</h1>" in body
    assert "Этот мир для тебя" in body
    assert "Ещё не проверена" not in body
    assert "85" in body  # the population setting


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_home_keeps_a_fixed_query_count(client, django_assert_max_num_queries, count):
    for organization in OrganizationFactory.create_batch(count):
        organization_item(organization, tags=["новости"])
    # the latest news cost three: the items, their tags, their organisations' names; the
    # upcoming events two: their lower bound (`selectors._not_ended`) and the events
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_home_is_available_in_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="en">' in body
    assert "Find an organisation" in body
    assert "Version for the visually impaired" in body


@pytest.mark.django_db
def test_the_residents_figure_is_counted_once_per_ten_minutes(client, settings):
    """Counting every account is the region's slowest read on the page (159 ms at 850,000):
    the figure is kept ten minutes, the page cache aside (a signed-in page is never kept)."""
    settings.DOBRY_PAGE_CACHE = False
    UserFactory.create_batch(3)
    UserFactory(is_active=False)

    def residents_shown() -> str:
        body = client.get("/").content.decode()
        # the second figure of «Город в цифрах»: organisations, residents, population
        return re.findall(r'<div class="value">([^<]+)</div>', body)[1]

    assert residents_shown() == "3"
    UserFactory()
    assert residents_shown() == "3"  # kept
    later = time.time() + RESIDENTS_SECONDS + 1
    with mock.patch("django.core.cache.backends.locmem.time.time", return_value=later):
        assert residents_shown() == "4"
