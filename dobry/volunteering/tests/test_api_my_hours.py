"""The record book in the API: `GET /api/v1/me/hours` is the page `/volunteer/book/` — the
same selector (`selectors.hours_of`), paged as the page is (50 entries a page), in a fixed
number of queries. It used to answer up to 500 entries at once beside the totals; the totals
are `GET /api/v1/me/hours/summary` now."""

from datetime import timedelta
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import local_today
from dobry.events.tests.factories import volunteer
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.volunteering.models import HoursEntry
from dobry.volunteering.selectors import RECORD_BOOK_PAGE

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/hours"


def _entries(person, count, organization=None):
    organization = organization or OrganizationFactory()
    HoursEntry.objects.bulk_create(
        HoursEntry(
            user=person,
            organization=organization,
            date=local_today() - timedelta(days=n // 3),
            hours=Decimal("2"),
            claimed_hours=Decimal("2"),
            source=HoursEntry.Source.CLAIM,
            description=f"Запись {n}",
        )
        for n in range(count)
    )


def _page_ids(client, number):
    return [entry.pk for entry in client.get("/volunteer/book/", {"page": number}).context["page"]]


def _api(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_anonymous_callers_are_refused(client):
    assert client.get(URL).status_code == 401
    assert client.get(f"{URL}/summary").status_code == 401


def test_the_api_pages_the_record_book_as_the_page_does(login_as):
    person = volunteer()
    _entries(person, RECORD_BOOK_PAGE + 10)
    _entries(volunteer(), 3)  # someone else's
    session = login_as(person)
    first, second = _api(session), _api(session, page=2)
    assert first["count"] == RECORD_BOOK_PAGE + 10
    assert [item["id"] for item in first["items"]] == _page_ids(session, 1)
    assert [item["id"] for item in second["items"]] == _page_ids(session, 2)
    assert len(first["items"]) == RECORD_BOOK_PAGE
    assert len(second["items"]) == 10
    assert _api(bearer(person), page=2) == second


def test_an_entry_says_what_the_book_says():
    person = volunteer()
    organization = OrganizationFactory(short_name="Опора")
    entry = HoursEntry.objects.create(
        user=person,
        organization=organization,
        date=local_today(),
        hours=Decimal("2"),
        claimed_hours=Decimal("3"),
        source=HoursEntry.Source.CLAIM,
        status=HoursEntry.Status.CONFIRMED,
        description="Разбирал склад",
        reason="Ушёл раньше",
        thanks="Спасибо!",
    )
    item = _api(bearer(person))["items"][0]
    assert item == {
        "id": entry.pk,
        "organization": "Опора",
        "date": local_today().isoformat(),
        "hours": "2.00",
        "claimed_hours": "3.00",
        "status": "confirmed",
        "source": "claim",
        "area": "",
        "description": "Разбирал склад",
        "origin": None,
        "reason": "Ушёл раньше",
        "thanks": "Спасибо!",
    }


def test_past_the_last_page_is_an_empty_list_and_a_wrong_page_a_422():
    person = volunteer()
    _entries(person, 2)
    api = bearer(person)
    assert _api(api, page=5)["items"] == []
    assert api.get(URL, {"page": "0"}).status_code == 422
    assert api.get(URL, {"page": "٣"}).status_code == 422


@pytest.mark.parametrize("count", [1, 120])
def test_the_list_has_a_fixed_query_count(django_assert_max_num_queries, count):
    person = volunteer()
    _entries(person, count)
    api = bearer(person)
    with django_assert_max_num_queries(4):  # the token, its use, the count, the page
        assert len(_api(api)["items"]) == min(count, RECORD_BOOK_PAGE)
    with django_assert_max_num_queries(4):
        assert _api(api, page=2)["count"] == count
