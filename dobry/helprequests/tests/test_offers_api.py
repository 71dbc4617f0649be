"""Offers as the request page shows and makes them, by API: the list of whom a request was
offered to (`selectors.offers_of`) and offering by email as well as by id
(`services.offer_make_to`, which now also refuses an offer to nobody) — anonymous (401),
those who do not work the request (403, as the page), those who do, bad input (422 naming
the field, nothing offered) and the list's query budget."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory, bearer
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
API = "/api/v1/help-requests"


def post(client: Client, path: str, body: object):
    return client.post(path, json.dumps(body), content_type="application/json")


@pytest.fixture
def help_request(resident):
    return HelpRequestFactory(requester=resident, status=S.VERIFIED)


def offer_to(help_request, count: int) -> list[HelpOffer]:
    expires = timezone.now() + timedelta(hours=2)
    return [
        HelpOffer.objects.create(
            request=help_request,
            volunteer=UserFactory(first_name=f"Волонтёр{n}"),
            expires_at=expires,
        )
        for n in range(count)
    ]


def test_the_offers_need_credentials(client, help_request):
    assert client.get(f"{API}/{help_request.pk}/offers").status_code == 401
    assert (
        post(client, f"{API}/{help_request.pk}/offers", {"emails": ["a@b.org"]}).status_code == 401
    )
    assert not HelpOffer.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "resident"])
def test_those_who_do_not_work_the_request_are_refused_as_on_the_page(
    request, login_as, help_request, who
):
    user = request.getfixturevalue(who)
    helper = offerable_volunteer()
    assert bearer(user).get(f"{API}/{help_request.pk}/offers").status_code == 403
    response = post(bearer(user), f"{API}/{help_request.pk}/offers", {"emails": [helper.email]})
    assert response.status_code == 403
    page = login_as(user).post(f"/help/{help_request.pk}/offer/", {"emails": helper.email})
    assert page.status_code == 403
    assert not HelpOffer.objects.exists()


def test_the_coordinator_reads_whom_it_was_offered_to_as_the_page_shows(
    login_as, coordinator, help_request
):
    first, second = offer_to(help_request, 2)
    HelpOffer.objects.filter(pk=first.pk).update(status=HelpOffer.Status.DECLINED)
    items = bearer(coordinator).get(f"{API}/{help_request.pk}/offers").json()["items"]
    assert [(item["id"], item["volunteer"], item["status"]) for item in items] == [
        (second.pk, second.volunteer.display_name, "offered"),
        (first.pk, first.volunteer.display_name, "declined"),
    ]
    page = login_as(coordinator).get(f"/help/{help_request.pk}/").context["offers"]
    assert [offer.pk for offer in page] == [item["id"] for item in items]


@pytest.mark.parametrize("count", [1, 30])
def test_the_offers_keep_a_fixed_query_count(
    coordinator, help_request, count, django_assert_max_num_queries
):
    offer_to(help_request, count)
    client = bearer(coordinator)
    with django_assert_max_num_queries(6):
        response = client.get(f"{API}/{help_request.pk}/offers")
    assert response.json()["count"] == count


def test_the_coordinator_offers_by_email_in_any_letters(coordinator, help_request):
    helper = offerable_volunteer()
    response = post(
        bearer(coordinator),
        f"{API}/{help_request.pk}/offers",
        {"emails": [f"  {helper.email.upper()} "]},
    )
    assert response.status_code == 201, response.content
    assert [offer["volunteer_id"] for offer in response.json()] == [helper.pk]
    assert HelpOffer.objects.get().volunteer == helper


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "volunteers"),
        ({"volunteers": [], "emails": ["  "]}, "volunteers"),
        ({"emails": ["nobody@example.org"]}, "emails"),  # the field that named them
        ({"emails": ["x" * 255]}, "emails.0"),
        ({"emails": ["a@b.org"] * 101}, "emails"),
        ({"emails": "a@b.org"}, "emails"),
    ],
)
def test_a_bad_offer_is_refused_naming_the_field_and_offers_nothing(
    coordinator, help_request, body, field
):
    response = post(bearer(coordinator), f"{API}/{help_request.pk}/offers", body)
    assert response.status_code == 422
    assert field in response.json()["errors"], response.json()
    assert not HelpOffer.objects.exists()
    help_request.refresh_from_db()
    assert help_request.status == S.VERIFIED


def test_the_page_says_to_choose_someone_from_the_service(login_as, coordinator, help_request):
    response = login_as(coordinator).post(
        f"/help/{help_request.pk}/offer/", {"emails": " , "}, follow=True
    )
    assert "Выберите, кому предложить просьбу." in response.content.decode()
    assert not HelpOffer.objects.exists()
