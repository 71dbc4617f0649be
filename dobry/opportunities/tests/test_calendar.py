"""The deadlines of followed calls in the personal iCal feed, parsed with `icalendar`."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from dobry.core.clock import local_today
from dobry.opportunities.models import Follow
from dobry.opportunities.tests.factories import OpportunityFactory
from dobry.organizations.tests.factories import MembershipFactory
from dobry.volunteering.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def _feed(client, user):
    profile, _ = VolunteerProfile.objects.get_or_create(user=user)
    response = client.get(f"/events/feed/{profile.calendar_token}.ics")
    assert response.status_code == 200
    return Calendar.from_ical(response.content)


def test_a_followed_call_is_an_all_day_event_on_its_last_day(client):
    membership = MembershipFactory(role="member")
    followed = OpportunityFactory(title="Президентские гранты\x0b; весна")
    OpportunityFactory(title="Не отслеживаемый")
    past = OpportunityFactory(
        opens_on=local_today() - timedelta(days=30), closes_on=local_today() - timedelta(days=1)
    )
    for call in (followed, past):
        Follow.objects.create(opportunity=call, organization=membership.organization)
    vevents = _feed(client, membership.user).walk("VEVENT")
    assert len(vevents) == 1
    [vevent] = vevents
    assert vevent.decoded("DTSTART") == followed.closes_on
    assert vevent.decoded("DTEND") == followed.closes_on + timedelta(days=1)
    assert str(vevent["UID"]).startswith(f"grant-call-{followed.pk}@")
    assert "Президентские гранты" in str(vevent["SUMMARY"])
    assert followed.get_absolute_url() in str(vevent["URL"])


def test_an_outsiders_feed_has_no_calls(client, outsider):
    call = OpportunityFactory()
    Follow.objects.create(opportunity=call, organization=MembershipFactory().organization)
    assert _feed(client, outsider).walk("VEVENT") == []


def test_two_organisations_following_one_call_give_one_event(client):
    membership = MembershipFactory()
    other = MembershipFactory(user=membership.user)
    call = OpportunityFactory()
    for organization in (membership.organization, other.organization):
        Follow.objects.create(opportunity=call, organization=organization)
    assert len(_feed(client, membership.user).walk("VEVENT")) == 1
