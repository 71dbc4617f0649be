"""Forums and festivals in the passport's figures (issue 16): each held forum or festival
is an infrastructure event of indicator 1 without the coordinators' mark, and the people
who took places on their sessions are involved residents of indicator 3, each once; a
person's programme data in the export and on erasure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dobry.accounts import personal_data
from dobry.accounts.tests.factories import UserFactory
from dobry.events.models import Event
from dobry.events.tests.factories import EventFactory
from dobry.festivals.models import Selection, SessionRegistration, Speaker, StandApplication
from dobry.festivals.services import programme as services
from dobry.festivals.tests.factories import festival, stand_organization
from dobry.reports import indicators, periods

pytestmark = pytest.mark.django_db


def _this_year():
    return periods.year(timezone.now().year)


def test_a_held_forum_or_festival_counts_as_an_infrastructure_event(freeze_now):
    before = indicators.infrastructure_events(_this_year()).parts["events"]
    f = festival(days_ahead=1)
    EventFactory(kind=Event.Kind.FORUM, starts_at=f.event.starts_at, infrastructure=False)
    EventFactory(kind=Event.Kind.VOLUNTEER_ACTION, starts_at=f.event.starts_at)
    EventFactory(kind=Event.Kind.FORUM, status=Event.Status.DRAFT, starts_at=f.event.starts_at)
    assert indicators.infrastructure_events(_this_year()).parts["events"] == before
    freeze_now(f.event.starts_at + timedelta(minutes=1))
    if f.event.starts_at.year == timezone.now().year:
        assert indicators.infrastructure_events(_this_year()).parts["events"] == before + 2
    assert "все форумы и фестивали" in indicators.infrastructure_events(_this_year()).method


def test_forum_participants_are_involved_residents_once(freeze_now):
    f = festival(days_ahead=1, capacity=10)
    people = [UserFactory() for _ in range(3)]
    for person in people:
        services.session_register(actor=person, session=f.sessions[0])
    services.session_register(actor=people[0], session=f.sessions[1])
    services.session_cancel(actor=f.organiser, session=f.sessions[1])
    period = periods.year(f.event.starts_at.year)
    before = indicators.involved_share(period).parts["people"]
    freeze_now(f.sessions[1].ends_at + timedelta(hours=1))
    after = indicators.involved_share(period)
    assert after.parts["people"] == before + 3
    assert "где организаторы отметили пришедших, — пришедшие" in after.method


def test_a_persons_programme_data_is_exported_and_erased():
    f = festival()
    person = UserFactory()
    services.session_register(actor=person, session=f.sessions[0])
    organization, _editor = stand_organization()
    from dobry.organizations.models import Membership
    from dobry.organizations.tests.factories import MembershipFactory

    MembershipFactory(organization=organization, user=person, role=Membership.Role.EDITOR)
    services.stand_apply(
        actor=person, programme=f.programme, organization=organization, exhibit="Стенд"
    )
    Speaker.objects.create(session=f.sessions[1], name="Я", user=person)
    exported = personal_data.export_sections(person)["programmes"]
    assert exported["selections"][0]["session"] == "Как стать волонтёром"
    assert exported["session_registrations"][0]["session"] == "Как стать волонтёром"
    assert exported["stand_applications"][0]["exhibit"] == "Стенд"
    assert exported["speaking"][0]["name"] == "Я"
    personal_data.erase_sections(person)
    assert not Selection.objects.filter(user=person).exists()
    assert not SessionRegistration.objects.filter(user=person).exists()
    assert StandApplication.objects.get().submitted_by is None
    assert Speaker.objects.get(name="Я").user is None
