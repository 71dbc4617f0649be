"""Limits: one self-offer per person and request (the coordinators are told once), and at
most DOBRY_HELP_REQUESTS_PER_DAY new requests from one account in 24 hours — page and API."""

import json

import pytest

from dobry.communications.models import Notification
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import offering
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer
from dobry.helprequests.tests.test_services import FIELDS
from dobry.helprequests.tests.test_views import FORM

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
AGAIN = "Вы уже предложили помощь по этой просьбе: координатор свяжется с вами."


def test_five_self_offers_tell_the_coordinators_once(client, coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    helper = offerable_volunteer()
    client.force_login(helper)
    url = f"/api/v1/help-requests/{help_request.pk}/self-offer"
    assert client.post(url).status_code == 204
    for _ in range(4):
        again = client.post(url)
        assert again.status_code == 409
        assert again.json()["message"] == AGAIN
    told = Notification.objects.filter(user=coordinator, kind="help_self_offer")
    assert told.count() == 1


def test_the_page_says_the_offer_was_made(client, coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    client.force_login(offerable_volunteer())
    client.post(f"/help/{help_request.pk}/self-offer/")
    page = client.post(f"/help/{help_request.pk}/self-offer/", follow=True).content.decode()
    assert AGAIN in page
    assert Notification.objects.filter(user=coordinator, kind="help_self_offer").count() == 1


def test_another_volunteer_may_still_offer(coordinator):
    help_request = HelpRequestFactory(status=S.VERIFIED)
    offering.volunteer_self_offer(user=offerable_volunteer(), help_request=help_request)
    offering.volunteer_self_offer(user=offerable_volunteer(), help_request=help_request)
    assert Notification.objects.filter(user=coordinator, kind="help_self_offer").count() == 2


def refused_sentence(limit: int) -> str:
    return (
        f"За сутки можно отправить не больше {limit} просьб. Если помощь нужна срочно, "
        "позвоните координатору."
    )


def test_the_sixth_request_in_a_day_is_429_through_the_api(client, resident, settings):
    settings.DOBRY_HELP_REQUESTS_PER_DAY = 5
    client.force_login(resident)
    for n in range(5):
        body = {**FIELDS, "summary": f"Привезти продукты, раз {n}"}
        created = client.post(
            "/api/v1/help-requests", json.dumps(body), content_type="application/json"
        )
        assert created.status_code == 201, created.content
    sixth = client.post(
        "/api/v1/help-requests", json.dumps(FIELDS), content_type="application/json"
    )
    assert sixth.status_code == 429
    assert sixth.json()["message"] == refused_sentence(5)
    assert HelpRequest.objects.filter(requester=resident).count() == 5


def test_the_page_answers_429_with_the_sentence(client, resident, settings):
    settings.DOBRY_HELP_REQUESTS_PER_DAY = 1
    HelpRequestFactory(requester=resident)
    client.force_login(resident)
    page = client.post("/help/new/", FORM)
    assert page.status_code == 429
    assert "За сутки можно отправить не больше 1 просьбы." in page.content.decode()
    assert HelpRequest.objects.filter(requester=resident).count() == 1


def test_coordinators_registering_calls_are_not_limited(coordinator, settings):
    from dobry.helprequests.tests.factories import taken_by_phone

    settings.DOBRY_HELP_REQUESTS_PER_DAY = 1
    taken_by_phone(coordinator)
    taken_by_phone(coordinator, recipient_phone="+79135550078")
    assert HelpRequest.objects.filter(registered_by=coordinator).count() == 2
