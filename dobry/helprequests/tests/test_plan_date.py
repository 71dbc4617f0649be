"""A help request's plan date («с», `wanted_from`) is never in the past by the city's
calendar (Asia/Krasnoyarsk), page and API alike; a time earlier today is a plan for today."""

import json
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from dobry.core.clock import city_zone
from dobry.helprequests.models import HelpRequest
from dobry.helprequests.services import submission
from dobry.helprequests.tests.factories import HelpRequestFactory
from dobry.helprequests.tests.test_services import FIELDS
from dobry.helprequests.tests.test_views import FORM

pytestmark = pytest.mark.django_db
PAST = "Этот день уже прошёл: укажите сегодняшний или будущий."


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=city_zone())


def plan(at: datetime) -> dict:
    return {**FIELDS, "asap": False, "wanted_from": at, "wanted_to": at + timedelta(hours=2)}


@pytest.mark.parametrize(("hour", "minute"), [(0, 30), (6, 0)])
def test_yesterday_is_refused_early_in_the_citys_morning(freeze_now, resident, hour, minute):
    freeze_now(local(2027, 3, 1, hour, minute))
    with pytest.raises(ValidationError) as error:
        submission.request_submit(requester=resident, fields=plan(local(2027, 2, 28, 23, 0)))
    assert error.value.message_dict["wanted_from"] == [PAST]
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize(("hour", "minute"), [(0, 30), (6, 0)])
def test_earlier_today_is_a_plan_for_today(freeze_now, resident, hour, minute):
    freeze_now(local(2027, 3, 1, hour, minute))
    # 00:10 in the city is still the previous day in UTC
    created = submission.request_submit(requester=resident, fields=plan(local(2027, 3, 1, 0, 10)))
    assert created.wanted_from == local(2027, 3, 1, 0, 10)


def test_the_api_refuses_a_past_plan_date(client, resident):
    client.force_login(resident)
    body = {**FIELDS, "asap": False, "wanted_from": "2020-05-01T10:00:00+07:00"}
    response = client.post(
        "/api/v1/help-requests", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"]["wanted_from"] == [PAST]


def test_the_form_shows_the_sentence_next_to_the_date(client, resident):
    client.force_login(resident)
    page = client.post(
        "/help/new/", {**FORM, "asap": "", "wanted_from": "2020-05-01T10:00"}
    ).content.decode()
    assert PAST in page
    assert not HelpRequest.objects.exists()


def test_correcting_an_old_requests_details_keeps_its_date(coordinator, freeze_now):
    old = HelpRequestFactory(
        status=HelpRequest.Status.NEW, asap=False, wanted_from=local(2020, 5, 1, 10, 0)
    )
    submission.request_update(
        actor=coordinator,
        help_request=old,
        fields={"details": "Хлеб", "wanted_from": local(2020, 5, 1, 10, 0)},
    )
    old.refresh_from_db()
    assert old.details == "Хлеб"
