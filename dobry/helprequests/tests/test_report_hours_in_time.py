"""A helper's report holds no more hours than have passed since the help was taken, nor
more than the city's day it is dated by has had (attacker's finding of issue 11: 24 h
claimed on the day of assignment). The page and the API share the one service
(`completion.help_report`); every refusal names the field, never a 500."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from dobry.accounts.tests.factories import bearer
from dobry.core.clock import city_zone
from dobry.core.errors import DomainError
from dobry.helprequests.models import HelpOffer, HelpRequest
from dobry.helprequests.services import completion, offering
from dobry.helprequests.tests.factories import HelpRequestFactory, offerable_volunteer

pytestmark = pytest.mark.django_db
S = HelpRequest.Status
JSON = "application/json"
# Taken at 15:00 on 10 March in the city (08:00 UTC).
TAKEN = datetime(2031, 3, 10, 15, 0, tzinfo=city_zone())


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2031, 3, day, hour, minute, tzinfo=city_zone())


@pytest.fixture
def taken(freeze_now, coordinator):
    """A request made on 9 March, offered at 14:00 on 10 March and accepted by a volunteer
    at 15:00."""
    freeze_now(at(9, 12))
    help_request = HelpRequestFactory(status=S.VERIFIED)
    helper = offerable_volunteer()
    freeze_now(at(10, 14))
    [offer] = offering.offer_make(actor=coordinator, help_request=help_request, volunteers=[helper])
    freeze_now(TAKEN)
    offering.offer_answer(user=helper, offer=offer, accept=True)
    help_request.refresh_from_db()
    return help_request, helper


def report(help_request, helper, hours, day=None):
    return completion.help_report(
        volunteer=helper, help_request=help_request, text="Купил продукты", hours=hours, day=day
    )


def test_24_hours_on_the_day_of_taking_are_refused_at_hours(taken, freeze_now):
    help_request, helper = taken
    freeze_now(at(10, 16))
    with pytest.raises(DomainError) as refused:
        report(help_request, helper, "24")
    assert refused.value.field_errors == {
        "hours": [
            "С 10 марта, 15:00 по местному времени прошло только 1 ч: "
            "часов помощи не может быть больше."
        ]
    }
    assert not help_request.reports.exists()


def test_the_hours_since_taking_are_taken(taken, freeze_now):
    help_request, helper = taken
    freeze_now(at(10, 17, 30))
    assert report(help_request, helper, "2.5").hours == Decimal("2.50")
    with pytest.raises(DomainError):
        report(help_request, helper, "2.75")
    assert help_request.reports.get().hours == Decimal("2.50")  # the first report stands


def test_a_past_day_of_taking_holds_only_what_was_left_of_it(taken, freeze_now):
    """Taken at 15:00: nine hours were left of 10 March."""
    help_request, helper = taken
    freeze_now(at(12, 10))
    assert report(help_request, helper, "9", day=date(2031, 3, 10)).hours == Decimal(9)
    with pytest.raises(DomainError) as refused:
        report(help_request, helper, "9.25", day=date(2031, 3, 10))
    assert refused.value.field_errors == {
        "hours": [
            "Вы взялись помочь 10 марта, 15:00, и до конца того дня оставалось 9 ч: "
            "часов помощи за этот день не может быть больше."
        ]
    }


def test_today_holds_only_the_hours_since_the_citys_midnight(taken, freeze_now):
    """Taken the day before; at 06:00 in the city (23:00 UTC the day before) six hours of
    today have passed."""
    help_request, helper = taken
    freeze_now(at(11, 6))
    assert report(help_request, helper, "6").hours == Decimal(6)
    with pytest.raises(DomainError) as refused:
        report(help_request, helper, "6.25")
    assert list(refused.value.field_errors) == ["hours"]
    assert "С 11 марта, 00:00 по местному времени прошло только 6 ч" in str(refused.value)


def test_a_day_before_the_help_was_taken_is_refused_at_day(taken, freeze_now):
    """The request existed on 9 March, but the helper took it only on 10 March."""
    help_request, helper = taken
    freeze_now(at(11, 12))
    with pytest.raises(DomainError) as refused:
        report(help_request, helper, "1", day=date(2031, 3, 9))
    assert refused.value.field_errors == {
        "day": ["Вы взялись помочь 10 марта: укажите этот день или более поздний."]
    }


def test_an_offer_accepted_before_answers_were_stamped_counts_from_when_it_was_made(
    taken, freeze_now
):
    help_request, helper = taken
    HelpOffer.objects.filter(request=help_request).update(answered_at=None)
    freeze_now(at(10, 20))
    # made at 14:00: six hours so far
    assert report(help_request, helper, "6").hours == Decimal(6)
    with pytest.raises(DomainError):
        report(help_request, helper, "6.25")


def test_the_page_shows_the_refusal_at_the_field_and_keeps_nothing(taken, freeze_now, login_as):
    help_request, helper = taken
    freeze_now(at(10, 16))
    response = login_as(helper).post(
        f"/help/{help_request.pk}/report/", {"text": "Сделано", "hours": "24"}, follow=True
    )
    assert response.status_code == 200
    assert "прошло только 1 ч" in response.content.decode()
    assert not help_request.reports.exists()


def test_the_api_answers_422_at_hours(taken, freeze_now):
    help_request, helper = taken
    freeze_now(at(10, 16))
    response = bearer(helper).post(
        f"/api/v1/help-requests/{help_request.pk}/report",
        {"text": "Сделано", "hours": 24},
        content_type=JSON,
    )
    assert response.status_code == 422
    assert "прошло только 1 ч" in response.json()["errors"]["hours"][0]
    sent = bearer(helper).post(
        f"/api/v1/help-requests/{help_request.pk}/report",
        {"text": "Сделано", "hours": 1},
        content_type=JSON,
    )
    assert sent.status_code == 201
