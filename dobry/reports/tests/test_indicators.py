"""Every indicator on a small known dataset, counted by hand: sources, de-duplication of
people, and the boundaries of the period (the municipality's local midnight)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dobry.accounts.tests.factories import UserFactory
from dobry.core.clock import city_zone
from dobry.events.models import Registration
from dobry.events.tests.factories import EventFactory, RegistrationFactory, ShiftFactory
from dobry.grants.models import Application
from dobry.grants.tests.factories import open_competition
from dobry.helprequests.models import HelpRequest, ProgrammeRecord
from dobry.helprequests.tests.factories import HelpRequestFactory, ProgrammeFactory
from dobry.organizations.tests.factories import OrganizationFactory
from dobry.reports import beyond, indicators
from dobry.reports.models import ReachFigure
from dobry.reports.periods import Period, from_query, year
from dobry.resources.models import Meeting, ProjectGroup, SupportRecord
from dobry.volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db
Y2025 = year(2025)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=city_zone())


@pytest.fixture(autouse=True)
def _small_city(settings):
    settings.DOBRY_POPULATION = 1000
    settings.DOBRY_VOLUNTEER_HOUR_RATE = 350
    settings.DOBRY_ACTIVE_VOLUNTEER_HOURS = 10


def _joined(when: datetime, **kwargs):
    user = UserFactory(**kwargs)
    user.date_joined = when
    user.save(update_fields=["date_joined"])
    return user


def _hours(user, day: date, hours: int, status=HoursEntry.Status.CONFIRMED):
    return HoursEntry.objects.create(
        user=user,
        organization=OrganizationFactory(),
        date=day,
        hours=hours,
        claimed_hours=hours,
        source=HoursEntry.Source.CLAIM,
        status=status,
    )


def test_infrastructure_events_count_tagged_events_and_group_meetings_in_the_period():
    EventFactory(infrastructure=True, starts_at=local(2025, 3, 10, 18))
    EventFactory(infrastructure=True, starts_at=local(2025, 12, 31, 23))
    EventFactory(infrastructure=True, starts_at=local(2025, 5, 1, 12), status="cancelled")
    EventFactory(infrastructure=True, starts_at=local(2024, 12, 31, 23, 30))
    EventFactory(infrastructure=False, starts_at=local(2025, 4, 1, 12))
    group = ProjectGroup.objects.create(title="Городские праздники")
    Meeting.objects.create(group=group, starts_at=local(2025, 6, 1, 17), agenda="План")
    Meeting.objects.create(group=group, starts_at=local(2026, 1, 1, 0), agenda="План")
    figure = indicators.infrastructure_events(Y2025)
    assert figure.value == 3
    assert figure.parts == {"events": 2, "group_meetings": 1}
    assert indicators.infrastructure_events(Y2025.previous()).value == 1


def test_informed_share_counts_each_person_once_and_adds_reported_reach():
    early = _joined(local(2024, 5, 1, 10))
    last_minute = _joined(local(2025, 12, 31, 23, 59))
    later = _joined(local(2026, 1, 1, 0, 0))
    erased = _joined(local(2024, 1, 1, 10))
    erased.erased_at = timezone.now()
    erased.save()
    shift = ShiftFactory(starts_at=local(2025, 6, 1, 10))
    RegistrationFactory(shift=shift, user=later)
    RegistrationFactory(shift=ShiftFactory(starts_at=local(2025, 7, 1, 10)), user=early)
    ReachFigure.objects.create(
        date=date(2025, 3, 1), channel="media", title="Газета", source="тираж", people=100
    )
    ReachFigure.objects.create(
        date=date(2025, 12, 31), channel="social", title="Пост", source="ВК", people=50
    )
    ReachFigure.objects.create(
        date=date(2024, 12, 31), channel="social", title="Пост", source="ВК", people=999
    )
    figure = indicators.informed_share(Y2025)
    assert figure.parts["platform_people"] == 3  # early, last_minute, later — once each
    assert figure.parts["reach"] == 150
    assert figure.value == Decimal("15.3")  # (3 + 150) / 1000 × 100
    assert last_minute.pk


def test_involved_share_unites_volunteers_participants_applicants_and_project_groups(official):
    volunteer, old_hours, declined, family, applicant, active = (UserFactory() for _ in range(6))
    _hours(volunteer, date(2025, 1, 1), 3)
    _hours(old_hours, date(2024, 12, 31), 5)
    _hours(declined, date(2025, 5, 5), 4, status=HoursEntry.Status.DECLINED)
    _hours(active, date(2025, 8, 1), 12)
    RegistrationFactory(
        shift=ShiftFactory(starts_at=local(2025, 6, 1, 10)),
        user=volunteer,
        checked_in_at=local(2025, 6, 1, 10, 5),
    )
    RegistrationFactory(
        shift=ShiftFactory(starts_at=local(2025, 6, 2, 10)),
        user=family,
        seats=4,
        group=Registration.Group.FAMILY,
        checked_in_at=local(2025, 6, 2, 10, 5),
    )
    competition = open_competition(official)
    Application.objects.create(
        competition=competition, applicant=applicant, submitted_at=local(2025, 4, 1, 12)
    )
    # people running projects: members of project groups that met in the period
    group, idle = ProjectGroup.objects.create(title="Двор"), ProjectGroup.objects.create(title="X")
    Meeting.objects.create(group=group, starts_at=local(2025, 3, 3, 18), agenda="план")
    Meeting.objects.create(group=group, starts_at=local(2025, 9, 3, 18), agenda="итоги")
    Meeting.objects.create(group=idle, starts_at=local(2024, 12, 31, 18), agenda="старт")
    organiser, resting = UserFactory(), UserFactory()
    for member in (organiser, volunteer):
        group.memberships.create(user=member)
    idle.memberships.create(user=resting)
    figure = indicators.involved_share(Y2025)
    # volunteer (hours, event, group), family, applicant, active, organiser: once each
    assert figure.parts["people"] == 5
    assert figure.parts["group_extra"] == 3
    assert figure.value == Decimal("0.8")  # (5 + 3) / 1000 × 100

    hours = beyond.volunteering(Y2025)
    assert hours.value == 15
    assert hours.parts == {"value_rub": Decimal(5250), "volunteers": 2, "active_volunteers": 1}


def test_supported_organisations_by_kind():
    first, second, old = OrganizationFactory(), OrganizationFactory(), OrganizationFactory()
    founder = UserFactory()

    def record(kind, day, organization=None, person=None):
        SupportRecord.objects.create(
            organization=organization,
            person=person,
            kind=kind,
            date=day,
            description="поддержка",
            giver="resource_centre",
        )

    record("consulting", date(2025, 2, 1), first)
    record("consulting", date(2025, 3, 1), first)
    record("financial", date(2025, 12, 31), first)
    record("property", date(2025, 1, 1), second)
    record("consulting", date(2025, 6, 1), person=founder)
    record("consulting", date(2024, 12, 31), old)
    figure = indicators.supported_organisations(Y2025)
    assert figure.value == 3  # first, second, the founder
    assert figure.parts["consulting"] == 2
    assert figure.parts["financial"] == 1
    assert figure.parts["property"] == 1
    assert figure.parts["administrative"] == 0


def test_programmes_running_in_the_period():
    ProgrammeFactory(starts_on=date(2024, 1, 1))
    ProgrammeFactory(starts_on=date(2023, 1, 1), ends_on=date(2024, 12, 31))
    ProgrammeFactory(starts_on=date(2025, 12, 31))
    ProgrammeFactory(starts_on=date(2024, 1, 1), is_active=False)
    ProgrammeFactory(starts_on=date(2024, 6, 1), ends_on=date(2025, 1, 1))
    ProgrammeFactory(starts_on=date(2026, 1, 1))
    assert indicators.programmes(Y2025).value == 3


def test_helped_residents_are_counted_once_by_phone_or_by_request_chain():
    done = HelpRequest.Status.DONE
    HelpRequestFactory(status=done, recipient_phone="+79130000001", closed_at=local(2025, 2, 1, 9))
    HelpRequestFactory(status=done, recipient_phone="+79130000001", closed_at=local(2025, 9, 1, 9))
    root = HelpRequestFactory(status=done, recipient_phone="", closed_at=local(2025, 3, 1, 9))
    HelpRequestFactory(status=done, recipient_phone="", parent=root, closed_at=local(2025, 3, 8, 9))
    HelpRequestFactory(
        status=done, recipient_phone="+79130000002", closed_at=local(2024, 12, 31, 23)
    )
    HelpRequestFactory(
        status=HelpRequest.Status.CANCELLED,
        recipient_phone="+79130000003",
        closed_at=local(2025, 5, 1, 9),
    )
    figure = indicators.helped_residents(Y2025)
    assert figure.value == 2
    assert figure.parts == {
        "requests_done": 4,
        "request_recipients": 2,
        "programme_recipients": 0,
        "grant_recipients": 0,
    }


def test_programme_records_count_each_regular_once_in_a_period():
    """Everyone of the period's first month with a record, then only newcomers."""
    parcels, visits = ProgrammeFactory(starts_on=date(2024, 1, 1)), ProgrammeFactory()
    for day, people, first_time in (
        (date(2024, 12, 1), 35, 35),  # before the period
        (date(2025, 1, 1), 40, 6),
        (date(2025, 2, 1), 42, 5),
        (date(2025, 3, 1), 38, 0),
    ):
        ProgrammeRecord.objects.create(
            confirmed_at=timezone.now(),
            programme=parcels,
            month=day,
            people=people,
            first_time=first_time,
        )
    ProgrammeRecord.objects.create(
        confirmed_at=timezone.now(),
        programme=visits,
        month=date(2025, 6, 1),
        people=10,
        first_time=2,
    )
    HelpRequestFactory(
        status=HelpRequest.Status.DONE, recipient_phone="+79130000009", closed_at=local(2025, 2, 2)
    )
    year_figure = indicators.helped_residents(Y2025)
    assert year_figure.parts["programme_recipients"] == 40 + 5 + 0 + 10
    assert year_figure.value == 1 + 55
    q1 = indicators.helped_residents(
        from_query({"kind": "quarter", "year": "2025", "quarter": "1"})
    )
    assert q1.parts["programme_recipients"] == 45
    february = indicators.helped_residents(
        from_query({"kind": "month", "year": "2025", "month": "2"})
    )
    assert february.parts["programme_recipients"] == 42
    # a span starting mid-month takes that month's record whole
    span = indicators.helped_residents(from_query({"from": "2025-02-15", "to": "2025-06-10"}))
    assert span.parts["programme_recipients"] == 42 + 0 + 10
    assert indicators.programme_recipients(Y2025) == {parcels.pk: 45, visits.pk: 10}


def test_periods_and_their_predecessors():
    assert from_query({"kind": "quarter", "year": "2025", "quarter": "1"}) == Period(
        date(2025, 1, 1), date(2025, 3, 31), "quarter"
    )
    assert from_query({"kind": "quarter", "year": "2025", "quarter": "1"}).previous() == Period(
        date(2024, 10, 1), date(2024, 12, 31), "quarter"
    )
    assert from_query({"kind": "month", "year": "2024", "month": "3"}).previous().end == date(
        2024, 2, 29
    )
    custom = from_query({"from": "2025-01-10", "to": "2025-01-19"})
    assert custom.previous() == Period(date(2024, 12, 31), date(2025, 1, 9))
    assert from_query({"from": "2025-04-01", "to": "2025-06-30"}).kind == "quarter"
    assert from_query({"from": "2024-01-01", "to": "2024-12-31"}).previous() == year(2023)
    assert len(year(2025).months()) == 12
    with pytest.raises(Exception, match="период"):
        from_query({"kind": "custom", "from": "вчера"})
